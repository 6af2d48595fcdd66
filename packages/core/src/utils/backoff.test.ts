import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  const options = { initialMs: 100, maxMs: 1000 };

  it('grows exponentially and caps at maxMs', () => {
    const mid = () => 0.5; // no jitter
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(options, a, mid))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('spreads by at most the jitter fraction, never past maxMs', () => {
    expect(backoffDelay(options, 1, () => 0)).toBe(160);
    expect(backoffDelay(options, 1, () => 1)).toBe(240);
    expect(backoffDelay(options, 10, () => 1)).toBe(1000);
  });

  it('returns maxMs when it is not above initialMs', () => {
    expect(backoffDelay({ initialMs: 500, maxMs: 100 }, 3)).toBe(100);
  });
});
