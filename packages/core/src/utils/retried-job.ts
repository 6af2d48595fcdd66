/**
 * A background job that runs one at a time and, when it fails, runs again after a backoff: for work a loop
 * starts whenever it sees the need (a producer id to obtain, partitions to register) and must not start twice.
 *
 * The job handles its own outcome; a rejection means "try again": the next {@link poll} after the backoff starts
 * it anew, and `retryLater` is told when that is. A success resets the backoff.
 */
export class RetriedJob {
  private running = false;
  private failures = 0;
  private retryAt = 0;

  /**
   * @param job The work; rejects when it should be retried.
   * @param backoff Delay before the retry after `failures` consecutive failures (0-based).
   * @param retryLater Told when a failed job may run again (to poll it then).
   */
  constructor(
    private readonly job: () => Promise<void>,
    private readonly backoff: (failures: number) => number,
    private readonly retryLater: (at: number) => void,
  ) {}

  /** True while the job runs. */
  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Starts the job unless it runs or is backing off. Returns when a backing-off job may start
   * (`Date.now()` scale), or Infinity.
   */
  poll(now: number): number {
    if (this.running) return Number.POSITIVE_INFINITY;
    if (now < this.retryAt) return this.retryAt;
    this.running = true;
    this.job().then(
      () => {
        this.running = false;
        this.failures = 0;
        this.retryAt = 0;
      },
      () => {
        this.running = false;
        this.retryAt = Date.now() + this.backoff(this.failures++);
        this.retryLater(this.retryAt);
      },
    );
    return Number.POSITIVE_INFINITY;
  }
}
