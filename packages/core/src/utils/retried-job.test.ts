import { describe, expect, it } from 'vitest';
import { RetriedJob } from './retried-job.js';

describe('RetriedJob', () => {
  it('runs one at a time, retries after the backoff of its failures, and resets on success', async () => {
    let runs = 0;
    let fail = true;
    let finish: (() => void) | undefined;
    const retries: number[] = [];
    const job = new RetriedJob(
      () =>
        new Promise<void>((resolve, reject) => {
          runs++;
          finish = fail ? () => reject(new Error('transient')) : resolve;
        }),
      (failures) => 1000 * (failures + 1),
      (at) => retries.push(at),
    );
    expect(job.poll(0)).toBe(Number.POSITIVE_INFINITY);
    expect(job.poll(0)).toBe(Number.POSITIVE_INFINITY); // running: not started twice
    expect(runs).toBe(1);
    const before = Date.now();
    finish!();
    await Promise.resolve();
    await Promise.resolve();
    expect(job.isRunning).toBe(false);
    expect(retries).toHaveLength(1);
    const retryAt = retries[0]!;
    expect(retryAt - before).toBeGreaterThanOrEqual(1000);
    expect(job.poll(retryAt - 1)).toBe(retryAt); // backing off
    expect(runs).toBe(1);
    job.poll(retryAt);
    expect(runs).toBe(2);
    const secondFailure = Date.now();
    finish!();
    await Promise.resolve();
    await Promise.resolve();
    expect(retries[1]!).toBeGreaterThanOrEqual(secondFailure + 2000); // the second failure backs off longer
    fail = false;
    job.poll(retries[1]!);
    finish!();
    await Promise.resolve();
    await Promise.resolve();
    expect(runs).toBe(3);
    expect(retries).toHaveLength(2);
    expect(job.poll(0)).toBe(Number.POSITIVE_INFINITY); // after a success no backoff is left
    expect(runs).toBe(4);
  });
});
