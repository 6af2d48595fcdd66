import {
  ClientClosedError,
  type ConsumerLike,
  createConsoleLogger,
  InvalidArgumentError,
  isKafkaError,
  type KafkaError,
  type Logger,
  type TopicPartitionOffset,
} from '@vltava/core';
import { OffsetTracker } from './offset-tracker.js';
import type { PartitionProgress } from './partition-progress.js';
import { ProcessTraces } from './process-traces.js';
import { countUncommittedRecords, countUndrainedRecords } from './streams-metrics.js';

const sessions = new WeakMap<object, StreamSession>();

/** Default of the read streams' `drainTimeoutMs`, as `@vltava/rx`'s. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/**
 * What the read stream and the committer of one consumer share: the {@link OffsetTracker}, the commits, and the
 * decision when to close the consumer.
 *
 * - Commits are serialised (a periodic commit and the final one never race) and commit only offsets the tracker
 *   says were processed.
 * - The consumer is closed (when the read stream owns it) once reading and committing are both over: on a clean end
 *   of the read stream, the committer may still be receiving the records in flight, so the last of the two to finish
 *   closes it; on an error or an abort of the committer, it closes at once, after committing what was processed;
 *   a read stream destroyed while its committer still receives gives the records in flight `drainTimeoutMs` to
 *   reach it first.
 * - Nothing processed is dropped in silence: records that reach the committer after the session closed, and
 *   records still in flight when a drain ran out of time, are logged with counts and counted in `metrics()`.
 */
export class StreamSession {
  /** The session of a consumer, created on first use. */
  static of(consumer: ConsumerLike<unknown, unknown>): StreamSession {
    let session = sessions.get(consumer);
    if (session === undefined) {
      session = new StreamSession(consumer);
      sessions.set(consumer, session);
    }
    return session;
  }

  readonly consumer: ConsumerLike<unknown, unknown>;
  readonly tracker = new OffsetTracker();
  /** The open `vltava:consumer:process` traces of the records handed out (empty without a subscriber). */
  readonly traces: ProcessTraces;
  /** Close the consumer when the session ends: set by a read stream that owns the consumer. */
  closeConsumer = false;
  /** How long a destroyed reader's records in flight get to reach the committer. */
  private drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;
  private logger: Logger = createConsoleLogger();
  /** Wakes a drain waiting for the records in flight. */
  private drained: (() => void) | undefined;
  /** Records that reached the committer after the session closed, and whether that was logged. */
  private late = 0;
  /** Commits that succeeded / failed. */
  commits = 0;
  commitFailures = 0;
  /** The error of the last failed commit, if the last commit failed. */
  lastCommitError: KafkaError | undefined;
  private reader: 'none' | 'open' | 'done' = 'none';
  /** Partitions whose committable offset moved and the consumer was not told yet. */
  private readonly unacknowledged: PartitionProgress[] = [];
  private acknowledging = false;
  private committers = 0;
  /** True once a record was handed out with no committer attached. */
  private untracked = false;
  private committing: Promise<KafkaError | undefined> = Promise.resolve(undefined);
  private closing: Promise<void> | undefined;

  private constructor(consumer: ConsumerLike<unknown, unknown>) {
    this.consumer = consumer;
    this.traces = new ProcessTraces(consumer);
  }

  /** True while a committer is attached. */
  get hasCommitter(): boolean {
    return this.committers > 0;
  }

  /** True once the session closed (or is closing): nothing more is committed through it. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** A read stream starts reading the consumer. */
  attachReader(closeConsumer: boolean, drainTimeoutMs: number, logger: Logger | undefined): void {
    this.reader = 'open';
    this.closeConsumer = closeConsumer;
    this.drainTimeoutMs = drainTimeoutMs;
    if (logger !== undefined) this.logger = logger;
  }

  /**
   * A committer starts receiving processed records.
   *
   * @throws InvalidArgumentError when the read stream already handed out records without a committer: those were
   *   not tracked, and committing past them could skip records still in flight.
   */
  attachCommitter(): void {
    if (this.untracked) {
      throw new InvalidArgumentError(
        'A committer was created after the read stream of the same consumer started reading: create it before ' +
          'reading starts (stream.pipeline creates every stream first), so that every record read is tracked',
      );
    }
    this.committers++;
  }

  /**
   * Registers a record handed to the pipeline. Tracked only while a committer is attached: a read stream without
   * one (read with `for await`) keeps no per-record state.
   */
  delivered(topic: string, partition: number, offset: bigint, leaderEpoch: number | undefined): void {
    if (this.committers > 0) this.tracker.delivered(topic, partition, offset, leaderEpoch);
    else this.untracked = true;
  }

  /**
   * A partition's committable offset moved: acknowledges it to the consumer (so that its automatic commits,
   * revocations and `close()` include it), once per partition for all the records that reached the committer in
   * the same turn of the event loop.
   */
  acknowledge(progress: PartitionProgress): void {
    if (this.drained !== undefined && this.tracker.inFlight === 0) this.drained();
    if (progress.unacknowledged) return;
    progress.unacknowledged = true;
    this.unacknowledged.push(progress);
    if (!this.acknowledging) {
      this.acknowledging = true;
      queueMicrotask(this.flushAcknowledgements);
    }
  }

  /** Acknowledges every partition whose committable offset moved since the last flush. */
  private readonly flushAcknowledgements = (): void => {
    this.acknowledging = false;
    const list = this.unacknowledged;
    for (let i = 0; i < list.length; i++) {
      const progress = list[i]!;
      progress.unacknowledged = false;
      const last = progress.lastProcessed;
      if (last === undefined) continue;
      this.consumer.acknowledge({
        topic: progress.topic,
        partition: progress.partition,
        offset: last,
        leaderEpoch: progress.committableEpoch,
      });
    }
    list.length = 0;
  };

  /**
   * Commits the processed offsets that moved since the last commit, after any commit already running. Resolves
   * with the error when the commit failed (its offsets are offered again next time), never rejects.
   */
  commitProcessed(): Promise<KafkaError | undefined> {
    const run = this.committing.then(() => this.commitNow());
    this.committing = run;
    return run;
  }

  private async commitNow(): Promise<KafkaError | undefined> {
    const moved = this.tracker.takeCommittable();
    if (moved.length === 0) return undefined;
    // Only partitions the consumer owns now: a partition revoked since its records were read may belong to another
    // member, whose progress a late commit of ours could move back.
    const owned = new Set(this.consumer.assignment().map((tp) => `${tp.topic}:${tp.partition}`));
    const offsets = moved.filter((o) => owned.has(`${o.topic}:${o.partition}`));
    if (offsets.length < moved.length) {
      this.logger.warn(
        'Processed records of partitions this consumer no longer owns are not committed (revoked since they were ' +
          'read); their new owner reads them again',
        {
          group: this.group(),
          offsets: moved.filter((o) => !offsets.includes(o)).map((o) => `${o.topic}:${o.partition}@${o.offset}`),
        },
      );
    }
    if (offsets.length === 0) return undefined;
    try {
      await this.consumer.commit(offsets);
      this.commits++;
      this.lastCommitError = undefined;
      return undefined;
    } catch (error) {
      this.tracker.uncommitted(offsets);
      this.commitFailures++;
      const failure = isKafkaError(error)
        ? error
        : new ClientClosedError(`Committing processed offsets failed: ${String(error)}`, { cause: error });
      this.lastCommitError = failure;
      return failure;
    }
  }

  /**
   * The read stream stopped reading. After an error (or abort) the session closes now; after a clean end it closes
   * once the committers finished too.
   */
  async readerFinished(error: unknown): Promise<void> {
    this.reader = 'done';
    if (error == null && this.committers > 0) return this.closing ?? Promise.resolve();
    if (error != null && this.committers > 0 && this.closing === undefined) await this.drain();
    return this.close();
  }

  /**
   * Waits up to `drainTimeoutMs` for the records in flight to reach the committer (or for the committer to end);
   * reports those still in flight then.
   */
  private async drain(): Promise<void> {
    if (this.tracker.inFlight === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.drainTimeoutMs);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.drained = undefined;
        resolve();
      }
      this.drained = done;
    });
    const left = this.tracker.inFlight;
    if (left === 0 || this.closing !== undefined) return;
    countUndrainedRecords(this.group(), left);
    this.logger.warn(
      `${left} record(s) read were not processed (at the committer) within drainTimeoutMs (${this.drainTimeoutMs} ` +
        'ms) after the read stream was destroyed: they are not committed and will be read again; those that reach ' +
        'the committer later are counted in metrics() (vltava_streams_acknowledgements_uncommitted_total)',
      { group: this.group(), records: left },
    );
  }

  /** A record reached the committer after the session closed: counted, and logged once. */
  lateRecord(): void {
    countUncommittedRecords(this.group(), 1);
    if (this.late++ > 0) return;
    this.logger.warn(
      'A record reached the committer after its read stream had ended and the consumer was closed: it is not ' +
        'committed and will be read again. Later ones are counted in metrics() ' +
        '(vltava_streams_acknowledgements_uncommitted_total) without a log line each',
      { group: this.group() },
    );
  }

  private group(): string {
    try {
      return this.consumer.groupMetadata().groupId;
    } catch {
      return '';
    }
  }

  /**
   * A committer finished. After an error (or abort) the session closes now; after a clean end it closes when the
   * reader is done too (or there is no reader: then the consumer is not closed, only committed).
   */
  committerFinished(error: unknown): Promise<void> {
    this.committers = Math.max(0, this.committers - 1);
    if (this.committers === 0) this.drained?.();
    if (error != null || (this.reader !== 'open' && this.committers === 0)) return this.close();
    return this.closing ?? Promise.resolve();
  }

  /**
   * Commits what was processed, then closes the consumer if a read stream owns it (which commits the acknowledged
   * offsets again when auto-commit is on, and leaves the group). Once; later calls return the same promise.
   */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    // The consumer's close commits the acknowledged offsets: they must be current.
    this.flushAcknowledgements();
    this.traces.abandonAll('the stream ended before the record reached the committer');
    this.closing = (async () => {
      // A failure is kept in lastCommitError; the consumer's own close commits the acknowledged offsets again
      // (with auto-commit).
      await this.commitProcessed();
      // Records that reached the committer meanwhile (the rest of a batch being written when an abort came).
      this.flushAcknowledgements();
      if (this.closeConsumer) await this.consumer.close();
      sessions.delete(this.consumer);
    })();
    return this.closing;
  }

  /** Offsets committed or committable now (for tests and figures). */
  processedOffsets(): TopicPartitionOffset[] {
    return this.tracker.committed();
  }
}
