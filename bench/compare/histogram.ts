/**
 * A small HDR-style histogram of non-negative integers (microseconds here): exact below 128, then 64 buckets per
 * power of two, so any recorded value is known within 1/64 (1.6 %) of itself. Fixed memory, O(1) record.
 */
export class Histogram {
  private readonly counts = new Float64Array(128 + 64 * 40);
  private total = 0;
  private maximum = 0;

  /** Records one value (negative values count as 0; fractions are truncated). */
  record(value: number): void {
    const v = value <= 0 ? 0 : Math.floor(value);
    this.counts[Histogram.index(v)]!++;
    this.total++;
    if (v > this.maximum) this.maximum = v;
  }

  /** Values recorded. */
  get count(): number {
    return this.total;
  }

  /** Largest value recorded. */
  get max(): number {
    return this.maximum;
  }

  /**
   * The value at percentile `p` (0-100): the highest value of the bucket holding the ceil(p% x count)-th smallest
   * value (never under the true percentile, at most 1.6 % over it), capped at the maximum recorded.
   */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(Histogram.highest(i), this.maximum);
    }
    return this.maximum;
  }

  private static index(v: number): number {
    if (v < 128) return v;
    const exponent = 31 - Math.clz32(Math.min(v, 0xffff_ffff));
    const shift = exponent - 6;
    return 128 + (exponent - 7) * 64 + (Math.floor(v / 2 ** shift) - 64);
  }

  private static highest(index: number): number {
    if (index < 128) return index;
    const exponent = Math.floor((index - 128) / 64) + 7;
    const shift = exponent - 6;
    const sub = ((index - 128) % 64) + 64;
    return (sub + 1) * 2 ** shift - 1;
  }
}
