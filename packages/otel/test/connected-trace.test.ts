import { SpanKind } from '@opentelemetry/api';
import { Admin, Consumer, Producer } from '@vltava/core';
import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { fromConsumer, sendTo } from '@vltava/rx';
import { firstValueFrom, take, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { instrumentAroundEach, type OtelSdk, onlySpan as only } from './support/instrumented-sdk.js';

// The acceptance test: against the real broker with the real SDK, a record produced, consumed by an Rx
// pipeline (fromConsumer -> sendTo) that produces again, and read by a for-await loop, is one connected trace:
// send -> process (rx) -> send -> process (for await), each process span a child of and linked to the send whose
// record it processes, and the receive spans linked to the sends.

const brokers = kafkaBrokers();
const suffix = `${process.pid}-${Date.now()}`;
let sdk: OtelSdk;
instrumentAroundEach((created) => {
  sdk = created;
});

describe('@vltava/otel: one connected trace across clients', () => {
  it('links produce -> Rx consume and produce -> for-await consume into one trace with the right parents', async () => {
    const first = `otel-first-${suffix}`;
    const second = `otel-second-${suffix}`;
    const admin = new Admin({ brokers, logLevel: 'error' });
    const producer = new Producer({ brokers, logLevel: 'error', clientId: 'otel-producer' });
    const relay = new Producer({ brokers, logLevel: 'error', clientId: 'otel-relay' });
    const rxConsumer = new Consumer({
      brokers,
      logLevel: 'error',
      clientId: 'otel-rx',
      groupId: `otel-rx-${suffix}`,
      autoOffsetReset: 'earliest',
    });
    const reader = new Consumer({ brokers, logLevel: 'error', clientId: 'otel-reader', autoOffsetReset: 'earliest' });
    try {
      const created = await admin.createTopics(
        [
          { topic: first, numPartitions: 1 },
          { topic: second, numPartitions: 1 },
        ],
        { waitForMetadata: true },
      );
      for (const result of created) expect(result.error).toBeUndefined();

      await producer.send({ topic: first, key: 'k', value: 'hello' });

      // Rx: consume the first topic, produce each record to the second, acknowledge once sent.
      const relayed = await firstValueFrom(
        fromConsumer(rxConsumer, { topics: [first] }).pipe(
          sendTo(relay, (message) => ({ topic: second, key: 'k', value: message.record.value })),
          tap((sent) => sent.source.ack()),
          take(1),
        ),
      );
      expect(relayed.metadata[0]?.topic).toBe(second);

      // for await: read the second topic; the loop's next step ends the processing of the record.
      reader.assign([{ topic: second, partition: 0 }]);
      for await (const record of reader.records({ signal: AbortSignal.timeout(60_000) })) {
        expect(record.topic).toBe(second);
        break;
      }
    } finally {
      await rxConsumer.close();
      await reader.close();
      await relay.close();
      await producer.close();
      await admin.close();
    }

    const spans = sdk.spans();
    const sendFirst = only(spans, `send ${first}`, SpanKind.PRODUCER);
    const processFirst = only(spans, `process ${first}`, SpanKind.CONSUMER);
    const sendSecond = only(spans, `send ${second}`, SpanKind.PRODUCER);
    const processSecond = only(spans, `process ${second}`, SpanKind.CONSUMER);
    const traceId = sendFirst.spanContext().traceId;
    for (const span of [processFirst, sendSecond, processSecond]) expect(span.spanContext().traceId).toBe(traceId);

    // Parents: send -> process (rx) -> send (in the process span's context) -> process (for await).
    expect(processFirst.parentSpanContext?.spanId).toBe(sendFirst.spanContext().spanId);
    expect(sendSecond.parentSpanContext?.spanId).toBe(processFirst.spanContext().spanId);
    expect(processSecond.parentSpanContext?.spanId).toBe(sendSecond.spanContext().spanId);
    // Links: each process span links the producer's context it came from.
    expect(processFirst.links.map((l) => l.context.spanId)).toEqual([sendFirst.spanContext().spanId]);
    expect(processSecond.links.map((l) => l.context.spanId)).toEqual([sendSecond.spanContext().spanId]);

    // Attributes of the conventions.
    expect(sendFirst.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': first,
      'messaging.destination.partition.id': '0',
      'messaging.kafka.offset': 0,
    });
    expect(processFirst.attributes).toMatchObject({
      'messaging.consumer.group.name': `otel-rx-${suffix}`,
      'messaging.kafka.offset': 0,
      'messaging.client.id': 'otel-rx',
    });

    // Receive ("poll") spans for both consumers, linked to the sends whose records they handed over.
    const polls = spans.filter((s) => s.kind === SpanKind.CLIENT && s.name.startsWith('poll '));
    const pollFirst = polls.find((s) => s.name === `poll ${first}`);
    const pollSecond = polls.find((s) => s.name === `poll ${second}`);
    expect(pollFirst?.links.map((l) => l.context.spanId)).toContain(sendFirst.spanContext().spanId);
    expect(pollSecond?.links.map((l) => l.context.spanId)).toContain(sendSecond.spanContext().spanId);

    // The Rx consumer's commit of the acknowledged offset is a settle span.
    const commits = spans.filter((s) => s.name === 'commit');
    expect(commits.length).toBeGreaterThan(0);
    expect(commits[0]!.attributes).toMatchObject({ 'messaging.consumer.group.name': `otel-rx-${suffix}` });

    // And the instruments counted the records.
    const sent = await sdk.points('messaging.client.sent.messages');
    expect(sent.reduce((n, p) => n + (p.value as number), 0)).toBe(2);
    const processed = await sdk.points('messaging.process.duration');
    expect(processed.length).toBeGreaterThan(0);
  });
});
