import { describe, expect, it } from 'vitest';
import { RateMeter } from './rate-meter.js';

describe('RateMeter', () => {
  it('reports the rate over the last window of samples', () => {
    const meter = new RateMeter(1000);
    expect(meter.sample(0, 0)).toBe(0);
    expect(meter.sample(100, 100)).toBe(1000);
    for (let t = 200; t <= 1000; t += 100) meter.sample(t, t);
    // Counting 1 per ms, then stopping: the rate drops as the window slides past the busy part.
    expect(meter.sample(1000, 1000)).toBe(1000);
    expect(meter.sample(1000, 1500)).toBe(500);
    expect(meter.sample(1000, 2600)).toBe(0);
  });
});
