import { Consumer, type ConsumerOptions } from '@vltava/core';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { concatMap, mergeMap, type Subscription, tap } from 'rxjs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { fromConsumer, fromPartitions } from '../src/index.js';
import { GroupInspector } from './support/group-inspector.js';
import { groupConsumerOptions, TopicWriter, waitFor } from './support/topic-writer.js';

const brokers = inject('kafkaBootstrap');
const PER_PARTITION = 1500;

const setups = [
  { name: 'classic, cooperative-sticky', extra: { partitionAssignors: ['cooperative-sticky'] } },
  { name: 'consumer (KIP-848)', extra: { groupProtocol: 'consumer' } },
] as const;

/**
 * Two members share a topic: member A reads it with `fromPartitions`, member B joins with `fromConsumer` and one
 * partition moves to B. A's Observable of that partition completes only after every record it emitted was
 * acknowledged; B starts where A stopped: no record of the moved partition is processed twice or skipped.
 */
describe.each(setups)('fromPartitions through a rebalance ($name)', ({ extra }) => {
  const producer = new TopicWriter(brokers);
  const inspector = new GroupInspector(brokers);
  afterAll(async () => {
    await producer.close();
    await inspector.close();
  });

  it('completes a moved partition after its in-flight records are acknowledged; the new owner goes on from there', async ({
    annotate,
  }) => {
    const topic = uniqueName('rx-parts');
    const groupId = uniqueName('g');
    await producer.createTopic(topic, 2);
    for (let p = 0; p < 2; p++) await producer.sendMany(topic, p, PER_PARTITION, `p${p}`);
    const options = () =>
      groupConsumerOptions(brokers, groupId, extra as Partial<ConsumerOptions<string | null, string | null>>);

    /** Offsets processed, per member and partition. */
    const byA = new Map<number, bigint[]>([
      [0, []],
      [1, []],
    ]);
    const byB = new Map<number, bigint[]>([
      [0, []],
      [1, []],
    ]);
    const completions: Array<{ partition: number; emitted: number; acknowledged: number }> = [];
    const subscriptions: Subscription[] = [];
    subscriptions.push(
      fromPartitions(() => new Consumer(options()), { topics: [topic], highWaterMark: 50 })
        .pipe(
          mergeMap((partition) => {
            let emitted = 0;
            let acknowledged = 0;
            return partition.pipe(
              concatMap(async (message) => {
                emitted++;
                await new Promise((resolve) => setTimeout(resolve, 1)); // 1-2 ms of work per record
                byA.get(message.partition)!.push(message.offset);
                message.ack();
                acknowledged++;
              }),
              tap({
                complete: () => completions.push({ partition: partition.partition, emitted, acknowledged }),
              }),
            );
          }),
        )
        .subscribe(),
    );
    await waitFor(() => byA.get(0)!.length > 100 && byA.get(1)!.length > 100, 'member A to be reading both');
    subscriptions.push(
      fromConsumer(() => new Consumer(options()), { topics: [topic] }).subscribe((message) => {
        byB.get(message.partition)!.push(message.offset);
        message.ack();
      }),
    );
    const total = () => [...byA.values(), ...byB.values()].reduce((n, list) => n + list.length, 0);
    await waitFor(() => total() >= 2 * PER_PARTITION, 'every record processed', 60_000);
    for (const subscription of subscriptions) subscription.unsubscribe();

    // One partition moved to B; A's Observable of it completed once all its records were acknowledged.
    const moved = [0, 1].find((p) => byB.get(p)!.length > 0);
    expect(moved).toBeDefined();
    const completion = completions.find((c) => c.partition === moved);
    expect(completion).toBeDefined();
    expect(completion!.acknowledged).toBe(completion!.emitted);
    expect(completion!.emitted).toBeGreaterThan(0);
    // Every record of each partition processed exactly once, in order, across both members.
    for (const p of [0, 1]) {
      const all = [...byA.get(p)!, ...byB.get(p)!];
      expect(all).toEqual(Array.from({ length: PER_PARTITION }, (_, i) => BigInt(i)));
    }
    await annotate(
      `moved partition ${moved}: A processed ${byA.get(moved!)!.length}, B ${byB.get(moved!)!.length}; ` +
        `A's Observable completed with ${completion!.emitted} emitted, ${completion!.acknowledged} acknowledged`,
    );
    await waitFor(async () => (await inspector.describe(groupId)).members.length === 0, 'the group to be empty');
  });
});

/**
 * The eager protocol (the classic `range` assignor) revokes every partition of every member at each rebalance: each
 * of member A's partition Observables must complete exactly once per rebalance that revokes it, and a new one be
 * emitted per partition assigned, with nothing processed twice or skipped. Two members join one after the other.
 */
describe('fromPartitions through two joins with the eager assignor', () => {
  const producer = new TopicWriter(brokers);
  const inspector = new GroupInspector(brokers);
  afterAll(async () => {
    await producer.close();
    await inspector.close();
  });

  it('completes each revoked partition Observable once per rebalance and emits one per assigned partition', async ({
    annotate,
  }) => {
    const topic = uniqueName('rx-eager');
    const groupId = uniqueName('g');
    const partitions = [0, 1, 2, 3];
    const perPartition = 2000;
    await producer.createTopic(topic, partitions.length);
    for (const p of partitions) await producer.sendMany(topic, p, perPartition, `p${p}`);
    const options = () => groupConsumerOptions(brokers, groupId, { partitionAssignors: ['range'] });

    const processed = new Map<number, bigint[]>(partitions.map((p) => [p, []]));
    /** A's rebalance events, as its listener saw them, and its partition Observables' lives. */
    const revocations: number[][] = [];
    const assignments: number[][] = [];
    const emitted: number[] = [];
    const completed: number[] = [];
    const subscriptions: Subscription[] = [];
    subscriptions.push(
      fromPartitions(() => new Consumer(options()), {
        topics: [topic],
        highWaterMark: 50,
        listener: {
          onPartitionsRevoked: (list) => void revocations.push(list.map((tp) => tp.partition)),
          onPartitionsAssigned: (list) => void assignments.push(list.map((tp) => tp.partition)),
        },
      })
        .pipe(
          mergeMap((partition) => {
            emitted.push(partition.partition);
            return partition.pipe(
              concatMap(async (message) => {
                await new Promise((resolve) => setTimeout(resolve, 1)); // 1-2 ms of work per record
                processed.get(message.partition)!.push(message.offset);
                message.ack();
              }),
              tap({ complete: () => completed.push(partition.partition) }),
            );
          }),
        )
        .subscribe(),
    );
    const total = () => [...processed.values()].reduce((n, list) => n + list.length, 0);
    const other = () =>
      fromConsumer(() => new Consumer(options()), { topics: [topic] }).subscribe((message) => {
        processed.get(message.partition)!.push(message.offset);
        message.ack();
      });
    await waitFor(() => total() > 400, 'member A to be reading');
    subscriptions.push(other()); // first join
    await waitFor(() => revocations.length >= 1 && assignments.length >= 2, 'the first rebalance');
    await waitFor(() => total() > 1200, 'reading after the first rebalance');
    subscriptions.push(other()); // second join
    await waitFor(() => revocations.length >= 2 && assignments.length >= 3, 'the second rebalance');
    await waitFor(() => total() >= partitions.length * perPartition, 'every record processed', 90_000);
    for (const subscription of subscriptions) subscription.unsubscribe();
    await waitFor(async () => (await inspector.describe(groupId)).members.length === 0, 'the group to be empty');

    await annotate(
      `A: revoked ${JSON.stringify(revocations)}, assigned ${JSON.stringify(assignments)}; ` +
        `Observables emitted ${JSON.stringify(emitted)}, completed ${JSON.stringify(completed)}`,
    );
    // One Observable per partition assigned, one completion per partition revoked (and at the end, the last ones).
    expect([...emitted].sort()).toEqual(assignments.flat().sort());
    const revokedWhileRunning = revocations.slice(0, -1).flat(); // the last revocation is the unsubscribe's
    expect(completed.slice(0, revokedWhileRunning.length).sort()).toEqual([...revokedWhileRunning].sort());
    expect(completed).toHaveLength(emitted.length);
    // Every record of each partition processed exactly once, in order, across the members.
    for (const p of partitions) {
      const all = [...processed.get(p)!].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(all).toEqual(Array.from({ length: perPartition }, (_, i) => BigInt(i)));
    }
  });
});
