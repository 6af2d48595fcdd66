import {
  ClientClosedError,
  InvalidArgumentError,
  isKafkaError,
  type KafkaError,
  type TopicPartitionOffset,
} from '@vltava/core';
import { OffsetTracker } from './offset-tracker.js';
import type { PartitionProgress } from './partition-progress.js';
import type { StreamConsumer } from './stream-consumer.js';

const sessions = new WeakMap<object, StreamSession>();

/**
 * What the read stream and the committer of one consumer share: the {@link OffsetTracker}, the commits, and the
 * decision when to close the consumer.
 *
 * - Commits are serialised (a periodic commit and the final one never race) and commit only offsets the tracker
 *   says were processed.
 * - The consumer is closed (when the read stream owns it) once reading and committing are both over: on a clean end
 *   of the read stream, the committer may still be receiving the records in flight, so the last of the two to finish
 *   closes it; on an error or an abort, the first one does, after committing what was processed.
 */
export class StreamSession {
  /** The session of a consumer, created on first use. */
  static of(consumer: StreamConsumer<unknown, unknown>): StreamSession {
    let session = sessions.get(consumer);
    if (session === undefined) {
      session = new StreamSession(consumer);
      sessions.set(consumer, session);
    }
    return session;
  }

  readonly consumer: StreamConsumer<unknown, unknown>;
  readonly tracker = new OffsetTracker();
  /** Close the consumer when the session ends: set by a read stream that owns the consumer. */
  closeConsumer = false;
  /** Commits that succeeded / failed. */
  commits = 0;
  commitFailures = 0;
  /** The error of the last failed commit, if the last commit failed. */
  lastCommitError: KafkaError | undefined;
  private reader: 'none' | 'open' | 'done' = 'none';
  private readonly unacknowledged = new Set<PartitionProgress>();
  private acknowledging = false;
  private committers = 0;
  /** True once a record was handed out with no committer attached. */
  private untracked = false;
  private committing: Promise<KafkaError | undefined> = Promise.resolve(undefined);
  private closing: Promise<void> | undefined;

  private constructor(consumer: StreamConsumer<unknown, unknown>) {
    this.consumer = consumer;
  }

  /** True once the session closed (or is closing): nothing more is committed through it. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** A read stream starts reading the consumer. */
  attachReader(closeConsumer: boolean): void {
    this.reader = 'open';
    this.closeConsumer = closeConsumer;
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
    this.unacknowledged.add(progress);
    if (!this.acknowledging) {
      this.acknowledging = true;
      queueMicrotask(this.flushAcknowledgements);
    }
  }

  /** Acknowledges every partition whose committable offset moved since the last flush. */
  private readonly flushAcknowledgements = (): void => {
    this.acknowledging = false;
    for (const progress of this.unacknowledged) {
      const next = progress.committable;
      if (next === undefined) continue;
      this.consumer.acknowledge({
        topic: progress.topic,
        partition: progress.partition,
        offset: next - 1n,
        leaderEpoch: progress.committableEpoch,
      });
    }
    this.unacknowledged.clear();
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
  readerFinished(error: unknown): Promise<void> {
    this.reader = 'done';
    if (error != null || this.committers === 0) return this.close();
    return this.closing ?? Promise.resolve();
  }

  /**
   * A committer finished. After an error (or abort) the session closes now; after a clean end it closes when the
   * reader is done too (or there is no reader: then the consumer is not closed, only committed).
   */
  committerFinished(error: unknown): Promise<void> {
    this.committers = Math.max(0, this.committers - 1);
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
