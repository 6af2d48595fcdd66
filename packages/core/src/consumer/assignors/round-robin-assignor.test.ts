import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flat, member, partitions } from './fixtures/assignor-inputs.js';
import { RoundRobinAssignor } from './round-robin-assignor.js';

describe('RoundRobinAssignor', () => {
  const assignor = new RoundRobinAssignor();

  it('deals sorted partitions round-robin over sorted members (Java StickyAssignor docs, example 1)', () => {
    const topics = new Map(['t0', 't1', 't2', 't3'].map((t) => [t, partitions(2)]));
    const all = ['t0', 't1', 't2', 't3'];
    const result = assignor.assign([member('C2', all), member('C0', all), member('C1', all)], topics);
    expect(flat(result)).toEqual({
      C0: ['t0p0', 't1p1', 't3p0'],
      C1: ['t0p1', 't2p0', 't3p1'],
      C2: ['t1p0', 't2p1'],
    });
    // After C1 leaves (the docs' point: round robin moves partitions that could have stayed).
    const after = assignor.assign([member('C0', all), member('C2', all)], topics);
    expect(flat(after)).toEqual({ C0: ['t0p0', 't1p0', 't2p0', 't3p0'], C2: ['t0p1', 't1p1', 't2p1', 't3p1'] });
  });

  it('skips members not subscribed to a topic (Java StickyAssignor docs, example 2)', () => {
    const topics = new Map([
      ['t0', partitions(1)],
      ['t1', partitions(2)],
      ['t2', partitions(3)],
    ]);
    const result = assignor.assign(
      [member('C0', ['t0']), member('C1', ['t0', 't1']), member('C2', ['t0', 't1', 't2'])],
      topics,
    );
    expect(flat(result)).toEqual({ C0: ['t0p0'], C1: ['t1p0'], C2: ['t1p1', 't2p0', 't2p1', 't2p2'] });
  });

  it('orders static members first, by group.instance.id', () => {
    const topics = new Map([['t', partitions(3)]]);
    const result = assignor.assign(
      [
        member('a', ['t']),
        member('b', ['t'], { groupInstanceId: 'i2' }),
        member('c', ['t'], { groupInstanceId: 'i1' }),
      ],
      topics,
    );
    expect(flat(result)).toEqual({ c: ['tp0'], b: ['tp1'], a: ['tp2'] });
  });

  it('gives the i-th partition in (topic, partition) order to the (i mod n)-th member when subscriptions match', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 15 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 9 }),
        (counts, memberCount) => {
          const topics = new Map(counts.map((count, t) => [`t${t}`, partitions(count)]));
          const ids = Array.from({ length: memberCount }, (_, m) => `m${m}`);
          const result = assignor.assign(
            ids.map((id) => member(id, [...topics.keys()])),
            topics,
          );
          let i = 0;
          for (const [topic, infos] of topics) {
            for (const { partition } of infos) {
              expect(result.get(ids[i % memberCount]!)!.partitions).toContainEqual({ topic, partition });
              i++;
            }
          }
        },
      ),
    );
  });
});
