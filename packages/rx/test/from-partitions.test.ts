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
