import { describe, expect, it } from 'vitest';
import { flat, member, partitions, tp } from './fixtures/assignor-inputs.js';
import type { GroupMemberSubscription, MemberAssignment } from './partition-assignor.js';
import { StickyAssignor } from './sticky-assignor.js';
import { decodeStickyUserData, encodeStickyUserData } from './sticky-user-data.js';

/** The next JoinGroup of every member: each one's own assignor instance reports its last assignment. */
function rejoin(
  members: GroupMemberSubscription[],
  assignment: Map<string, MemberAssignment>,
  generation: number,
): GroupMemberSubscription[] {
  return members.map((m) => {
    const own = new StickyAssignor();
    own.onAssignment(assignment.get(m.memberId)!, generation);
    return { ...m, userData: own.subscriptionUserData(m.topics, [], generation) };
  });
}

describe('StickyAssignor', () => {
  const assignor = new StickyAssignor();

  it('balances first and keeps every partition when a member leaves (Java docs, example 1)', () => {
    const all = ['t0', 't1', 't2', 't3'];
    const topics = new Map(all.map((t) => [t, partitions(2)]));
    const members = [member('C0', all), member('C1', all), member('C2', all)];
    const first = assignor.assign(members, topics);
    expect(flat(first)).toEqual({
      C0: ['t0p0', 't1p1', 't3p0'],
      C1: ['t0p1', 't2p0', 't3p1'],
      C2: ['t1p0', 't2p1'],
    });

    const remaining = rejoin(members, first, 1).filter((m) => m.memberId !== 'C1');
    const second = flat(assignor.assign(remaining, topics));
    expect(second.C0).toHaveLength(4);
    expect(second.C2).toHaveLength(4);
    expect(second.C0).toEqual(expect.arrayContaining(['t0p0', 't1p1', 't3p0']));
    expect(second.C2).toEqual(expect.arrayContaining(['t1p0', 't2p1']));
  });

  it('balances better than round robin with different subscriptions, and stays sticky (Java docs, example 2)', () => {
    const topics = new Map([
      ['t0', partitions(1)],
      ['t1', partitions(2)],
      ['t2', partitions(3)],
    ]);
    const members = [member('C0', ['t0']), member('C1', ['t0', 't1']), member('C2', ['t0', 't1', 't2'])];
    const first = assignor.assign(members, topics);
    expect(flat(first)).toEqual({ C0: ['t0p0'], C1: ['t1p0', 't1p1'], C2: ['t2p0', 't2p1', 't2p2'] });

    const remaining = rejoin(members, first, 1).filter((m) => m.memberId !== 'C0');
    expect(flat(assignor.assign(remaining, topics))).toEqual({
      C1: ['t0p0', 't1p0', 't1p1'],
      C2: ['t2p0', 't2p1', 't2p2'],
    });
  });

  it('reports its last assignment and generation in Java StickyAssignor user data', () => {
    const own = new StickyAssignor();
    expect(own.subscriptionUserData(['t'], [], -1)).toBeNull();
    own.onAssignment({ partitions: [tp('t', 1), tp('t', 4)] }, 9);
    const data = decodeStickyUserData(own.subscriptionUserData(['t'], [], 9)!);
    expect(data).toEqual({ partitions: [tp('t', 1), tp('t', 4)], generation: 9 });
  });

  it('keeps the partitions a Java member reports in its user data', () => {
    // Written by Java's StickyAssignor: [payments-1, orders-2, orders-0] in generation 7.
    const javaUserData = Buffer.from(
      '0000000200087061796d656e7473000000010000000100066f726465727300000002000000020000000000000007',
      'hex',
    );
    const topics = new Map([
      ['orders', partitions(3)],
      ['payments', partitions(3)],
    ]);
    const result = flat(
      assignor.assign(
        [member('java', ['orders', 'payments'], { userData: javaUserData }), member('vltava', ['orders', 'payments'])],
        topics,
      ),
    );
    expect(result).toEqual({
      java: ['ordersp0', 'ordersp2', 'paymentsp1'],
      vltava: ['ordersp1', 'paymentsp0', 'paymentsp2'],
    });
  });

  it('gives a partition claimed twice to the claim of the higher generation', () => {
    const topics = new Map([['t', partitions(2)]]);
    const result = flat(
      assignor.assign(
        [
          member('old', ['t'], { userData: encodeStickyUserData([tp('t', 0)], 3) }),
          member('new', ['t'], { userData: encodeStickyUserData([tp('t', 0)], 4) }),
        ],
        topics,
      ),
    );
    expect(result).toEqual({ new: ['tp0'], old: ['tp1'] });
  });

  it('falls back to ownedPartitions and generationId when a member sends no user data', () => {
    const topics = new Map([['t', partitions(2)]]);
    const result = flat(
      assignor.assign(
        [member('a', ['t']), member('b', ['t'], { ownedPartitions: [tp('t', 0)], generationId: 2 })],
        topics,
      ),
    );
    expect(result).toEqual({ a: ['tp1'], b: ['tp0'] });
  });

  it('handles partition numbers that are not contiguous or not sorted', () => {
    const topics = new Map([['t', [5, 1, 3].map((partition) => ({ partition, replicaRacks: [] }))]]);
    const result = flat(
      assignor.assign(
        [member('a', ['t'], { userData: encodeStickyUserData([tp('t', 3), tp('t', 2)], 1) }), member('b', ['t'])],
        topics,
      ),
    );
    expect(result.a).toContain('tp3');
    expect([...result.a!, ...result.b!].sort()).toEqual(['tp1', 'tp3', 'tp5']);
  });

  it('ignores user data it cannot read, and claims on topics or partitions that are gone', () => {
    const topics = new Map([['t', partitions(2)]]);
    const result = flat(
      assignor.assign(
        [
          member('a', ['t'], { userData: Buffer.from('garbage') }),
          member('b', ['t'], { userData: encodeStickyUserData([tp('gone', 0), tp('t', 9), tp('t', 0)], 1) }),
        ],
        topics,
      ),
    );
    expect(result).toEqual({ a: ['tp1'], b: ['tp0'] });
  });

  it('keeps owned partitions rather than moving them for rack locality, and places new ones locally', () => {
    const topics = new Map([
      ['t', Array.from({ length: 4 }, (_, partition) => ({ partition, replicaRacks: [partition < 2 ? 'r0' : 'r1'] }))],
    ]);
    // a (r0) owns t-2 (on r1); b (r1) owns t-0 (on r0). Both keep them; the free ones go to their local member.
    const result = flat(
      assignor.assign(
        [
          member('a', ['t'], { rackId: 'r0', userData: encodeStickyUserData([tp('t', 2)], 1) }),
          member('b', ['t'], { rackId: 'r1', userData: encodeStickyUserData([tp('t', 0)], 1) }),
        ],
        topics,
      ),
    );
    expect(result).toEqual({ a: ['tp1', 'tp2'], b: ['tp0', 'tp3'] });
  });

  it('balances 2,000 partitions over 100 members with mixed subscriptions', () => {
    const topics = new Map(Array.from({ length: 40 }, (_, t) => [`topic-${t}`, partitions(50)] as const));
    const names = [...topics.keys()];
    const members = Array.from({ length: 100 }, (_, m) =>
      member(`member-${m}`, m % 2 === 0 ? names : names.filter((_, t) => t % 3 !== m % 3)),
    );
    const result = assignor.assign(members, topics);
    const counts = [...result.values()].map((a) => a.partitions.length);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(2000);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });
});
