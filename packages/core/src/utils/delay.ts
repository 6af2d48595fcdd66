import { AbortedError } from '../errors/client-errors.js';

/**
 * Resolves after `ms` milliseconds, or rejects with `AbortedError` as soon as `signal` aborts. The timer does not
 * keep the process alive on its own when `unref` is set.
 */
export function delay(ms: number, signal?: AbortSignal, unref = false): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortedError('Wait aborted', { cause: signal.reason }));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError('Wait aborted', { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (unref) timer.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
