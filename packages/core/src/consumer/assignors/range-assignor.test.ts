import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors/index.js';
import { flat, member, partitions } from './fixtures/assignor-inputs.js';
import { RangeAssignor } from './range-assignor.js';

describe('RangeAssignor', () => {
  const assignor = new RangeAssignor();

  it('splits each topic into ranges, first members getting the extra partition (Java docs example)', () => {
    const topics = new Map([
      ['t0', partitions(3)],
      ['t1', partitions(3)],
    ]);
    const result = assignor.assign([member('C1', ['t0', 't1']), member('C0', ['t0', 't1'])], topics);
    expect(flat(result)).toEqual({ C0: ['t0p0', 't0p1', 't1p0', 't1p1'], C1: ['t0p2', 't1p2'] });
  });

  it('orders static members by group.instance.id, so new member ids do not reshuffle (Java docs example)', () => {
    const topics = new Map([
      ['t0', partitions(3)],
      ['t1', partitions(3)],
    ]);
    // After a rolling bounce I0 came back as C3 and I1 as C2.
    const result = assignor.assign(
      [member('C2', ['t0', 't1'], { groupInstanceId: 'I1' }), member('C3', ['t0', 't1'], { groupInstanceId: 'I0' })],
      topics,
    );
    expect(flat(result)).toEqual({ C3: ['t0p0', 't0p1', 't1p0', 't1p1'], C2: ['t0p2', 't1p2'] });
  });

  it('places static members before dynamic ones', () => {
    const topics = new Map([['t', partitions(2)]]);
    const result = assignor.assign([member('a', ['t']), member('z', ['t'], { groupInstanceId: 'static' })], topics);
    expect(flat(result)).toEqual({ z: ['tp0'], a: ['tp1'] });
  });

  it('assigns each topic among its own subscribers only, and skips topics without metadata', () => {
    const topics = new Map([
      ['t0', partitions(2)],
      ['t1', partitions(3)],
    ]);
    const result = assignor.assign(
      [member('A', ['t0', 'gone']), member('B', ['t0', 't1']), member('C', []), member('D', ['t1'])],
      topics,
    );
    expect(flat(result)).toEqual({ A: ['t0p0'], B: ['t0p1', 't1p0', 't1p1'], C: [], D: ['t1p2'] });
  });

  it('lays out contiguous ranges per topic over sorted subscribers (random groups, no racks)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        (counts, subscriptions) => {
          const topics = new Map(counts.map((count, t) => [`t${t}`, partitions(count)]));
          const members = subscriptions.map((flags, m) =>
            member(
              `m${(m * 7) % 11}`,
              [...topics.keys()].filter((_, t) => flags[t]),
            ),
          );
          const result = assignor.assign(members, topics);
          for (const [topic, infos] of topics) {
            const subscribers = members
              .filter((m) => m.topics.includes(topic))
              .map((m) => m.memberId)
              .sort();
            let next = 0;
            subscribers.forEach((id, i) => {
              const size =
                Math.floor(infos.length / subscribers.length) + (i < infos.length % subscribers.length ? 1 : 0);
              const got = result
                .get(id)!
                .partitions.filter((p) => p.topic === topic)
                .map((p) => p.partition);
              expect(got).toEqual(Array.from({ length: size }, (_, k) => next + k));
              next += size;
            });
          }
        },
      ),
    );
  });

  describe('rack-aware (KIP-881)', () => {
    it('prefers rack-local partitions within the range quota', () => {
      // Partition p has its only replica on rack r(p % 3); members a, b, c sit on racks r0, r1, r2.
      const racks = ['r0', 'r1', 'r2'];
      const topics = new Map([['t', partitions(6, (p) => [racks[p % 3]!])]]);
      const members = [
        member('a', ['t'], { rackId: 'r0' }),
        member('b', ['t'], { rackId: 'r1' }),
        member('c', ['t'], { rackId: 'r2' }),
      ];
      expect(flat(assignor.assign(members, topics))).toEqual({
        a: ['tp0', 'tp3'],
        b: ['tp1', 'tp4'],
        c: ['tp2', 'tp5'],
      });
    });

    it('keeps the range balance when the racks cannot all be matched', () => {
      // Partitions 0-3 live on r0 only (where a and c sit), partition 4 on r2 only; b on r1 still gets its share.
      const topics = new Map([['t', partitions(5, (p) => [p < 4 ? 'r0' : 'r2'])]]);
      const members = [
        member('a', ['t'], { rackId: 'r0' }),
        member('b', ['t'], { rackId: 'r1' }),
        member('c', ['t'], { rackId: 'r0' }),
      ];
      expect(flat(assignor.assign(members, topics))).toEqual({ a: ['tp0', 'tp1'], b: ['tp4'], c: ['tp2', 'tp3'] });
    });

    it('keeps co-partitioned topics aligned: partition i of each goes to the same member', () => {
      const racks = ['r0', 'r1'];
      const topics = new Map([
        ['orders', partitions(4, (p) => [racks[(p + 1) % 2]!])],
        ['payments', partitions(4, (p) => [racks[(p + 1) % 2]!])],
      ]);
      const members = [
        member('a', ['orders', 'payments'], { rackId: 'r0' }),
        member('b', ['orders', 'payments'], { rackId: 'r1' }),
      ];
      const result = flat(assignor.assign(members, topics));
      expect(result).toEqual({
        a: ['ordersp1', 'ordersp3', 'paymentsp1', 'paymentsp3'],
        b: ['ordersp0', 'ordersp2', 'paymentsp0', 'paymentsp2'],
      });
    });

    it('is not used when every partition has a replica on every rack', () => {
      const topics = new Map([['t', partitions(4, () => ['r0', 'r1'])]]);
      const members = [member('a', ['t'], { rackId: 'r1' }), member('b', ['t'], { rackId: 'r0' })];
      expect(flat(assignor.assign(members, topics))).toEqual({ a: ['tp0', 'tp1'], b: ['tp2', 'tp3'] });
    });

    it('still balances each topic exactly as without racks (random groups)', () => {
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 3 }),
          fc.array(
            fc.tuple(
              fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
              fc.option(fc.constantFrom('r0', 'r1', 'r2')),
            ),
            {
              minLength: 1,
              maxLength: 6,
            },
          ),
          fc.array(fc.subarray(['r0', 'r1', 'r2']), { minLength: 40, maxLength: 40 }),
          (counts, specs, replicaRacks) => {
            const topics = new Map(
              counts.map((count, t) => [`t${t}`, partitions(count, (p) => replicaRacks[(t * 13 + p) % 40]!)]),
            );
            const members = specs.map(([flags, rack], m) =>
              member(
                `m${m}`,
                [...topics.keys()].filter((_, t) => flags[t]),
                { rackId: rack },
              ),
            );
            const result = assignor.assign(members, topics);
            const seen = new Set<string>();
            for (const [topic, infos] of topics) {
              const subscribers = members.filter((m) => m.topics.includes(topic));
              const sizes = subscribers.map(
                (m) => result.get(m.memberId)!.partitions.filter((p) => p.topic === topic).length,
              );
              if (subscribers.length === 0) continue;
              const base = Math.floor(infos.length / subscribers.length);
              expect(sizes.filter((s) => s === base + 1)).toHaveLength(infos.length % subscribers.length);
              expect(sizes.every((s) => s === base || s === base + 1)).toBe(true);
            }
            for (const [id, a] of result) {
              for (const p of a.partitions) {
                expect(members.find((m) => m.memberId === id)!.topics).toContain(p.topic);
                const key = `${p.topic}-${p.partition}`;
                expect(seen.has(key)).toBe(false);
                seen.add(key);
              }
            }
          },
        ),
      );
    });
  });

  it('rejects input with duplicate member ids or partitions', () => {
    const topics = new Map([['t', partitions(1)]]);
    expect(() => assignor.assign([member('a', ['t']), member('a', ['t'])], topics)).toThrow(InvalidArgumentError);
    const duplicated = new Map([['t', [...partitions(1), ...partitions(1)]]]);
    expect(() => assignor.assign([member('a', ['t'])], duplicated)).toThrow(/listed twice/);
  });
});
