import type { Logger } from '../utils/logger.js';
import type { MetadataView } from './cluster-view.js';

/**
 * When the background loops of the consumers (the fetchers, the position updater) run their pass: once per turn of
 * the event loop however many changes asked for it, at the earliest of the times retries are due, and again after
 * a metadata refresh they asked for. Its timers never keep the process alive.
 */
export class PassScheduler {
  private readonly pass: () => void;
  private scheduled = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private at = Number.POSITIVE_INFINITY;
  private refreshing = false;

  /** @param pass The loop's pass; it decides itself whether there is anything to do. */
  constructor(pass: () => void) {
    this.pass = pass;
  }

  /** Runs the pass in the next turn of the event loop (coalesced). */
  schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.closed) this.pass();
    });
  }

  /** Runs the pass at `time` (`Date.now()` scale), unless an earlier time is already pending. */
  scheduleAt(time: number): void {
    if (this.closed || (this.timer !== undefined && this.at <= time)) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.at = time;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.at = Number.POSITIVE_INFINITY;
        this.schedule();
      },
      Math.max(0, time - Date.now()),
    );
    this.timer.unref();
  }

  /**
   * Refreshes metadata (one refresh at a time), then runs the pass again after `retryDelayMs` whatever the refresh
   * did: partitions without a leader are tried again.
   */
  refreshMetadata(metadata: MetadataView, retryDelayMs: () => number, logger: Logger): void {
    if (this.refreshing || this.closed) return;
    this.refreshing = true;
    metadata
      .refreshMetadata()
      .catch((error: unknown) => logger.debug('metadata refresh failed', { error: String(error) }))
      .finally(() => {
        this.refreshing = false;
        this.scheduleAt(Date.now() + retryDelayMs());
      });
  }

  /** Stops for good: nothing pending runs. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.at = Number.POSITIVE_INFINITY;
  }
}
