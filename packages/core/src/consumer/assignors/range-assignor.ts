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
import { memberRack, useRackAwareAssignment } from './rack-awareness.js';

/** One topic's progress through the range assignment. */
class TopicRanges {
  readonly subscribers: readonly string[];
  /** Partitions assigned so far. */
  private readonly taken = new Set<TopicPartitionInfo>();
  readonly rackAware: boolean;
  private readonly perMember: number;
  private membersWithExtraLeft: number;
  private readonly assignedCount = new Map<string, number>();

  constructor(
    readonly topic: string,
    /** All partitions of the topic, ascending. */
    readonly partitions: readonly TopicPartitionInfo[],
    subscribers: readonly GroupMemberSubscription[],
    private readonly racks: ReadonlyMap<string, string>,
  ) {
    this.subscribers = subscribers.map((m) => m.memberId);
    this.perMember = Math.floor(partitions.length / subscribers.length);
    this.membersWithExtraLeft = partitions.length % subscribers.length;
    const subscriberRacks = new Set<string>();
    for (const id of this.subscribers) {
      const rack = racks.get(id);
      if (rack !== undefined) subscriberRacks.add(rack);
    }
    this.rackAware = useRackAwareAssignment(
      subscriberRacks,
      partitions.map((p) => p.replicaRacks),
    );
  }

  /** How many more partitions of this topic the member may take without breaking the range balance. */
  maxAssignable(memberId: string): number {
    const cap = this.perMember + (this.membersWithExtraLeft > 0 ? 1 : 0);
    return Math.max(0, cap - (this.assignedCount.get(memberId) ?? 0));
  }

  /** True when the member has no rack or the partition has a replica on the member's rack. */
  racksMatch(memberId: string, partition: TopicPartitionInfo): boolean {
    const rack = this.racks.get(memberId);
    return rack === undefined || partition.replicaRacks.includes(rack);
  }

  /** True while some partition of the topic is not assigned. */
  get hasUnassigned(): boolean {
    return this.taken.size < this.partitions.length;
  }

  /** True when the partition is assigned already. */
  isTaken(partition: TopicPartitionInfo): boolean {
    return this.taken.has(partition);
  }

  /** Records that `memberId` got `partitions` (none of them assigned before). */
  onAssigned(memberId: string, partitions: readonly TopicPartitionInfo[]): void {
    const count = (this.assignedCount.get(memberId) ?? 0) + partitions.length;
    this.assignedCount.set(memberId, count);
    if (count > this.perMember) this.membersWithExtraLeft--;
    for (const p of partitions) this.taken.add(p);
  }
}

/**
 * The `range` assignor (Java: `RangeAssignor`, the Java client's historical default).
 *
 * Works topic by topic: the topic's subscribers are sorted (static members first by `group.instance.id`, then by
 * member id) and its partitions are cut into contiguous ranges, the first `partitions % subscribers` members getting
 * one more. Topics with the same partition count and subscribers are therefore co-partitioned: partition `i` of each
 * goes to the same member, which joins need.
 *
 * Example (from the Java docs): members C0 and C1, topics t0 and t1 with 3 partitions each →
 * C0: t0p0, t0p1, t1p0, t1p1; C1: t0p2, t1p2.
 *
 * Rack-aware (KIP-881) when members have a `client.rack` and partitions have replicas on only some racks: each
 * member first takes, within its range quota, partitions with a replica on its rack (for co-partitioned topics,
 * partition `i` of all of them together), then the rest is cut into ranges as usual. The per-topic balance is
 * never traded for locality. Ignores previously owned partitions; eager protocol only.
 */
export class RangeAssignor implements PartitionAssignor {
  /** Protocol name, as in the Java client. */
  readonly name = 'range';
  /** Eager only. */
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['eager'];

  /** Computes the range assignment; see the class documentation. */
  assign(
    members: readonly GroupMemberSubscription[],
    topics: ReadonlyMap<string, readonly TopicPartitionInfo[]>,
  ): Map<string, MemberAssignment> {
    checkMembers(members);
    const lists = new Map<string, TopicPartition[]>();
    for (const member of members) lists.set(member.memberId, []);

    const racks = new Map<string, string>();
    for (const member of members) {
      const rack = memberRack(member.rackId);
      if (rack !== null) racks.set(member.memberId, rack);
    }

    const subscribersByTopic = new Map<string, GroupMemberSubscription[]>();
    for (const member of members) {
      for (const topic of new Set(member.topics)) {
        let list = subscribersByTopic.get(topic);
        if (list === undefined) {
          list = [];
          subscribersByTopic.set(topic, list);
        }
        list.push(member);
      }
    }

    const states: TopicRanges[] = [];
    for (const topic of [...subscribersByTopic.keys()].sort(compareStrings)) {
      const infos = topics.get(topic);
      if (infos === undefined || infos.length === 0) continue;
      const subscribers = subscribersByTopic.get(topic)!.sort(compareMembers);
      states.push(new TopicRanges(topic, sortedPartitionInfos(topic, infos), subscribers, racks));
    }

    const give = (state: TopicRanges, memberId: string, partitions: readonly TopicPartitionInfo[]): void => {
      const list = lists.get(memberId)!;
      for (const p of partitions) list.push({ topic: state.topic, partition: p.partition });
      state.onAssigned(memberId, partitions);
    };

    const assignRanges = (state: TopicRanges, mayAssign: (memberId: string, p: TopicPartitionInfo) => boolean) => {
      for (const memberId of state.subscribers) {
        if (!state.hasUnassigned) break;
        const limit = state.maxAssignable(memberId);
        if (limit === 0) continue;
        const chosen: TopicPartitionInfo[] = [];
        for (const p of state.partitions) {
          if (chosen.length === limit) break;
          if (!state.isTaken(p) && mayAssign(memberId, p)) chosen.push(p);
        }
        if (chosen.length > 0) give(state, memberId, chosen);
      }
    };

    if (states.some((s) => s.rackAware)) {
      // Topics with the same subscribers and partition count are co-partitioned: align them together.
      const groups = new Map<string, TopicRanges[]>();
      for (const state of states) {
        const key = `${state.partitions.length}\u0000${state.subscribers.join('\u0000')}`;
        let group = groups.get(key);
        if (group === undefined) {
          group = [];
          groups.set(key, group);
        }
        group.push(state);
      }
      for (const group of groups.values()) {
        if (group.length > 1) this.assignCoPartitionedByRack(group, give);
        else if (group[0]!.rackAware) assignRanges(group[0]!, (m, p) => group[0]!.racksMatch(m, p));
      }
    }
    for (const state of states) assignRanges(state, () => true);

    return toAssignment(lists);
  }

  /**
   * For co-partitioned topics: partition `i` of every topic goes to the first member (in range order) that has a
   * replica of each on its rack and room for each.
   */
  private assignCoPartitionedByRack(
    group: readonly TopicRanges[],
    give: (state: TopicRanges, memberId: string, partitions: readonly TopicPartitionInfo[]) => void,
  ): void {
    const first = group[0]!;
    const remaining = [...first.subscribers];
    const count = first.partitions.length;
    for (let i = 0; i < count && remaining.length > 0; i++) {
      const index = remaining.findIndex((memberId) =>
        group.every((state) => state.maxAssignable(memberId) > 0 && state.racksMatch(memberId, state.partitions[i]!)),
      );
      if (index < 0) continue;
      const memberId = remaining[index]!;
      for (const state of group) give(state, memberId, [state.partitions[i]!]);
      if (group.every((state) => state.maxAssignable(memberId) === 0)) remaining.splice(index, 1);
    }
  }
}
