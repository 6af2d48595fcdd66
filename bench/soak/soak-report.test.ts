import { describe, expect, it } from 'vitest';
import { isFlat, slopeOf } from './soak-report.js';
import type { SoakSample } from './soak-samples.js';

const sample = (t: number, rssMiB: number) => ({ t, rssMiB }) as SoakSample;

describe('slopeOf', () => {
  it('fits MiB per hour over the samples after the warm-up, and each half apart', () => {
    // 100 MiB during the warm-up (ignored), then +12 MiB/h for 30 min, then flat.
    const samples = [sample(0, 50), sample(300, 100)];
    for (let t = 600; t <= 2400; t += 60) samples.push(sample(t, 100 + ((t - 600) / 3600) * 12));
    for (let t = 2460; t <= 4200; t += 60) samples.push(sample(t, 106));
    const slope = slopeOf(samples, 'rssMiB', 10);
    expect(slope.from).toBe(100);
    expect(slope.to).toBe(106);
    expect(slope.firstHalf.slope).toBeCloseTo(12, 0);
    expect(Math.abs(slope.secondHalf.slope)).toBeLessThan(0.5);
  });
});

describe('isFlat', () => {
  it('holds for a slope within two standard errors of zero or under 1 per hour', () => {
    expect(isFlat({ slope: 5, slopeError: 3, intercept: 0, n: 10 })).toBe(true);
    expect(isFlat({ slope: 0.5, slopeError: 0, intercept: 0, n: 10 })).toBe(true);
    expect(isFlat({ slope: 44.5, slopeError: 2, intercept: 0, n: 10 })).toBe(false);
    expect(isFlat({ slope: Number.NaN, slopeError: Number.NaN, intercept: 0, n: 1 })).toBe(false);
  });
});
