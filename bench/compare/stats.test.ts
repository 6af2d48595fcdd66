import { describe, expect, it } from 'vitest';
import { linearFit, spread } from './stats.js';

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

describe('linearFit', () => {
  it('finds the line through points on a line, with no error', () => {
    const fit = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(1, 12);
    expect(fit.slopeError).toBeCloseTo(0, 12);
  });

  it('gives the least-squares slope and its standard error for scattered points', () => {
    // y = x with residuals +1, -1, -1, +1: slope 1 exactly, residual sum of squares 4, sxx 5.
    const fit = linearFit([0, 1, 2, 3], [1, 0, 1, 4]);
    expect(fit.slope).toBeCloseTo(1, 12);
    expect(fit.intercept).toBeCloseTo(0, 12);
    expect(fit.slopeError).toBeCloseTo(Math.sqrt(4 / 2 / 5), 12);
  });

  it('is NaN without two distinct x', () => {
    expect(linearFit([1], [2]).slope).toBeNaN();
    expect(linearFit([1, 1], [2, 3]).slope).toBeNaN();
  });
});
