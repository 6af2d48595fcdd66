import { context, SpanKind, trace } from '@opentelemetry/api';
import {
  type CommitPayload,
  type ConsumerDeliverPayload,
  type ConsumerProcessPayload,
  diagnosticChannels,
  type ProducerSendPayload,
  type TracedRecord,
} from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { instrumentAroundEach, type OtelSdk } from '../test/support/instrumented-sdk.js';
import type { VltavaInstrumentation } from './instrumentation.js';
import { recordContext } from './record-context.js';

// The messaging spans, header propagation and instruments with the real OpenTelemetry SDK, fed by payloads
// published on core's channels exactly as the producer and consumer publish them (begin at start, settle at the
// outcome).

let sdk: OtelSdk;
let instrumentation: VltavaInstrumentation;
instrumentAroundEach((created, instrumented) => {
  sdk = created;
  instrumentation = instrumented;
});

function send(topic: string, key: string): ProducerSendPayload {
  const payload: ProducerSendPayload = {
    clientId: 'app',
    transactionalId: undefined,
    topic,
    partition: undefined,
    key,
    headers: undefined,
    addedHeaders: [],
  };
  diagnosticChannels.producerSend.begin(payload);
  return payload;
}

/** The record a consumer reads back: the headers the producer wrote, as bytes. */
function consumed(sent: ProducerSendPayload, offset: bigint): TracedRecord {
  return {
    topic: sent.topic,
    partition: 2,
    offset,
    timestamp: Date.now(),
    key: sent.key,
    headers: sent.addedHeaders.map((h) => ({ key: h.key, value: h.value === null ? null : Buffer.from(h.value) })),
    serializedValueSize: 5,
  };
}

describe('instrumentVltava: messaging spans from the channels', () => {
  it('a send is a PRODUCER span in the caller context whose W3C context goes into the record headers', async () => {
    const app = sdk.tracer.startSpan('app');
    const payload = context.with(trace.setSpan(context.active(), app), () => send('orders', 'order-1'));
    diagnosticChannels.producerSend.settle(payload, undefined, {
      topic: 'orders',
      partition: 2,
      offset: 41n,
      timestamp: Date.now(),
    });
    app.end();
    const span = sdk.span('send orders');
    expect(span.kind).toBe(SpanKind.PRODUCER);
    expect(span.parentSpanContext?.spanId).toBe(app.spanContext().spanId);
    expect(span.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'orders',
      'messaging.destination.partition.id': '2',
      'messaging.kafka.offset': 41,
      'messaging.kafka.message.key': 'order-1',
      'messaging.client.id': 'app',
    });
    const traceparent = payload.addedHeaders.find((h) => h.key === 'traceparent');
    expect(traceparent?.value).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    const sent = await sdk.points('messaging.client.sent.messages');
    expect(sent.map((p) => [p.value, p.attributes['messaging.destination.partition.id']])).toEqual([[1, '2']]);
    const durations = await sdk.points('messaging.client.operation.duration');
    expect(durations[0]?.attributes['messaging.operation.name']).toBe('send');
  });

  it('a failed send ends its span with error.type and the error status', () => {
    const payload = send('orders', 'k');
    const error = Object.assign(new Error('not authorized'), { code: 'ERR_TOPIC_AUTHORIZATION_FAILED' });
    diagnosticChannels.producerSend.settle(payload, error);
    const span = sdk.span('send orders');
    expect(span.status.code).toBe(2);
    expect(span.attributes['error.type']).toBe('ERR_TOPIC_AUTHORIZATION_FAILED');
  });

  it("a share consumer's ShareAcknowledge is an acknowledge (settle) span counting its records; an offset commit stays commit", () => {
    const acknowledge: CommitPayload = {
      clientId: 'app',
      groupId: 'queue',
      kind: 'share',
      offsets: [],
      acknowledgements: [
        { topic: 'jobs', partition: 0, records: 3 },
        { topic: 'jobs', partition: 1, records: 2 },
      ],
    };
    diagnosticChannels.commit.begin(acknowledge);
    diagnosticChannels.commit.settle(acknowledge, undefined);
    const commit: CommitPayload = {
      clientId: 'app',
      groupId: 'g',
      kind: 'sync',
      offsets: [{ topic: 't', partition: 0, offset: 7n }],
    };
    diagnosticChannels.commit.begin(commit);
    diagnosticChannels.commit.settle(commit, undefined);
    const span = sdk.span('acknowledge');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toMatchObject({
      'messaging.operation.name': 'acknowledge',
      'messaging.operation.type': 'settle',
      'messaging.consumer.group.name': 'queue',
      'messaging.batch.message_count': 5,
    });
    expect(sdk.span('commit').attributes['messaging.batch.message_count']).toBe(1);
  });

  it('poll and process connect to the producer: receive links it, process is its child, and work done inside is the child of process', async () => {
    const sent = send('orders', 'order-7');
    diagnosticChannels.producerSend.settle(sent, undefined, {
      topic: 'orders',
      partition: 2,
      offset: 7n,
      timestamp: Date.now(),
    });
    const sendSpan = sdk.span('send orders');
    const record = consumed(sent, 7n);

    const deliver: ConsumerDeliverPayload = {
      clientId: 'reader',
      groupId: 'g',
      groupKind: 'consumer',
      handOver: 'record',
    };
    diagnosticChannels.consumerDeliver.begin(deliver);
    diagnosticChannels.consumerDeliver.settle(deliver, undefined, [record]);
    const poll = sdk.span('poll orders');
    expect(poll.kind).toBe(SpanKind.CLIENT);
    expect(poll.links.map((l) => l.context.spanId)).toEqual([sendSpan.spanContext().spanId]);
    expect(poll.attributes).toMatchObject({
      'messaging.operation.type': 'receive',
      'messaging.batch.message_count': 1,
    });

    const process: ConsumerProcessPayload = {
      clientId: 'reader',
      groupId: 'g',
      groupKind: 'consumer',
      records: [record],
      runInContext: undefined,
      abandoned: undefined,
    };
    diagnosticChannels.consumerProcess.begin(process);
    expect(process.runInContext).toBeTypeOf('function');
    // The application's code, run by the library through the hook, and a for-await body through recordContext.
    process.runInContext!(() => sdk.tracer.startSpan('handler').end());
    context.with(recordContext(record), () => sdk.tracer.startSpan('loop body').end());
    // What the application sends from there is a child of the process span: one connected trace.
    const forwarded = process.runInContext!(() => send('invoices', 'invoice-7'));
    diagnosticChannels.producerSend.settle(forwarded, undefined, {
      topic: 'invoices',
      partition: 0,
      offset: 0n,
      timestamp: Date.now(),
    });
    diagnosticChannels.consumerProcess.settle(process, undefined);

    const processSpan = sdk.span('process orders');
    expect(processSpan.kind).toBe(SpanKind.CONSUMER);
    expect(processSpan.spanContext().traceId).toBe(sendSpan.spanContext().traceId);
    expect(processSpan.parentSpanContext?.spanId).toBe(sendSpan.spanContext().spanId);
    expect(processSpan.links.map((l) => l.context.spanId)).toEqual([sendSpan.spanContext().spanId]);
    expect(processSpan.attributes).toMatchObject({
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': 'g',
      'messaging.destination.partition.id': '2',
      'messaging.kafka.offset': 7,
      'messaging.kafka.message.key': 'order-7',
    });
    for (const name of ['handler', 'loop body', 'send invoices']) {
      expect(sdk.span(name).parentSpanContext?.spanId, name).toBe(processSpan.spanContext().spanId);
    }
    // Once processing ended, the record's context is the producer's.
    expect(trace.getSpanContext(recordContext(record))?.spanId).toBe(sendSpan.spanContext().spanId);
    const consumedPoints = await sdk.points('messaging.client.consumed.messages');
    expect(consumedPoints.map((p) => p.value)).toEqual([1]);
    const processDurations = await sdk.points('messaging.process.duration');
    expect(processDurations).toHaveLength(1);
  });

  it('an empty poll makes no span; a batch process span links every producer', () => {
    const a = send('orders', 'a');
    const b = send('orders', 'b');
    diagnosticChannels.producerSend.settle(a, undefined, { topic: 'orders', partition: 2, offset: 1n, timestamp: 0 });
    diagnosticChannels.producerSend.settle(b, undefined, { topic: 'orders', partition: 2, offset: 2n, timestamp: 0 });
    const empty: ConsumerDeliverPayload = {
      clientId: 'r',
      groupId: undefined,
      groupKind: 'consumer',
      handOver: 'poll',
    };
    diagnosticChannels.consumerDeliver.begin(empty);
    diagnosticChannels.consumerDeliver.settle(empty, undefined, []);
    expect(sdk.spans().filter((s) => s.name.startsWith('poll'))).toHaveLength(0);
    const batch: ConsumerProcessPayload = {
      clientId: 'r',
      groupId: undefined,
      groupKind: 'consumer',
      records: [consumed(a, 1n), consumed(b, 2n)],
      runInContext: undefined,
      abandoned: undefined,
    };
    diagnosticChannels.consumerProcess.begin(batch);
    diagnosticChannels.consumerProcess.settle(batch, undefined);
    const span = sdk.span('process orders');
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.links).toHaveLength(2);
    expect(span.attributes['messaging.batch.message_count']).toBe(2);
  });

  it('chains runInContext with a subscriber that set it first, and unsubscribes everything on disable()', () => {
    const order: string[] = [];
    const stop = diagnosticChannels.consumerProcess.subscribe({
      start: (p) => {
        const previous = p.runInContext;
        p.runInContext = (fn) => {
          order.push('other');
          return previous === undefined ? fn() : previous(fn);
        };
      },
    });
    const payload: ConsumerProcessPayload = {
      clientId: 'r',
      groupId: undefined,
      groupKind: 'consumer',
      records: [],
      runInContext: undefined,
      abandoned: undefined,
    };
    diagnosticChannels.consumerProcess.begin(payload);
    payload.runInContext!(() => order.push('app'));
    stop();
    expect(order).toEqual(['other', 'app']);
    instrumentation.disable();
    for (const channel of Object.values(diagnosticChannels)) expect(channel.hasSubscribers, channel.name).toBe(false);
  });
});
