import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('gives exact percentiles to the millisecond, the mean and the max', () => {
    const h = new LatencyHistogram(1000);
    expect(h.percentile(50)).toBeUndefined();
    for (let ms = 1; ms <= 100; ms++) h.record(ms);
    expect(h.percentile(50)).toBe(50);
    expect(h.percentile(99)).toBe(99);
    expect(h.percentile(100)).toBe(100);
    expect(h.mean).toBe(50.5);
    expect(h.max).toBe(100);
  });

  it('counts values above the ceiling (reported as the max) and negative values as 0', () => {
    const h = new LatencyHistogram(10);
    h.record(-3);
    h.record(5);
    h.record(5000);
    expect(h.percentile(1)).toBe(0);
    expect(h.percentile(100)).toBe(5000);
    expect(h.count).toBe(3);
  });
});
