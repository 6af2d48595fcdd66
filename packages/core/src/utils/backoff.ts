/** Settings of an exponential backoff with jitter. */
export interface BackoffOptions {
  /** First delay. */
  readonly initialMs: number;
  /** Largest delay. */
  readonly maxMs: number;
  /** Growth per attempt. Default 2. */
  readonly multiplier?: number;
  /** Random spread as a fraction of the delay, both ways. Default 0.2 (the Java client's value). */
  readonly jitter?: number;
}

/**
 * Delay before attempt `attempt` (0-based): `initialMs * multiplier^attempt`, capped at `maxMs`, spread by
 * `±jitter`. Matches the Java client's `ExponentialBackoff` used for `retry.backoff.ms` and
 * `reconnect.backoff.ms`.
 */
export function backoffDelay(options: BackoffOptions, attempt: number, random: () => number = Math.random): number {
  const { initialMs, maxMs, multiplier = 2, jitter = 0.2 } = options;
  if (maxMs <= initialMs) return Math.max(0, maxMs);
  const exponential = Math.min(maxMs, initialMs * multiplier ** Math.max(0, attempt));
  const spread = exponential * jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(maxMs, exponential + spread)));
}
