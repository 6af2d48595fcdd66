import { uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type AcknowledgementResult,
  AcknowledgementStateError,
  deserializers,
  ShareConsumer,
  type ShareConsumerOptions,
  type ShareConsumerRecord,
} from '../../../src/index.js';
import { metricValue } from '../../../src/metrics/metric-value.js';
import { waitFor } from '../support/consumer-helpers.js';
import { TestProducer } from '../support/test-producer.js';
import { setShareGroupConfigs } from './share-support.js';

const brokers = inject('kafkaBootstrap');
let producer: TestProducer;

beforeAll(() => {
  producer = new TestProducer(brokers);
});
afterAll(() => producer.close());

type StringShareConsumer = ShareConsumer<Buffer | null, string | null>;

/** A topic and a share group reading it from the earliest offset. */
async function setup(partitions = 1, groupConfigs: Record<string, string> = {}) {
  const topic = uniqueName('share');
  const groupId = uniqueName('share-group');
  await producer.createTopic(topic, partitions);
  await setShareGroupConfigs(brokers, groupId, { 'share.auto.offset.reset': 'earliest', ...groupConfigs });
  return { topic, groupId };
}

function consumerFor(
  groupId: string,
  topic: string,
  options: Partial<ShareConsumerOptions<Buffer | null, string | null>> = {},
): StringShareConsumer {
  const consumer = new ShareConsumer({
    brokers,
    groupId,
    valueDeserializer: deserializers.string,
    logLevel: 'error',
    ...options,
  });
  consumer.subscribe(topic);
  return consumer;
}

/** Polls until `predicate` says stop, collecting every record; fails after `timeoutMs`. */
async function pollWhile(
  consumer: StringShareConsumer,
  keepGoing: (records: ShareConsumerRecord<Buffer | null, string | null>[]) => boolean,
  timeoutMs = 30_000,
): Promise<ShareConsumerRecord<Buffer | null, string | null>[]> {
  const records: ShareConsumerRecord<Buffer | null, string | null>[] = [];
  const deadline = Date.now() + timeoutMs;
  while (keepGoing(records)) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms with ${records.length} records`);
    for (const r of await consumer.poll({ timeoutMs: 200 })) records.push(r);
  }
  return records;
}

describe('share consumer against the broker', () => {
  it('divides one partition between three consumers: every record once, none lost, none twice', async () => {
    const { topic, groupId } = await setup();
    const count = 3000;
    const consumers = [0, 1, 2].map(() => consumerFor(groupId, topic, { maxPollRecords: 50 }));
    try {
      // Join first, so that all three compete for the records from the start.
      const received = consumers.map(() => [] as string[]);
      let stop = false;
      const loops = consumers.map(async (consumer, i) => {
        while (!stop) {
          for (const r of await consumer.poll({ timeoutMs: 100 })) received[i]!.push(r.value!);
          // A little work per batch, so that one member cannot take everything.
          await new Promise((resolve) => setImmediate(resolve));
        }
        await consumer.commitSync();
      });
      await waitFor(() => consumers.every((c) => c.assignment().length === 1), 'every member assigned the partition');
      await producer.sendMany(topic, 0, count, 'v', 100);
      await waitFor(() => received.reduce((n, r) => n + r.length, 0) >= count, `${count} records received`);
      stop = true;
      await Promise.all(loops);
      const all = received.flat();
      expect(all.length).toBe(count);
      expect(new Set(all).size).toBe(count);
      expect(received.filter((r) => r.length > 0).length).toBeGreaterThan(1);
      for (const consumer of consumers)
        expect(metricValue(consumer.metrics(), 'vltava_share_consumer_acknowledgements_failed_total')).toBe(0);
    } finally {
      await Promise.all(consumers.map((c) => c.close()));
    }
  }, 90_000);

  it('redelivers a released record with a higher delivery count; a rejected one never again', async () => {
    const { topic, groupId } = await setup();
    await producer.sendMany(topic, 0, 10, 'v');
    await using consumer = consumerFor(groupId, topic, { shareAcknowledgementMode: 'explicit' });
    const results: AcknowledgementResult[] = [];
    consumer.setAcknowledgementCommitCallback((r) => results.push(...r));
    const first = await pollWhile(consumer, (records) => records.length < 10);
    expect(first.map((r) => r.deliveryCount)).toEqual(Array(10).fill(1));
    for (const record of first) {
      consumer.acknowledge(record, record.value === 'v-3' ? 'release' : record.value === 'v-5' ? 'reject' : 'accept');
    }
    const committed = await consumer.commitSync();
    expect(committed.every((r) => r.error === undefined)).toBe(true);
    expect(committed.flatMap((r) => r.offsets).length).toBe(10);
    expect(() => consumer.acknowledge(first[0]!)).toThrow(AcknowledgementStateError);

    const again = await pollWhile(consumer, (records) => records.length < 1);
    expect(again.map((r) => [r.value, r.deliveryCount])).toEqual([['v-3', 2]]);
    consumer.acknowledge(again[0]!, 'accept');
    // A record written after the rejected one arrives; the rejected one does not come back before it.
    await producer.send(topic, 0, [{ value: 'sentinel' }]);
    const later = await pollWhile(consumer, (records) => !records.some((r) => r.value === 'sentinel'));
    expect(later.map((r) => r.value)).toEqual(['sentinel']);
    consumer.acknowledge(later[0]!);
    await consumer.commitSync();
    expect(results.some((r) => r.offsets.length > 0)).toBe(true);
  }, 60_000);

  it('implicit mode accepts a poll when the next one comes; close releases what is held', async () => {
    const { topic, groupId } = await setup();
    await producer.sendMany(topic, 0, 20, 'v');
    const a = consumerFor(groupId, topic, { maxPollRecords: 10, shareAcquireMode: 'record_limit' });
    const firstBatch = await pollWhile(a, (records) => records.length < 1);
    expect(firstBatch.length).toBeLessThanOrEqual(10);
    await a.close(); // releases the batch in hand (not accepted: implicit mode accepts on the next poll)
    await using b = consumerFor(groupId, topic);
    const seen = await pollWhile(b, (records) => new Set(records.map((r) => r.value)).size < 20);
    const redelivered = seen.filter((r) => firstBatch.some((f) => f.offset === r.offset));
    expect(redelivered.length).toBe(firstBatch.length);
    expect(redelivered.every((r) => r.deliveryCount === 2)).toBe(true);
  }, 60_000);

  it('unsubscribe releases what the member holds and leaves; subscribing again joins again', async () => {
    const { topic, groupId } = await setup();
    await producer.sendMany(topic, 0, 6, 'v');
    await using a = consumerFor(groupId, topic, { shareAcknowledgementMode: 'explicit' });
    const held = await pollWhile(a, (records) => records.length < 6);
    a.acknowledge(held[0]!); // settled before leaving: not delivered again
    await a.unsubscribe();
    expect(a.subscription()).toEqual([]);
    expect(metricValue(a.metrics(), 'vltava_share_consumer_acquired_records')).toBe(0);
    const b = consumerFor(groupId, topic);
    const again = await pollWhile(b, (records) => records.length < 5);
    expect(again.map((r) => [r.value, r.deliveryCount])).toEqual(held.slice(1).map((r) => [r.value, 2]));
    await b.commitSync();
    await b.close(); // otherwise it keeps fetching ahead, and would hold the next record
    a.subscribe(topic);
    await producer.send(topic, 0, [{ value: 'after' }]);
    const later = await pollWhile(a, (records) => records.length < 1);
    expect(later.map((r) => r.value)).toEqual(['after']);
    a.acknowledge(later[0]!);
    expect((await a.commitSync()).every((r) => r.error === undefined)).toBe(true);
  }, 60_000);

  it('for await accepts on the next record and releases the record in hand on a throw', async () => {
    const { topic, groupId } = await setup();
    await producer.sendMany(topic, 0, 5, 'v');
    const consumer = consumerFor(groupId, topic);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const record of consumer.records({ signal: AbortSignal.timeout(30_000) })) {
          seen.push(record.value!);
          if (record.value === 'v-2') throw new Error('cannot process v-2');
        }
      })(),
    ).rejects.toThrow('cannot process v-2');
    expect(seen).toEqual(['v-0', 'v-1', 'v-2']);
    const again: ShareConsumerRecord<Buffer | null, string | null>[] = [];
    for await (const record of consumer.records({ signal: AbortSignal.timeout(30_000) })) {
      again.push(record);
      if (again.length === 3) {
        consumer.acknowledge(record); // settle it before leaving the loop
        break;
      }
    }
    expect(again.map((r) => [r.value, r.deliveryCount])).toEqual([
      ['v-2', 2],
      ['v-3', 2],
      ['v-4', 2],
    ]);
    await consumer.close();
  }, 60_000);

  it('redelivers records whose acquisition lock expired', async () => {
    // 15 s is the broker's floor for share.record.lock.duration.ms (group.share.min.record.lock.duration.ms).
    const { topic, groupId } = await setup(1, { 'share.record.lock.duration.ms': '15000' });
    await producer.sendMany(topic, 0, 3, 'v');
    await using consumer = consumerFor(groupId, topic, { shareAcknowledgementMode: 'explicit' });
    const first = await pollWhile(consumer, (records) => records.length < 3);
    expect(consumer.acquisitionLockTimeoutMs()).toBe(15_000);
    const startedAt = Date.now();
    // Never acknowledged: the lock runs out and the broker offers them again, to anyone (here, the same member).
    const again = await pollWhile(consumer, (records) => records.length < 3, 40_000);
    expect(Date.now() - startedAt).toBeGreaterThan(10_000);
    expect(again.map((r) => r.offset)).toEqual(first.map((r) => r.offset));
    expect(again.every((r) => r.deliveryCount === 2)).toBe(true);
    // The first delivery's locks are gone: acknowledging those offsets now settles the second delivery.
    for (const r of again) consumer.acknowledge(r);
    const results = await consumer.commitSync();
    expect(results.every((r) => r.error === undefined)).toBe(true);
  }, 90_000);

  it('renews an acquisition lock so that a slow record is not redelivered', async () => {
    const { topic, groupId } = await setup(1, { 'share.record.lock.duration.ms': '15000' });
    await producer.sendMany(topic, 0, 1, 'v');
    await using slow = consumerFor(groupId, topic, { shareAcknowledgementMode: 'explicit' });
    const [record] = await pollWhile(slow, (records) => records.length < 1);
    await using other = consumerFor(groupId, topic);
    const othersSeen: string[] = [];
    const startedAt = Date.now();
    // Renew every 5 s for 20 s (well past the 15 s lock); the other member must not get the record meanwhile.
    while (Date.now() - startedAt < 20_000) {
      slow.acknowledge(record!, 'renew');
      const renewed = await slow.commitSync();
      expect(renewed.every((r) => r.error === undefined)).toBe(true);
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) for (const r of await other.poll({ timeoutMs: 500 })) othersSeen.push(r.value!);
    }
    expect(othersSeen).toEqual([]);
    slow.acknowledge(record!, 'accept');
    expect((await slow.commitSync()).every((r) => r.error === undefined)).toBe(true);
  }, 90_000);

  it('reads only committed transactions with share.isolation.level=read_committed', async () => {
    const { topic, groupId } = await setup(1, { 'share.isolation.level': 'read_committed' });
    await producer.sendTransaction(
      uniqueName('txn'),
      topic,
      0,
      [{ value: 'committed-1' }, { value: 'committed-2' }],
      true,
    );
    await producer.sendTransaction(
      uniqueName('txn'),
      topic,
      0,
      [{ value: 'aborted-1' }, { value: 'aborted-2' }],
      false,
    );
    await producer.send(topic, 0, [{ value: 'plain' }]);
    await using consumer = consumerFor(groupId, topic);
    const seen = await pollWhile(consumer, (records) => !records.some((r) => r.value === 'plain'));
    expect(seen.map((r) => r.value)).toEqual(['committed-1', 'committed-2', 'plain']);
    const results = await consumer.commitSync();
    expect(results.every((r) => r.error === undefined)).toBe(true);
    // The transaction markers were settled as gaps: nothing is left acquired.
    expect(metricValue(consumer.metrics(), 'vltava_share_consumer_acquired_records')).toBe(0);
  }, 60_000);
});
