import { setTimeout as delay } from 'node:timers/promises';

/** Resolves with the promise's value, or with `'timeout'` when it takes longer than `ms`; the timer is cleared. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Options of {@link pollUntil}. */
export interface PollOptions {
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** Pause between attempts. Default 200. */
  readonly intervalMs?: number;
  /** Checked before each attempt: a reason to stop early (for example "the JVM exited"), or undefined. */
  readonly abortReason?: () => string | undefined;
}

/** The outcome of {@link pollUntil}. */
export type PollResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string; readonly lastError?: unknown };

/**
 * Calls `probe` until it returns a value other than undefined, with a deadline. Errors thrown by the probe count as
 * "not yet" and the last one is returned on timeout. This is a condition wait with a deadline, not a sleep.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined>, options: PollOptions): Promise<PollResult<T>> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const aborted = options.abortReason?.();
    if (aborted !== undefined) return { ok: false, reason: aborted, lastError };
    try {
      const value = await probe();
      if (value !== undefined) return { ok: true, value };
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) return { ok: false, reason: `timed out after ${options.timeoutMs} ms`, lastError };
    await delay(options.intervalMs ?? 200);
  }
}
