import { describe, expect, it } from 'vitest';
import { HeartbeatTimer } from './heartbeat.js';

async function until(predicate: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('HeartbeatTimer', () => {
  it('beats every interval, independently of what else the process awaits', async () => {
    const sent: number[] = [];
    const timer = new HeartbeatTimer(20, async () => {
      sent.push(Date.now());
    });
    timer.start();
    // A "loop body" that awaits for a while does not hold the heartbeats back.
    await new Promise((resolve) => setTimeout(resolve, 150));
    timer.stop();
    expect(sent.length).toBeGreaterThanOrEqual(4);
    const count = sent.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent.length).toBe(count); // stopped
  });

  it('keeps one heartbeat in flight; beatNow during one sends the next right after it', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let release: (() => void) | undefined;
    let sent = 0;
    const timer = new HeartbeatTimer(10_000, async () => {
      sent++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      inFlight--;
    });
    timer.start(true);
    await until(() => sent === 1);
    timer.beatNow();
    timer.beatNow();
    expect(sent).toBe(1);
    release!();
    await until(() => sent === 2);
    release!();
    timer.stop();
    expect(maxInFlight).toBe(1);
  });

  it('retries sooner after a failure and follows a new interval', async () => {
    const sent: number[] = [];
    const timer = new HeartbeatTimer(10_000, async () => {
      sent.push(Date.now());
      if (sent.length === 1) timer.retrySoon(10);
    });
    timer.start(true);
    await until(() => sent.length === 2);
    expect(sent[1]! - sent[0]!).toBeLessThan(1000);
    timer.setInterval(15);
    timer.beatNow();
    await until(() => sent.length >= 5);
    timer.stop();
  });
});
