import {
  Consumer,
  type ConsumerOptions,
  type DeserializerContext,
  deserializers,
  RecordDeserializationError,
} from '@vltava/core';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { concatMap, firstValueFrom, map, retry, Subject, take, tap, toArray } from 'rxjs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { commitOffsets, fromConsumer, type KafkaMessage, type OffsetCommit } from '../src/index.js';
import { GroupInspector } from './support/group-inspector.js';
import { untilCommitted } from './support/kafka-figures.js';
import { groupConsumerOptions, TopicWriter, waitFor } from './support/topic-writer.js';

const brokers = inject('kafkaBootstrap');

function consumerOptions(groupId: string, extra: Partial<ConsumerOptions<string | null, string | null>> = {}) {
  return groupConsumerOptions(brokers, groupId, extra);
}

describe('fromConsumer against the broker', () => {
  const producer = new TopicWriter(brokers);
  const inspector = new GroupInspector(brokers);
  afterAll(async () => {
    await producer.close();
    await inspector.close();
  });

  it('reads every record in partition order, and commitOffsets leaves the offsets at the end of the topic', async () => {
    const topic = uniqueName('rx-read');
    const groupId = uniqueName('g');
    await producer.createTopic(topic, 3);
    for (let p = 0; p < 3; p++) await producer.sendMany(topic, p, 2000, `p${p}`);
    const seen = new Map<number, string[]>();
    const commits = await firstValueFrom(
      fromConsumer(() => new Consumer(consumerOptions(groupId)), { topics: [topic], highWaterMark: 300 }).pipe(
        tap((m: KafkaMessage<string | null, string | null>) => {
          const list = seen.get(m.partition) ?? [];
          list.push(m.record.value!);
          seen.set(m.partition, list);
        }),
        commitOffsets({ maxBatch: 500, maxIntervalMs: 200 }),
        // Done once every partition's committed offset reached 2000.
        untilCommitted(
          [0, 1, 2].map((p) => `${topic}:${p}`),
          2000n,
        ),
        take(1),
      ),
    );
    expect(commits).toEqual({ [`${topic}:0`]: 2000n, [`${topic}:1`]: 2000n, [`${topic}:2`]: 2000n });
    for (let p = 0; p < 3; p++) {
      expect(seen.get(p)).toEqual(Array.from({ length: 2000 }, (_, i) => `p${p}-${i}`));
    }
    const check = new Consumer(consumerOptions(groupId));
    try {
      const committed = await check.committed([0, 1, 2].map((partition) => ({ topic, partition })));
      expect(committed.map((c) => c.offset)).toEqual([2000n, 2000n, 2000n]);
    } finally {
      await check.close();
    }
  });

  it('take(n) before the processing step: the n records acknowledged after take completed are committed', async () => {
    const topic = uniqueName('rx-take');
    const groupId = uniqueName('g');
    await producer.createTopic(topic, 1);
    await producer.sendMany(topic, 0, 100);
    const processed: bigint[] = [];
    await new Promise<void>((resolve, reject) =>
      fromConsumer(() => new Consumer(consumerOptions(groupId)), { topics: [topic] })
        .pipe(
          take(10),
          concatMap(async (message) => {
            await new Promise((done) => setTimeout(done, 5)); // asynchronous work, long after take(10) completed
            processed.push(message.offset);
            message.ack();
          }),
        )
        .subscribe({ complete: resolve, error: reject }),
    );
    expect(processed).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i)));
    await waitFor(async () => (await inspector.describe(groupId)).members.length === 0, 'the member to leave');
    const check = new Consumer(consumerOptions(groupId));
    try {
      const [committed] = await check.committed([{ topic, partition: 0 }]);
      expect(committed?.offset).toBe(10n); // was: nothing committed, and no warning
    } finally {
      await check.close();
    }
  });

  it.for(['classic', 'consumer'] as const)(
    'unsubscribing an idle source leaves the group within a second (%s protocol)',
    async (groupProtocol, { annotate }) => {
      const topic = uniqueName('rx-idle');
      const groupId = uniqueName('g');
      await producer.createTopic(topic, 2);
      await producer.sendMany(topic, 0, 10);
      const received: KafkaMessage<string | null, string | null>[] = [];
      const subscription = fromConsumer(() => new Consumer(consumerOptions(groupId, { groupProtocol })), {
        topics: [topic],
      }).subscribe((m) => {
        received.push(m);
        m.ack();
      });
      await waitFor(() => received.length === 10, 'the ten records');
      await waitFor(async () => (await inspector.describe(groupId)).members.length === 1, 'one member in the group');
      // Idle: every record is read and acknowledged, and nothing is arriving.
      const started = Date.now();
      subscription.unsubscribe();
      await waitFor(async () => (await inspector.describe(groupId)).members.length === 0, 'the member to leave', 5000);
      const leftAfterMs = Date.now() - started;
      await annotate(`the member was gone from admin.describeGroups() ${leftAfterMs} ms after unsubscribe`);
      expect(leftAfterMs).toBeLessThan(1000);
      const check = new Consumer(consumerOptions(groupId));
      try {
        const committed = await check.committed([{ topic, partition: 0 }]);
        expect(committed[0]!.offset).toBe(10n); // the acknowledged records were committed on the way out
      } finally {
        await check.close();
      }
    },
  );

  it('a deserialization error reaches the subscriber typed; retry() starts a fresh consumer that goes on', async () => {
    const topic = uniqueName('rx-retry');
    const groupId = uniqueName('g');
    await producer.createTopic(topic, 1);
    await producer.send(topic, 0, [{ value: '{"n":1}' }, { value: '{"n":2}' }, { value: '{"n":3}' }]);
    const consumers: Consumer<string | null, { n: number } | null>[] = [];
    const errors: unknown[] = [];
    // The first consumer cannot read record 1 (a deserializer that fails on it, once); the second one can.
    const factory = () => {
      const attempt = consumers.length;
      const json = deserializers.json<{ n: number }>();
      const consumer = new Consumer({
        ...consumerOptions(groupId),
        valueDeserializer: (data: Buffer | null, context: DeserializerContext) => {
          if (attempt === 0 && data?.toString() === '{"n":2}') throw new SyntaxError('not readable this time');
          return json(data, context);
        },
      });
      consumers.push(consumer);
      return consumer;
    };
    const values = await firstValueFrom(
      fromConsumer(factory, { topics: [topic] }).pipe(
        tap({ error: (error) => errors.push(error) }),
        map((m) => {
          m.ack();
          return m.record.value!.n;
        }),
        retry(1),
        take(3),
        toArray(),
      ),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RecordDeserializationError);
    expect((errors[0] as RecordDeserializationError).cause).toBeInstanceOf(SyntaxError);
    // Record 0 was acknowledged and committed when the failed subscription ended: the fresh consumer starts at 1.
    expect(values).toEqual([1, 2, 3]);
    expect(consumers).toHaveLength(2);
    await waitFor(async () => (await inspector.describe(groupId)).members.length === 0, 'the group to be empty');
  });

  it('a slow subscriber holds the records in flight at the high-water mark; fetching is paused, apart from user pauses', async () => {
    const topic = uniqueName('rx-slow');
    const groupId = uniqueName('g');
    await producer.createTopic(topic, 2);
    for (let p = 0; p < 2; p++) await producer.sendMany(topic, p, 3000);
    const consumer = new Consumer(consumerOptions(groupId, { maxPrefetchRecords: 500 }));
    let inFlight = 0;
    let maxInFlight = 0;
    let pausedSeen = 0;
    let userPauseKept = true;
    const events: string[] = [];
    const processed = await firstValueFrom(
      fromConsumer(consumer, {
        topics: [topic],
        highWaterMark: 100,
        lowWaterMark: 20,
        onBackpressure: (event) => events.push(event.type),
        // The application pauses partition 1 itself: backpressure must never resume it.
        listener: {
          onPartitionsAssigned: (partitions) => consumer.pause(partitions.filter((tp) => tp.partition === 1)),
        },
      }).pipe(
        tap(() => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
        }),
        concatMap(async (m) => {
          await new Promise((resolve) => setImmediate(resolve));
          if (consumer.backpressure.paused().length > 0) pausedSeen++;
          if (!consumer.paused().some((tp) => tp.partition === 1)) userPauseKept = false;
          inFlight--;
          m.ack();
          return m;
        }),
        take(1500),
        toArray(),
      ),
    );
    expect(processed).toHaveLength(1500);
    expect(maxInFlight).toBe(100);
    expect(pausedSeen).toBeGreaterThan(0);
    expect(events.filter((e) => e === 'pause').length).toBeGreaterThan(1);
    expect(events.filter((e) => e === 'resume').length).toBeGreaterThan(1);
    expect(events[0]).toBe('pause');
    // Through every backpressure pause and resume, the application's pause of partition 1 held.
    expect(userPauseKept).toBe(true);
    expect(processed.every((m) => m.partition === 0)).toBe(true);
    await waitFor(async () => (await inspector.describe(groupId)).members.length === 0, 'the group to be empty');
    expect(consumer.backpressure.paused()).toEqual([]);
    await consumer.close();
  });

  it('acknowledgements that arrive after their partition moved to another member are never committed', async () => {
    const topic = uniqueName('rx-stale');
    const groupId = uniqueName('g');
    await producer.createTopic(topic, 2);
    for (let p = 0; p < 2; p++) await producer.sendMany(topic, p, 10);
    const options = consumerOptions(groupId, { partitionAssignors: ['cooperative-sticky'] });
    // Member A reads both partitions and acknowledges nothing until told; what it acknowledges goes to commitOffsets.
    const held: KafkaMessage<string | null, string | null>[] = [];
    const revoked: number[] = [];
    const acknowledge = new Subject<KafkaMessage<string | null, string | null>>();
    const commits: OffsetCommit[] = [];
    acknowledge.pipe(commitOffsets({ maxBatch: 1 })).subscribe((commit) => commits.push(commit));
    const a = fromConsumer(() => new Consumer(options), {
      topics: [topic],
      drainTimeoutMs: 200,
      listener: { onPartitionsRevoked: (partitions) => void revoked.push(...partitions.map((tp) => tp.partition)) },
    }).subscribe((m) => held.push(m));
    await waitFor(() => held.length === 20, 'member A to hold all twenty records');
    // Member B joins: one partition moves to it (after A's drain timeout, its records unacknowledged), and B
    // processes that partition to the end.
    const byB: KafkaMessage<string | null, string | null>[] = [];
    const b = fromConsumer(() => new Consumer(options), { topics: [topic] })
      .pipe(
        tap((m) => byB.push(m)),
        commitOffsets({ maxBatch: 1 }),
      )
      .subscribe();
    await waitFor(() => revoked.length === 1 && byB.length === 10, 'one partition to move to B and be processed');
    const moved = revoked[0]!;
    const check = new Consumer(consumerOptions(groupId));
    const committedOf = async (partition: number) => (await check.committed([{ topic, partition }]))[0]!.offset;
    await waitFor(async () => (await committedOf(moved)) === 10n, "B's commit of the moved partition");
    // A acknowledges, late, the first three records of the moved partition, then one of the partition it kept.
    for (const m of held.filter((x) => x.partition === moved).slice(0, 3)) acknowledge.next(m);
    acknowledge.next(held.find((x) => x.partition !== moved)!);
    await waitFor(() => commits.length > 0, "A's commit");
    // Only the kept partition was committed; the moved one stays where B left it (10), not back at 3.
    expect(commits.flatMap((c) => c.offsets.map((o) => `${o.partition}@${o.offset}`))).toEqual([`${1 - moved}@1`]);
    expect(await committedOf(moved)).toBe(10n);
    a.unsubscribe();
    b.unsubscribe();
    await check.close();
    await waitFor(async () => (await inspector.describe(groupId)).members.length === 0, 'the group to be empty');
  });
});
