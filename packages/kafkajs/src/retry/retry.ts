import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from '../errors/errors.js';

/**
 * How KafkaJS retries a failed operation: up to `retries` more times, waiting `initialRetryTime` and then
 * `multiplier` times longer after each failure (randomised by +/- `factor`), at most `maxRetryTime`. The consumer
 * also takes `restartOnFailure`: called when the consumer crashed after its retries, it decides whether the
 * consumer restarts.
 */
export interface RetryOptions {
  /** Longest wait between two attempts, in ms. Default 30000. */
  maxRetryTime?: number;
  /** Wait before the first retry, in ms. Default 300. */
  initialRetryTime?: number;
  /** Randomisation of each wait: +/- this fraction. Default 0.2. */
  factor?: number;
  /** Growth of the wait after each retry. Default 2. */
  multiplier?: number;
  /** Retries after the first attempt. Default 5. */
  retries?: number;
  /** Consumer: whether to restart after a crash; default restarts for retriable errors. */
  restartOnFailure?: (e: Error) => Promise<boolean>;
}

/** KafkaJS's retry defaults. */
export const RETRY_DEFAULTS = {
  maxRetryTime: 30_000,
  initialRetryTime: 300,
  factor: 0.2,
  multiplier: 2,
  retries: 5,
} as const;

/** Retry options with every default applied. */
export type ResolvedRetry = Required<Omit<RetryOptions, 'restartOnFailure'>>;

/** Applies the defaults. */
export function resolveRetry(options: RetryOptions | undefined): ResolvedRetry {
  return {
    maxRetryTime: options?.maxRetryTime ?? RETRY_DEFAULTS.maxRetryTime,
    initialRetryTime: options?.initialRetryTime ?? RETRY_DEFAULTS.initialRetryTime,
    factor: options?.factor ?? RETRY_DEFAULTS.factor,
    multiplier: options?.multiplier ?? RETRY_DEFAULTS.multiplier,
    retries: options?.retries ?? RETRY_DEFAULTS.retries,
  };
}

/** `retryTime` randomised by +/- `factor`, rounded up. */
export function randomized(retryTime: number, factor: number, random: () => number = Math.random): number {
  const delta = factor * retryTime;
  return Math.ceil(retryTime - delta + random() * 2 * delta);
}

/** The wait after a retry that waited `retryTime`: `multiplier` times longer (randomised), at most the maximum. */
export function nextRetryTime(retry: ResolvedRetry, retryTime: number, random?: () => number): number {
  return Math.min(randomized(retryTime, retry.factor, random) * retry.multiplier, retry.maxRetryTime);
}

/**
 * The time every retry allows in all, without randomisation: the sum of the waits before each of the `retries`
 * retries. The engine is given this much to retry within (see the package README).
 */
export function retryBudgetMs(retry: ResolvedRetry): number {
  let total = 0;
  let wait = retry.initialRetryTime;
  for (let i = 0; i < retry.retries; i++) {
    total += wait;
    if (total > 2_147_483_647) return 2_147_483_647;
    wait = Math.min(wait * retry.multiplier, retry.maxRetryTime);
  }
  return total;
}

const UNRECOVERABLE = new Set(['RangeError', 'ReferenceError', 'SyntaxError', 'TypeError']);

/** KafkaJS's rule: an error is retried unless it says `retriable: false` or is a programming error. */
export function isRetriable(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return true;
  const e = error as { retriable?: unknown; name?: unknown };
  return e.retriable !== false && !UNRECOVERABLE.has(String(e.name));
}

/** What a retried function gets: `bail(error)` stops retrying with that error. */
export type Retriable<T> = (bail: (error?: Error) => void, retryCount: number, retryTime: number) => Promise<T>;

/**
 * Runs `fn` until it resolves, retrying retriable failures as {@link RetryOptions} say. Rejects with
 * `KafkaJSNumberOfRetriesExceeded` once the retries are used up, with a `KafkaJSNonRetriableError` wrapping a
 * failure that is not retriable, or with the error given to `bail`.
 */
export function createRetrier(options?: RetryOptions): <T>(fn: Retriable<T>) => Promise<T> {
  const retry = resolveRetry(options);
  return <T>(fn: Retriable<T>) =>
    new Promise<T>((resolve, reject) => {
      let aborted = false;
      const bail = (error?: Error) => {
        aborted = true;
        reject(error ?? new Error('Aborted'));
      };
      const attempt = (retryTime: number, retryCount: number) => {
        if (aborted) return;
        fn(bail, retryCount, retryTime).then(resolve, (error: unknown) => {
          if (aborted) return;
          const cause = (error as { cause?: unknown } | null)?.cause ?? error;
          if (!isRetriable(error)) {
            reject(new KafkaJSNonRetriableError(error as Error, { cause }));
          } else if (retryCount >= retry.retries) {
            reject(new KafkaJSNumberOfRetriesExceeded(error as Error, { retryCount, retryTime, cause }));
          } else {
            setTimeout(() => attempt(nextRetryTime(retry, retryTime), retryCount + 1), retryTime);
          }
        });
      };
      attempt(randomized(retry.initialRetryTime, retry.factor), 0);
    });
}
