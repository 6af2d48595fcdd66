import { uniqueName } from '@vltava/kafka-harness/vitest';
import { from, toArray } from 'ix/asynciterable';
import { map, take } from 'ix/asynciterable/operators';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  Consumer,
  type ConsumerRecord,
  deserializers,
  FetchOffsetOutOfRangeError,
  InvalidArgumentError,
  LogTruncationError,
  NoOffsetForPartitionError,
  RecordDeserializationError,
} from '../../src/index.js';
import { metricPoints, metricValue } from '../../src/metrics/metric-value.js';
import { byPartition, iterateUntil, pollUntil, values, waitFor } from './support/consumer-helpers.js';
import { TestProducer } from './support/test-producer.js';

const brokers = inject('kafkaBootstrap');

/** Reading without a group: assign(), the three ways to read, positions, lookups. */
describe('consumer without a group (assign)', () => {
  const topic = uniqueName('read');
  const producer = new TestProducer(brokers);
  const consumers: Consumer<unknown, unknown>[] = [];
  const consumer = <K = Buffer | null, V = Buffer | null>(
    options: Partial<ConstructorParameters<typeof Consumer<K, V>>[0]> = {},
  ) => {
    const c = new Consumer<K, V>({ brokers, autoOffsetReset: 'earliest', logLevel: 'error', ...options });
    consumers.push(c as Consumer<unknown, unknown>);
    return c;
  };
  const all = [0, 1, 2].map((partition) => ({ topic, partition }));
  let before: number;
  let after: number;

  beforeAll(async () => {
    await producer.createTopic(topic, 3);
    before = Date.now() - 1;
    for (let p = 0; p < 3; p++) await producer.sendMany(topic, p, 100, `p${p}`, 25);
    after = Date.now() + 1;
    await producer.send(topic, 0, [
      {
        key: 'hk',
        value: 'with-headers',
        headers: [
          { key: 'a', value: '1' },
          { key: 'a', value: '2' },
          { key: 'b', value: null },
        ],
      },
    ]);
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.close()));
    producer.close();
  });

  it('poll() returns records grouped by partition, in offset order, bounded by maxRecords', async () => {
    const c = consumer({ valueDeserializer: deserializers.string });
    c.assign(all);
    const first = await c.poll({ timeoutMs: 10_000, maxRecords: 7 });
    expect(first.count).toBeGreaterThan(0);
    expect(first.count).toBeLessThanOrEqual(7);
    for (const group of first.partitions) {
      const offsets = group.records.map((r) => r.offset);
      expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : 1)));
      expect(group.records.every((r) => r.partition === group.partition)).toBe(true);
    }
    const rest = await pollUntil(c, 301 - first.count);
    const got = byPartition([...first, ...rest]);
    expect(got.get(1)).toEqual(values('p1', 0, 100));
    expect(got.get(2)).toEqual(values('p2', 0, 100));
    expect(got.get(0)).toEqual([...values('p0', 0, 100), 'with-headers']);
  });

  it('delivers records with every field: key, headers in order with repeats, timestamps, sizes, leader epoch', async () => {
    const c = consumer({ keyDeserializer: deserializers.string, valueDeserializer: deserializers.string });
    c.assign([{ topic, partition: 0 }]);
    c.seek({ topic, partition: 0 }, 100n);
    const [record] = await pollUntil(c, 1);
    expect(record).toMatchObject({
      topic,
      partition: 0,
      offset: 100n,
      key: 'hk',
      value: 'with-headers',
      timestampType: 'CreateTime',
      serializedKeySize: 2,
      serializedValueSize: 12,
      leaderEpoch: 0,
    });
    expect(record!.headers.map((h) => [h.key, h.value?.toString() ?? null])).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['b', null],
    ]);
    expect(record!.timestamp).toBeGreaterThanOrEqual(before);
    expect(c.highwater({ topic, partition: 0 })).toBe(101n);
  });

  it('for await reads in order, and break stops the loop', async () => {
    const c = consumer({ valueDeserializer: deserializers.string });
    c.assign([{ topic, partition: 1 }]);
    const seen: string[] = [];
    for await (const record of c) {
      seen.push(record.value!);
      if (seen.length === 42) break;
    }
    expect(seen).toEqual(values('p1', 0, 42));
    expect(await c.position({ topic, partition: 1 })).toBe(42n);
    // The same consumer can read on with a new loop.
    const more = await iterateUntil(c, 10);
    expect(more.map((r) => r.value)).toEqual(values('p1', 42, 52));
  });

  it('an AbortSignal ends a loop that waits for records that never come', async () => {
    const c = consumer();
    c.assign([{ topic, partition: 2 }]);
    c.seekToEnd([{ topic, partition: 2 }]);
    const controller = new AbortController();
    const started = Date.now();
    const loop = (async () => {
      let n = 0;
      for await (const _ of c.records({ signal: controller.signal })) n++;
      return n;
    })();
    await waitFor(async () => (await c.position({ topic, partition: 2 })) === 100n, 'position at the end');
    controller.abort();
    expect(await loop).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('works with ix operators', async () => {
    const c = consumer({ valueDeserializer: deserializers.string });
    c.assign([{ topic, partition: 2 }]);
    const firstFive = await toArray(
      from(c).pipe(
        take(5),
        map((r: ConsumerRecord<Buffer | null, string | null>) => r.value),
      ),
    );
    expect(firstFive).toEqual(values('p2', 0, 5));
  });

  it('batches() yields groups of at most maxRecords', async () => {
    const c = consumer({ valueDeserializer: deserializers.string });
    c.assign([{ topic, partition: 1 }]);
    const seen: string[] = [];
    for await (const batch of c.batches({ maxRecords: 30, maxWaitMs: 200 })) {
      expect(batch.count).toBeGreaterThan(0);
      expect(batch.count).toBeLessThanOrEqual(30);
      for (const r of batch) seen.push(r.value!);
      if (seen.length >= 100) break;
    }
    expect(seen).toEqual(values('p1', 0, 100));
  });

  it('seek, seekToBeginning, seekToEnd and position', async () => {
    const c = consumer({ valueDeserializer: deserializers.string });
    const tp = { topic, partition: 2 };
    c.assign([tp]);
    expect(await c.position(tp)).toBe(0n);
    c.seek(tp, 60n);
    expect(await c.position(tp)).toBe(60n);
    expect((await pollUntil(c, 1))[0]!.value).toBe('p2-60');
    c.seekToEnd([tp]);
    expect(await c.position(tp)).toBe(100n);
    c.seekToBeginning();
    expect(await c.position(tp)).toBe(0n);
    expect((await pollUntil(c, 1))[0]!.value).toBe('p2-0');
    expect(() => c.seek({ topic, partition: 0 }, 1n)).toThrow(InvalidArgumentError);
    expect(() => c.seek(tp, -1n)).toThrow(InvalidArgumentError);
  });

  it('pause and resume: a paused partition is not delivered and does not stall the others', async () => {
    const c = consumer({ valueDeserializer: deserializers.string });
    c.assign(all);
    c.pause([{ topic, partition: 0 }]);
    expect(c.paused()).toEqual([{ topic, partition: 0 }]);
    const records = await pollUntil(c, 200);
    expect(records.every((r) => r.partition !== 0)).toBe(true);
    expect((await c.poll({ timeoutMs: 300 })).count).toBe(0);
    c.resume([{ topic, partition: 0 }]);
    expect(c.paused()).toEqual([]);
    const resumed = await pollUntil(c, 101);
    expect(resumed.map((r) => r.value)).toEqual([...values('p0', 0, 100), 'with-headers']);
  });

  it('backpressure pauses stop fetching a partition, apart from the application pauses', async () => {
    const c = consumer({ valueDeserializer: deserializers.string });
    c.assign(all);
    c.backpressure.pause([{ topic, partition: 1 }]);
    c.pause([{ topic, partition: 2 }]);
    expect(c.backpressure.paused()).toEqual([{ topic, partition: 1 }]);
    expect(c.paused()).toEqual([{ topic, partition: 2 }]);
    const first = await pollUntil(c, 101);
    expect(first.every((r) => r.partition === 0)).toBe(true);
    expect((await c.poll({ timeoutMs: 300 })).count).toBe(0);
    // Lifting the application's pause does not lift backpressure, and the other way round.
    c.resume([{ topic, partition: 1 }]);
    expect((await c.poll({ timeoutMs: 300 })).count).toBe(0);
    c.backpressure.resume([{ topic, partition: 2 }]);
    expect(c.paused()).toEqual([{ topic, partition: 2 }]);
    c.backpressure.resume([{ topic, partition: 1 }]);
    expect(c.backpressure.paused()).toEqual([]);
    const resumed = await pollUntil(c, 100);
    expect(resumed.map((r) => r.value)).toEqual(values('p1', 0, 100));
    expect((await c.poll({ timeoutMs: 300 })).count).toBe(0);
  });

  it('beginningOffsets, endOffsets, offsetsForTimes, partitionsFor and topics', async () => {
    const c = consumer();
    expect(await c.beginningOffsets(all)).toEqual(all.map((tp) => ({ ...tp, offset: 0n })));
    expect(await c.endOffsets(all)).toEqual([
      { topic, partition: 0, offset: 101n },
      { topic, partition: 1, offset: 100n },
      { topic, partition: 2, offset: 100n },
    ]);
    const times = await c.offsetsForTimes([
      { topic, partition: 1, timestamp: before },
      { topic, partition: 1, timestamp: Date.now() + 3_600_000 },
    ]);
    expect(times[0]!.offset).toBe(0n);
    expect(times[0]!.timestamp).toBeLessThanOrEqual(after);
    expect(times[1]!.offset).toBeNull();
    const partitions = await c.partitionsFor(topic);
    expect(partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    const noAutoCreate = consumer({ allowAutoCreateTopics: false });
    expect(await noAutoCreate.partitionsFor(uniqueName('missing'))).toEqual([]);
    const topics = await c.topics();
    expect(topics.get(topic)?.length).toBe(3);
    expect(topics.has('__consumer_offsets')).toBe(false);
  });

  it('metrics() counts records, bytes, fetch latency and lag per partition', async () => {
    const c = consumer();
    c.assign([{ topic, partition: 1 }]);
    await pollUntil(c, 100);
    const metrics = c.metrics();
    const value = (name: string, labels = {}) => metricValue(metrics, name, labels);
    expect(value('vltava_consumer_records_consumed_total')).toBe(100);
    expect(value('vltava_consumer_records_fetched_total')).toBeGreaterThanOrEqual(100);
    expect(value('vltava_consumer_bytes_fetched_total')).toBeGreaterThan(100 * 8);
    expect(value('vltava_consumer_fetch_requests_total')).toBeGreaterThan(0);
    expect(value('vltava_consumer_fetch_latency_max_seconds')).toBeGreaterThanOrEqual(
      value('vltava_consumer_fetch_latency_avg_seconds')!,
    );
    const partition = { topic, partition: '1' };
    expect(metricPoints(metrics, 'vltava_consumer_position').map((p) => p.labels)).toEqual([
      expect.objectContaining(partition),
    ]);
    expect(value('vltava_consumer_position', partition)).toBe(100);
    expect(value('vltava_consumer_high_watermark', partition)).toBe(100);
    expect(value('vltava_consumer_records_lag', partition)).toBe(0);
    expect(value('vltava_consumer_partition_paused', partition)).toBe(0);
    expect(metricPoints(metrics, 'vltava_consumer_records_consumed_total')[0]!.labels).toMatchObject({
      client_type: 'consumer',
    });
  });

  it('autoOffsetReset latest starts at the end; none raises NoOffsetForPartitionError until sought', async () => {
    const latest = consumer({ autoOffsetReset: 'latest' });
    latest.assign([{ topic, partition: 1 }]);
    expect(await latest.position({ topic, partition: 1 })).toBe(100n);

    const none = consumer({ autoOffsetReset: 'none', valueDeserializer: deserializers.string });
    none.assign([{ topic, partition: 1 }]);
    await expect(none.poll({ timeoutMs: 5000 })).rejects.toBeInstanceOf(NoOffsetForPartitionError);
    await expect(none.poll({ timeoutMs: 100 })).rejects.toBeInstanceOf(NoOffsetForPartitionError);
    none.seek({ topic, partition: 1 }, 98n);
    expect((await pollUntil(none, 2)).map((r) => r.value)).toEqual(['p1-98', 'p1-99']);
  });

  it('an out-of-range position is reset by autoOffsetReset, or raised with none', async () => {
    const reset = consumer({ autoOffsetReset: 'earliest', valueDeserializer: deserializers.string });
    reset.assign([{ topic, partition: 2 }]);
    reset.seek({ topic, partition: 2 }, 5000n);
    expect((await pollUntil(reset, 1))[0]!.value).toBe('p2-0');

    const none = consumer({ autoOffsetReset: 'none' });
    none.assign([{ topic, partition: 2 }]);
    none.seek({ topic, partition: 2 }, 5000n);
    const error = await none.poll({ timeoutMs: 10_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FetchOffsetOutOfRangeError);
    expect((error as FetchOffsetOutOfRangeError).offset).toBe(5000n);
  });

  it('detects log truncation through the leader epoch of a position (KIP-320)', async () => {
    // A position past the end of its epoch on the leader is what a truncated log looks like to a consumer.
    const reset = consumer({ autoOffsetReset: 'earliest', valueDeserializer: deserializers.string });
    reset.assign([{ topic, partition: 1 }]);
    reset.seek({ topic, partition: 1, offset: 150n, leaderEpoch: 0 });
    expect(await reset.position({ topic, partition: 1 })).toBe(100n); // the first offset known to diverge

    const none = consumer({ autoOffsetReset: 'none' });
    none.assign([{ topic, partition: 1 }]);
    none.seek({ topic, partition: 1, offset: 150n, leaderEpoch: 0 });
    const error = await none.poll({ timeoutMs: 10_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LogTruncationError);
    expect((error as LogTruncationError).divergentOffset).toBe(100n);
    // A position inside the epoch validates and reads on.
    none.seek({ topic, partition: 1, offset: 99n, leaderEpoch: 0 });
    expect((await pollUntil(none, 1))[0]!.offset).toBe(99n);
  });

  it('offsets are exact 64-bit values', async () => {
    const c = consumer({ autoOffsetReset: 'none' });
    c.assign([{ topic, partition: 2 }]);
    const huge = 2n ** 62n + 7n; // far beyond what a double holds exactly
    c.seek({ topic, partition: 2 }, huge);
    expect(await c.position({ topic, partition: 2 })).toBe(huge);
    const error = await c.poll({ timeoutMs: 10_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as FetchOffsetOutOfRangeError).offset).toBe(huge);
  });

  it('fetchMinBytes and fetchMaxWaitMs make the broker wait for data', async () => {
    const c = consumer({ fetchMinBytes: 10 * 1024 * 1024, fetchMaxWaitMs: 400 });
    c.assign([{ topic, partition: 1 }]);
    c.seekToEnd();
    await c.position({ topic, partition: 1 });
    await c.poll({ timeoutMs: 1500 });
    // Nothing new arrives, so every fetch waits the full fetchMaxWaitMs for 10 MiB that never come.
    const metrics = c.metrics();
    expect(metricValue(metrics, 'vltava_consumer_fetch_requests_total')).toBeGreaterThan(0);
    expect(metricValue(metrics, 'vltava_consumer_fetch_latency_max_seconds')).toBeGreaterThanOrEqual(0.38);
  });

  it('a failing deserializer stops at its record with RecordDeserializationError until sought past', async () => {
    const c = consumer({ valueDeserializer: deserializers.json<unknown>() });
    c.assign([{ topic, partition: 0 }]);
    c.seek({ topic, partition: 0 }, 100n);
    const error = await c.poll({ timeoutMs: 10_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RecordDeserializationError);
    expect((error as RecordDeserializationError).offset).toBe(100n);
    expect(await c.position({ topic, partition: 0 })).toBe(100n);
  });
});
