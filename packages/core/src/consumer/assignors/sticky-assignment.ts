import type { TopicPartition } from '../../vocabulary/topic-partition.js';
import { toAssignment } from './assignment-order.js';
import { assignConstrained } from './constrained-sticky-assignment.js';
import { assignGeneral } from './general-sticky-assignment.js';
import type { GroupMemberSubscription, MemberAssignment, TopicPartitionInfo } from './partition-assignor.js';
import { type PreviousOwnership, StickyGroup } from './sticky-group.js';

/** The balanced, sticky target assignment of a group, before any cooperative adjustment. */
export interface StickyTarget {
  /** The group, numbered. */
  readonly group: StickyGroup;
  /** Member index of each partition's target owner. */
  readonly owner: Int32Array;
}

/**
 * Computes the sticky target assignment shared by the `sticky` and `cooperative-sticky` assignors (Java:
 * `AbstractStickyAssignor`): the constrained algorithm when every member subscribes to the same topics, else the
 * general one.
 *
 * @param ownershipOf Reads a member's previous ownership from its subscription; the two assignors differ there.
 */
export function computeStickyTarget(
  members: readonly GroupMemberSubscription[],
  topics: ReadonlyMap<string, readonly TopicPartitionInfo[]>,
  ownershipOf: (member: GroupMemberSubscription) => PreviousOwnership,
): StickyTarget {
  const group = new StickyGroup(members, topics, ownershipOf);
  const owner = allSubscriptionsEqual(group) ? assignConstrained(group) : assignGeneral(group);
  return { group, owner };
}

function allSubscriptionsEqual(group: StickyGroup): boolean {
  const first = group.subscriptions[0];
  if (first === undefined) return true;
  return group.subscriptions.every((list) => list.length === first.length && list.every((t, i) => t === first[i]));
}

/**
 * Applies the cooperative rule (KIP-429) to a target: a partition that goes to a member that did not own it, while
 * another member claims it, is left out of this rebalance. The other member sees it missing from its assignment,
 * revokes it, and the follow-up rebalance hands it over. Partitions claimed by several members of the same
 * generation are left out wherever they go: nobody knows who consumes them.
 *
 * @returns The number of partitions left out.
 */
export function withholdOwnedElsewhere(target: StickyTarget): number {
  const { group, owner } = target;
  let withheld = 0;
  for (let p = 0; p < owner.length; p++) {
    const m = owner[p]!;
    if (m < 0) continue;
    const claimants = group.claimants[p];
    if (group.contested[p] === 1 || (claimants !== undefined && !claimants.includes(m))) {
      owner[p] = -1;
      withheld++;
    }
  }
  return withheld;
}

/** Turns a target into the result of `assign`: one entry per member, partitions sorted. */
export function targetToAssignment(target: StickyTarget): Map<string, MemberAssignment> {
  const { group, owner } = target;
  const lists = new Map<string, TopicPartition[]>();
  for (const memberId of group.memberIds) lists.set(memberId, []);
  for (let p = 0; p < owner.length; p++) {
    const m = owner[p]!;
    if (m >= 0) lists.get(group.memberIds[m]!)!.push(group.topicPartition(p));
  }
  return toAssignment(lists);
}
