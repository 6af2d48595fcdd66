import { LatencyHistogram } from './latency-histogram.js';
import { RateMeter } from './rate-meter.js';

/** What the demo shows on each frame. */
export interface DemoFrame {
  /** Milliseconds since the demo started. */
  readonly elapsedMs: number;
  /** Records to produce, or `undefined` with `--forever`. */
  readonly target: number | undefined;
  /** Records the broker acknowledged to the load producer. */
  readonly produced: number;
  /** Records the Rx pipeline sent to the output topic (and committed on the input). */
  readonly piped: number;
  /** Records the `for await` reader read from the output topic (distinct). */
  readonly consumed: number;
  /** Records per second, over the last second. */
  readonly producedPerSecond: number;
  readonly pipedPerSecond: number;
  readonly consumedPerSecond: number;
  /** Consumer lag: records of the input not yet read by the pipeline, of the output not yet read by the reader. */
  readonly pipelineLag: bigint;
  readonly readerLag: bigint;
  /**
   * Quota throttling (KIP-219) of the demo's four clients, from their connections' metrics: responses that carried
   * a throttle time, and the throttle time added up, in seconds.
   */
  readonly throttle: { readonly responses: number; readonly seconds: number };
  /** End-to-end latency (produce to read), in ms; `undefined` before the first record. */
  readonly latency: {
    readonly p50: number | undefined;
    readonly p99: number | undefined;
    readonly max: number | undefined;
  };
}

/** The counters the demo's three parts update, turned into frames. */
export class DemoStats {
  /** When the load started (the clock of `elapsedMs`). */
  started = Date.now();
  readonly latency = new LatencyHistogram();
  produced = 0;
  piped = 0;
  consumed = 0;
  duplicates = 0;
  pipelineLag = 0n;
  readerLag = 0n;
  throttle = { responses: 0, seconds: 0 };
  private readonly producedRate = new RateMeter();
  private readonly pipedRate = new RateMeter();
  private readonly consumedRate = new RateMeter();

  constructor(readonly target: number | undefined) {}

  /** A frame of the figures now. */
  frame(now = Date.now()): DemoFrame {
    return {
      elapsedMs: now - this.started,
      target: this.target,
      produced: this.produced,
      piped: this.piped,
      consumed: this.consumed,
      producedPerSecond: this.producedRate.sample(this.produced, now),
      pipedPerSecond: this.pipedRate.sample(this.piped, now),
      consumedPerSecond: this.consumedRate.sample(this.consumed, now),
      pipelineLag: this.pipelineLag,
      readerLag: this.readerLag,
      throttle: this.throttle,
      latency: {
        p50: this.latency.percentile(50),
        p99: this.latency.percentile(99),
        max: this.latency.count === 0 ? undefined : this.latency.max,
      },
    };
  }
}
