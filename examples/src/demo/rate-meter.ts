/**
 * Records per second over a sliding window: the counter is sampled at each frame and the rate is the difference
 * with the oldest sample still inside the window.
 */
export class RateMeter {
  private readonly windowMs: number;
  private readonly samples: Array<{ at: number; count: number }> = [];

  constructor(windowMs = 1000) {
    this.windowMs = windowMs;
  }

  /** Adds a sample of a monotonically increasing counter taken at `at` (ms); returns the rate in records/s. */
  sample(count: number, at: number): number {
    const samples = this.samples;
    samples.push({ at, count });
    while (samples.length > 2 && at - samples[1]!.at >= this.windowMs) samples.shift();
    const first = samples[0]!;
    const elapsed = at - first.at;
    return elapsed <= 0 ? 0 : ((count - first.count) * 1000) / elapsed;
  }
}
