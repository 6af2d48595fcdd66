import { describe, expect, it } from 'vitest';
import { settleBy } from './deadline.js';

describe('settleBy', () => {
  it('settles with the work when it is in time', async () => {
    await expect(settleBy(Promise.resolve(7), Date.now() + 1000, () => new Error('late'))).resolves.toBe(7);
    await expect(settleBy(Promise.reject(new Error('no')), Date.now() + 1000, () => new Error('late'))).rejects.toThrow(
      'no',
    );
  });

  it('rejects at the deadline while the work hangs, and swallows the work failing later', async () => {
    let fail: (error: Error) => void = () => undefined;
    const work = new Promise<number>((_, reject) => {
      fail = reject;
    });
    const started = Date.now();
    await expect(settleBy(work, started + 50, () => new Error('late'))).rejects.toThrow('late');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    fail(new Error('after the deadline')); // must not become an unhandled rejection (vitest fails the run if it does)
    await expect(settleBy(Promise.resolve(1), started, () => new Error('past'))).rejects.toThrow('past');
  });
});
