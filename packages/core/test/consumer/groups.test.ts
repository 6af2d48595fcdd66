import { uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { resolveClientOptions } from '../../src/cluster/client-options.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { GroupCoordinator } from '../../src/consumer/group/group-coordinator.js';
import { OffsetCommitter } from '../../src/consumer/offset-committer.js';
import { SubscriptionState } from '../../src/consumer/subscription-state.js';
import {
  CommitFailedError,
  Consumer,
  type ConsumerOptions,
  type ConsumerRebalanceListener,
  type ConsumerRecord,
  deserializers,
  GroupMembershipError,
  type GroupProtocol,
  MaxPollIntervalExceededError,
  type PartitionAssignor,
  type TopicPartition,
  type TopicPartitionOffset,
} from '../../src/index.js';
import { metricPoints, metricValue } from '../../src/metrics/metric-value.js';
import { silentLogger } from '../../src/utils/logger.js';
import { pollUntil, values, waitFor } from './support/consumer-helpers.js';
import { TestProducer } from './support/test-producer.js';

const brokers = inject('kafkaBootstrap');

type StringConsumer = Consumer<Buffer | null, string | null>;

/** A rebalance listener that records what it was told. */
function recorder() {
  const events: Array<{ kind: 'assigned' | 'revoked' | 'lost'; partitions: TopicPartition[] }> = [];
  const listener: ConsumerRebalanceListener = {
    onPartitionsAssigned: (partitions) => {
      events.push({ kind: 'assigned', partitions });
    },
    onPartitionsRevoked: (partitions) => {
      events.push({ kind: 'revoked', partitions });
    },
    onPartitionsLost: (partitions) => {
      events.push({ kind: 'lost', partitions });
    },
  };
  return { events, listener };
}

/** Keeps a consumer reading in the background (poll loop) so that it takes part in rebalances. */
function readInBackground(consumer: StringConsumer) {
  const records: ConsumerRecord<Buffer | null, string | null>[] = [];
  let stop = false;
  let error: unknown;
  const done = (async () => {
    try {
      while (!stop) for (const r of await consumer.poll({ timeoutMs: 200 })) records.push(r);
    } catch (e) {
      error = e;
    }
  })();
  return {
    records,
    get error() {
      return error;
    },
    async stop() {
      stop = true;
      await done;
    },
  };
}

describe.each(['classic', 'consumer'] as const)('consumer groups (%s protocol)', (groupProtocol: GroupProtocol) => {
  const producer = new TestProducer(brokers);
  let open: Consumer<unknown, unknown>[] = [];
  const consumer = (groupId: string, options: Partial<ConsumerOptions<Buffer | null, string | null>> = {}) => {
    const c: StringConsumer = new Consumer({
      brokers,
      groupId,
      groupProtocol,
      autoOffsetReset: 'earliest',
      logLevel: 'error',
      valueDeserializer: deserializers.string,
      metadataMaxAgeMs: 1000,
      ...(groupProtocol === 'classic' ? { sessionTimeoutMs: 6000, heartbeatIntervalMs: 300 } : {}),
      ...options,
    });
    open.push(c as Consumer<unknown, unknown>);
    return c;
  };
  afterEach(async () => {
    await Promise.all(open.map((c) => c.close({ timeoutMs: 5000 })));
    open = [];
  });
  afterAll(() => producer.close());

  async function topicWith(partitions: number, perPartition: number): Promise<string> {
    const topic = uniqueName('grp');
    await producer.createTopic(topic, partitions);
    for (let p = 0; p < partitions; p++) await producer.sendMany(topic, p, perPartition, `p${p}`, 50);
    return topic;
  }

  it('subscribe: assigns every partition, reads all, commits on close; the next member resumes there', async () => {
    const topic = await topicWith(3, 40);
    const groupId = uniqueName('g');
    const { events, listener } = recorder();
    const first = consumer(groupId);
    first.subscribe([topic], listener);
    expect(first.subscription()).toEqual([topic]);
    const records = await pollUntil(first, 120);
    expect(new Set(records.map((r) => r.value)).size).toBe(120);
    expect(events[0]).toEqual({ kind: 'assigned', partitions: [0, 1, 2].map((partition) => ({ topic, partition })) });
    expect(first.assignment()).toHaveLength(3);
    // poll() again: the previous records count as processed.
    await first.poll({ timeoutMs: 0 });
    await first.close();
    expect(events.at(-1)?.kind).toBe('revoked');

    const committedBy = consumer(groupId);
    expect(
      (await committedBy.committed([0, 1, 2].map((partition) => ({ topic, partition })))).map((c) => c.offset),
    ).toEqual([40n, 40n, 40n]);

    for (let p = 0; p < 3; p++) await producer.send(topic, p, [{ value: `new-${p}` }]);
    const second = consumer(groupId);
    second.subscribe([topic]);
    const after = await pollUntil(second, 3);
    expect(after.map((r) => r.value).sort()).toEqual(['new-0', 'new-1', 'new-2']);
  });

  it('two members share the partitions; the first revokes what moves; together they read everything', async () => {
    const topic = await topicWith(4, 25);
    const groupId = uniqueName('g');
    const a = recorder();
    const b = recorder();
    const ca = consumer(groupId);
    ca.subscribe([topic], a.listener);
    const readerA = readInBackground(ca);
    await waitFor(() => ca.assignment().length === 4, 'the first member owns every partition');
    const cb = consumer(groupId);
    cb.subscribe([topic], b.listener);
    const readerB = readInBackground(cb);
    await waitFor(() => ca.assignment().length === 2 && cb.assignment().length === 2, 'two partitions each', 30_000);
    const owned = new Set([...ca.assignment(), ...cb.assignment()].map((tp) => tp.partition));
    expect(owned.size).toBe(4);
    expect(a.events.some((e) => e.kind === 'revoked')).toBe(true);
    for (let p = 0; p < 4; p++) await producer.send(topic, p, [{ value: `late-${p}` }]);
    await waitFor(
      () => [...readerA.records, ...readerB.records].filter((r) => r.value?.startsWith('late-')).length === 4,
      'late records read by their owners',
    );
    await readerA.stop();
    await readerB.stop();
    expect(readerA.error).toBeUndefined();
    expect(readerB.error).toBeUndefined();
    const all = new Set([...readerA.records, ...readerB.records].map((r) => r.value));
    for (let p = 0; p < 4; p++) for (const v of values(`p${p}`, 0, 25)) expect(all.has(v)).toBe(true);
    for (const r of readerB.records) expect(cb.assignment().some((tp) => tp.partition === r.partition)).toBe(true);
  });

  it('auto-commits processed offsets every autoCommitIntervalMs', async () => {
    const topic = await topicWith(1, 30);
    const groupId = uniqueName('g');
    const c = consumer(groupId, { autoCommitIntervalMs: 200 });
    c.subscribe([topic]);
    await pollUntil(c, 30);
    await c.poll({ timeoutMs: 0 }); // marks the 30 records processed
    const tp = { topic, partition: 0 };
    await waitFor(async () => (await c.committed([tp]))[0]?.offset === 30n, 'auto-commit of offset 30', 10_000);
  });

  it('commit() commits what was delivered; commit(offsets) exactly those; commitAsync reports to its callback', async () => {
    const topic = await topicWith(1, 30);
    const groupId = uniqueName('g');
    const c = consumer(groupId, { enableAutoCommit: false });
    c.subscribe([topic]);
    const tp = { topic, partition: 0 };
    await pollUntil(c, 30);
    await c.commit();
    expect((await c.committed([tp]))[0]?.offset).toBe(30n);
    await c.commit([{ ...tp, offset: 12n, metadata: 'checkpoint' }]);
    const committed = (await c.committed([tp]))[0]!;
    expect(committed.offset).toBe(12n);
    expect(committed.metadata).toBe('checkpoint');
    const outcome = await new Promise<unknown>((resolve) => c.commitAsync([{ ...tp, offset: 20n }], (e) => resolve(e)));
    expect(outcome).toBeUndefined();
    expect((await c.committed([tp]))[0]?.offset).toBe(20n);
    // Without offsets: what was delivered, and the callback is told which offsets those were.
    const [error, sent] = await new Promise<[unknown, readonly TopicPartitionOffset[]]>((resolve) =>
      c.commitAsync(undefined, (e, offsets) => resolve([e, offsets])),
    );
    expect(error).toBeUndefined();
    expect(sent.map((o) => [o.topic, o.partition, o.offset])).toEqual([[topic, 0, 30n]]);
    expect((await c.committed([tp]))[0]?.offset).toBe(30n);
  });

  it('close({ autoCommit: false }) leaves without committing', async () => {
    const topic = await topicWith(1, 10);
    const groupId = uniqueName('g');
    const c = consumer(groupId, { autoCommitIntervalMs: 60_000 });
    c.subscribe([topic]);
    await pollUntil(c, 10);
    await c.poll({ timeoutMs: 0 });
    await c.close({ autoCommit: false, timeoutMs: 10_000 });
    const probe = consumer(groupId);
    expect((await probe.committed([{ topic, partition: 0 }]))[0]?.offset).toBeNull();
  });

  it('for await: on break the record in hand is not committed, so a restart reads it again', async () => {
    const topic = await topicWith(1, 20);
    const groupId = uniqueName('g');
    const first = consumer(groupId);
    first.subscribe([topic]);
    for await (const record of first) {
      if (record.value === 'p0-7') break; // the loop body of record 7 did not complete
    }
    await first.close();
    const second = consumer(groupId);
    second.subscribe([topic]);
    const [next] = await pollUntil(second, 1);
    expect(next!.value).toBe('p0-7');
  });

  it('an exception in the loop body commits the records before it, not the failing one', async () => {
    const topic = await topicWith(1, 20);
    const groupId = uniqueName('g');
    const c = consumer(groupId);
    c.subscribe([topic]);
    await expect(async () => {
      for await (const record of c) if (record.value === 'p0-4') throw new Error('cannot process');
    }).rejects.toThrow('cannot process');
    expect((await c.committed([{ topic, partition: 0 }]))[0]?.offset).toBe(4n);
  });

  it('at-most-once iteration commits records before handing them out', async () => {
    const topic = await topicWith(1, 20);
    const groupId = uniqueName('g');
    const c = consumer(groupId, { maxPollRecords: 5 });
    c.subscribe([topic]);
    const iterator = c.records({ mode: 'at-most-once' });
    const first = await iterator.next();
    expect(first.value?.value).toBe('p0-0');
    expect((await c.committed([{ topic, partition: 0 }]))[0]?.offset).toBe(5n);
    await iterator.return();
  });

  it('a commit carrying a stale generation is dropped with CommitFailedError, not retried', async () => {
    const topic = await topicWith(2, 10);
    const groupId = uniqueName('g');
    const a = consumer(groupId);
    a.subscribe([topic]);
    const readerA = readInBackground(a);
    await waitFor(() => a.assignment().length === 2, 'first member owns both partitions');
    const old = a.groupMetadata();
    const b = consumer(groupId);
    b.subscribe([topic]);
    const readerB = readInBackground(b);
    await waitFor(() => a.assignment().length === 1 && b.assignment().length === 1, 'one partition each');
    await waitFor(() => a.groupMetadata().generationId !== old.generationId, 'a new generation');
    // Commit, through the committer, a partition the first member no longer owns, with the generation it had before
    // the rebalance. (KIP-848 coordinators accept an older epoch for partitions still owned since that epoch.)
    const moved = b.assignment()[0]!.partition;
    const cluster = new Cluster(resolveClientOptions({ brokers, logLevel: 'error' }));
    try {
      await cluster.connect();
      const subscriptions = new SubscriptionState();
      const committer = new OffsetCommitter(new GroupCoordinator(cluster, groupId), subscriptions, {
        groupId,
        retryDelay: () => 50,
        logger: silentLogger,
      });
      const stale = committer.commit(
        [{ topic, partition: moved, offset: 3n, leaderEpoch: -1, metadata: 'stale' }],
        { generationId: old.generationId, memberId: old.memberId, groupInstanceId: null },
        Date.now() + 10_000,
      );
      await expect(stale).rejects.toBeInstanceOf(CommitFailedError);
      expect(committer.commitsFailed).toBe(1);
    } finally {
      cluster.close();
    }
    const committed = (await b.committed([{ topic, partition: moved }]))[0]!;
    expect(committed.metadata).not.toBe('stale');
    await readerA.stop();
    await readerB.stop();
  });

  it('exceeding maxPollIntervalMs leaves the group with MaxPollIntervalExceededError; the next read rejoins', async () => {
    const topic = await topicWith(1, 10);
    const groupId = uniqueName('g');
    const { events, listener } = recorder();
    const c = consumer(groupId, {
      maxPollIntervalMs: 1500,
      ...(groupProtocol === 'classic' ? { rebalanceTimeoutMs: 10_000 } : {}),
    });
    c.subscribe([topic], listener);
    const iterator = c.records();
    expect((await iterator.next()).value?.value).toBe('p0-0');
    // The loop body takes longer than maxPollIntervalMs.
    await waitFor(() => events.some((e) => e.kind === 'lost'), 'the partitions were lost', 10_000);
    expect(metricPoints(c.metrics(), 'vltava_consumer_group_state').map((p) => p.labels.state)).toEqual(['left']);
    await expect(iterator.next()).rejects.toBeInstanceOf(MaxPollIntervalExceededError);
    // Record 0 was never processed to completion, so it is read again after rejoining.
    const again = await pollUntil(c, 1);
    expect(again[0]!.value).toBe('p0-0');
  });

  it('a pattern subscription picks up topics created later', async () => {
    const prefix = uniqueName('pat');
    const firstTopic = `${prefix}-a`;
    await producer.createTopic(firstTopic, 1);
    await producer.send(firstTopic, 0, [{ value: 'from-a' }]);
    const c = consumer(uniqueName('g'));
    c.subscribe(new RegExp(`^${prefix}-`));
    expect((await pollUntil(c, 1))[0]!.value).toBe('from-a');
    const secondTopic = `${prefix}-b`;
    await producer.createTopic(secondTopic, 1);
    await producer.send(secondTopic, 0, [{ value: 'from-b' }]);
    const later = await pollUntil(c, 1, 30_000);
    expect(later[0]!.value).toBe('from-b');
    expect(c.subscription()).toEqual([firstTopic, secondTopic]);
  });

  it('unsubscribe revokes the partitions and leaves the group', async () => {
    const topic = await topicWith(2, 5);
    const { events, listener } = recorder();
    const c = consumer(uniqueName('g'));
    c.subscribe([topic], listener);
    await pollUntil(c, 10);
    await c.unsubscribe();
    expect(c.assignment()).toEqual([]);
    expect(c.subscription()).toEqual([]);
    expect(events.at(-1)?.kind).toBe('revoked');
  });

  it('a static member restarted within its session timeout gets its partitions back without a rebalance', async () => {
    const topic = await topicWith(4, 5);
    const groupId = uniqueName('g');
    const staticOptions = groupProtocol === 'classic' ? { sessionTimeoutMs: 20_000 } : {};
    const a1 = consumer(groupId, { groupInstanceId: 'instance-a', ...staticOptions });
    a1.subscribe([topic]);
    const readerA1 = readInBackground(a1);
    const b = consumer(groupId, { groupInstanceId: 'instance-b', ...staticOptions });
    const bEvents = recorder();
    b.subscribe([topic], bEvents.listener);
    const readerB = readInBackground(b);
    await waitFor(() => a1.assignment().length === 2 && b.assignment().length === 2, 'two partitions each', 30_000);
    const before = a1.assignment();
    const bRebalances = metricValue(b.metrics(), 'vltava_consumer_rebalances_total');
    await readerA1.stop();
    await a1.close();
    const a2 = consumer(groupId, { groupInstanceId: 'instance-a', ...staticOptions });
    a2.subscribe([topic]);
    const readerA2 = readInBackground(a2);
    await waitFor(() => a2.assignment().length === 2, 'the restarted member owns partitions again', 30_000);
    expect(a2.assignment()).toEqual(before);
    // The other member saw no rebalance: no callback, no change.
    expect(metricValue(b.metrics(), 'vltava_consumer_rebalances_total')).toBe(bRebalances);
    expect(b.assignment()).toHaveLength(2);
    await readerA2.stop();
    await readerB.stop();
  });
});

describe('consumer protocol specifics (KIP-848)', () => {
  const producer = new TestProducer(brokers);
  const open: Consumer<unknown, unknown>[] = [];
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close({ timeoutMs: 5000 })));
    producer.close();
  });

  it('asks for the server-side assignor named by groupRemoteAssignor', async () => {
    const topic = uniqueName('remote');
    await producer.createTopic(topic, 4);
    const groupId = uniqueName('g');
    const make = (groupRemoteAssignor: string) => {
      const c: StringConsumer = new Consumer({
        brokers,
        groupId,
        groupProtocol: 'consumer',
        groupRemoteAssignor,
        autoOffsetReset: 'earliest',
        logLevel: 'error',
        valueDeserializer: deserializers.string,
      });
      open.push(c as Consumer<unknown, unknown>);
      return c;
    };
    const a = make('range');
    const b = make('range');
    a.subscribe([topic]);
    b.subscribe([topic]);
    const readerA = readInBackground(a);
    const readerB = readInBackground(b);
    await waitFor(() => a.assignment().length === 2 && b.assignment().length === 2, 'two partitions each', 30_000);
    // The range assignor gives each member a contiguous range of partitions.
    for (const c of [a, b]) {
      const [first, second] = c.assignment().map((tp) => tp.partition);
      expect(second! - first!).toBe(1);
    }
    await readerA.stop();
    await readerB.stop();

    // An assignor the broker does not have is an error the application sees.
    const unknown = make('no-such-assignor');
    unknown.subscribe([topic]);
    const error = await unknown.poll({ timeoutMs: 10_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GroupMembershipError);
    expect((error as GroupMembershipError).kafkaErrorName).toBe('UNSUPPORTED_ASSIGNOR');
  });
});

describe('classic protocol specifics', () => {
  const producer = new TestProducer(brokers);
  const open: Consumer<unknown, unknown>[] = [];
  const consumer = (groupId: string, options: Partial<ConsumerOptions<Buffer | null, string | null>> = {}) => {
    const c: StringConsumer = new Consumer({
      brokers,
      groupId,
      autoOffsetReset: 'earliest',
      logLevel: 'error',
      valueDeserializer: deserializers.string,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 300,
      ...options,
    });
    open.push(c as Consumer<unknown, unknown>);
    return c;
  };
  let topic: string;
  beforeAll(async () => {
    topic = uniqueName('coop');
    await producer.createTopic(topic, 4);
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close({ timeoutMs: 5000 })));
    producer.close();
  });

  it('cooperative-sticky revokes only the partitions that move (KIP-429)', async () => {
    const groupId = uniqueName('g');
    const a = recorder();
    const ca = consumer(groupId, { partitionAssignors: ['cooperative-sticky'] });
    ca.subscribe([topic], a.listener);
    const readerA = readInBackground(ca);
    await waitFor(() => ca.assignment().length === 4, 'first member owns all four');
    const cb = consumer(groupId, { partitionAssignors: ['cooperative-sticky'] });
    cb.subscribe([topic]);
    const readerB = readInBackground(cb);
    await waitFor(() => ca.assignment().length === 2 && cb.assignment().length === 2, 'two each', 30_000);
    const revoked = a.events.filter((e) => e.kind === 'revoked');
    expect(revoked).toHaveLength(1);
    expect(revoked[0]!.partitions).toHaveLength(2); // not all four, as eager rebalancing would
    expect(a.events.filter((e) => e.kind === 'lost')).toHaveLength(0);
    await readerA.stop();
    await readerB.stop();
  });

  /** All partitions to the first member by id: a custom assignor, answering at once or (like KafkaJS's) later. */
  function everythingToOne(name: string, answerLater: boolean): PartitionAssignor & { calls: number } {
    const assignor = {
      name,
      calls: 0,
      supportedProtocols: ['eager'] as const,
      assign(
        members: Parameters<PartitionAssignor['assign']>[0],
        topics: Parameters<PartitionAssignor['assign']>[1],
      ): ReturnType<PartitionAssignor['assign']> {
        assignor.calls++;
        const sorted = [...members].sort((x, y) => (x.memberId < y.memberId ? -1 : 1));
        const result = new Map(sorted.map((m) => [m.memberId, { partitions: [] as TopicPartition[] }]));
        for (const [topicName, partitions] of topics) {
          for (const { partition } of partitions)
            result.get(sorted[0]!.memberId)!.partitions.push({ topic: topicName, partition });
        }
        // An assignor written for an asynchronous interface (KafkaJS's) may await before it answers.
        return answerLater ? new Promise((resolve) => setImmediate(() => resolve(result))) : result;
      },
    };
    return assignor;
  }

  it.for([
    ['answers at once', false],
    ['returns a Promise', true],
  ] as const)('uses a custom assignor that %s', async ([, answerLater]) => {
    const assignor = everythingToOne(answerLater ? 'everything-to-one-later' : 'everything-to-one', answerLater);
    const groupId = uniqueName('g');
    const ca = consumer(groupId, { partitionAssignors: [assignor] });
    const cb = consumer(groupId, { partitionAssignors: [assignor] });
    ca.subscribe([topic]);
    cb.subscribe([topic]);
    const readerA = readInBackground(ca);
    const readerB = readInBackground(cb);
    await waitFor(
      () =>
        ca.assignment().length + cb.assignment().length === 4 &&
        (ca.assignment().length === 0 || cb.assignment().length === 0),
      'one member owns everything',
      30_000,
    );
    expect(assignor.calls).toBeGreaterThan(0);
    await readerA.stop();
    await readerB.stop();
  });
});

describe('manual assignment with a groupId', () => {
  const producer = new TestProducer(brokers);
  const open: Consumer<unknown, unknown>[] = [];
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close({ timeoutMs: 5000 })));
    producer.close();
  });

  it('assign() commits what was processed of the partitions it drops (regression: it committed nothing)', async () => {
    const topic = uniqueName('assign');
    await producer.createTopic(topic, 2);
    for (let p = 0; p < 2; p++) await producer.sendMany(topic, p, 10, `p${p}`, 50);
    const groupId = uniqueName('g');
    const c: StringConsumer = new Consumer({
      brokers,
      groupId,
      autoOffsetReset: 'earliest',
      autoCommitIntervalMs: 600_000, // no periodic commit during the test
      logLevel: 'error',
      valueDeserializer: deserializers.string,
    });
    open.push(c as Consumer<unknown, unknown>);
    c.assign([0, 1].map((partition) => ({ topic, partition })));
    await pollUntil(c, 20);
    await c.poll({ timeoutMs: 0 }); // the 20 records count as processed
    c.assign([{ topic, partition: 0 }]);
    const dropped = { topic, partition: 1 };
    await waitFor(async () => (await c.committed([dropped]))[0]?.offset === 10n, 'the commit of partition 1', 15_000);
  });
});
