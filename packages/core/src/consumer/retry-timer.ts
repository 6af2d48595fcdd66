/**
 * A timer for "try again at the earliest of these times": asking for a later time while an earlier one is pending
 * changes nothing; asking for an earlier one moves the timer forward. It never keeps the process alive.
 */
export class RetryTimer {
  private readonly fire: () => void;
  private timer: NodeJS.Timeout | undefined;
  private at = Number.POSITIVE_INFINITY;

  /** @param fire Called when the timer fires. */
  constructor(fire: () => void) {
    this.fire = fire;
  }

  /** Fires at `time` (`Date.now()` scale), unless an earlier time is already pending. */
  fireAt(time: number): void {
    if (this.timer !== undefined && this.at <= time) return;
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
    this.timer.unref();
  }

  /** Cancels the pending time, if any. */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Number.POSITIVE_INFINITY;
  }
}
