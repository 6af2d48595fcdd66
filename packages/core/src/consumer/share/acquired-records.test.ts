import { describe, expect, it } from 'vitest';
import { AcquiredRange, AcquiredRecords } from './acquired-records.js';

const range = (node: number, ...ranges: Array<[number, number]>) =>
  new AcquiredRange(
    node,
    ranges.map(([first, last]) => ({ firstOffset: BigInt(first), lastOffset: BigInt(last) })),
  );

describe('AcquiredRecords', () => {
  it('settles each acquired offset once and names the broker it came from', () => {
    const acquired = new AcquiredRecords();
    acquired.add('t:0', range(3, [10, 12]));
    expect(acquired.unsettled).toBe(3);
    expect(acquired.settle('t:0', 11n)).toBe(3);
    expect(acquired.settle('t:0', 11n)).toBeUndefined(); // twice
    expect(acquired.settle('t:0', 13n)).toBeUndefined(); // not acquired
    expect(acquired.settle('t:1', 10n)).toBeUndefined(); // other partition
    expect(acquired.unsettled).toBe(2);
  });

  it('does not treat the holes between acquired ranges as acquired', () => {
    const acquired = new AcquiredRecords();
    acquired.add('t:0', range(1, [0, 1], [5, 6]));
    expect(acquired.unsettled).toBe(4);
    expect(acquired.find('t:0', 3n)).toBeUndefined();
    expect(acquired.settle('t:0', 3n)).toBeUndefined();
    expect(acquired.find('t:0', 5n)?.node).toBe(1);
  });

  it('settles everything left, per partition or all, for release', () => {
    const acquired = new AcquiredRecords();
    acquired.add('a:0', range(1, [0, 2]));
    acquired.add('b:0', range(2, [7, 8]));
    acquired.settle('a:0', 1n);
    const released: string[] = [];
    acquired.settleAll((key, node, offset) => released.push(`${key}@${offset}/${node}`), 'a:0');
    expect(released).toEqual(['a:0@0/1', 'a:0@2/1']);
    acquired.settleAll((key, node, offset) => released.push(`${key}@${offset}/${node}`));
    expect(released.slice(2)).toEqual(['b:0@7/2', 'b:0@8/2']);
    expect(acquired.unsettled).toBe(0);
  });
});
