import { SpanKind } from '@opentelemetry/api';
import { Admin, Consumer, MetricRegistry, Producer } from '@vltava/core';
import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { describe, expect, it } from 'vitest';
import { instrumentAroundEach, type OtelSdk } from './support/instrumented-sdk.js';

// @vltava/otel against the real broker with the real OpenTelemetry SDK: what phase 1 publishes (connections, SASL,
// requests, admin calls) becomes spans nested the way the operations nest, and instruments; the registry's lag
// becomes kafka.consumer_group.lag.

const brokers = kafkaBrokers();
const suffix = `${process.pid}-${Date.now()}`;
let sdk: OtelSdk;
const registry = new MetricRegistry();
instrumentAroundEach(
  (created) => {
    sdk = created;
  },
  { requestSpans: true, registry },
);

describe('@vltava/otel against the real broker', () => {
  it('traces an admin call, the connections it opens and each request under them, and records their durations', async () => {
    const clientId = `otel-admin-${suffix}`;
    const topic = `otel-topic-${suffix}`;
    const admin = new Admin({ brokers, clientId, logLevel: 'error' });
    try {
      const [created] = await admin.createTopics([{ topic, numPartitions: 1 }], { waitForMetadata: true });
      expect(created?.error).toBeUndefined();
    } finally {
      await admin.close();
    }
    const call = sdk.span('createTopics');
    expect(call.kind).toBe(SpanKind.CLIENT);
    expect(call.attributes).toMatchObject({ 'vltava.admin.method': 'createTopics', 'messaging.client.id': clientId });
    const spans = sdk.spans().filter((s) => s.spanContext().traceId === call.spanContext().traceId);
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parentName = (name: string) =>
      spans.filter((s) => s.name === name).map((s) => byId.get(s.parentSpanContext?.spanId ?? '')?.name ?? '(none)');
    // The bootstrap connection is set up inside the call; its ApiVersions inside the connection.
    const connects = spans.filter((s) => s.name.startsWith('connect '));
    expect(connects.length).toBeGreaterThan(0);
    for (const connect of connects) expect(connect.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
    for (const parent of parentName('ApiVersions')) expect(parent).toMatch(/^connect /);
    expect(parentName('CreateTopics')).toEqual(['createTopics']);
    const request = spans.find((s) => s.name === 'CreateTopics')!;
    expect(request.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'vltava.api.name': 'CreateTopics',
      'server.address': '127.0.0.1',
      'vltava.throttle_time_ms': 0,
    });
    expect(request.attributes['vltava.request.size']).toBeGreaterThan(0);
    expect(request.attributes['vltava.response.size']).toBeGreaterThan(0);

    const durations = await sdk.points('vltava.client.request.duration');
    const apis = new Set(durations.map((p) => p.attributes['vltava.api.name']));
    for (const api of ['ApiVersions', 'Metadata', 'CreateTopics']) expect(apis.has(api), api).toBe(true);
    const admins = await sdk.points('vltava.admin.call.duration');
    expect(admins.map((p) => p.attributes['vltava.admin.method'])).toEqual(['createTopics']);
    const setups = await sdk.points('vltava.client.connection.setup.duration');
    expect(setups.length).toBeGreaterThan(0);
  });

  it("reports a registered consumer's lag as kafka.consumer_group.lag", async () => {
    const topic = `otel-lag-${suffix}`;
    const admin = new Admin({ brokers, logLevel: 'error' });
    const producer = new Producer({ brokers, logLevel: 'error' });
    const consumer = new Consumer({
      brokers,
      logLevel: 'error',
      autoOffsetReset: 'earliest',
      clientId: 'otel-lag-reader',
    });
    // The consumer labels its series itself (client_id, client_type).
    const unregister = registry.register(() => consumer.metrics());
    try {
      const [created] = await admin.createTopics([{ topic, numPartitions: 1 }], { waitForMetadata: true });
      expect(created?.error).toBeUndefined();
      await Promise.all(Array.from({ length: 10 }, (_, i) => producer.send({ topic, value: `v${i}` })));
      consumer.assign([{ topic, partition: 0 }]);
      let read = 0;
      for await (const batch of consumer.batches({ signal: AbortSignal.timeout(60_000) })) {
        read += batch.count;
        if (read >= 10) break;
      }
      const lag = await sdk.points('kafka.consumer_group.lag');
      expect(lag).toEqual([
        expect.objectContaining({
          value: 0,
          attributes: expect.objectContaining({
            'messaging.destination.name': topic,
            'messaging.destination.partition.id': '0',
            'messaging.client.id': 'otel-lag-reader',
            'vltava.client_type': 'consumer',
          }),
        }),
      ]);
    } finally {
      unregister();
      await consumer.close();
      await producer.close();
      await admin.close();
    }
  });
});
