import type { TopicPartition } from '../../vocabulary/topic-partition.js';
import type {
  GroupMemberSubscription,
  MemberAssignment,
  PartitionAssignor,
  RebalanceProtocol,
  TopicPartitionInfo,
} from './partition-assignor.js';
import { computeStickyTarget, targetToAssignment, withholdOwnedElsewhere } from './sticky-assignment.js';
import type { PreviousOwnership } from './sticky-group.js';
import { decodeCooperativeStickyUserData, encodeCooperativeStickyUserData } from './sticky-user-data.js';

/**
 * The `cooperative-sticky` assignor (Java: `CooperativeStickyAssignor`, KIP-429): the `sticky` assignor's balance
 * and stickiness for the cooperative protocol, where members keep consuming during a rebalance.
 *
 * Previous ownership comes from each subscription's `ownedPartitions` and `generationId` (from the user data, one
 * INT32 generation in the Java format, for v0/v1 subscriptions that have no generation field). The leader
 * computes the balanced target and then leaves out of this rebalance every partition that would move straight
 * from one member to another: its owner sees it missing and revokes it, which triggers a follow-up rebalance that
 * hands it to its new member. A group that stops changing is balanced after at most two rebalances.
 *
 * Also works under the eager protocol (owned partitions are then empty and nothing is left out).
 */
export class CooperativeStickyAssignor implements PartitionAssignor {
  /** Protocol name, as in the Java client. */
  readonly name = 'cooperative-sticky';
  /** Cooperative preferred; eager while some member of the group does not support cooperative. */
  readonly supportedProtocols: readonly RebalanceProtocol[] = ['cooperative', 'eager'];

  /** The member's generation as one INT32, in the Java format. */
  subscriptionUserData(
    _topics: readonly string[],
    _ownedPartitions: readonly TopicPartition[],
    generationId: number,
  ): Buffer | null {
    return encodeCooperativeStickyUserData(generationId);
  }

  /** Computes the balanced, sticky target and leaves out partitions that must be revoked first. */
  assign(
    members: readonly GroupMemberSubscription[],
    topics: ReadonlyMap<string, readonly TopicPartitionInfo[]>,
  ): Map<string, MemberAssignment> {
    const target = computeStickyTarget(members, topics, cooperativeOwnership);
    withholdOwnedElsewhere(target);
    return targetToAssignment(target);
  }
}

/** A member's previous ownership for the cooperative sticky assignor. */
function cooperativeOwnership(member: GroupMemberSubscription): PreviousOwnership {
  const generation = member.generationId >= 0 ? member.generationId : decodeCooperativeStickyUserData(member.userData);
  return { partitions: member.ownedPartitions, generation };
}
