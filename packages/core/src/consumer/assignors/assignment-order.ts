import type { TopicPartition } from '../../vocabulary/topic-partition.js';
import type { GroupMemberSubscription, MemberAssignment } from './partition-assignor.js';

/**
 * Orders strings by UTF-16 code units, as Java's `String.compareTo` does, so that every assignor sorts member ids
 * and topic names exactly as the Java client's assignors do (never locale-dependent).
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders members as the Java client's `MemberInfo` does for the range and round-robin assignors: static members
 * (with a `group.instance.id`) first, by instance id, then dynamic members by member id. A static member keeps its
 * place across restarts, so its partitions stay put.
 */
export function compareMembers(a: GroupMemberSubscription, b: GroupMemberSubscription): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null) {
    return compareStrings(a.groupInstanceId, b.groupInstanceId) || compareStrings(a.memberId, b.memberId);
  }
  if (a.groupInstanceId !== null) return -1;
  if (b.groupInstanceId !== null) return 1;
  return compareStrings(a.memberId, b.memberId);
}

/** Orders partitions by topic name, then partition number. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  return compareStrings(a.topic, b.topic) || a.partition - b.partition;
}

/**
 * Wraps per-member partition lists into the result of `assign`: one entry per member, partitions sorted by topic
 * and partition, no user data.
 */
export function toAssignment(lists: ReadonlyMap<string, TopicPartition[]>): Map<string, MemberAssignment> {
  const result = new Map<string, MemberAssignment>();
  for (const [memberId, partitions] of lists) {
    partitions.sort(compareTopicPartitions);
    result.set(memberId, { partitions });
  }
  return result;
}
