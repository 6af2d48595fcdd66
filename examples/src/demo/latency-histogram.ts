/**
 * End-to-end latencies in a fixed histogram: one counter per millisecond up to a ceiling (and one for everything
 * above), so memory does not grow with the number of records (`--forever`), and percentiles are exact to the
 * millisecond.
 */
export class LatencyHistogram {
  private readonly counts: Uint32Array;
  private readonly ceilingMs: number;
  /** Latencies recorded. */
  count = 0;
  /** Sum of the latencies, for the mean. */
  private sum = 0;
  /** Highest latency recorded. */
  max = 0;

  constructor(ceilingMs = 60_000) {
    this.ceilingMs = ceilingMs;
    this.counts = new Uint32Array(ceilingMs + 1);
  }

  /** Records a latency in milliseconds (negative values, from clock steps, count as 0). */
  record(ms: number): void {
    const value = ms < 0 ? 0 : Math.round(ms);
    // Values above the ceiling are only counted: percentiles that fall there report the max.
    if (value <= this.ceilingMs) this.counts[value]!++;
    this.count++;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  /** Mean latency, or `undefined` before any. */
  get mean(): number | undefined {
    return this.count === 0 ? undefined : this.sum / this.count;
  }

  /** The latency at or below which `p` percent of the records fall (`undefined` before any record). */
  percentile(p: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let ms = 0; ms <= this.ceilingMs; ms++) {
      seen += this.counts[ms]!;
      if (seen >= rank) return ms;
    }
    return this.max;
  }
}
