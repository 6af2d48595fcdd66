import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionProgress } from './partition-progress.js';

function deliver(progress: PartitionProgress, offsets: number[]): void {
  for (const o of offsets) progress.delivered(BigInt(o), 3);
}

describe('PartitionProgress', () => {
  it('moves the committable offset one past each record completed in order', () => {
    const p = new PartitionProgress('t', 0);
    deliver(p, [10, 11, 12]);
    expect(p.committable).toBeUndefined();
    expect(p.completed(10n, 3)).toBe(true);
    expect(p.committable).toBe(11n);
    expect(p.completed(11n, 3)).toBe(true);
    expect(p.completed(12n, 3)).toBe(true);
    expect(p.committable).toBe(13n);
    expect(p.committableEpoch).toBe(3);
    expect(p.inFlight).toBe(0);
  });

  it('never passes a record that has not completed (gaps from out-of-order completion)', () => {
    const p = new PartitionProgress('t', 0);
    deliver(p, [0, 1, 2, 3, 4]);
    expect(p.completed(2n, 3)).toBe(false);
    expect(p.completed(4n, 3)).toBe(false);
    expect(p.committable).toBeUndefined();
    expect(p.completed(0n, 3)).toBe(true);
    expect(p.committable).toBe(1n);
    expect(p.completed(1n, 3)).toBe(true);
    expect(p.committable).toBe(3n); // 2 was done already; 3 is not
    expect(p.completed(3n, 3)).toBe(true);
    expect(p.committable).toBe(5n);
    expect(p.inFlight).toBe(0);
  });

  it('follows offsets with holes (compaction, transaction markers): only delivered offsets count', () => {
    const p = new PartitionProgress('t', 0);
    deliver(p, [5, 9, 20]);
    p.completed(9n, 3);
    expect(p.committable).toBeUndefined();
    p.completed(5n, 3);
    expect(p.committable).toBe(10n);
    p.completed(20n, 3);
    expect(p.committable).toBe(21n);
  });

  it('ignores completions of records never delivered, or already passed', () => {
    const p = new PartitionProgress('t', 0);
    deliver(p, [0, 1]);
    expect(p.completed(7n, 3)).toBe(false);
    expect(p.completed(0n, 3)).toBe(true);
    expect(p.completed(0n, 3)).toBe(false);
    expect(p.committable).toBe(1n);
    expect(p.inFlight).toBe(1);
  });

  it('restarts the in-flight list when the position moves back (seek, revoked and assigned again)', () => {
    const p = new PartitionProgress('t', 0);
    deliver(p, [0, 1, 2, 3]);
    p.completed(0n, 3);
    deliver(p, [1, 2]); // redelivered from the committed offset
    expect(p.inFlight).toBe(2);
    // A completion of the earlier copy of 2 is a fact: record 2 was processed.
    expect(p.completed(2n, 3)).toBe(false);
    expect(p.completed(1n, 3)).toBe(true);
    expect(p.committable).toBe(3n);
  });

  it('offers each committable offset once, again after a failed commit', () => {
    const p = new PartitionProgress('t', 0);
    deliver(p, [0, 1]);
    expect(p.takeCommittable()).toBeUndefined();
    p.completed(0n, 3);
    expect(p.takeCommittable()).toEqual({ offset: 1n, leaderEpoch: 3 });
    expect(p.takeCommittable()).toBeUndefined();
    p.uncommitted();
    expect(p.takeCommittable()).toEqual({ offset: 1n, leaderEpoch: 3 });
  });

  it('without deliveries, takes completions to be in order (highest completed + 1)', () => {
    const p = new PartitionProgress('t', 0);
    expect(p.completed(4n, undefined)).toBe(true);
    expect(p.completed(2n, undefined)).toBe(false);
    expect(p.committable).toBe(5n);
  });

  it('keeps memory to the records in flight over a long run', () => {
    const p = new PartitionProgress('t', 0);
    for (let i = 0; i < 100_000; i++) {
      p.delivered(BigInt(i), 0);
      if (i >= 10) p.completed(BigInt(i - 10), 0);
    }
    expect(p.inFlight).toBe(10);
    expect(p.committable).toBe(99_990n);
  });

  it('property: the committable offset is one past the longest completed prefix of the delivered records', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 60 }),
        fc.func(fc.integer()),
        (raw, key) => {
          const delivered = [...raw].sort((a, b) => a - b);
          const order = [...delivered].sort((a, b) => key(a) - key(b) || a - b);
          const p = new PartitionProgress('t', 0);
          for (const o of delivered) p.delivered(BigInt(o), 1);
          const done = new Set<number>();
          for (const o of order) {
            p.completed(BigInt(o), 1);
            done.add(o);
            let prefix = -1;
            for (const d of delivered) {
              if (!done.has(d)) break;
              prefix = d;
            }
            expect(p.committable).toBe(prefix < 0 ? undefined : BigInt(prefix + 1));
            expect(p.inFlight).toBe(delivered.filter((d) => d > prefix).length);
          }
        },
      ),
    );
  });
});
