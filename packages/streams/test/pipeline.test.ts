import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type Consumer,
  type ConsumerRecord,
  deserializers,
  InvalidArgumentError,
  metricValue,
  Producer,
  type SendSuccess,
} from '@vltava/core';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCommitStream, createReadStream, createSendStream, createWriteStream } from '../src/index.js';
import {
  closeAll,
  committedOffsets,
  endOffsetTotal,
  readAll,
  TestData,
  testConsumer,
  waitFor,
} from './support/kafka.js';

const brokers = inject('kafkaBootstrap');
const PARTITIONS = 4;
const PER_PARTITION = 25_000;
const TOTAL = PARTITIONS * PER_PARTITION;

type Source = ConsumerRecord<Buffer | null, string | null>;

/** An async transform: each value upper-cased after an asynchronous step, the source coordinates kept. */
function upperCase(): Transform {
  let n = 0;
  return new Transform({
    objectMode: true,
    highWaterMark: 256,
    transform(record: Source, _encoding, callback) {
      const done = () => callback(null, { ...record, value: `${record.value}`.toUpperCase() });
      if (++n % 64 === 0) setImmediate(done);
      else queueMicrotask(done);
    },
  });
}

describe('consumer -> transform -> producer -> committer, against the broker', () => {
  const data = new TestData(brokers);
  const source = uniqueName('src');
  const all = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: source, partition }));
  const opened: Array<Consumer<unknown, unknown>> = [];
  const producers: Array<Producer<unknown, unknown>> = [];
  const producer = () => {
    const p = new Producer<Buffer | null, string>({ brokers, logLevel: 'error', lingerMs: 5 });
    producers.push(p as unknown as Producer<unknown, unknown>);
    return p;
  };

  beforeAll(async () => {
    await data.createTopic(source, PARTITIONS);
    await data.fill(source, PARTITIONS, PER_PARTITION);
  }, 180_000);
  afterAll(async () => {
    await closeAll(opened);
    await Promise.all(producers.map((p) => p.close()));
    await data.close();
  });

  it('moves 100,000 records through an async transform into a topic, committing every source offset', async () => {
    const target = uniqueName('dst');
    await data.createTopic(target, PARTITIONS);
    const groupId = uniqueName('g');
    const consumer = testConsumer(opened, { brokers, groupId, valueDeserializer: deserializers.string });
    consumer.subscribe([source]);
    const started = Date.now();
    await pipeline(
      createReadStream(consumer, { stopAfterRecords: TOTAL }),
      upperCase(),
      createSendStream(producer(), (r: Source) => ({ topic: target, key: r.key, value: r.value })),
      createCommitStream(consumer),
    );
    const elapsed = Date.now() - started;
    console.log(`[streams pipeline] ${TOTAL} records read, transformed, written and committed in ${elapsed} ms`);
    expect(await committedOffsets(brokers, groupId, all)).toEqual(all.map(() => BigInt(PER_PARTITION)));
    const written = await readAll(brokers, target);
    expect(written).toHaveLength(TOTAL);
    const values = new Set(written.map((r) => r.value));
    expect(values.size).toBe(TOTAL);
    expect(values.has('P3-24999')).toBe(true);
  });

  it('the three-stage pipeline(read, transform, write) is refused before reading; the shape it shows commits at least once', async () => {
    const target = uniqueName('dst');
    await data.createTopic(target, PARTITIONS);
    const groupId = uniqueName('g');
    const first = testConsumer(opened, { brokers, groupId, valueDeserializer: deserializers.string });
    first.subscribe([source]);
    const refused = await pipeline(
      createReadStream(first),
      upperCase(),
      createWriteStream(producer(), (r: Source) => ({ topic: target, key: r.key, value: r.value })),
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidArgumentError);
    expect(String(refused)).toMatch(/createSendStream\(producer, .*\)[\s\S]*createCommitStream\(consumer\)/);
    expect(metricValue(first.metrics(), 'vltava_consumer_records_consumed_total')).toBe(0);
    expect(await endOffsetTotal(brokers, target)).toBe(0n);

    // The shape the error shows: every record written and committed, once.
    const second = testConsumer(opened, { brokers, groupId, valueDeserializer: deserializers.string });
    second.subscribe([source]);
    await pipeline(
      createReadStream(second, { stopAfterRecords: TOTAL }),
      upperCase(),
      createSendStream(producer(), (r: Source) => ({ topic: target, key: r.key, value: r.value })),
      createCommitStream(second),
    );
    // Committed up to the end of every partition: a restart reads nothing again.
    expect(await committedOffsets(brokers, groupId, all)).toEqual(all.map(() => BigInt(PER_PARTITION)));
    expect(await endOffsetTotal(brokers, target)).toBe(BigInt(TOTAL));
  });

  it('aborting mid-way commits only what reached the committer; a restart loses nothing and re-reads only the in-flight window', async () => {
    const target = uniqueName('dst');
    await data.createTopic(target, PARTITIONS);
    const groupId = uniqueName('g');
    const first = testConsumer(opened, { brokers, groupId, valueDeserializer: deserializers.string });
    first.subscribe([source]);
    const controller = new AbortController();
    const processed: Source[] = [];
    const read = createReadStream(first, { highWaterMark: 500 });
    const sendStream = createSendStream(producer(), (r: Source) => ({ topic: target, key: r.key, value: r.value }), {
      highWaterMark: 1000,
      maxInFlight: 2000,
    });
    const committer = createCommitStream(first, {
      sourceOf: (result: SendSuccess<Source>) => {
        processed.push(result.source);
        if (processed.length === 30_000) controller.abort();
        return result.source;
      },
    });
    await expect(
      pipeline(read, upperCase(), sendStream, committer, { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    // Committed: per partition, one past the last record that reached the committer (in order per partition here).
    const last = new Map<number, bigint>();
    for (const r of processed) last.set(r.partition, r.offset + 1n);
    const committed = await committedOffsets(brokers, groupId, all);
    expect(committed.map((c) => (c < 0n ? 0n : c))).toEqual(all.map((p) => last.get(p.partition) ?? 0n));
    const inFlightWindow = read.delivered - processed.length;
    // The window: the stream buffers (read 500 + one batch, transform 2x256, send 2x1000 and 2000 in flight at the
    // producer, committer 1024).
    expect(inFlightWindow).toBeLessThanOrEqual(500 + 500 + 512 + 2000 + 2000 + 1024);

    // Restart in the same group: it starts exactly at the committed offsets.
    const second = testConsumer(opened, { brokers, groupId, valueDeserializer: deserializers.string });
    second.subscribe([source]);
    const firstSeen = new Map<number, bigint>();
    await pipeline(
      createReadStream(second, { stopAfterRecords: TOTAL - processed.length }),
      new Transform({
        objectMode: true,
        transform(record: Source, _encoding, callback) {
          if (!firstSeen.has(record.partition)) firstSeen.set(record.partition, record.offset);
          callback(null, record);
        },
      }),
      upperCase(),
      createSendStream(producer(), (r: Source) => ({ topic: target, key: r.key, value: r.value })),
      createCommitStream(second),
    );
    for (const { partition } of all) {
      expect(firstSeen.get(partition) ?? BigInt(PER_PARTITION)).toBe(last.get(partition) ?? 0n);
    }
    expect(await committedOffsets(brokers, groupId, all)).toEqual(all.map(() => BigInt(PER_PARTITION)));
    // Nothing lost: every source record is in the output at least once; duplicates only from the in-flight window
    // (records written by the first run after the abort's commit point).
    const written = await readAll(brokers, target);
    const values = written.map((r) => r.value);
    expect(new Set(values).size).toBe(TOTAL);
    const duplicates = values.length - TOTAL;
    console.log(
      `[streams abort] processed ${processed.length} before the abort, in flight ${inFlightWindow}, ` +
        `${duplicates} duplicates in the output after the restart`,
    );
    expect(duplicates).toBeLessThanOrEqual(inFlightWindow);
  });

  it('two pipelines in one group share the partitions through rebalances; nothing is lost, the group ends committed', async () => {
    const topic = uniqueName('rsrc');
    const target = uniqueName('rdst');
    await data.createTopic(topic, 4);
    await data.createTopic(target, 4);
    await data.fill(topic, 4, 5000);
    const groupId = uniqueName('g');
    const reached = new Set<string>();
    const perRun: number[] = [];
    let reachedWhenSecondAssigned: number | undefined;
    const run = (onAssigned?: () => void) => {
      const index = perRun.push(0) - 1;
      const consumer = testConsumer(opened, {
        brokers,
        groupId,
        valueDeserializer: deserializers.string,
        heartbeatIntervalMs: 500,
      });
      consumer.subscribe([topic], {
        onPartitionsAssigned: (partitions) => {
          if (partitions.length > 0) onAssigned?.();
        },
      });
      const stop = new AbortController();
      const slow = new Transform({
        objectMode: true,
        highWaterMark: 64,
        transform(record: Source, _encoding, callback) {
          // About a millisecond every three records: several seconds for all, so that the second joins mid-way.
          if (record.offset % 3n === 0n) setTimeout(() => callback(null, record), 1);
          else setImmediate(() => callback(null, record));
        },
      });
      const done = pipeline(
        createReadStream(consumer, { stopSignal: stop.signal, highWaterMark: 256 }),
        slow,
        createSendStream(producer(), (r: Source) => ({ topic: target, key: r.key, value: r.value })),
        createCommitStream(consumer, {
          commitIntervalMs: 200,
          sourceOf: (result: SendSuccess<Source>) => {
            reached.add(`${result.source.partition}:${result.source.offset}`);
            perRun[index]!++;
            return result.source;
          },
        }),
      );
      return { stop: () => stop.abort(), done };
    };
    const first = run();
    await waitFor(() => reached.size >= 4000, 'the first pipeline to process 4,000 records', 60_000);
    // The second joins the group: the partitions are rebalanced while both run.
    const second = run(() => {
      reachedWhenSecondAssigned ??= reached.size;
    });
    await waitFor(() => reachedWhenSecondAssigned !== undefined, 'the second member to get partitions', 60_000);
    await waitFor(() => reached.size >= 20_000, 'every record processed', 90_000);
    first.stop();
    second.stop();
    await Promise.all([first.done, second.done]);
    // The rebalance came mid-way: the second member got partitions while records were still to be processed.
    expect(reachedWhenSecondAssigned).toBeLessThan(20_000);
    const partitions = [0, 1, 2, 3].map((partition) => ({ topic, partition }));
    expect(await committedOffsets(brokers, groupId, partitions)).toEqual([5000n, 5000n, 5000n, 5000n]);
    const written = await readAll(brokers, target);
    expect(new Set(written.map((r) => r.value)).size).toBe(20_000);
    console.log(
      `[streams rebalance] 20,000 records through two pipelines (${perRun.join(' + ')} processed), ` +
        `${written.length - 20_000} duplicates`,
    );
  });
});
