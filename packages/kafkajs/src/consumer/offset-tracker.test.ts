import { describe, expect, it } from 'vitest';
import { OffsetTracker } from './offset-tracker.js';

describe('OffsetTracker', () => {
  it('resolving a message makes its next offset uncommitted until committed', () => {
    const tracker = new OffsetTracker();
    tracker.delivered('t', 0, 10n);
    tracker.resolve('t', 0, 10n);
    tracker.resolve('t', 0, 11n);
    expect(tracker.uncommitted()).toEqual([{ topic: 't', partition: 0, offset: 12n }]);
    tracker.committed([{ topic: 't', partition: 0, offset: 12n }], 1000);
    expect(tracker.uncommitted()).toEqual([]);
    expect(tracker.lastCommit).toBe(1000);
  });

  it('counts resolved messages from the last commit, or from the first delivered offset before any', () => {
    const tracker = new OffsetTracker();
    tracker.delivered('t', 0, 1_000_000n);
    tracker.resolve('t', 0, 1_000_002n);
    expect(tracker.countResolved()).toBe(3n);
    tracker.committed([{ topic: 't', partition: 0, offset: 1_000_003n }]);
    tracker.resolve('t', 0, 1_000_004n);
    expect(tracker.countResolved()).toBe(2n);
  });

  it('is due by interval or by threshold, whichever comes first', () => {
    const tracker = new OffsetTracker();
    tracker.lastCommit = 0;
    tracker.delivered('t', 1, 0n);
    tracker.resolve('t', 1, 4n);
    expect(tracker.commitDue(null, null, 10)).toBe(false);
    expect(tracker.commitDue(5, null, 10)).toBe(true);
    expect(tracker.commitDue(50, 5, 10)).toBe(true);
    expect(tracker.commitDue(50, 6, 10)).toBe(false);
  });

  it('restricts uncommitted offsets to owned partitions and forgets revoked ones', () => {
    const tracker = new OffsetTracker();
    tracker.resolve('a', 0, 1n);
    tracker.resolve('b', 0, 1n);
    expect(tracker.uncommitted((topic) => topic === 'a').map((o) => o.topic)).toEqual(['a']);
    tracker.forget([{ topic: 'a', partition: 0 }]);
    expect(tracker.uncommitted().map((o) => o.topic)).toEqual(['b']);
    tracker.setNext('b', 0, 7n);
    expect(tracker.resolvedOf('b', 0)).toBe(7n);
  });
});
