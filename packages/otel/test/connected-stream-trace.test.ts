import { Transform } from 'node:stream';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Admin, Consumer, type ConsumerRecord, Producer } from '@vltava/core';
import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { createCommitStream, createReadStream, createSendStream, pipeline } from '@vltava/streams';
import { describe, expect, it } from 'vitest';
import { instrumentAroundEach, type OtelSdk, onlySpan as only } from './support/instrumented-sdk.js';

// The acceptance test of connected-trace.test.ts, for @vltava/streams: a record produced, read by a stream.pipeline
// (createReadStream -> Transform -> createSendStream -> createCommitStream) that produces again, is one connected
// trace: send -> process (stream) -> send. The stream's process span is a child of and linked to the first send;
// the second send, made from the transform's output, is a child of the process span; and the process span ends when
// the record reaches the committer.

const brokers = kafkaBrokers();
const suffix = `${process.pid}-${Date.now()}`;
let sdk: OtelSdk;
instrumentAroundEach((created) => {
  sdk = created;
});

describe('@vltava/otel: one connected trace through a stream pipeline', () => {
  it('links produce -> stream.pipeline (read, transform, send, commit) -> produce into one trace', async () => {
    const first = `otel-stream-first-${suffix}`;
    const second = `otel-stream-second-${suffix}`;
    const group = `otel-stream-${suffix}`;
    const admin = new Admin({ brokers, logLevel: 'error' });
    const producer = new Producer({ brokers, logLevel: 'error', clientId: 'otel-producer' });
    const relay = new Producer({ brokers, logLevel: 'error', clientId: 'otel-stream-relay' });
    const consumer = new Consumer<string, string>({
      brokers,
      logLevel: 'error',
      clientId: 'otel-stream',
      groupId: group,
      autoOffsetReset: 'earliest',
      keyDeserializer: (b) => b?.toString() ?? '',
      valueDeserializer: (b) => b?.toString() ?? '',
    });
    let committedAtEnd = false;
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

      consumer.subscribe([first]);
      const upper = new Transform({
        objectMode: true,
        transform(record: ConsumerRecord<string, string>, _encoding, done) {
          done(null, { ...record, value: record.value.toUpperCase() });
        },
      });
      await pipeline(
        createReadStream(consumer, { stopAfterRecords: 1 }),
        upper,
        createSendStream(relay, (r: ConsumerRecord<string, string>) => ({ topic: second, key: r.key, value: r.value })),
        createCommitStream(consumer),
      );
      committedAtEnd = true;
    } finally {
      if (!committedAtEnd) await consumer.close();
      await relay.close();
      await producer.close();
      await admin.close();
    }

    const spans = sdk.spans();
    const sendFirst = only(spans, `send ${first}`, SpanKind.PRODUCER);
    const processFirst = only(spans, `process ${first}`, SpanKind.CONSUMER);
    const sendSecond = only(spans, `send ${second}`, SpanKind.PRODUCER);
    const traceId = sendFirst.spanContext().traceId;
    for (const span of [processFirst, sendSecond]) expect(span.spanContext().traceId).toBe(traceId);

    // Parents: send -> process (stream) -> send (made downstream, in the process span's context).
    expect(processFirst.parentSpanContext?.spanId).toBe(sendFirst.spanContext().spanId);
    expect(sendSecond.parentSpanContext?.spanId).toBe(processFirst.spanContext().spanId);
    expect(processFirst.links.map((l) => l.context.spanId)).toEqual([sendFirst.spanContext().spanId]);
    expect(processFirst.attributes).toMatchObject({
      'messaging.consumer.group.name': group,
      'messaging.kafka.offset': 0,
      'messaging.client.id': 'otel-stream',
    });
    // Processed means at the committer: the process span ends after the second send was acknowledged, and was not
    // abandoned.
    expect(processFirst.attributes['vltava.process.abandoned']).toBeUndefined();
    const endOf = (s: ReadableSpan) => s.endTime[0] * 1e9 + s.endTime[1];
    expect(endOf(processFirst)).toBeGreaterThanOrEqual(endOf(sendSecond));

    // The stream's receive span is linked to the first send.
    const poll = spans.find((s) => s.kind === SpanKind.CLIENT && s.name === `poll ${first}`);
    expect(poll?.links.map((l) => l.context.spanId)).toContain(sendFirst.spanContext().spanId);
  });
});
