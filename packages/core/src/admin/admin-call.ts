import { AbortedError, InvalidArgumentError, KafkaTimeoutError } from '../errors/client-errors.js';
import { isKafkaError } from '../errors/kafka-error.js';
import { settleBy } from '../utils/deadline.js';
import { delay } from '../utils/delay.js';
import type { AdminCallOptions } from './admin-options.js';

/** What an {@link AdminCall} needs from the client: the request timeout and the retry backoff. */
export interface CallSettings {
  /** Java: request.timeout.ms. Bound of each request. */
  readonly requestTimeoutMs: number;
  /** Java: default.api.timeout.ms. Bound of the whole call when it passes no `timeoutMs`. */
  readonly defaultApiTimeoutMs: number;
  /** Backoff before retry `attempt` (0-based): the cluster's retry.backoff.ms / retry.backoff.max.ms. */
  retryDelay(attempt: number): number;
}

/**
 * One admin method call in progress: its deadline, its abort signal and its retry count. Every request sent for
 * the call, and every backoff between retries, stays within the deadline.
 */
export class AdminCall {
  /** The admin method, for messages (`createTopics`). */
  readonly method: string;
  /** Time allowed to the call. */
  readonly timeoutMs: number;
  /** `Date.now()` past which the call gives up. */
  readonly deadline: number;
  /** The caller's abort signal. */
  readonly signal: AbortSignal | undefined;
  private readonly settings: CallSettings;
  private retries = 0;

  constructor(method: string, settings: CallSettings, options: AdminCallOptions = {}) {
    const timeoutMs = options.timeoutMs ?? settings.defaultApiTimeoutMs;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new InvalidArgumentError(
        `${method}: timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`,
      );
    }
    this.method = method;
    this.settings = settings;
    this.timeoutMs = timeoutMs;
    this.deadline = Date.now() + timeoutMs;
    this.signal = options.signal;
    this.throwIfAborted();
  }

  /** Milliseconds left before the deadline (0 when past it). */
  remaining(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /** How many retries the call has made. */
  get attempts(): number {
    return this.retries;
  }

  /** Timeout for the next request: `requestTimeoutMs`, or less when the deadline is nearer. At least 1 ms. */
  requestTimeout(): number {
    return Math.max(1, Math.min(this.settings.requestTimeoutMs, this.remaining()));
  }

  /**
   * The value for a request's own `timeoutMs` field (how long the broker may wait for the operation, as in
   * CreateTopics): the request timeout less a margin, so that the broker answers before the client stops waiting.
   */
  serverTimeout(): number {
    const timeout = this.requestTimeout();
    return Math.max(0, timeout - Math.min(1000, Math.floor(timeout / 10)));
  }

  /** Throws `AbortedError` when the caller aborted. */
  throwIfAborted(): void {
    if (this.signal?.aborted) {
      throw new AbortedError(`${this.method} was aborted`, { cause: this.signal.reason });
    }
  }

  /**
   * Waits before the next retry (exponential backoff with jitter, capped by the deadline). Resolves `false` when no
   * time is left for another attempt. Rejects with `AbortedError` when the caller aborts meanwhile.
   */
  async backoff(): Promise<boolean> {
    this.throwIfAborted();
    const remaining = this.remaining();
    if (remaining <= 0) return false;
    const wait = Math.min(remaining, this.settings.retryDelay(this.retries++));
    await delay(wait, this.signal).catch((error: unknown) => {
      throw new AbortedError(`${this.method} was aborted`, { cause: this.signal?.reason ?? error });
    });
    return this.remaining() > 0;
  }

  /**
   * Settles with `promise`, or rejects as soon as the caller aborts (`AbortedError`) or the call's deadline passes
   * (`KafkaTimeoutError`): whatever the call waits on (a connection being set up, a metadata refresh), it settles
   * within its `timeoutMs`.
   */
  race<T>(promise: Promise<T>): Promise<T> {
    const signal = this.signal;
    try {
      this.throwIfAborted();
    } catch (error) {
      promise.catch(() => undefined);
      return Promise.reject(error);
    }
    const bounded = settleBy(promise, this.deadline, () => this.timeoutError(undefined));
    if (signal === undefined) return bounded;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new AbortedError(`${this.method} was aborted`, { cause: signal.reason }));
      signal.addEventListener('abort', onAbort, { once: true });
      bounded.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /** The error for a call that ran out of time, naming the last failure. */
  timeoutError(last: unknown): KafkaTimeoutError {
    const reason = isKafkaError(last) || last instanceof Error ? `: ${last.message}` : '';
    return new KafkaTimeoutError(
      `${this.method} did not complete within ${this.timeoutMs} ms after ${this.retries + 1} attempt(s)${reason}`,
      { cause: last },
    );
  }
}
