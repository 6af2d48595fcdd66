import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  type Span,
  SpanKind,
  trace,
} from '@opentelemetry/api';
import {
  type CommitPayload,
  type ConsumerDeliverPayload,
  type ConsumerProcessPayload,
  diagnosticChannels,
  type ProducerSendPayload,
  type RebalancePayload,
  type TracedRecord,
  type TransactionPayload,
} from '@vltava/core';
import { ATTR, errorType, KAFKA } from './attributes.js';
import { endSpan } from './client-instrumentation.js';
import { addedHeadersSetter } from './header-carrier.js';
import { enterProcessing, leaveProcessing, producerContext } from './record-context.js';
import { SECONDS_BOUNDARIES, type Settings, safe } from './settings.js';

/** Links at most this many producer contexts from one receive or batch-process span. */
const MAX_LINKS = 128;

/** A key as `messaging.kafka.message.key`: strings as they are, bytes as UTF-8, nothing else. */
function keyAttribute(key: unknown): string | undefined {
  if (typeof key === 'string') return key;
  if (key instanceof Uint8Array) return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('utf8');
  return undefined;
}

/** The one topic of some records, or undefined when they come from several. */
function singleTopic(records: readonly TracedRecord[]): string | undefined {
  const topic = records[0]?.topic;
  for (const record of records) if (record.topic !== topic) return undefined;
  return topic;
}

/** Links to the producers' contexts the records carry (valid ones only, at most {@link MAX_LINKS}). */
/** A settle span's operation: `commit` for offsets, `acknowledge` for a share consumer's ShareAcknowledge. */
function settleOperation(p: CommitPayload): 'commit' | 'acknowledge' {
  return p.kind === 'share' ? 'acknowledge' : 'commit';
}

/** Messages a settle span covers: offsets committed, or records acknowledged to a share group. */
function settledCount(p: CommitPayload): number {
  if (p.acknowledgements === undefined) return p.offsets.length;
  let records = 0;
  for (const a of p.acknowledgements) records += a.records;
  return records;
}

function producerLinks(records: readonly TracedRecord[]): Link[] {
  const links: Link[] = [];
  for (const record of records) {
    if (links.length >= MAX_LINKS) break;
    const spanContext = trace.getSpanContext(producerContext(record));
    if (spanContext !== undefined && trace.isSpanContextValid(spanContext)) links.push({ context: spanContext });
  }
  return links;
}

/**
 * Producer and consumer spans following OpenTelemetry's messaging conventions (`send`, `poll` ("receive"),
 * `process`, `commit` ("settle")), trace context in record headers, and the `messaging.*` instruments. Returns the
 * unsubscribe function.
 */
export function instrumentMessaging(settings: Settings): () => void {
  const { tracer, meter } = settings;
  const advice = { explicitBucketBoundaries: SECONDS_BOUNDARIES };
  const operationDuration = meter.createHistogram('messaging.client.operation.duration', {
    unit: 's',
    description: 'Duration of messaging operations: send (to the acknowledgement), poll, commit',
    advice,
  });
  const processDuration = meter.createHistogram('messaging.process.duration', {
    unit: 's',
    description: 'Duration of processing consumed records',
    advice,
  });
  const sentMessages = meter.createCounter('messaging.client.sent.messages', {
    unit: '{message}',
    description: 'Records the producer attempted to send (acknowledged or failed)',
  });
  const consumedMessages = meter.createCounter('messaging.client.consumed.messages', {
    unit: '{message}',
    description: 'Records handed to the application',
  });
  const spans = new WeakMap<object, Span>();
  const started = new WeakMap<object, number>();
  const stops: Array<() => void> = [];
  const elapsed = (payload: object) => {
    const at = started.get(payload);
    return at === undefined ? 0 : (performance.now() - at) / 1000;
  };

  // send: a PRODUCER span per record, in the caller's context; its context rides in the record's headers.
  stops.push(
    diagnosticChannels.producerSend.subscribe({
      start: safe('send start', (p: ProducerSendPayload) => {
        started.set(p, performance.now());
        const attributes: Attributes = {
          [ATTR.MESSAGING_SYSTEM]: KAFKA,
          [ATTR.MESSAGING_OPERATION_NAME]: 'send',
          [ATTR.MESSAGING_OPERATION_TYPE]: 'send',
          [ATTR.MESSAGING_DESTINATION_NAME]: p.topic,
          [ATTR.MESSAGING_CLIENT_ID]: p.clientId,
        };
        if (p.partition !== undefined) attributes[ATTR.MESSAGING_DESTINATION_PARTITION_ID] = String(p.partition);
        const key = settings.recordKeys ? keyAttribute(p.key) : undefined;
        if (key !== undefined) attributes[ATTR.MESSAGING_KAFKA_MESSAGE_KEY] = key;
        const parent = context.active();
        const span = tracer.startSpan(`send ${p.topic}`, { kind: SpanKind.PRODUCER, attributes }, parent);
        spans.set(p, span);
        if (settings.propagate) propagation.inject(trace.setSpan(parent, span), p.addedHeaders, addedHeadersSetter);
      }),
      asyncStart: safe('send end', (p: ProducerSendPayload) => {
        const attributes: Attributes = {
          [ATTR.MESSAGING_SYSTEM]: KAFKA,
          [ATTR.MESSAGING_OPERATION_NAME]: 'send',
          [ATTR.MESSAGING_DESTINATION_NAME]: p.topic,
        };
        const partition = p.result?.partition ?? p.partition;
        if (partition !== undefined) attributes[ATTR.MESSAGING_DESTINATION_PARTITION_ID] = String(partition);
        if (p.error !== undefined) attributes[ATTR.ERROR_TYPE] = errorType(p.error);
        operationDuration.record(elapsed(p), attributes);
        sentMessages.add(1, attributes);
        const span = spans.get(p);
        if (span === undefined) return;
        const result: Attributes = {};
        if (partition !== undefined) result[ATTR.MESSAGING_DESTINATION_PARTITION_ID] = String(partition);
        if (p.result !== undefined && p.result.offset >= 0n)
          result[ATTR.MESSAGING_KAFKA_OFFSET] = Number(p.result.offset);
        endSpan(span, p.error, result);
      }),
    }),
  );

  // poll ("receive"): a CLIENT span from the ask to the hand-over, only when records came, linked to their
  // producers.
  stops.push(
    diagnosticChannels.consumerDeliver.subscribe({
      start: safe('deliver start', (p: ConsumerDeliverPayload) => {
        started.set(p, performance.now());
        spans.delete(p);
      }),
      asyncStart: safe('deliver end', (p: ConsumerDeliverPayload) => {
        const records = p.result ?? [];
        if (records.length === 0 && p.error === undefined) return;
        const startedAt = started.get(p);
        const topic = singleTopic(records);
        const attributes: Attributes = {
          [ATTR.MESSAGING_SYSTEM]: KAFKA,
          [ATTR.MESSAGING_OPERATION_NAME]: 'poll',
          [ATTR.MESSAGING_OPERATION_TYPE]: 'receive',
          [ATTR.MESSAGING_CLIENT_ID]: p.clientId,
          [ATTR.MESSAGING_BATCH_MESSAGE_COUNT]: records.length,
        };
        if (topic !== undefined) attributes[ATTR.MESSAGING_DESTINATION_NAME] = topic;
        if (p.groupId !== undefined) attributes[ATTR.MESSAGING_CONSUMER_GROUP_NAME] = p.groupId;
        const startTime = startedAt === undefined ? undefined : performance.timeOrigin + startedAt;
        const span = tracer.startSpan(
          topic === undefined ? 'poll' : `poll ${topic}`,
          {
            kind: SpanKind.CLIENT,
            attributes,
            links: producerLinks(records),
            ...(startTime === undefined ? {} : { startTime }),
          },
          context.active(),
        );
        endSpan(span, p.error);
        const metric: Attributes = { [ATTR.MESSAGING_SYSTEM]: KAFKA, [ATTR.MESSAGING_OPERATION_NAME]: 'poll' };
        if (topic !== undefined) metric[ATTR.MESSAGING_DESTINATION_NAME] = topic;
        if (p.groupId !== undefined) metric[ATTR.MESSAGING_CONSUMER_GROUP_NAME] = p.groupId;
        if (p.error !== undefined) metric[ATTR.ERROR_TYPE] = errorType(p.error);
        operationDuration.record(elapsed(p), metric);
        for (const record of records) {
          consumedMessages.add(1, {
            [ATTR.MESSAGING_SYSTEM]: KAFKA,
            [ATTR.MESSAGING_OPERATION_NAME]: 'poll',
            [ATTR.MESSAGING_DESTINATION_NAME]: record.topic,
            [ATTR.MESSAGING_DESTINATION_PARTITION_ID]: String(record.partition),
            ...(p.groupId === undefined ? {} : { [ATTR.MESSAGING_CONSUMER_GROUP_NAME]: p.groupId }),
          });
        }
      }),
    }),
  );

  // process: a CONSUMER span. One record: a child of the producer's context (one connected trace), linked to it
  // as well. A batch: in the current context, linked to every record's producer. The application's code runs in
  // the span's context where the library calls it (runInContext), and recordContext(record) returns it.
  stops.push(
    diagnosticChannels.consumerProcess.subscribe({
      start: safe('process start', (p: ConsumerProcessPayload) => {
        started.set(p, performance.now());
        const records = p.records;
        const single = records.length === 1 ? records[0] : undefined;
        const topic = singleTopic(records);
        const attributes: Attributes = {
          [ATTR.MESSAGING_SYSTEM]: KAFKA,
          [ATTR.MESSAGING_OPERATION_NAME]: 'process',
          [ATTR.MESSAGING_OPERATION_TYPE]: 'process',
          [ATTR.MESSAGING_CLIENT_ID]: p.clientId,
        };
        if (topic !== undefined) attributes[ATTR.MESSAGING_DESTINATION_NAME] = topic;
        if (p.groupId !== undefined) attributes[ATTR.MESSAGING_CONSUMER_GROUP_NAME] = p.groupId;
        if (single !== undefined) {
          attributes[ATTR.MESSAGING_DESTINATION_PARTITION_ID] = String(single.partition);
          attributes[ATTR.MESSAGING_KAFKA_OFFSET] = Number(single.offset);
          if (single.serializedValueSize >= 0)
            attributes[ATTR.MESSAGING_MESSAGE_BODY_SIZE] = single.serializedValueSize;
          const key = settings.recordKeys ? keyAttribute(single.key) : undefined;
          if (key !== undefined) attributes[ATTR.MESSAGING_KAFKA_MESSAGE_KEY] = key;
        } else {
          attributes[ATTR.MESSAGING_BATCH_MESSAGE_COUNT] = records.length;
        }
        let parent: Context = context.active();
        if (single !== undefined) {
          const extracted = producerContext(single);
          const spanContext = trace.getSpanContext(extracted);
          if (spanContext !== undefined && trace.isSpanContextValid(spanContext)) parent = extracted;
        }
        const span = tracer.startSpan(
          topic === undefined ? 'process' : `process ${topic}`,
          { kind: SpanKind.CONSUMER, attributes, links: producerLinks(records) },
          parent,
        );
        spans.set(p, span);
        const processContext = trace.setSpan(parent, span);
        for (const record of records) enterProcessing(record, processContext);
        const previous = p.runInContext;
        p.runInContext =
          previous === undefined
            ? (fn) => context.with(processContext, fn)
            : (fn) => previous(() => context.with(processContext, fn));
      }),
      asyncStart: safe('process end', (p: ConsumerProcessPayload) => {
        for (const record of p.records) leaveProcessing(record);
        const topic = singleTopic(p.records);
        const attributes: Attributes = { [ATTR.MESSAGING_SYSTEM]: KAFKA, [ATTR.MESSAGING_OPERATION_NAME]: 'process' };
        if (topic !== undefined) attributes[ATTR.MESSAGING_DESTINATION_NAME] = topic;
        if (p.groupId !== undefined) attributes[ATTR.MESSAGING_CONSUMER_GROUP_NAME] = p.groupId;
        if (p.error !== undefined) attributes[ATTR.ERROR_TYPE] = errorType(p.error);
        processDuration.record(elapsed(p), attributes);
        const span = spans.get(p);
        if (span === undefined) return;
        // Ended without the library seeing processing end (never acknowledged, the stream destroyed): said so.
        endSpan(
          span,
          p.error,
          p.abandoned === undefined ? undefined : { [ATTR.VLTAVA_PROCESS_ABANDONED]: p.abandoned },
        );
      }),
    }),
  );

  // commit ("settle"), rebalance and transactions: CLIENT and INTERNAL spans in the current context.
  stops.push(
    diagnosticChannels.commit.subscribe({
      start: safe('commit start', (p: CommitPayload) => {
        started.set(p, performance.now());
        const operation = settleOperation(p);
        const attributes: Attributes = {
          [ATTR.MESSAGING_SYSTEM]: KAFKA,
          [ATTR.MESSAGING_OPERATION_NAME]: operation,
          [ATTR.MESSAGING_OPERATION_TYPE]: 'settle',
          [ATTR.MESSAGING_CLIENT_ID]: p.clientId,
          [ATTR.MESSAGING_CONSUMER_GROUP_NAME]: p.groupId,
          [ATTR.MESSAGING_BATCH_MESSAGE_COUNT]: settledCount(p),
        };
        spans.set(p, tracer.startSpan(operation, { kind: SpanKind.CLIENT, attributes }, context.active()));
      }),
      asyncStart: safe('commit end', (p: CommitPayload) => {
        const attributes: Attributes = {
          [ATTR.MESSAGING_SYSTEM]: KAFKA,
          [ATTR.MESSAGING_OPERATION_NAME]: settleOperation(p),
          [ATTR.MESSAGING_CONSUMER_GROUP_NAME]: p.groupId,
        };
        if (p.error !== undefined) attributes[ATTR.ERROR_TYPE] = errorType(p.error);
        operationDuration.record(elapsed(p), attributes);
        const span = spans.get(p);
        if (span !== undefined) endSpan(span, p.error);
      }),
    }),
  );
  stops.push(
    diagnosticChannels.rebalance.subscribe({
      start: safe('rebalance start', (p: RebalancePayload) => {
        const attributes: Attributes = {
          [ATTR.MESSAGING_SYSTEM]: KAFKA,
          [ATTR.MESSAGING_CLIENT_ID]: p.clientId,
          [ATTR.MESSAGING_CONSUMER_GROUP_NAME]: p.groupId,
        };
        spans.set(p, tracer.startSpan(`rebalance ${p.groupId}`, { kind: SpanKind.INTERNAL, attributes }));
      }),
      asyncStart: safe('rebalance end', (p: RebalancePayload) => {
        const span = spans.get(p);
        if (span === undefined) return;
        const result = p.result;
        endSpan(
          span,
          p.error,
          result === undefined
            ? undefined
            : {
                'vltava.rebalance.assigned': result.assigned.map((tp) => `${tp.topic}-${tp.partition}`),
                'vltava.rebalance.revoked': result.revoked.map((tp) => `${tp.topic}-${tp.partition}`),
                'vltava.rebalance.lost': result.lost.map((tp) => `${tp.topic}-${tp.partition}`),
                'vltava.rebalance.generation': result.generation,
              },
        );
      }),
    }),
  );
  stops.push(
    diagnosticChannels.transaction.subscribe({
      start: safe('transaction start', (p: TransactionPayload) => {
        const attributes: Attributes = {
          [ATTR.MESSAGING_SYSTEM]: KAFKA,
          [ATTR.MESSAGING_CLIENT_ID]: p.clientId,
          [ATTR.VLTAVA_TRANSACTIONAL_ID]: p.transactionalId,
        };
        spans.set(
          p,
          tracer.startSpan(`${p.operation} transaction`, { kind: SpanKind.INTERNAL, attributes }, context.active()),
        );
      }),
      asyncStart: safe('transaction end', (p: TransactionPayload) => {
        const span = spans.get(p);
        if (span !== undefined) endSpan(span, p.error);
      }),
    }),
  );

  return () => {
    for (const stop of stops) stop();
  };
}
