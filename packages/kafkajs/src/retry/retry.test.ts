import { describe, expect, it } from 'vitest';
import { KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from '../errors/errors.js';
import { createRetrier, isRetriable, nextRetryTime, randomized, resolveRetry, retryBudgetMs } from './retry.js';

describe('retry', () => {
  it('applies KafkaJS defaults', () => {
    expect(resolveRetry(undefined)).toEqual({
      maxRetryTime: 30_000,
      initialRetryTime: 300,
      factor: 0.2,
      multiplier: 2,
      retries: 5,
    });
  });

  it('randomises by +/- factor and grows by the multiplier up to the maximum', () => {
    expect(randomized(1000, 0.2, () => 0)).toBe(800);
    expect(randomized(1000, 0.2, () => 1)).toBe(1200);
    const retry = resolveRetry({ maxRetryTime: 1500, multiplier: 2, factor: 0 });
    expect(nextRetryTime(retry, 500)).toBe(1000);
    expect(nextRetryTime(retry, 1000)).toBe(1500);
  });

  it('the budget is the sum of the waits before each retry', () => {
    expect(retryBudgetMs(resolveRetry({}))).toBe(300 + 600 + 1200 + 2400 + 4800);
    expect(retryBudgetMs(resolveRetry({ retries: 0 }))).toBe(0);
    expect(retryBudgetMs(resolveRetry({ retries: Number.MAX_SAFE_INTEGER }))).toBe(2_147_483_647);
  });

  it('retries retriable failures, then gives up with KafkaJSNumberOfRetriesExceeded', async () => {
    const retrier = createRetrier({ retries: 2, initialRetryTime: 1, maxRetryTime: 2 });
    let attempts = 0;
    const failure = new KafkaJSError('busy');
    const outcome = await retrier(async () => {
      attempts++;
      throw failure;
    }).catch((e: unknown) => e);
    expect(attempts).toBe(3);
    expect(outcome).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
    expect((outcome as KafkaJSNumberOfRetriesExceeded).retryCount).toBe(2);
    expect((outcome as Error).cause).toBe(failure);
  });

  it('stops at once on a non-retriable failure and on programming errors', async () => {
    const retrier = createRetrier({ retries: 5, initialRetryTime: 1 });
    let attempts = 0;
    const outcome = await retrier(async () => {
      attempts++;
      throw new TypeError('bug');
    }).catch((e: unknown) => e);
    expect(attempts).toBe(1);
    expect(outcome).toBeInstanceOf(KafkaJSNonRetriableError);
    expect(isRetriable(new KafkaJSNonRetriableError('x'))).toBe(false);
    expect(isRetriable(new Error('plain'))).toBe(true);
  });

  it('resolves with the first success, and bail() ends with the given error', async () => {
    const retrier = createRetrier({ retries: 3, initialRetryTime: 1 });
    let attempts = 0;
    await expect(
      retrier(async () => {
        attempts++;
        if (attempts < 2) throw new Error('once');
        return 'ok';
      }),
    ).resolves.toBe('ok');
    const stop = new Error('stop');
    await expect(
      retrier(async (bail) => {
        bail(stop);
      }),
    ).rejects.toBe(stop);
  });
});
