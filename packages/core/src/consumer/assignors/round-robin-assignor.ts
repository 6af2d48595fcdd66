import type { TopicPartition } from '../../vocabulary/topic-partition.js';
import { compareMembers, compareStrings, toAssignment } from './assignment-order.js';
import { checkMembers, sortedPartitionInfos } from './assignor-input.js';
import type {
  GroupMemberSubscription,
  MemberAssignment,
  PartitionAssignor,
  RebalanceProtocol,
  TopicPartitionInfo,
} from './partition-assignor.js';

/**
 * The `roundrobin` assignor (Java: `RoundRobinAssignor`).
 *
 * Lays out every partition of every subscribed topic, sorted by topic then partition, and deals them one by one
 * to the members sorted (static members first by `group.instance.id`, then by member id), going round in a circle
 * and skipping members not subscribed to the partition's topic. With identical subscriptions the partition counts
 * differ by at most one.
 *
 * Example (from the Java docs): members C0, C1, C2 all subscribed to t0..t3 with 2 partitions each →
 * C0: t0p0, t1p1, t3p0; C1: t0p1, t2p0, t3p1; C2: t1p0, t2p1. Ignores racks and previously owned partitions; eager
 * protocol only.
 */
export class RoundRobinAssignor implements PartitionAssignor {
  /** Protocol name, as in the Java client. */
  readonly name = 'roundrobin';
  /** Eager only. */
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['eager'];

  /** Computes the round-robin assignment; see the class documentation. */
  assign(
    members: readonly GroupMemberSubscription[],
    topics: ReadonlyMap<string, readonly TopicPartitionInfo[]>,
  ): Map<string, MemberAssignment> {
    checkMembers(members);
    const sorted = [...members].sort(compareMembers);
    const lists = new Map<string, TopicPartition[]>();
    for (const member of sorted) lists.set(member.memberId, []);
    const subscribed = sorted.map((member) => new Set(member.topics));

    const allTopics = new Set<string>();
    for (const member of sorted) for (const topic of member.topics) allTopics.add(topic);

    let next = 0;
    for (const topic of [...allTopics].sort(compareStrings)) {
      const infos = topics.get(topic);
      if (infos === undefined) continue;
      for (const { partition } of sortedPartitionInfos(topic, infos)) {
        // Some member subscribes to every topic in allTopics, so this loop ends within one round.
        while (!subscribed[next]!.has(topic)) next = (next + 1) % sorted.length;
        lists.get(sorted[next]!.memberId)!.push({ topic, partition });
        next = (next + 1) % sorted.length;
      }
    }
    return toAssignment(lists);
  }
}
