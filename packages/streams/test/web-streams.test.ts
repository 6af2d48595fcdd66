import { type Consumer, type ConsumerRecord, deserializers } from '@vltava/core';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createWebCommitStream, createWebReadStream } from '../src/index.js';
import { closeAll, committedOffsets, TestData, testConsumer, waitFor } from './support/kafka.js';

const brokers = inject('kafkaBootstrap');
const PARTITIONS = 2;
const PER_PARTITION = 1500;

describe('Web Streams against the broker', () => {
  const data = new TestData(brokers);
  const topic = uniqueName('ws');
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

  it('pipes every record through a TransformStream into the committer, which commits the end and closes the consumer', async () => {
    const groupId = uniqueName('g');
    const consumer = testConsumer(opened, { brokers, groupId, valueDeserializer: deserializers.string });
    consumer.subscribe([topic]);
    const values: string[] = [];
    await createWebReadStream(consumer, { stopAfterRecords: PARTITIONS * PER_PARTITION, highWaterMark: 100 })
      .pipeThrough(
        new TransformStream<ConsumerRecord<Buffer | null, string | null>, ConsumerRecord<Buffer | null, string>>({
          async transform(record, controller) {
            if (record.offset % 250n === 0n) await new Promise((resolve) => setImmediate(resolve));
            const value = (record.value ?? '').toUpperCase();
            values.push(value);
            controller.enqueue({ ...record, value });
          },
        }),
      )
      .pipeTo(createWebCommitStream(consumer));
    expect(values).toHaveLength(PARTITIONS * PER_PARTITION);
    expect(new Set(values).size).toBe(PARTITIONS * PER_PARTITION);
    expect(values).toContain('P1-1499');
    expect(await committedOffsets(brokers, groupId, all)).toEqual(all.map(() => BigInt(PER_PARTITION)));
  });

  it('cancelling (pipeTo aborted) commits what reached the committer; a restart goes on from there', async () => {
    const groupId = uniqueName('g');
    const consumer = testConsumer(opened, { brokers, groupId });
    consumer.subscribe([topic]);
    const reached: Array<ConsumerRecord> = [];
    const controller = new AbortController();
    const committer = createWebCommitStream<ConsumerRecord>(consumer, {
      sourceOf: (record) => {
        reached.push(record);
        if (reached.length === 1000) controller.abort();
        return record;
      },
    });
    await expect(
      createWebReadStream(consumer, { highWaterMark: 50 }).pipeTo(committer, { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    const last = new Map<number, bigint>();
    for (const r of reached) last.set(r.partition, r.offset + 1n);
    // The consumer closes in the background of the cancel; its commit lands before it left the group.
    await waitFor(async () => {
      const committed = await committedOffsets(brokers, groupId, all);
      return committed.every((c, p) => c === (last.get(p) ?? c));
    }, 'the committed offsets');
    const committed = await committedOffsets(brokers, groupId, all);
    expect(committed.map((c, p) => (last.has(p) ? c : 0n))).toEqual(all.map((_, p) => last.get(p) ?? 0n));

    const again = testConsumer(opened, { brokers, groupId });
    again.subscribe([topic]);
    const rest: Array<ConsumerRecord> = [];
    await createWebReadStream(again, {
      stopAfterRecords: PARTITIONS * PER_PARTITION - reached.length,
      requireCommitter: false,
    }).pipeTo(new WritableStream({ write: (r) => void rest.push(r) }));
    for (const { partition } of all) {
      const first = rest.find((r) => r.partition === partition);
      expect(first?.offset ?? BigInt(PER_PARTITION)).toBe(last.get(partition) ?? 0n);
    }
    expect(rest).toHaveLength(PARTITIONS * PER_PARTITION - reached.length);
  });
});
