import { AssignmentError } from './assignment-error.js';
import type { GroupMemberSubscription, MemberAssignment, RebalanceProtocol } from './partition-assignor.js';

const key = (topic: string, partition: number): string => `${partition}:${topic}`;

/**
 * Checks an assignment before the leader sends it, as the Java client's coordinator does for any assignor:
 *
 * - every member in it belongs to the group, and no partition is given twice;
 * - under the `cooperative` protocol (KIP-429), no partition is added to one member while another member owned it
 *   and loses it in this rebalance (it must be revoked first and handed over in a follow-up rebalance).
 *
 * A partition of a topic its member did not subscribe to is allowed, as in Java (the member fetches it anyway).
 *
 * @throws AssignmentError naming the first violation found.
 */
export function validateAssignment(
  members: readonly GroupMemberSubscription[],
  assignment: ReadonlyMap<string, MemberAssignment>,
  protocol: RebalanceProtocol,
): void {
  const byId = new Map(members.map((m) => [m.memberId, m]));
  const assignedTo = new Map<string, string>();
  for (const [memberId, { partitions }] of assignment) {
    if (!byId.has(memberId)) {
      throw new AssignmentError(`The assignment names member ${memberId}, which is not in the group`);
    }
    for (const { topic, partition } of partitions) {
      const k = key(topic, partition);
      const other = assignedTo.get(k);
      if (other !== undefined) {
        throw new AssignmentError(
          `The assignment gives the partition to both ${other} and ${memberId}; each partition must go to one member`,
          { topic, partition },
        );
      }
      assignedTo.set(k, memberId);
    }
  }
  if (protocol !== 'cooperative') return;

  // A partition some member owned and no longer gets (revoked) must not be added to another member.
  for (const member of members) {
    for (const { topic, partition } of member.ownedPartitions) {
      const newOwner = assignedTo.get(key(topic, partition));
      if (newOwner === undefined || newOwner === member.memberId) continue;
      const stillOwnedByNewOwner = byId
        .get(newOwner)!
        .ownedPartitions.some((p) => p.topic === topic && p.partition === partition);
      if (!stillOwnedByNewOwner) {
        throw new AssignmentError(
          `The cooperative assignment moves the partition from ${member.memberId} to ${newOwner} in one rebalance; ` +
            'an assignor supporting the cooperative protocol must leave it unassigned until its owner revokes it',
          { topic, partition },
        );
      }
    }
  }
}
