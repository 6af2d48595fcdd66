import { InvalidArgumentError } from '../../errors/index.js';
import type { GroupMemberSubscription, TopicPartitionInfo } from './partition-assignor.js';

/**
 * Checks what every assignor relies on: member ids are unique. The coordinator guarantees it; a custom caller
 * may not.
 *
 * @throws InvalidArgumentError when a member id appears twice.
 */
export function checkMembers(members: readonly GroupMemberSubscription[]): void {
  const seen = new Set<string>();
  for (const member of members) {
    if (seen.has(member.memberId)) {
      throw new InvalidArgumentError(
        `Member ${member.memberId} appears twice in the group given to the assignor; pass each member once`,
      );
    }
    seen.add(member.memberId);
  }
}

/**
 * The partitions of one topic sorted by partition number.
 *
 * @throws InvalidArgumentError when a partition number is negative, not an integer, or listed twice.
 */
export function sortedPartitionInfos(topic: string, infos: readonly TopicPartitionInfo[]): TopicPartitionInfo[] {
  const sorted = [...infos].sort((a, b) => a.partition - b.partition);
  for (let i = 0; i < sorted.length; i++) {
    const partition = sorted[i]!.partition;
    if (!Number.isInteger(partition) || partition < 0 || (i > 0 && sorted[i - 1]!.partition === partition)) {
      throw new InvalidArgumentError(
        `Partition ${partition} of topic ${topic} is negative, not an integer or listed twice in the assignor input`,
        { topic, partition },
      );
    }
  }
  return sorted;
}
