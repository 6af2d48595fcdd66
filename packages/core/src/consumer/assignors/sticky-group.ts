import type { TopicPartition } from '../../vocabulary/topic-partition.js';
import { compareStrings } from './assignment-order.js';
import { checkMembers, sortedPartitionInfos } from './assignor-input.js';
import type { GroupMemberSubscription, TopicPartitionInfo } from './partition-assignor.js';
import { memberRack, useRackAwareAssignment } from './rack-awareness.js';

/** A member's previous ownership as a sticky assignor reads it from its subscription. */
export interface PreviousOwnership {
  /** Partitions the member owned (from `ownedPartitions` or the assignor's user data). */
  readonly partitions: readonly TopicPartition[];
  /** Generation of that ownership; `-1` when unknown. */
  readonly generation: number;
}

/**
 * The group as the sticky assignors work on it: members, topics and partitions numbered densely in a canonical
 * order (members by member id, topics by name, partitions by number), so that the result never depends on the
 * order of the input, and the previous ownership resolved into one valid owner per partition.
 */
export class StickyGroup {
  /** Member ids, ascending; member `m` is `memberIds[m]`. */
  readonly memberIds: string[];
  /** Subscribed topics that have partitions, ascending; topic `t` is `topicNames[t]`. */
  readonly topicNames: string[] = [];
  /** Partitions of topic `t` are `topicStart[t]` to `topicStart[t + 1] - 1`. */
  readonly topicStart: number[] = [0];
  /** Topic of each partition. */
  readonly partitionTopic: number[] = [];
  /** Partition number of each partition. */
  readonly partitionNumber: number[] = [];
  /** Subscribers of each topic, ascending member index. */
  readonly subscribers: number[][] = [];
  /** Topics of each member, ascending topic index. */
  readonly subscriptions: number[][];
  /** Whether the assignment prefers rack-local members (KIP-881); see {@link useRackAwareAssignment}. */
  readonly rackAware: boolean;
  /** Each member's rack when rack-aware, else all `null`. */
  readonly memberRacks: (string | null)[];
  /** Replica racks of each partition (empty lists when not rack-aware). */
  readonly partitionRacks: (readonly string[])[] = [];
  /**
   * The member whose previous ownership of each partition stands, or -1: the only claimant, or the claimant with
   * the highest generation, provided it is still subscribed to the topic.
   */
  readonly previousOwner: Int32Array;
  /** Partitions claimed by two or more members of the same, highest, generation: ownership unknown. */
  readonly contested: Uint8Array;
  /** Every member that claims each partition (whatever its generation), for the cooperative protocol. */
  readonly claimants: (number[] | undefined)[];

  private readonly indexOfTopic = new Map<string, number>();
  private readonly topicSets: Set<number>[];

  constructor(
    members: readonly GroupMemberSubscription[],
    topics: ReadonlyMap<string, readonly TopicPartitionInfo[]>,
    ownershipOf: (member: GroupMemberSubscription) => PreviousOwnership,
  ) {
    checkMembers(members);
    const sorted = [...members].sort((a, b) => compareStrings(a.memberId, b.memberId));
    this.memberIds = sorted.map((m) => m.memberId);

    const wanted = new Set<string>();
    for (const member of sorted) for (const topic of member.topics) wanted.add(topic);
    const racksPerPartition: (readonly string[])[] = [];
    for (const topic of [...wanted].sort(compareStrings)) {
      const infos = topics.get(topic);
      if (infos === undefined || infos.length === 0) continue;
      this.indexOfTopic.set(topic, this.topicNames.length);
      this.topicNames.push(topic);
      for (const info of sortedPartitionInfos(topic, infos)) {
        this.partitionTopic.push(this.topicNames.length - 1);
        this.partitionNumber.push(info.partition);
        racksPerPartition.push(info.replicaRacks);
      }
      this.topicStart.push(this.partitionNumber.length);
      this.subscribers.push([]);
    }

    this.subscriptions = sorted.map((member, m) => {
      const own = new Set<number>();
      for (const topic of member.topics) {
        const t = this.indexOfTopic.get(topic);
        if (t !== undefined) own.add(t);
      }
      const list = [...own].sort((a, b) => a - b);
      for (const t of list) this.subscribers[t]!.push(m);
      return list;
    });
    this.topicSets = this.subscriptions.map((list) => new Set(list));

    const consumerRacks = new Set<string>();
    for (const member of sorted) {
      const rack = memberRack(member.rackId);
      if (rack !== null) consumerRacks.add(rack);
    }
    this.rackAware = useRackAwareAssignment(consumerRacks, racksPerPartition);
    this.memberRacks = sorted.map((member) => (this.rackAware ? memberRack(member.rackId) : null));
    for (const racks of racksPerPartition) this.partitionRacks.push(this.rackAware ? racks : []);

    const count = this.partitionNumber.length;
    this.previousOwner = new Int32Array(count).fill(-1);
    this.contested = new Uint8Array(count);
    this.claimants = new Array<number[] | undefined>(count);
    this.resolveOwnership(sorted.map(ownershipOf));
  }

  /** Number of members. */
  get memberCount(): number {
    return this.memberIds.length;
  }

  /** Number of partitions to assign. */
  get partitionCount(): number {
    return this.partitionNumber.length;
  }

  /** Number of topics to assign. */
  get topicCount(): number {
    return this.topicNames.length;
  }

  /** Index of a partition, or -1 when the topic is not assigned here or has no such partition. */
  indexOf(topic: string, partition: number): number {
    const t = this.indexOfTopic.get(topic);
    if (t === undefined) return -1;
    const start = this.topicStart[t]!;
    const end = this.topicStart[t + 1]!;
    // Partition numbers are ascending and usually 0..n-1: try the direct slot, then search.
    const direct = start + partition;
    if (direct < end && this.partitionNumber[direct] === partition) return direct;
    let lo = start;
    let hi = end - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = this.partitionNumber[mid]!;
      if (value === partition) return mid;
      if (value < partition) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** True when member `m` is subscribed to topic `t`. */
  isSubscribedToTopic(m: number, t: number): boolean {
    return this.topicSets[m]!.has(t);
  }

  /** True when member `m` is subscribed to the topic of partition `p`. */
  isSubscribed(m: number, p: number): boolean {
    return this.topicSets[m]!.has(this.partitionTopic[p]!);
  }

  /** 1 when member `m` has a rack and partition `p` has a replica on it, -1 when it has a rack and `p` none, else 0. */
  rackFit(m: number, p: number): number {
    const rack = this.memberRacks[m];
    if (rack === null || rack === undefined) return 0;
    return this.partitionRacks[p]!.includes(rack) ? 1 : -1;
  }

  /** The partition as the public API shows it. */
  topicPartition(p: number): TopicPartition {
    return { topic: this.topicNames[this.partitionTopic[p]!]!, partition: this.partitionNumber[p]! };
  }

  /**
   * Applies the Java client's rules to claims of previous ownership: claims on topics or partitions that no longer
   * exist are ignored; when several members claim a partition the highest generation wins and the others' claims
   * are dropped; when the highest generation is shared the partition is contested and nobody keeps it; a winner no
   * longer subscribed to the topic keeps nothing.
   */
  private resolveOwnership(ownerships: readonly PreviousOwnership[]): void {
    const bestGeneration = new Map<number, number>();
    ownerships.forEach((ownership, m) => {
      for (const { topic, partition } of ownership.partitions) {
        const p = this.indexOf(topic, partition);
        if (p < 0) continue;
        const claimants = this.claimants[p];
        if (claimants === undefined) this.claimants[p] = [m];
        else if (claimants.includes(m)) continue;
        else claimants.push(m);
        const generation = ownership.generation;
        const best = bestGeneration.get(p);
        if (best === undefined || generation > best) {
          bestGeneration.set(p, generation);
          this.previousOwner[p] = m;
          this.contested[p] = 0;
        } else if (generation === best) {
          this.previousOwner[p] = -1;
          this.contested[p] = 1;
        }
      }
    });
    for (let p = 0; p < this.previousOwner.length; p++) {
      const owner = this.previousOwner[p]!;
      if (owner >= 0 && !this.isSubscribed(owner, p)) this.previousOwner[p] = -1;
    }
  }
}
