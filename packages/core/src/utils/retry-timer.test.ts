import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetryTimer } from './retry-timer.js';

describe('RetryTimer', () => {
  const timers: RetryTimer[] = [];
  afterEach(() => {
    for (const timer of timers.splice(0)) timer.cancel();
  });

  /** The pending Node timer of a RetryTimer, to look at whether it keeps the process alive. */
  const pending = (timer: RetryTimer) => (timer as unknown as { timer: NodeJS.Timeout | undefined }).timer;

  it('fires once, at the earliest time asked for', () => {
    vi.useFakeTimers();
    try {
      const fired: number[] = [];
      const timer = new RetryTimer(() => fired.push(Date.now()));
      timers.push(timer);
      const start = Date.now();
      timer.fireAt(start + 60_000);
      timer.fireAt(start + 5);
      timer.fireAt(start + 30_000); // later than the pending time: changes nothing
      vi.advanceTimersByTime(120_000);
      expect(fired).toEqual([start + 5]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the process alive only when asked to', () => {
    const timer = new RetryTimer(() => {});
    timers.push(timer);
    timer.fireAt(Date.now() + 60_000);
    expect(pending(timer)!.hasRef()).toBe(false);
    timer.fireAt(Date.now() + 120_000, true); // later time, but now work depends on it
    expect(pending(timer)!.hasRef()).toBe(true);
    timer.fireAt(Date.now() + 1_000);
    expect(pending(timer)!.hasRef()).toBe(false);
  });
});
