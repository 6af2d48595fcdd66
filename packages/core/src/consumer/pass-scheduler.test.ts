import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeCluster } from '../../test/consumer/support/fake-cluster.js';
import { silentLogger } from '../utils/logger.js';
import { PassScheduler } from './pass-scheduler.js';
import { Waiters } from './waiters.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('PassScheduler', () => {
  it('runs one pass per turn of the event loop however many changes asked for it', async () => {
    let passes = 0;
    const scheduler = new PassScheduler(() => passes++);
    scheduler.schedule();
    scheduler.schedule();
    scheduler.schedule();
    expect(passes).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(passes).toBe(1);
    scheduler.schedule();
    await new Promise((resolve) => setImmediate(resolve));
    expect(passes).toBe(2);
  });

  it('runs at the earliest of the retry times asked for, and nothing after close()', async () => {
    vi.useFakeTimers({ now: 0 });
    let passes = 0;
    const scheduler = new PassScheduler(() => passes++);
    scheduler.scheduleAt(100);
    scheduler.scheduleAt(50);
    scheduler.scheduleAt(80); // later than the pending one: changes nothing
    await vi.advanceTimersByTimeAsync(60);
    expect(passes).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(passes).toBe(1);
    scheduler.scheduleAt(200);
    scheduler.close();
    scheduler.schedule();
    await vi.advanceTimersByTimeAsync(200);
    expect(passes).toBe(1);
  });

  it('refreshes metadata one at a time, then runs the pass again after the backoff', async () => {
    vi.useFakeTimers({ now: 0 });
    const cluster = new FakeCluster();
    let passes = 0;
    const scheduler = new PassScheduler(() => passes++);
    scheduler.refreshMetadata(cluster, () => 30, silentLogger);
    scheduler.refreshMetadata(cluster, () => 30, silentLogger);
    await vi.advanceTimersByTimeAsync(10);
    expect([cluster.refreshes, passes]).toEqual([1, 0]);
    await vi.advanceTimersByTimeAsync(30);
    expect(passes).toBe(1);
  });
});

describe('Waiters', () => {
  it('wakes every waiter at once; a wait also ends at its timeout or when its signal aborts', async () => {
    const waiters = new Waiters();
    const ended: string[] = [];
    const a = waiters.wait(undefined, undefined).then(() => ended.push('a'));
    const b = waiters.wait(undefined, undefined).then(() => ended.push('b'));
    expect(waiters.size).toBe(2);
    waiters.wakeAll();
    await Promise.all([a, b]);
    expect([ended, waiters.size]).toEqual([['a', 'b'], 0]);

    const controller = new AbortController();
    const aborted = waiters.wait(undefined, controller.signal);
    const timed = waiters.wait(5, undefined);
    controller.abort();
    await aborted;
    await timed;
    expect(waiters.size).toBe(0);
    await waiters.wait(undefined, controller.signal); // already aborted: resolves at once
  });
});
