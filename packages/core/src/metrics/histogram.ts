import type { HistogramBucket } from './metric-family.js';

/** A fixed-bucket histogram: `observe` walks the bounds, `buckets` returns cumulative counts. */
export class Histogram {
  private readonly counts: Float64Array;
  /** Sum of the observations. */
  sum = 0;
  /** Number of observations. */
  count = 0;

  /** @param bounds Upper bounds of the buckets, ascending (a `+Inf` bucket follows them). */
  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** Records one observation. */
  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }

  /** Cumulative buckets, the last one `+Inf`. */
  buckets(): HistogramBucket[] {
    const out: HistogramBucket[] = [];
    let cumulative = 0;
    for (let i = 0; i <= this.bounds.length; i++) {
      cumulative += this.counts[i]!;
      out.push({ le: i < this.bounds.length ? this.bounds[i]! : Number.POSITIVE_INFINITY, count: cumulative });
    }
    return out;
  }
}

/** Buckets for durations in seconds: 1 ms to 30 s. */
export const SECONDS_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];
