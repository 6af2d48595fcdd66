/**
 * Runs a group heartbeat on its own timer, independent of the code that processes records: a loop body that
 * awaits for seconds never delays it. (A synchronous, CPU-bound loop body blocks the event loop and so the timer
 * too; keep such work short or move it to a worker thread.)
 *
 * One heartbeat is in flight at a time; the next is due `intervalMs` after the previous one was sent, or at once
 * when that time has passed. The timer does not keep the process alive on its own.
 */
export class HeartbeatTimer {
  private intervalMs: number;
  private readonly send: () => Promise<void>;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight = false;
  private immediate = false;
  private lastSentAt = 0;

  /**
   * @param intervalMs Time between heartbeats.
   * @param send Sends one heartbeat and handles its response; never rejects.
   */
  constructor(intervalMs: number, send: () => Promise<void>) {
    this.intervalMs = intervalMs;
    this.send = send;
  }

  /** True between {@link start} and {@link stop}. */
  get started(): boolean {
    return this.running;
  }

  /** Changes the interval (KIP-848: the coordinator sets it); applies from the next heartbeat. */
  setInterval(intervalMs: number): void {
    if (intervalMs > 0) this.intervalMs = intervalMs;
  }

  /** Starts heartbeating: the first heartbeat goes out after one interval (or at once with `now`). */
  start(now = false): void {
    if (this.running) {
      if (now) this.beatNow();
      return;
    }
    this.running = true;
    this.lastSentAt = Date.now();
    if (now) this.beatNow();
    else this.schedule(this.intervalMs);
  }

  /** Stops heartbeating; a heartbeat in flight completes but schedules nothing. */
  stop(): void {
    this.running = false;
    this.immediate = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Sends a heartbeat as soon as possible (after the one in flight, if any). */
  beatNow(): void {
    if (!this.running) return;
    if (this.inFlight) {
      this.immediate = true;
      return;
    }
    this.schedule(0);
  }

  /** After a failed heartbeat: try again after `delayMs` instead of a full interval. */
  retrySoon(delayMs: number): void {
    if (!this.running) return;
    this.lastSentAt = Date.now() - this.intervalMs + delayMs;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.beat();
      },
      Math.max(0, delayMs),
    );
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    if (!this.running || this.inFlight) return;
    this.inFlight = true;
    this.immediate = false;
    this.lastSentAt = Date.now();
    try {
      await this.send();
    } catch {
      // send() handles its own errors; never let a rejection stop the timer.
    } finally {
      this.inFlight = false;
    }
    if (!this.running) return;
    if (this.immediate) this.schedule(0);
    else this.schedule(this.lastSentAt + this.intervalMs - Date.now());
  }
}
