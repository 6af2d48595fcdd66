import { type ConsumerLike, InvalidArgumentError, type KafkaError } from '@vltava/core';
import type { PartitionProgress } from './partition-progress.js';
import { defaultSourceOf, type SourceOf } from './source-coordinates.js';
import { StreamSession } from './stream-session.js';

/** Options of the commit streams. */
export interface CommitStreamOptions<T> {
  /** Chunks the stream buffers. Default 1024. */
  readonly highWaterMark?: number;
  /**
   * Commit the processed offsets this often while running (they are also acknowledged to the consumer at once, so
   * its automatic commits, revocations and `close()` include them). 0: only at the end. Default 5000, as Java's
   * `auto.commit.interval.ms`.
   */
  readonly commitIntervalMs?: number;
  /** Finds where a chunk came from. Default {@link defaultSourceOf}. */
  readonly sourceOf?: SourceOf<T>;
}

/** Default high-water mark of the commit streams, in chunks. */
export const DEFAULT_COMMIT_HIGH_WATER_MARK = 1024;

/** Attempts of the final commit when it fails with a retriable error (a rebalance in progress). */
const FINAL_COMMIT_ATTEMPTS = 5;
const FINAL_COMMIT_BACKOFF_MS = 200;

/**
 * The committing half shared by the Node and Web commit streams: marks each chunk's source record processed,
 * acknowledges the partitions whose committable offset moved, commits on an interval and at the end, and tells the
 * session when it is done.
 */
export class Committer<T> {
  readonly session: StreamSession;
  private readonly sourceOf: SourceOf<T>;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  /** Chunks received. */
  received = 0;

  constructor(consumer: ConsumerLike<unknown, unknown>, options: CommitStreamOptions<T>) {
    const interval = options.commitIntervalMs ?? 5000;
    if (!(interval >= 0) || !Number.isFinite(interval)) {
      throw new InvalidArgumentError(`commitIntervalMs must be a number >= 0, got ${String(options.commitIntervalMs)}`);
    }
    this.session = StreamSession.of(consumer);
    this.session.attachCommitter();
    this.sourceOf = options.sourceOf ?? (defaultSourceOf as SourceOf<T>);
    if (interval > 0) {
      this.timer = setInterval(() => void this.session.commitProcessed(), interval);
      this.timer.unref();
    }
  }

  /**
   * Marks one chunk's source record processed (after the session closed: reported as late, not committed).
   *
   * @throws InvalidArgumentError when it has no source coordinates.
   */
  add(chunk: T): void {
    if (this.session.closed) {
      this.sourceOf(chunk);
      this.session.lateRecord();
      return;
    }
    const progress = this.complete(chunk);
    if (progress !== undefined) this.session.acknowledge(progress);
  }

  /**
   * The input ended cleanly: commits what was processed (retrying a commit refused during a rebalance), then lets
   * the session close the consumer if the reader is done too. Resolves with the error of a commit that failed.
   */
  async finish(): Promise<KafkaError | undefined> {
    if (this.finished) return undefined;
    this.stopTimer();
    let failure: KafkaError | undefined;
    for (let attempt = 1; attempt <= FINAL_COMMIT_ATTEMPTS; attempt++) {
      failure = await this.session.commitProcessed();
      if (failure === undefined || !failure.retriable || this.session.closed) break;
      await new Promise((resolve) => setTimeout(resolve, FINAL_COMMIT_BACKOFF_MS * attempt));
    }
    this.finished = true;
    await this.session.committerFinished(null);
    return failure;
  }

  /** The stream was destroyed or aborted: the session commits what was processed and closes now (after an error). */
  async abort(error: unknown): Promise<void> {
    this.stopTimer();
    if (this.finished) return;
    this.finished = true;
    await this.session.committerFinished(error);
  }

  private complete(chunk: T): PartitionProgress | undefined {
    this.received++;
    const source = this.sourceOf(chunk);
    const traces = this.session.traces;
    if (traces.size !== 0) traces.processed(source.topic, source.partition, source.offset);
    return this.session.tracker.completed(source.topic, source.partition, source.offset, source.leaderEpoch);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
