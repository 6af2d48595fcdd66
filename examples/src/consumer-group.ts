/**
 * A consumer group: three members share a topic of six partitions. Each member prints its assignment from its
 * rebalance listener as members join (and one leaves), while all of them keep reading.
 *
 *   npx tsx examples/src/consumer-group.ts
 *
 * (Uses the cluster in KAFKA_BROKERS, or starts a local broker for the run.)
 */
import { Consumer, deserializers, Producer, type TopicPartition } from '@vltava/core';
import { createTopics } from './support/create-topics.js';
import { type Log, runExample, uniqueName } from './support/run-example.js';
import { until } from './support/until.js';

const PARTITIONS = 6;

/** One member of the group: a consumer reading in a `for await` loop until stopped. */
class Member {
  readonly consumer: Consumer<string | null, string | null>;
  /** The partitions the member owns, as its rebalance listener saw them. */
  readonly owned = new Set<number>();
  readonly read: string[] = [];
  private readonly stop = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    readonly name: string,
    brokers: string,
    groupId: string,
    private readonly log: Log,
  ) {
    this.consumer = new Consumer({
      brokers,
      groupId,
      clientId: name,
      autoOffsetReset: 'earliest',
      // Incremental rebalancing: only the partitions that move are revoked, the others keep being read.
      partitionAssignors: ['cooperative-sticky'],
      // Members learn of a rebalance at their next heartbeat: every second here (default 3 s) for a brisk example.
      heartbeatIntervalMs: 1000,
      // An automatic commit racing a rebalance is refused (its generation is over) and logged as a warning; the
      // offsets are committed before the partitions move anyway. Errors only, for a tidy output.
      logLevel: 'error',
      keyDeserializer: deserializers.string,
      valueDeserializer: deserializers.string,
    });
  }

  start(topic: string): void {
    const show = (what: string, partitions: TopicPartition[]) =>
      this.log(
        `${this.name}: ${what} [${partitions.map((p) => p.partition).join(', ')}] -> owns ` +
          `[${[...this.owned].sort((a, b) => a - b).join(', ')}]`,
      );
    this.consumer.subscribe([topic], {
      onPartitionsAssigned: (partitions) => {
        for (const p of partitions) this.owned.add(p.partition);
        show('assigned', partitions);
      },
      onPartitionsRevoked: (partitions) => {
        for (const p of partitions) this.owned.delete(p.partition);
        show('revoked', partitions);
      },
    });
    this.loop = (async () => {
      for await (const record of this.consumer.records({ signal: this.stop.signal })) {
        this.read.push(`${record.partition}:${record.offset}`);
      }
    })();
  }

  /** Ends the loop (committing what was read) and leaves the group. */
  async leave(): Promise<void> {
    this.stop.abort();
    await this.loop;
    await this.consumer.close();
    this.log(`${this.name}: left the group`);
  }
}

/** What the example did. */
export interface ConsumerGroupResult {
  readonly topic: string;
  readonly groupId: string;
  /** Each member's partitions once all three were in the group. */
  readonly withThree: Record<string, number[]>;
  /** The remaining members' partitions after member 3 left. */
  readonly afterLeave: Record<string, number[]>;
  /** `partition:offset` of every record read, by any member. */
  readonly read: string[];
}

export async function main(brokers: string, log: Log, count = 3000): Promise<ConsumerGroupResult> {
  const topic = uniqueName('clicks');
  const groupId = uniqueName('click-counters');
  await createTopics(brokers, [topic], PARTITIONS);

  const producer = new Producer<string, string>({ brokers });
  const result = await producer.sendBatch(
    Array.from({ length: count }, (_, i) => ({ topic, key: `user-${i % 50}`, value: `click ${i}` })),
  );
  if (result.firstError !== undefined) throw result.firstError;
  await producer.close();
  log(`wrote ${count} records to ${topic} (${PARTITIONS} partitions)`);

  const members = [1, 2, 3].map((n) => new Member(`member-${n}`, brokers, groupId, log));
  const snapshot = (list: readonly Member[]) =>
    Object.fromEntries(list.map((m) => [m.name, [...m.owned].sort((a, b) => a - b)]));
  const balanced = (list: readonly Member[]) => {
    const owned = list.flatMap((m) => [...m.owned]);
    return new Set(owned).size === PARTITIONS && owned.length === PARTITIONS && list.every((m) => m.owned.size > 0);
  };

  // Members join one at a time; each join rebalances the group.
  for (let n = 1; n <= members.length; n++) {
    members[n - 1]!.start(topic);
    await until(() => balanced(members.slice(0, n)), `${n} member(s) sharing the ${PARTITIONS} partitions`);
  }
  const withThree = snapshot(members);
  log(`three members: ${JSON.stringify(withThree)}`);

  const readCount = () => new Set(members.flatMap((m) => m.read)).size;
  await until(() => readCount() >= count, `all ${count} records read`);

  // One member leaves: its partitions move to the other two.
  await members[2]!.leave();
  await until(() => balanced(members.slice(0, 2)), 'the two remaining members taking over');
  const afterLeave = snapshot(members.slice(0, 2));
  log(`after member-3 left: ${JSON.stringify(afterLeave)}`);

  await Promise.all(members.slice(0, 2).map((m) => m.leave()));
  return { topic, groupId, withThree, afterLeave, read: members.flatMap((m) => m.read) };
}

await runExample(import.meta.url, main);
