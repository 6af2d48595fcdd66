/**
 * The client-side partition assignor of the classic consumer group protocol (JoinGroup/SyncGroup), as in the Java
 * client's `ConsumerPartitionAssignor`.
 *
 * Every member announces, in its JoinGroup request, the assignors it supports (by {@link PartitionAssignor.name}) and
 * for each a subscription (`ConsumerProtocolSubscription`): its topics, optional user data from
 * {@link PartitionAssignor.subscriptionUserData}, the partitions it owns, its generation and its rack. The
 * coordinator picks one assignor that every member supports and elects a leader; the leader's consumer runs that
 * assignor's {@link PartitionAssignor.assign} over all subscriptions and sends each member its assignment
 * (`ConsumerProtocolAssignment`) in SyncGroup. Every member then hands its own assignment to
 * {@link PartitionAssignor.onAssignment}.
 *
 * @module
 */

import type { TopicPartition } from '../../vocabulary/topic-partition.js';

/** What an assignor knows about one partition of a subscribed topic (from the leader's metadata). */
export interface TopicPartitionInfo {
  /** Partition number, from 0. */
  readonly partition: number;
  /**
   * Racks of the brokers holding a replica of the partition (`broker.rack`), all replicas included, online or not
   * (KIP-881). Brokers without a rack are left out; empty when no replica broker has a rack.
   */
  readonly replicaRacks: readonly string[];
}

/**
 * One member's subscription as the leader received it: the decoded `ConsumerProtocolSubscription` (v0-v3) plus the
 * member's identity from the JoinGroup response. Fields that an older subscription version does not carry hold
 * their protocol defaults (`[]`, `-1`, `null`).
 */
export interface GroupMemberSubscription {
  /** Member id the coordinator gave the member. */
  readonly memberId: string;
  /** `group.instance.id` of a static member (KIP-345); `null` for a dynamic member. */
  readonly groupInstanceId: string | null;
  /** Topics the member subscribes to. */
  readonly topics: readonly string[];
  /** Assignor-specific data the member's {@link PartitionAssignor.subscriptionUserData} produced, if any. */
  readonly userData: Buffer | null;
  /**
   * Partitions the member owns as it joins (subscription v1+). Under the eager protocol members revoke everything
   * before joining, so this is normally empty; under the cooperative protocol (KIP-429) it is what the member keeps
   * consuming during the rebalance.
   */
  readonly ownedPartitions: readonly TopicPartition[];
  /**
   * Generation in which the member last received an assignment (subscription v2+, KIP-792); `-1` when unknown.
   * When two members claim the same partition, the claim from the higher generation is the valid one.
   */
  readonly generationId: number;
  /** The member's `client.rack` (subscription v3+, KIP-881); `null` when not set. */
  readonly rackId: string | null;
}

/** One member's share of the partitions, as the leader sends it in SyncGroup (`ConsumerProtocolAssignment`). */
export interface MemberAssignment {
  /** Partitions assigned to the member. */
  readonly partitions: readonly TopicPartition[];
  /** Assignor-specific data for the member, handed to its {@link PartitionAssignor.onAssignment}. Default none. */
  readonly userData?: Buffer | null;
}

/**
 * How members hand partitions over during a rebalance (Java: `ConsumerPartitionAssignor.RebalanceProtocol`).
 *
 * - `eager`: every member revokes all its partitions before joining; the leader may move any partition.
 * - `cooperative` (KIP-429): members keep their partitions while the group rebalances. An assignor that supports it
 *   must never give a member a partition that another member still owns: the owner must first see the partition
 *   missing from its own assignment and revoke it, and a follow-up rebalance then hands it to its new member.
 */
export type RebalanceProtocol = 'eager' | 'cooperative';

/**
 * A partition assignment strategy for the classic consumer group protocol (Java: `ConsumerPartitionAssignor`,
 * configured through `partition.assignment.strategy`). Implement it to plug in a custom strategy.
 *
 * An assignor instance belongs to one consumer: it may keep state between {@link onAssignment} and the next
 * {@link subscriptionUserData} (the eager `sticky` assignor does). All methods but {@link assign} are synchronous;
 * none may throw for valid input.
 *
 * @example
 * ```ts
 * const everythingToTheFirst: PartitionAssignor = {
 *   name: 'everything-to-the-first',
 *   supportedProtocols: ['eager'],
 *   assign(members, topics) {
 *     const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
 *     const result = new Map(sorted.map((m) => [m.memberId, { partitions: [] as TopicPartition[] }]));
 *     const first = sorted[0];
 *     if (first) {
 *       for (const topic of first.topics) {
 *         for (const { partition } of topics.get(topic) ?? []) result.get(first.memberId)!.partitions.push({ topic, partition });
 *       }
 *     }
 *     return result;
 *   },
 * };
 * ```
 */
export interface PartitionAssignor {
  /**
   * Unique name of the strategy, sent in JoinGroup as the protocol name (`range`, `roundrobin`, `sticky`,
   * `cooperative-sticky`, ...). Every member of a group must agree on it for it to be chosen.
   */
  readonly name: string;

  /**
   * Rebalance protocols this assignor follows, preferred first (Java: `supportedProtocols()`). The group uses
   * `cooperative` only when every member's chosen assignor supports it; otherwise `eager`.
   */
  readonly supportedProtocols: readonly RebalanceProtocol[];

  /**
   * User data to put in this member's subscription (Java: `subscriptionUserData`), or `null` for none.
   * Called before every JoinGroup.
   *
   * @param topics The topics the member subscribes to.
   * @param ownedPartitions The partitions the member owns as it joins (empty under eager, which revokes first).
   * @param generationId The generation of the member's last assignment, `-1` before the first.
   */
  subscriptionUserData?(
    topics: readonly string[],
    ownedPartitions: readonly TopicPartition[],
    generationId: number,
  ): Buffer | null;

  /**
   * Computes the group's assignment; runs on the leader only (Java: `assign`).
   *
   * @param members Every member's subscription, in no particular order.
   * @param topics Partitions of every subscribed topic the leader found in its metadata; a subscribed topic
   *   missing here (unknown, or without partitions) gets no assignment.
   * @returns An entry for every member (an empty partition list when it gets nothing). Each partition of a topic in
   *   `topics` that some member subscribes to should be assigned to exactly one member subscribed to its topic.
   *   Under the cooperative protocol no member may get a partition that another member owns. An assignor may
   *   return a Promise of it (the built-in ones do not): the leader awaits it before SyncGroup, so it must settle
   *   well within the rebalance timeout. This lets assignors written for other clients' asynchronous interfaces
   *   (KafkaJS's `assign` is async) run unchanged.
   */
  assign(
    members: readonly GroupMemberSubscription[],
    topics: ReadonlyMap<string, readonly TopicPartitionInfo[]>,
  ): Map<string, MemberAssignment> | Promise<Map<string, MemberAssignment>>;

  /**
   * Called on every member with its own assignment once SyncGroup returns it (Java: `onAssignment`).
   *
   * @param assignment This member's assignment.
   * @param generationId The generation the assignment belongs to.
   */
  onAssignment?(assignment: MemberAssignment, generationId: number): void;
}
