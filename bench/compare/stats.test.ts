import { describe, expect, it } from 'vitest';
import { spread } from './stats.js';

describe('spread', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even one', () => {
    expect(spread([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, n: 3 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
  });

  it('ignores values that are not finite, and is NaN without values', () => {
    expect(spread([Number.NaN, 2]).median).toBe(2);
    expect(spread([]).n).toBe(0);
    expect(spread([]).median).toBeNaN();
  });
});
