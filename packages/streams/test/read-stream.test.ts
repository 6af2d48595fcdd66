import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  ClientClosedError,
  type Consumer,
  type ConsumerLike,
  type ConsumerRecord,
  deserializers,
  metricValue,
} from '@vltava/core';
import { kafkaTool, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCommitStream, createReadStream } from '../src/index.js';
import { closeAll, committedOffsets, holdsFor, TestData, testConsumer, waitFor } from './support/kafka.js';

const brokers = inject('kafkaBootstrap');
const PARTITIONS = 3;
const PER_PARTITION = 2000;
const TOTAL = PARTITIONS * PER_PARTITION;

/** Offsets by partition, from records. */
function offsetsByPartition(records: readonly ConsumerRecord<unknown, unknown>[]): Map<number, bigint[]> {
  const map = new Map<number, bigint[]>();
  for (const r of records) {
    const list = map.get(r.partition) ?? [];
    list.push(r.offset);
    map.set(r.partition, list);
  }
  return map;
}

/** A pass-through step that records what passes (what reaches the committer right after it). */
function tap<T>(seen: T[]): Transform {
  return new Transform({
    objectMode: true,
    transform(chunk: T, _encoding, callback) {
      seen.push(chunk);
      callback(null, chunk);
    },
  });
}

async function activeMembers(groupId: string): Promise<string> {
  const result = await kafkaTool('kafka-consumer-groups', ['--describe', '--group', groupId, '--members']);
  return `${result.stdout}\n${result.stderr}`;
}

describe('createReadStream and createCommitStream against the broker', () => {
  const data = new TestData(brokers);
  const topic = uniqueName('rs');
  const all = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition }));
  const opened: Array<Consumer<unknown, unknown>> = [];

  beforeAll(async () => {
    await data.createTopic(topic, PARTITIONS);
    await data.fill(topic, PARTITIONS, PER_PARTITION);
  });
  afterAll(async () => {
    await closeAll(opened);
    await data.close();
  });

  it('moves every record through an async transform to the committer, commits the end, and closes the consumer', async () => {
    const groupId = uniqueName('g');
    const consumer = testConsumer(opened, { brokers, groupId, valueDeserializer: deserializers.string });
    consumer.subscribe([topic]);
    const seen: Array<ConsumerRecord<Buffer | null, string | null>> = [];
    await pipeline(
      createReadStream(consumer, { stopAfterRecords: TOTAL, highWaterMark: 64 }),
      async function* (records: AsyncIterable<ConsumerRecord<Buffer | null, string | null>>) {
        for await (const record of records) {
          if (record.offset % 100n === 0n) await new Promise((resolve) => setImmediate(resolve));
          yield { ...record, value: record.value?.toUpperCase() ?? null };
        }
      },
      tap(seen),
      createCommitStream(consumer),
    );
    expect(seen).toHaveLength(TOTAL);
    for (const [partition, offsets] of offsetsByPartition(seen)) {
      expect(offsets).toEqual(Array.from({ length: PER_PARTITION }, (_, i) => BigInt(i)));
      expect(seen.find((r) => r.partition === partition && r.offset === 7n)?.value).toBe(`P${partition}-7`);
    }
    // The pipeline resolved after the last commit and after the consumer closed (it left the group).
    expect(await committedOffsets(brokers, groupId, all)).toEqual(all.map(() => BigInt(PER_PARTITION)));
    expect(() => consumer.subscribe([topic])).toThrow(ClientClosedError);
    expect(await activeMembers(groupId)).toMatch(/has no active members/);
  });

  it('an aborted pipeline commits exactly what reached the committer, leaves the group, and a restart continues there', async () => {
    const groupId = uniqueName('g');
    const first = testConsumer(opened, { brokers, groupId });
    first.subscribe([topic]);
    const seen: Array<ConsumerRecord> = [];
    const controller = new AbortController();
    const slow = new Transform({
      objectMode: true,
      highWaterMark: 16,
      transform(record: ConsumerRecord, _encoding, callback) {
        if (seen.length >= 1500) controller.abort();
        setImmediate(() => callback(null, record));
      },
    });
    const read = createReadStream(first, { highWaterMark: 32 });
    const committer = createCommitStream(first, {
      sourceOf: (record: ConsumerRecord) => {
        seen.push(record);
        return record;
      },
    });
    await expect(pipeline(read, slow, committer, { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    // Every record that reached the committer is committed, nothing beyond: per partition, the offset after the
    // last record seen (records of a partition arrive in order here).
    const processed = offsetsByPartition(seen);
    const expected = all.map(({ partition }) => {
      const offsets = processed.get(partition);
      return offsets === undefined ? 0n : offsets[offsets.length - 1]! + 1n;
    });
    // (A partition with nothing processed has no commit, or its starting offset 0 committed by the close.)
    const committed = await committedOffsets(brokers, groupId, all);
    expect(committed.map((c) => (c < 0n ? 0n : c))).toEqual(expected);
    expect(await activeMembers(groupId)).toMatch(/has no active members/);
    // Read beyond what was processed: at most the in-flight window (stream buffers), never more.
    expect(read.delivered - seen.length).toBeLessThanOrEqual(32 + 16 + 16 + 1024 + 2);

    // A restart in the same group continues from the committed offsets: nothing lost, nothing processed re-read.
    const second = testConsumer(opened, { brokers, groupId });
    second.subscribe([topic]);
    const rest: Array<ConsumerRecord> = [];
    await pipeline(
      createReadStream(second, { stopAfterRecords: TOTAL - seen.length }),
      tap(rest),
      createCommitStream(second),
    );
    const after = offsetsByPartition(rest);
    for (const { partition } of all) {
      const before = processed.get(partition) ?? [];
      const next = after.get(partition) ?? [];
      expect([...before, ...next]).toEqual(Array.from({ length: PER_PARTITION }, (_, i) => BigInt(i)));
    }
    expect(await committedOffsets(brokers, groupId, all)).toEqual(all.map(() => BigInt(PER_PARTITION)));
  });

  it('destroy() stops fetching, commits what reached the committer and leaves the group', async () => {
    const groupId = uniqueName('g');
    const consumer = testConsumer(opened, { brokers, groupId });
    consumer.subscribe([topic]);
    const reached: ConsumerRecord[] = [];
    const read = createReadStream(consumer, { highWaterMark: 16 });
    const committer = createCommitStream(consumer, {
      sourceOf: (record: ConsumerRecord) => {
        reached.push(record);
        return record;
      },
    });
    read.pipe(committer);
    committer.on('error', () => undefined); // destroyed with the source below
    await waitFor(() => reached.length >= 700, '700 records at the committer');
    read.unpipe(committer);
    const closed = new Promise((resolve) => read.on('close', resolve));
    read.destroy();
    await closed; // after the consumer closed
    const fetchedAfter = metricValue(consumer.metrics(), 'vltava_consumer_records_fetched_total');
    const last = new Map<number, bigint>();
    for (const r of reached) last.set(r.partition, r.offset + 1n);
    const committed = await committedOffsets(brokers, groupId, all);
    expect(committed.map((c) => (c < 0n ? 0n : c))).toEqual(all.map((p) => last.get(p.partition) ?? 0n));
    expect(await activeMembers(groupId)).toMatch(/has no active members/);
    expect(() => consumer.subscribe([topic])).toThrow(ClientClosedError);
    expect(metricValue(consumer.metrics(), 'vltava_consumer_records_fetched_total')).toBe(fetchedAfter);
    committer.destroy();
  });

  it('never commits past a record that has not reached the committer when records complete out of order', async () => {
    const groupId = uniqueName('g');
    const consumer = testConsumer(opened, { brokers, groupId });
    consumer.subscribe([topic]);
    const reached = new Set<string>();
    const delivered: Array<ConsumerRecord> = [];
    let commitChecks = 0;
    const violations: string[] = [];
    const check = (tp: { topic: string; partition: number }, next: bigint) => {
      for (const r of delivered) {
        if (r.partition === tp.partition && r.offset < next && !reached.has(`${r.partition}:${r.offset}`)) {
          violations.push(`${tp.partition}@${next} passes unprocessed ${r.offset}`);
          return;
        }
      }
    };
    // Watches every acknowledgement and commit the stream layer makes.
    const watched: ConsumerLike = {
      batches: (options) => {
        const iterator = consumer.batches(options);
        return {
          next: async () => {
            const result = await iterator.next();
            if (result.done !== true) for (const p of result.value.partitions) delivered.push(...p.records);
            return result;
          },
          return: () => iterator.return(),
        };
      },
      acknowledge: (record) => {
        check(record, record.offset + 1n);
        consumer.acknowledge(record);
      },
      assignment: () => consumer.assignment(),
      commit: (offsets) => {
        commitChecks++;
        for (const o of offsets) check(o, o.offset);
        return consumer.commit(offsets);
      },
      close: () => consumer.close(),
      backpressure: consumer.backpressure,
      subscribe: (topics, listener) => consumer.subscribe(topics, listener),
      unsubscribe: () => consumer.unsubscribe(),
      groupMetadata: () => consumer.groupMetadata(),
    };
    // Up to 32 records at once, each finishing after a random delay: completion order is scrambled.
    let active = 0;
    const waiting: Array<() => void> = [];
    const scramble = new Transform({
      objectMode: true,
      highWaterMark: 8,
      transform(record: ConsumerRecord, _encoding, callback) {
        active++;
        setTimeout(
          () => {
            reached.add(`${record.partition}:${record.offset}`);
            this.push(record);
            active--;
            waiting.shift()?.();
          },
          Math.floor(Math.random() * 8),
        );
        if (active < 32) callback();
        else waiting.push(() => callback());
      },
      flush(callback) {
        waitFor(() => active === 0, 'scrambled records to finish').then(() => callback(), callback);
      },
    });
    await pipeline(
      createReadStream(watched, { stopAfterRecords: 3000, highWaterMark: 50 }),
      scramble,
      createCommitStream(watched, { commitIntervalMs: 20 }),
    );
    expect(violations).toEqual([]);
    expect(commitChecks).toBeGreaterThan(1);
    expect(reached.size).toBe(3000);
    const committed = await committedOffsets(brokers, groupId, all);
    expect(committed.reduce((a, b) => a + (b < 0n ? 0n : b), 0n)).toBe(3000n);
  });

  it('pauses fetching when the buffer is full, holds it to the high-water mark, and resumes when read', async () => {
    const consumer = testConsumer(opened, {
      brokers,
      groupId: uniqueName('g'),
      maxPrefetchBytes: 64 * 1024,
      maxPartitionFetchBytes: 16 * 1024,
    });
    consumer.subscribe([topic]);
    const stream = createReadStream(consumer, { highWaterMark: 100, requireCommitter: false });
    stream.pause();
    stream.on('readable', () => undefined); // starts reading into the buffer without consuming it
    await waitFor(() => consumer.backpressure.paused().length > 0, 'fetching paused');
    expect(stream.readableLength).toBe(100);
    expect(stream.fetchPauses).toBeGreaterThan(0);
    expect(metricValue(consumer.metrics(), 'vltava_consumer_buffered_bytes')).toBeLessThanOrEqual(
      64 * 1024 + 16 * 1024,
    );
    // While nobody reads, the stream holds its mark and the consumer its bound.
    await holdsFor(1000, () => {
      expect(stream.readableLength).toBe(100);
      expect(metricValue(consumer.metrics(), 'vltava_consumer_buffered_bytes')).toBeLessThanOrEqual(
        64 * 1024 + 16 * 1024,
      );
    });
    // Reading drains the buffer, lifts the pauses and delivers everything.
    let count = 0;
    for await (const record of stream) {
      count++;
      if (record.offset < 0n) throw new Error('bad offset');
      if (count === TOTAL) break;
    }
    expect(count).toBe(TOTAL);
    expect(consumer.backpressure.paused()).toEqual([]);
  });
});
