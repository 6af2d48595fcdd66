import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin } from '../../src/admin/admin.js';
import { Consumer } from '../../src/consumer/consumer.js';
import { diagnosticChannels } from '../../src/diagnostics/channels.js';
import type { RequestPayload, ThrottlePayload } from '../../src/diagnostics/payloads.js';
import { Producer } from '../../src/producer/producer.js';

// Quota throttling (KIP-219) against the real broker: a produce quota and a fetch quota set with
// alterClientQuotas on a client id. The client's rate must follow the quota, nothing may fail, the throttle time
// must show in the channels, and no request may be written while the broker has the connection muted.

const brokers = kafkaBrokers();
const QUOTA = 256 * 1024; // bytes per second
const RECORDS = 400;
const VALUE = Buffer.alloc(10 * 1024, 'q'); // 4 MB in all: past the ~10 s of burst the broker's quota window allows
const suffix = `${process.pid}-${Date.now()}`;
let admin: Admin;

beforeAll(() => {
  admin = new Admin({ brokers, logLevel: 'error' });
});
afterAll(async () => {
  await admin.close();
});

async function setQuota(clientId: string, ops: Record<string, number | null>): Promise<void> {
  const [result] = await admin.alterClientQuotas([{ entity: { 'client-id': clientId }, ops }]);
  expect(result?.error).toBeUndefined();
}

/** Records the requests and throttle events of one client id, and removes the subscriptions. */
function watch(clientId: string): { requests: RequestPayload[]; throttles: ThrottlePayload[]; stop(): void } {
  const requests: RequestPayload[] = [];
  const throttles: ThrottlePayload[] = [];
  const stopRequests = diagnosticChannels.request.subscribe({
    asyncStart: (p) => {
      if (p.clientId === clientId) requests.push(p);
    },
  });
  const stopThrottles = diagnosticChannels.throttle.subscribe((p) => {
    if (p.clientId === clientId) throttles.push(p);
  });
  return {
    requests,
    throttles,
    stop() {
      stopRequests();
      stopThrottles();
    },
  };
}

/**
 * The KIP-219 rule, checked on what the channels saw: after a response that throttled the client, the same
 * connection writes its next request only once the throttle time has passed.
 */
function expectNothingWrittenWhileMuted(requests: readonly RequestPayload[]): number {
  let checked = 0;
  const byConnection = new Map<number, RequestPayload[]>();
  for (const r of requests) byConnection.set(r.connectionId, [...(byConnection.get(r.connectionId) ?? []), r]);
  for (const list of byConnection.values()) {
    const written = list.filter((r) => r.writtenAt !== undefined).sort((a, b) => a.writtenAt! - b.writtenAt!);
    for (const throttled of written) {
      if (!throttled.clientThrottled) continue;
      const answeredAt = throttled.writtenAt! + throttled.durationMs!;
      const next = written.find((r) => r.writtenAt! > answeredAt);
      if (next === undefined) continue;
      expect(next.writtenAt!).toBeGreaterThanOrEqual(answeredAt + throttled.throttleTimeMs - 2);
      checked++;
    }
  }
  return checked;
}

/** Bytes per second moved after the first throttled response, from the channels' figures. */
function rateAfterFirstThrottle(requests: readonly RequestPayload[], bytes: (r: RequestPayload) => number): number {
  const sorted = requests.filter((r) => r.writtenAt !== undefined).sort((a, b) => a.writtenAt! - b.writtenAt!);
  const first = sorted.findIndex((r) => r.throttleTimeMs > 0);
  expect(first).toBeGreaterThanOrEqual(0);
  const from = sorted[first]!.writtenAt! + sorted[first]!.durationMs!;
  const after = sorted.slice(first + 1);
  const last = after.at(-1)!;
  const until = last.writtenAt! + last.durationMs!;
  const moved = after.reduce((sum, r) => sum + bytes(r), 0);
  return moved / ((until - from) / 1000);
}

describe('quota throttling against the real broker (KIP-219)', () => {
  it('a producer under a produce quota sends at the quota, loses nothing, and writes nothing while muted', async () => {
    const clientId = `quota-producer-${suffix}`;
    const topic = `quota-produce-${suffix}`;
    const [created] = await admin.createTopics([{ topic, numPartitions: 1 }], { waitForMetadata: true });
    expect(created?.error).toBeUndefined();
    await setQuota(clientId, { producer_byte_rate: QUOTA });
    const seen = watch(clientId);
    const producer = new Producer({ brokers, clientId, logLevel: 'error', lingerMs: 5 });
    try {
      const started = performance.now();
      const sends = Array.from({ length: RECORDS }, (_, i) => producer.send({ topic, key: `k${i}`, value: VALUE }));
      const acknowledged = await Promise.all(sends);
      const elapsedMs = performance.now() - started;
      // Nothing failed, nothing lost: every record has its offset, in send order.
      expect(acknowledged.map((m) => m.offset)).toEqual(Array.from({ length: RECORDS }, (_, i) => BigInt(i)));
      const produce = seen.requests.filter((r) => r.apiName === 'Produce');
      const throttled = produce.filter((r) => r.throttleTimeMs > 0);
      // The broker throttled the producer, the client took it on itself (Produce v6+), and said so.
      expect(throttled.length).toBeGreaterThan(0);
      expect(throttled.every((r) => r.clientThrottled && r.apiVersion >= 6)).toBe(true);
      expect(seen.throttles.filter((t) => t.apiName === 'Produce').length).toBe(throttled.length);
      const throttleMs = throttled.reduce((sum, r) => sum + r.throttleTimeMs, 0);
      expect(throttleMs).toBeGreaterThan(0);
      expect(expectNothingWrittenWhileMuted(seen.requests)).toBeGreaterThan(0);
      // Over the whole run the broker allows about 11 s of quota (its sample window) as a burst, then the quota.
      expect(elapsedMs).toBeGreaterThan(((RECORDS * VALUE.length) / QUOTA - 11) * 1000);
      // Once throttled, the producer's rate follows the quota (below it by the broker's rounding up of throttles).
      const rate = rateAfterFirstThrottle(produce, (r) => r.requestBytes);
      expect(rate).toBeLessThan(QUOTA * 1.6);
      expect(rate).toBeGreaterThan(QUOTA * 0.2);
      console.log(
        `produce quota ${QUOTA} B/s: ${RECORDS} records (${(RECORDS * VALUE.length) / 1e6} MB) in ` +
          `${Math.round(elapsedMs)} ms; ${throttled.length} throttled responses, ${throttleMs} ms throttle; ` +
          `rate after the first throttle ${Math.round(rate)} B/s`,
      );
    } finally {
      seen.stop();
      await producer.close();
      await setQuota(clientId, { producer_byte_rate: null });
    }
  });

  it('a consumer under a fetch quota reads at the quota, loses nothing, and writes nothing while muted', async () => {
    const clientId = `quota-consumer-${suffix}`;
    const topic = `quota-fetch-${suffix}`;
    const [created] = await admin.createTopics([{ topic, numPartitions: 1 }], { waitForMetadata: true });
    expect(created?.error).toBeUndefined();
    const producer = new Producer({ brokers, clientId: `quota-filler-${suffix}`, logLevel: 'error' });
    try {
      await Promise.all(
        Array.from({ length: RECORDS }, (_, i) => producer.send({ topic, key: `k${i}`, value: VALUE })),
      );
    } finally {
      await producer.close();
    }
    await setQuota(clientId, { consumer_byte_rate: QUOTA });
    const seen = watch(clientId);
    const consumer = new Consumer({ brokers, clientId, logLevel: 'error', autoOffsetReset: 'earliest' });
    try {
      consumer.assign([{ topic, partition: 0 }]);
      const started = performance.now();
      const offsets: bigint[] = [];
      for await (const batch of consumer.batches({ signal: AbortSignal.timeout(90_000) })) {
        for (const record of batch) offsets.push(record.offset);
        if (offsets.length >= RECORDS) break;
      }
      const elapsedMs = performance.now() - started;
      expect(offsets).toEqual(Array.from({ length: RECORDS }, (_, i) => BigInt(i)));
      const fetches = seen.requests.filter((r) => r.apiName === 'Fetch');
      const throttled = fetches.filter((r) => r.throttleTimeMs > 0);
      expect(throttled.length).toBeGreaterThan(0);
      expect(throttled.every((r) => r.clientThrottled && r.apiVersion >= 8)).toBe(true);
      expect(seen.throttles.filter((t) => t.apiName === 'Fetch').length).toBe(throttled.length);
      expect(fetches.every((r) => r.error === undefined)).toBe(true);
      const throttleMs = throttled.reduce((sum, r) => sum + r.throttleTimeMs, 0);
      expect(expectNothingWrittenWhileMuted(seen.requests)).toBeGreaterThan(0);
      expect(elapsedMs).toBeGreaterThan(((RECORDS * VALUE.length) / QUOTA - 11) * 1000);
      const rate = rateAfterFirstThrottle(fetches, (r) => r.responseBytes);
      expect(rate).toBeLessThan(QUOTA * 1.6);
      expect(rate).toBeGreaterThan(QUOTA * 0.2);
      console.log(
        `fetch quota ${QUOTA} B/s: ${RECORDS} records in ${Math.round(elapsedMs)} ms; ${throttled.length} ` +
          `throttled responses, ${throttleMs} ms throttle; rate after the first throttle ${Math.round(rate)} B/s`,
      );
    } finally {
      seen.stop();
      await consumer.close();
      await setQuota(clientId, { consumer_byte_rate: null });
    }
  });
});
