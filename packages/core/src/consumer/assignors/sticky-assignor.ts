import type { TopicPartition } from '../../vocabulary/topic-partition.js';
import type {
  GroupMemberSubscription,
  MemberAssignment,
  PartitionAssignor,
  RebalanceProtocol,
  TopicPartitionInfo,
} from './partition-assignor.js';
import { computeStickyTarget, targetToAssignment } from './sticky-assignment.js';
import type { PreviousOwnership } from './sticky-group.js';
import { decodeStickyUserData, encodeStickyUserData } from './sticky-user-data.js';

/**
 * The `sticky` assignor (Java: `StickyAssignor`, KIP-54), for the eager protocol.
 *
 * Two goals, in this order: **balance** (with identical subscriptions partition counts differ by at most one;
 * otherwise no chain of moves can make the assignment more balanced), and **stickiness** (members keep as many of
 * their previous partitions as balance allows). Rack-aware (KIP-881) when members and replicas have racks: moving
 * partitions go to rack-local members where balance allows.
 *
 * Under the eager protocol members revoke everything before joining, so each member reports its previous
 * assignment and generation in its user data, in the Java `StickyAssignor` format;
 * Vltava and Java members can share a group. A member without user data is judged on its `ownedPartitions`. When
 * two members claim a partition the claim of the higher generation stands; claims of the same generation cancel.
 *
 * Example (from the Java docs): C0, C1, C2 subscribed to t0..t3 with 2 partitions each get C0: t0p0, t1p1, t3p0;
 * C1: t0p1, t2p0, t3p1; C2: t1p0, t2p1 or an equally balanced split; when C1 leaves, C0 and C2 keep all theirs
 * and share C1's.
 *
 * Keeps state: create one instance per consumer.
 */
export class StickyAssignor implements PartitionAssignor {
  /** Protocol name, as in the Java client. */
  readonly name = 'sticky';
  /** Eager only (use `cooperative-sticky` for the cooperative protocol). */
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['eager'];

  private lastAssignment: readonly TopicPartition[] | null = null;
  private lastGeneration = -1;

  /**
   * The member's last assignment and its generation, in the Java `StickyAssignor` format; before the first
   * assignment, the owned partitions if any, else `null`.
   */
  subscriptionUserData(
    _topics: readonly string[],
    ownedPartitions: readonly TopicPartition[],
    generationId: number,
  ): Buffer | null {
    if (this.lastAssignment !== null) return encodeStickyUserData(this.lastAssignment, this.lastGeneration);
    return ownedPartitions.length > 0 ? encodeStickyUserData(ownedPartitions, generationId) : null;
  }

  /** Computes the balanced, sticky assignment; see the class documentation. */
  assign(
    members: readonly GroupMemberSubscription[],
    topics: ReadonlyMap<string, readonly TopicPartitionInfo[]>,
  ): Map<string, MemberAssignment> {
    return targetToAssignment(computeStickyTarget(members, topics, stickyOwnership));
  }

  /** Remembers the assignment and generation for the next subscription's user data. */
  onAssignment(assignment: MemberAssignment, generationId: number): void {
    this.lastAssignment = [...assignment.partitions];
    this.lastGeneration = generationId;
  }
}

/** A member's previous ownership for the eager sticky assignor: its user data, else its owned partitions. */
function stickyOwnership(member: GroupMemberSubscription): PreviousOwnership {
  if (member.userData !== null && member.userData.length > 0) {
    const data = decodeStickyUserData(member.userData);
    if (data === null) return { partitions: [], generation: -1 };
    return { partitions: data.partitions, generation: data.generation ?? -1 };
  }
  return { partitions: member.ownedPartitions, generation: member.generationId };
}
