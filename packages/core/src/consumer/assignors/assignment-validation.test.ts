import { describe, expect, it } from 'vitest';
import type { TopicPartition } from '../../vocabulary/topic-partition.js';
import { AssignmentError } from './assignment-error.js';
import { validateAssignment } from './assignment-validation.js';
import type { GroupMemberSubscription, MemberAssignment } from './partition-assignor.js';

const tp = (topic: string, partition: number): TopicPartition => ({ topic, partition });

function member(memberId: string, ownedPartitions: TopicPartition[] = []): GroupMemberSubscription {
  return {
    memberId,
    groupInstanceId: null,
    topics: ['t'],
    userData: null,
    ownedPartitions,
    generationId: 1,
    rackId: null,
  };
}

const assignment = (entries: Record<string, TopicPartition[]>): Map<string, MemberAssignment> =>
  new Map(Object.entries(entries).map(([id, partitions]) => [id, { partitions }]));

function errorOf(run: () => void): AssignmentError {
  try {
    run();
  } catch (error) {
    if (error instanceof AssignmentError) return error;
    throw error;
  }
  throw new AssignmentError('expected an AssignmentError, got none');
}

describe('validateAssignment', () => {
  it('accepts a valid assignment, members without an entry included', () => {
    const members = [member('a'), member('b'), member('c')];
    expect(() => validateAssignment(members, assignment({ a: [tp('t', 0)], b: [tp('t', 1)] }), 'eager')).not.toThrow();
  });

  it('rejects a member that is not in the group', () => {
    const error = errorOf(() => validateAssignment([member('a')], assignment({ z: [tp('t', 0)] }), 'eager'));
    expect(error.code).toBe('ERR_ASSIGNMENT');
    expect(error.message).toContain('member z');
  });

  it('rejects a partition given twice', () => {
    const error = errorOf(() =>
      validateAssignment([member('a'), member('b')], assignment({ a: [tp('t', 0)], b: [tp('t', 0)] }), 'eager'),
    );
    expect(error.topic).toBe('t');
    expect(error.partition).toBe(0);
  });

  it('rejects, under cooperative, a partition moved from its owner to another member in one rebalance', () => {
    const members = [member('a', [tp('t', 0)]), member('b')];
    const moved = assignment({ a: [], b: [tp('t', 0)] });
    expect(() => validateAssignment(members, moved, 'eager')).not.toThrow();
    const error = errorOf(() => validateAssignment(members, moved, 'cooperative'));
    expect(error.message).toContain('from a to b');
  });

  it('accepts, under cooperative, owners keeping partitions, revocations and partitions of departed members', () => {
    const members = [member('a', [tp('t', 0), tp('t', 1)]), member('b', [tp('t', 2)])];
    // a keeps 0 and revokes 1; b keeps 2 and gets 3 (owned by a member that left).
    const result = assignment({ a: [tp('t', 0)], b: [tp('t', 2), tp('t', 3)] });
    expect(() => validateAssignment(members, result, 'cooperative')).not.toThrow();
  });

  it('accepts, under cooperative, a partition claimed by two members staying with one of them', () => {
    // As in Java: the member that gets it owned it too, so nothing is added to it.
    const members = [member('a', [tp('t', 0)]), member('b', [tp('t', 0)])];
    expect(() => validateAssignment(members, assignment({ a: [tp('t', 0)], b: [] }), 'cooperative')).not.toThrow();
  });
});
