import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopicPartition } from '../../vocabulary/topic-partition.js';
import { validateAssignment } from './assignment-validation.js';
import { CooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
import { flat, member, partitions, tp } from './fixtures/assignor-inputs.js';
import type { GroupMemberSubscription, MemberAssignment, TopicPartitionInfo } from './partition-assignor.js';
import { StickyAssignor } from './sticky-assignor.js';
import { encodeCooperativeStickyUserData } from './sticky-user-data.js';

describe('CooperativeStickyAssignor', () => {
  const assignor = new CooperativeStickyAssignor();

  it('hands partitions to a new member only after their owner revoked them (KIP-429)', () => {
    const topics = new Map([['t', partitions(4)]]);
    const owner = member('C0', ['t'], { ownedPartitions: [0, 1, 2, 3].map((p) => tp('t', p)), generationId: 1 });
    const first = assignor.assign([owner, member('C1', ['t'])], topics);
    // C0 keeps two and must revoke two; C1 gets nothing yet.
    expect(flat(first)).toEqual({ C0: ['tp0', 'tp1'], C1: [] });

    const second = assignor.assign(
      [
        member('C0', ['t'], { ownedPartitions: first.get('C0')!.partitions, generationId: 2 }),
        member('C1', ['t'], { ownedPartitions: [], generationId: 2 }),
      ],
      topics,
    );
    expect(flat(second)).toEqual({ C0: ['tp0', 'tp1'], C1: ['tp2', 'tp3'] });
  });

  it('leaves out a partition claimed by two members of the same generation, even from a claimant', () => {
    const topics = new Map([['t', partitions(2)]]);
    const result = assignor.assign(
      [
        member('a', ['t'], { ownedPartitions: [tp('t', 0)], generationId: 3 }),
        member('b', ['t'], { ownedPartitions: [tp('t', 0), tp('t', 1)], generationId: 3 }),
      ],
      topics,
    );
    const assigned = [...result.values()].flatMap((a) => a.partitions.map((p) => `${p.topic}p${p.partition}`));
    expect(assigned).not.toContain('tp0');
    expect(flat(result).b).toEqual(['tp1']);
  });

  it('lets the claim of the higher generation keep its partition', () => {
    const topics = new Map([['t', partitions(2)]]);
    const result = assignor.assign(
      [
        member('stale', ['t'], { ownedPartitions: [tp('t', 0)], generationId: 4 }),
        member('current', ['t'], { ownedPartitions: [tp('t', 0)], generationId: 5 }),
      ],
      topics,
    );
    expect(flat(result)).toEqual({ current: ['tp0'], stale: ['tp1'] });
  });

  it('reads the generation from user data for subscriptions without a generation field (v0, v1)', () => {
    const topics = new Map([['t', partitions(2)]]);
    const result = assignor.assign(
      [
        member('a', ['t'], { ownedPartitions: [tp('t', 0)], userData: encodeCooperativeStickyUserData(8) }),
        member('b', ['t'], { ownedPartitions: [tp('t', 0)], userData: encodeCooperativeStickyUserData(7) }),
      ],
      topics,
    );
    expect(flat(result)).toEqual({ a: ['tp0'], b: ['tp1'] });
  });

  it('sends its generation as Java does', () => {
    expect(assignor.subscriptionUserData(['t'], [], 12)?.toString('hex')).toBe('0000000c');
  });

  it('moves nothing when a member with the same subscription joins an already balanced split of owned partitions', () => {
    const topics = new Map([['t', partitions(6)]]);
    const result = assignor.assign(
      [
        member('a', ['t'], { ownedPartitions: [0, 1, 2].map((p) => tp('t', p)), generationId: 2 }),
        member('b', ['t'], { ownedPartitions: [3, 4, 5].map((p) => tp('t', p)), generationId: 2 }),
      ],
      topics,
    );
    expect(flat(result)).toEqual({ a: ['tp0', 'tp1', 'tp2'], b: ['tp3', 'tp4', 'tp5'] });
  });
});

// Multi-round simulation: members join, leave, change subscriptions and topics grow; after every change the group
// rebalances with the assignment applied (revoked partitions dropped, new ones taken). Checks the protocol rule at
// every rebalance and convergence once the group stops changing.

interface SimMember {
  readonly id: string;
  topics: string[];
  readonly rack: string | null;
  owned: readonly TopicPartition[];
  generation: number;
}

type Event =
  | { kind: 'join'; topics: boolean[]; rack: number }
  | { kind: 'leave'; pick: number }
  | { kind: 'resubscribe'; pick: number; topics: boolean[] }
  | { kind: 'grow'; topic: number; by: number }
  | { kind: 'rebalance' };

const TOPICS = ['t0', 't1', 't2'];
const RACKS = [null, 'r0', 'r1'];

const eventArbitrary: fc.Arbitrary<Event> = fc.oneof(
  fc.record({
    kind: fc.constant('join' as const),
    topics: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    rack: fc.nat(2),
  }),
  fc.record({ kind: fc.constant('leave' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('resubscribe' as const),
    pick: fc.nat(),
    topics: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('grow' as const), topic: fc.nat(2), by: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('rebalance' as const) }),
);

class SimulatedGroup {
  readonly members: SimMember[] = [];
  private generation = 0;
  private nextId = 0;

  constructor(
    readonly topics: Map<string, TopicPartitionInfo[]>,
    private readonly identical: boolean,
  ) {}

  join(topics: boolean[], rack: number): void {
    this.members.push({
      id: `member-${this.nextId++}`,
      topics: this.identical ? [...TOPICS] : TOPICS.filter((_, t) => topics[t]),
      rack: RACKS[rack]!,
      owned: [],
      generation: -1,
    });
  }

  apply(event: Event): void {
    if (event.kind === 'join') this.join(event.topics, event.rack);
    else if (event.kind === 'leave' && this.members.length > 1)
      this.members.splice(event.pick % this.members.length, 1);
    else if (event.kind === 'resubscribe' && !this.identical) {
      this.members[event.pick % this.members.length]!.topics = TOPICS.filter((_, t) => event.topics[t]);
    } else if (event.kind === 'grow') {
      const name = TOPICS[event.topic]!;
      const current = this.topics.get(name)!;
      this.topics.set(
        name,
        partitions(current.length + event.by, (p) => [p % 2 === 0 ? 'r0' : 'r1']),
      );
    }
  }

  subscriptions(): GroupMemberSubscription[] {
    const assignorOfMember = new CooperativeStickyAssignor();
    return this.members.map((m) => ({
      memberId: m.id,
      groupInstanceId: null,
      topics: m.topics,
      userData: assignorOfMember.subscriptionUserData(m.topics, m.owned, m.generation),
      ownedPartitions: m.owned,
      generationId: m.generation,
      rackId: m.rack,
    }));
  }

  /** One rebalance: the leader assigns, every member applies its assignment. */
  rebalance(): Map<string, MemberAssignment> {
    const subscriptions = this.subscriptions();
    const assignment = new CooperativeStickyAssignor().assign(subscriptions, this.topics);
    validateAssignment(subscriptions, assignment, 'cooperative');
    this.generation++;
    for (const m of this.members) {
      // Members revoke owned - assigned and take assigned - owned; the owned set becomes the assignment.
      m.owned = assignment.get(m.id)!.partitions;
      m.generation = this.generation;
    }
    return assignment;
  }

  unassignedCount(): number {
    const owned = new Set(this.members.flatMap((m) => m.owned.map((p) => `${p.topic}-${p.partition}`)));
    let missing = 0;
    for (const [topic, infos] of this.topics) {
      if (!this.members.some((m) => m.topics.includes(topic))) continue;
      for (const { partition } of infos) if (!owned.has(`${topic}-${partition}`)) missing++;
    }
    return missing;
  }

  sortedLoads(): number[] {
    return this.members.map((m) => m.owned.length).sort((a, b) => a - b);
  }

  /** Sorted loads of the most balanced assignment, from the eager sticky assignor on the same group from scratch. */
  optimalLoads(): number[] {
    const fresh = this.subscriptions().map((s) => ({ ...s, ownedPartitions: [], userData: null, generationId: -1 }));
    return [...new StickyAssignor().assign(fresh, this.topics).values()]
      .map((a) => a.partitions.length)
      .sort((a, b) => a - b);
  }
}

describe('CooperativeStickyAssignor over many rebalances', () => {
  it.each([
    ['identical', true],
    ['different', false],
  ] as const)('converges within two rebalances after the group stops changing (%s subscriptions)', (_, identical) => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.tuple(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.nat(2)), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(eventArbitrary, { minLength: 1, maxLength: 12 }),
        (counts, initial, events) => {
          const topics = new Map(TOPICS.map((t, i) => [t, partitions(counts[i]!, (p) => [p % 3 === 0 ? 'r0' : 'r1'])]));
          const group = new SimulatedGroup(topics, identical);
          for (const [subscribed, rack] of initial) group.join(subscribed, rack);
          group.rebalance();
          for (const event of events) {
            group.apply(event);
            group.rebalance();
          }

          // The group stopped changing: the rebalance after the last change plus at most one follow-up suffice.
          let rebalances = 0;
          do {
            group.rebalance();
            rebalances++;
          } while (group.unassignedCount() > 0 && rebalances < 2);
          expect(group.unassignedCount()).toBe(0);
          expect(group.sortedLoads()).toEqual(group.optimalLoads());

          // And it stays put.
          const settled = group.members.map((m) => [m.id, m.owned.map((p) => `${p.topic}-${p.partition}`)]);
          group.rebalance();
          expect(group.members.map((m) => [m.id, m.owned.map((p) => `${p.topic}-${p.partition}`)])).toEqual(settled);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never lets two members consume the same partition during a rebalance', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary, { minLength: 1, maxLength: 15 }), (events) => {
        const topics = new Map(TOPICS.map((t) => [t, partitions(5)]));
        const group = new SimulatedGroup(topics, false);
        group.join([true, true, true], 0);
        group.rebalance();
        for (const event of events) {
          group.apply(event);
          const before = new Map(
            group.members.map((m) => [m.id, new Set(m.owned.map((p) => `${p.topic}-${p.partition}`))]),
          );
          const assignment = group.rebalance();
          // While the rebalance completes, a member consumes what it owned and still has, plus what it is added.
          // Something added to one member must not be still consumed by another one that owned it before.
          const consuming = new Map<string, string>();
          for (const [id, a] of assignment) {
            for (const p of a.partitions) {
              const key = `${p.topic}-${p.partition}`;
              for (const [other, owned] of before) {
                if (other !== id && owned.has(key)) expect(before.get(id)!.has(key)).toBe(true);
              }
              expect(consuming.has(key)).toBe(false);
              consuming.set(key, id);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
