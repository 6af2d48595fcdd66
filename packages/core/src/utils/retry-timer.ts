/**
 * A timer for "try again at the earliest of these times": asking for a later time while an earlier one is pending
 * changes nothing; asking for an earlier one moves the timer forward.
 *
 * It does not keep the process alive unless asked to (`keepAlive`): a client's background retries must not hold a
 * program open that has nothing left to do, but work a user handed over (records waiting for their linger or a
 * retry) must get done before the process exits.
 */
export class RetryTimer {
  private readonly fire: () => void;
  private timer: NodeJS.Timeout | undefined;
  private at = Number.POSITIVE_INFINITY;
  private keepingAlive = false;

  /** @param fire Called when the timer fires. */
  constructor(fire: () => void) {
    this.fire = fire;
  }

  /**
   * Fires at `time` (`Date.now()` scale), unless an earlier time is already pending. With `keepAlive` the pending
   * timer keeps the process alive.
   */
  fireAt(time: number, keepAlive = false): void {
    if (this.timer !== undefined && this.at <= time) {
      if (keepAlive && !this.keepingAlive) {
        this.timer.ref();
        this.keepingAlive = true;
      }
      return;
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.at = time;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.at = Number.POSITIVE_INFINITY;
        this.fire();
      },
      Math.max(0, time - Date.now()),
    );
    this.keepingAlive = keepAlive;
    if (!keepAlive) this.timer.unref();
  }

  /** Cancels the pending time, if any. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Number.POSITIVE_INFINITY;
  }
}
