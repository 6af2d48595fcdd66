import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopicPartition } from '../../vocabulary/topic-partition.js';
import { validateAssignment } from './assignment-validation.js';
import { CooperativeStickyAssignor } from './cooperative-sticky-assignor.js';
import { createAssignor } from './create-assignor.js';
import type {
  GroupMemberSubscription,
  MemberAssignment,
  PartitionAssignor,
  TopicPartitionInfo,
} from './partition-assignor.js';
import { StickyAssignor } from './sticky-assignor.js';

// Properties every assignor must have, over random groups: members with random subscriptions, racks, previous
// ownership (with conflicting claims) and generations, topics with random partition counts and replica racks.

type Topics = Map<string, TopicPartitionInfo[]>;

interface Scenario {
  readonly members: GroupMemberSubscription[];
  readonly topics: Topics;
}

const RACKS = ['a', 'b', 'c'];

/** A random group. `identical` forces every member to subscribe to every topic (the constrained case). */
function scenarioArbitrary(options: { identical?: boolean; maxMembers?: number; maxPartitions?: number } = {}) {
  const maxMembers = options.maxMembers ?? 7;
  const maxPartitions = options.maxPartitions ?? 9;
  return fc
    .record({
      partitionCounts: fc.array(fc.integer({ min: 0, max: maxPartitions }), { minLength: 1, maxLength: 5 }),
      memberCount: fc.integer({ min: 1, max: maxMembers }),
      seed: fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
      withRacks: fc.boolean(),
    })
    .map(({ partitionCounts, memberCount, seed, withRacks }) => {
      let cursor = 0;
      const next = (n: number): number => {
        const value = seed[cursor % seed.length]! + cursor * 7919;
        cursor++;
        return value % n;
      };
      const topics: Topics = new Map();
      partitionCounts.forEach((count, t) => {
        topics.set(
          `t${t}`,
          Array.from({ length: count }, (_, partition) => ({
            partition,
            replicaRacks: withRacks ? RACKS.filter(() => next(3) === 0) : [],
          })),
        );
      });
      const topicNames = [...topics.keys()];
      const all: TopicPartition[] = [];
      for (const [topic, infos] of topics) for (const { partition } of infos) all.push({ topic, partition });

      const members: GroupMemberSubscription[] = [];
      for (let m = 0; m < memberCount; m++) {
        const subscribed = options.identical
          ? [...topicNames]
          : topicNames.filter(() => next(3) !== 0).concat(next(5) === 0 ? ['missing-topic'] : []);
        members.push({
          memberId: `member-${(m * 37) % 101}`,
          groupInstanceId: next(4) === 0 ? `instance-${next(10)}-${m}` : null,
          topics: subscribed,
          userData: null,
          ownedPartitions: all.filter(() => next(memberCount + 1) === 0),
          generationId: next(4) - 1,
          rackId: withRacks && next(4) !== 0 ? RACKS[next(3)]! : null,
        });
      }
      return { members, topics } satisfies Scenario;
    });
}

const ASSIGNOR_NAMES = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const;

function subscribedPartitions(scenario: Scenario): Set<string> {
  const result = new Set<string>();
  for (const member of scenario.members) {
    for (const topic of member.topics) {
      for (const { partition } of scenario.topics.get(topic) ?? []) result.add(`${topic}-${partition}`);
    }
  }
  return result;
}

/** Every member present; every partition at most once, only to a subscriber. Returns the assigned partitions. */
function checkWellFormed(scenario: Scenario, assignment: Map<string, MemberAssignment>): Set<string> {
  expect([...assignment.keys()].sort()).toEqual(scenario.members.map((m) => m.memberId).sort());
  validateAssignment(scenario.members, assignment, 'eager');
  const seen = new Set<string>();
  for (const member of scenario.members) {
    for (const { topic, partition } of assignment.get(member.memberId)!.partitions) {
      expect(member.topics).toContain(topic);
      expect(scenario.topics.get(topic)?.some((p) => p.partition === partition)).toBe(true);
      seen.add(`${topic}-${partition}`);
    }
  }
  return seen;
}

function loads(assignment: Map<string, MemberAssignment>): Map<string, number> {
  return new Map([...assignment].map(([id, a]) => [id, a.partitions.length]));
}

/**
 * True when no chain of single-partition moves (each to a member subscribed to the partition's topic) leads from
 * a member to one with at least two partitions fewer: the assignment is as balanced as any can be.
 */
function isOptimallyBalanced(scenario: Scenario, assignment: Map<string, MemberAssignment>): boolean {
  const load = loads(assignment);
  const subscribersOf = new Map<string, string[]>();
  for (const member of scenario.members) {
    for (const topic of new Set(member.topics)) {
      const list = subscribersOf.get(topic) ?? [];
      list.push(member.memberId);
      subscribersOf.set(topic, list);
    }
  }
  const topicsHeld = new Map(
    [...assignment].map(([id, a]) => [id, new Set(a.partitions.map((p) => p.topic))] as const),
  );
  for (const source of scenario.members) {
    const reached = new Set([source.memberId]);
    const queue = [source.memberId];
    while (queue.length > 0) {
      const current = queue.shift()!;
      for (const topic of topicsHeld.get(current)!) {
        for (const next of subscribersOf.get(topic) ?? []) {
          if (reached.has(next)) continue;
          if (load.get(next)! + 2 <= load.get(source.memberId)!) return false;
          reached.add(next);
          queue.push(next);
        }
      }
    }
  }
  return true;
}

function sortedCopy(assignment: Map<string, MemberAssignment>): [string, string[]][] {
  return [...assignment]
    .map(([id, a]) => [id, a.partitions.map((p) => `${p.topic}-${p.partition}`).sort()] as [string, string[]])
    .sort((x, y) => (x[0] < y[0] ? -1 : 1));
}

/** The same group with members, topics and partitions listed in another order. */
function reordered(scenario: Scenario, seed: number): Scenario {
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    let state = seed + 1;
    for (let i = copy.length - 1; i > 0; i--) {
      state = (state * 1103515245 + 12345) % 2147483648;
      const j = state % (i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  };
  const topics: Topics = new Map(shuffle([...scenario.topics]).map(([topic, infos]) => [topic, shuffle(infos)]));
  const members = shuffle(scenario.members).map((m) => ({
    ...m,
    topics: shuffle(m.topics),
    ownedPartitions: shuffle(m.ownedPartitions),
  }));
  return { members, topics };
}

/** Members whose previous ownership is `assignment`, as of `generation`, as each assignor reports it. */
function nextGeneration(
  scenario: Scenario,
  assignment: Map<string, MemberAssignment>,
  generation: number,
  name: 'sticky' | 'cooperative-sticky',
): Scenario {
  const members = scenario.members.map((member) => {
    const own = assignment.get(member.memberId)!;
    const instance: PartitionAssignor = name === 'sticky' ? new StickyAssignor() : new CooperativeStickyAssignor();
    instance.onAssignment?.(own, generation);
    const owned = name === 'sticky' ? [] : own.partitions;
    return {
      ...member,
      ownedPartitions: owned,
      generationId: generation,
      userData: instance.subscriptionUserData?.(member.topics, owned, generation) ?? null,
    };
  });
  return { members, topics: scenario.topics };
}

/** Runs rebalances until nothing is left out (cooperative), at most `limit` of them; returns the last. */
function settle(
  scenario: Scenario,
  name: 'sticky' | 'cooperative-sticky',
  limit: number,
): { scenario: Scenario; assignment: Map<string, MemberAssignment>; rounds: number } {
  let current = scenario;
  let assignment = createAssignor(name).assign(current.members, current.topics);
  let rounds = 1;
  for (let generation = 10; rounds < limit; generation++) {
    const assigned = [...assignment.values()].reduce((n, a) => n + a.partitions.length, 0);
    if (assigned === subscribedPartitions(current).size) break;
    current = nextGeneration(current, assignment, generation, name);
    assignment = createAssignor(name).assign(current.members, current.topics);
    rounds++;
  }
  return { scenario: current, assignment, rounds };
}

describe.each(ASSIGNOR_NAMES)('%s assignor over random groups', (name) => {
  it('gives every member an entry and each partition to at most one subscribed member', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (scenario) => {
        const assignment = createAssignor(name).assign(scenario.members, scenario.topics);
        const assigned = checkWellFormed(scenario, assignment);
        if (name !== 'cooperative-sticky') expect(assigned).toEqual(subscribedPartitions(scenario));
      }),
      { numRuns: 300 },
    );
  });

  it('returns the same assignment whatever the order of members, topics and partitions', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), fc.nat(), (scenario, seed) => {
        const first = createAssignor(name).assign(scenario.members, scenario.topics);
        const shuffled = reordered(scenario, seed);
        const second = createAssignor(name).assign(shuffled.members, shuffled.topics);
        expect(sortedCopy(second)).toEqual(sortedCopy(first));
      }),
      { numRuns: 200 },
    );
  });

  it('spreads partitions within one of each other when subscriptions are identical', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ identical: true }), (scenario) => {
        // Range balances each topic on its own; the others balance the totals.
        const assignment =
          name === 'cooperative-sticky'
            ? settle(scenario, name, 2).assignment
            : createAssignor(name).assign(scenario.members, scenario.topics);
        const counts = [...loads(assignment).values()];
        if (name === 'range') {
          for (const topic of scenario.topics.keys()) {
            const perMember = [...assignment.values()].map((a) => a.partitions.filter((p) => p.topic === topic).length);
            expect(Math.max(...perMember) - Math.min(...perMember)).toBeLessThanOrEqual(1);
          }
        } else {
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe.each(['sticky', 'cooperative-sticky'] as const)('%s assignor balance and stickiness', (name) => {
  it('reaches an assignment that no chain of moves can balance better', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ maxMembers: 8, maxPartitions: 12 }), (scenario) => {
        const { scenario: last, assignment, rounds } = settle(scenario, name, 2);
        expect(rounds).toBeLessThanOrEqual(2);
        expect(checkWellFormed(last, assignment)).toEqual(subscribedPartitions(last));
        expect(isOptimallyBalanced(last, assignment)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('matches a brute-force optimum on small groups', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ maxMembers: 4, maxPartitions: 3 }), (scenario) => {
        const partitions = [...subscribedPartitions(scenario)];
        fc.pre(partitions.length <= 8);
        const { assignment } = settle(scenario, name, 2);
        const subscribers = partitions.map((key) =>
          scenario.members.filter((m) => m.topics.includes(key.slice(0, key.lastIndexOf('-')))).map((m) => m.memberId),
        );
        let best = Number.POSITIVE_INFINITY;
        const load = new Map(scenario.members.map((m) => [m.memberId, 0]));
        const search = (i: number): void => {
          if (i === partitions.length) {
            best = Math.min(
              best,
              [...load.values()].reduce((s, l) => s + l * l, 0),
            );
            return;
          }
          for (const id of subscribers[i]!) {
            load.set(id, load.get(id)! + 1);
            search(i + 1);
            load.set(id, load.get(id)! - 1);
          }
        };
        search(0);
        const squares = [...loads(assignment).values()].reduce((s, l) => s + l * l, 0);
        expect(squares).toBe(best);
      }),
      { numRuns: 300 },
    );
  });

  it('changes nothing when nothing changed', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ maxMembers: 8, maxPartitions: 12 }), (scenario) => {
        const settled = settle(scenario, name, 2);
        const again = nextGeneration(settled.scenario, settled.assignment, 99, name);
        const next = createAssignor(name).assign(again.members, again.topics);
        expect(sortedCopy(next)).toEqual(sortedCopy(settled.assignment));
      }),
      { numRuns: 300 },
    );
  });

  it('moves no partition of the remaining members when one member leaves (identical subscriptions)', () => {
    fc.assert(
      fc.property(
        scenarioArbitrary({ identical: true, maxMembers: 8, maxPartitions: 12 }),
        fc.nat(),
        (scenario, pick) => {
          fc.pre(scenario.members.length >= 2);
          const settled = settle(scenario, name, 2);
          const before = nextGeneration(settled.scenario, settled.assignment, 50, name);
          const leaving = before.members[pick % before.members.length]!.memberId;
          const remaining = { members: before.members.filter((m) => m.memberId !== leaving), topics: before.topics };
          const after = createAssignor(name).assign(remaining.members, remaining.topics);
          for (const member of remaining.members) {
            const now = new Set(after.get(member.memberId)!.partitions.map((p) => `${p.topic}-${p.partition}`));
            for (const p of settled.assignment.get(member.memberId)!.partitions) {
              expect(now.has(`${p.topic}-${p.partition}`)).toBe(true);
            }
          }
          // Nobody else owned the leaver's partitions, so even cooperative hands them out at once.
          expect(checkWellFormed(remaining, after)).toEqual(subscribedPartitions(remaining));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps every valid claim that balance allows when ownership is random', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ identical: true, maxMembers: 6, maxPartitions: 10 }), (scenario) => {
        // With identical subscriptions each member can keep min(owned, quota) of its uncontested claims.
        const members = scenario.members.map((m) => ({ ...m, generationId: 3 }));
        const topics = scenario.topics;
        const target = createAssignor('sticky').assign(
          members.map((m) => ({ ...m, userData: null })),
          topics,
        );
        const claimCount = new Map<string, number>();
        for (const m of members) {
          for (const p of m.ownedPartitions) {
            const key = `${p.topic}-${p.partition}`;
            claimCount.set(key, (claimCount.get(key) ?? 0) + 1);
          }
        }
        const total = subscribedPartitions(scenario).size;
        const minQuota = Math.floor(total / members.length);
        let kept = 0;
        let keepable = 0;
        const uncontested = members.map(
          (m) => m.ownedPartitions.filter((p) => claimCount.get(`${p.topic}-${p.partition}`) === 1).length,
        );
        members.forEach((m, i) => {
          const now = new Set(target.get(m.memberId)!.partitions.map((p) => `${p.topic}-${p.partition}`));
          kept += m.ownedPartitions.filter((p) => now.has(`${p.topic}-${p.partition}`)).length;
          keepable += Math.min(uncontested[i]!, minQuota);
        });
        expect(kept).toBeGreaterThanOrEqual(keepable);
      }),
      { numRuns: 300 },
    );
  });
});

describe('cooperative-sticky assignor protocol rule', () => {
  it('never gives a member a partition that another member owns', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ maxMembers: 8, maxPartitions: 12 }), (scenario) => {
        const assignment = createAssignor('cooperative-sticky').assign(scenario.members, scenario.topics);
        validateAssignment(scenario.members, assignment, 'cooperative');
        for (const member of scenario.members) {
          const owned = new Set(member.ownedPartitions.map((p) => `${p.topic}-${p.partition}`));
          for (const p of assignment.get(member.memberId)!.partitions) {
            const key = `${p.topic}-${p.partition}`;
            if (owned.has(key)) continue;
            const ownedElsewhere = scenario.members.some(
              (other) =>
                other.memberId !== member.memberId &&
                other.ownedPartitions.some((o) => o.topic === p.topic && o.partition === p.partition),
            );
            expect(ownedElsewhere).toBe(false);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('assigns what the eager sticky assignor targets, minus what must be revoked first', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ maxMembers: 8, maxPartitions: 12 }), (scenario) => {
        const cooperative = createAssignor('cooperative-sticky').assign(scenario.members, scenario.topics);
        const eager = createAssignor('sticky').assign(scenario.members, scenario.topics);
        for (const member of scenario.members) {
          const target = new Set(eager.get(member.memberId)!.partitions.map((p) => `${p.topic}-${p.partition}`));
          for (const p of cooperative.get(member.memberId)!.partitions) {
            expect(target.has(`${p.topic}-${p.partition}`)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('rack-aware assignment', () => {
  it.each(['range', 'sticky', 'cooperative-sticky'] as const)(
    '%s puts every partition on a rack-local member when racks allow a perfect split',
    (name) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 5 }),
          fc.nat(),
          (perRack, rackCount, quota, seed) => {
            // perRack members on each rack; each rack holds the only replica of perRack * quota partitions.
            const racks = RACKS.slice(0, rackCount);
            const members: GroupMemberSubscription[] = [];
            racks.forEach((rack, r) => {
              for (let i = 0; i < perRack; i++) {
                members.push({
                  memberId: `m-${(seed + r * perRack + i) % 97}-${r}-${i}`,
                  groupInstanceId: null,
                  topics: ['orders'],
                  userData: null,
                  ownedPartitions: [],
                  generationId: -1,
                  rackId: rack,
                });
              }
            });
            const partitionRacks: string[] = [];
            for (const rack of racks) for (let i = 0; i < perRack * quota; i++) partitionRacks.push(rack);
            const shuffled = reordered({ members, topics: new Map() }, seed).members;
            let state = seed;
            for (let i = partitionRacks.length - 1; i > 0; i--) {
              state = (state * 1103515245 + 12345) % 2147483648;
              const j = state % (i + 1);
              [partitionRacks[i], partitionRacks[j]] = [partitionRacks[j]!, partitionRacks[i]!];
            }
            const topics: Topics = new Map([
              ['orders', partitionRacks.map((rack, partition) => ({ partition, replicaRacks: [rack] }))],
            ]);
            const assignment = createAssignor(name).assign(shuffled, topics);
            for (const member of members) {
              const own = assignment.get(member.memberId)!.partitions;
              expect(own).toHaveLength(quota);
              for (const p of own) expect(partitionRacks[p.partition]).toBe(member.rackId);
            }
          },
        ),
        { numRuns: 150 },
      );
    },
  );
});

describe('assignors as plain objects', () => {
  it('accept a custom PartitionAssignor implementation', async () => {
    const custom: PartitionAssignor = {
      name: 'first-takes-all',
      supportedProtocols: ['eager'],
      assign(members, topics) {
        const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
        const result = new Map<string, MemberAssignment>(sorted.map((m) => [m.memberId, { partitions: [] }]));
        const first = sorted[0]!;
        const partitions: TopicPartition[] = [];
        for (const topic of first.topics) {
          for (const { partition } of topics.get(topic) ?? []) partitions.push({ topic, partition });
        }
        result.set(first.memberId, { partitions });
        return result;
      },
    };
    const members: GroupMemberSubscription[] = ['b', 'a'].map((memberId) => ({
      memberId,
      groupInstanceId: null,
      topics: ['t'],
      userData: null,
      ownedPartitions: [],
      generationId: -1,
      rackId: null,
    }));
    const topics: Topics = new Map([['t', [{ partition: 0, replicaRacks: [] }]]]);
    const result = await custom.assign(members, topics);
    validateAssignment(members, result, 'eager');
    expect(result.get('a')!.partitions).toEqual([{ topic: 't', partition: 0 }]);
  });
});
