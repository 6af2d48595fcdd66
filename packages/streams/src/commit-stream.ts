import { Writable } from 'node:stream';
import type { ConsumerLike } from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { type CommitStreamOptions, Committer, DEFAULT_COMMIT_HIGH_WATER_MARK } from './committer.js';
import { COMMIT_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';

/** What a committer destroyed without an error passes on as the reason (it did not finish cleanly). */
const DESTROYED = 'the commit stream was destroyed';

/**
 * An object-mode `Writable` that commits the offsets of the records that reach it (see {@link createCommitStream}).
 *
 * @typeParam T Type of the chunks: anything {@link CommitStreamOptions.sourceOf} finds source coordinates in.
 */
export class CommitWritable<T = unknown> extends Writable {
  private readonly committer: Committer<T>;

  constructor(consumer: ConsumerLike<unknown, unknown>, options: CommitStreamOptions<T> = {}) {
    checkOptions(options, COMMIT_STREAM_OPTIONS_SCHEMA, 'createCommitStream()', 'call');
    super({ objectMode: true, highWaterMark: options.highWaterMark ?? DEFAULT_COMMIT_HIGH_WATER_MARK });
    this.committer = new Committer(consumer, options);
  }

  /** Chunks received (records processed). */
  get received(): number {
    return this.committer.received;
  }

  /** Commits that succeeded so far. */
  get commits(): number {
    return this.committer.session.commits;
  }

  /**
   * Marks a record processed without it passing through the stream: for records a step before the committer drops
   * on purpose (a filter). A dropped record that is never marked holds back its partition's commits, since the
   * committer never commits past a record it has not seen.
   */
  markProcessed(chunk: T): void {
    this.committer.add(chunk);
  }

  override _write(chunk: T, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      this.committer.add(chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }

  override _writev(
    chunks: Array<{ chunk: T; encoding: BufferEncoding }>,
    callback: (error?: Error | null) => void,
  ): void {
    try {
      // One chunk at a time from Node's own list: no array of the chunks made per call.
      const committer = this.committer;
      for (let i = 0; i < chunks.length; i++) committer.add(chunks[i]!.chunk);
    } catch (error) {
      callback(error as Error);
      return;
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.committer.finish().then(
      (failure) => callback(failure ?? null),
      (error: unknown) => callback(error as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // After a clean finish this does nothing; destroyed before, with or without an error, it ends the session now.
    this.committer.abort(error ?? DESTROYED).then(
      () => callback(error),
      (failure: unknown) => callback(error ?? (failure as Error)),
    );
  }
}

/**
 * The end of an at-least-once pipeline: a `Writable` that marks the source record of each chunk processed and
 * commits, per partition, the offset after the last record with no unprocessed record before it.
 *
 * - A chunk's source is found on the chunk itself (a `ConsumerRecord`, or a copy such as `{ ...record, value }`),
 *   or its `source` (what {@link createSendStream} emits); or by `sourceOf`.
 * - Records may arrive out of order (a concurrent transform): with a {@link createReadStream} of the same consumer,
 *   the committer never commits past a record that has not reached it.
 * - Processed offsets are acknowledged to the consumer at once (its revocations, automatic commits and `close()`
 *   include them) and committed every `commitIntervalMs` and when the stream ends.
 * - When the stream ends cleanly it commits, then (with a read stream that owns the consumer and has ended) closes
 *   the consumer, so `await pipeline(...)` resolves after the last commit. When destroyed (an error, an abort),
 *   what already arrived is committed and the consumer is closed.
 */
export function createCommitStream<T = unknown>(
  consumer: ConsumerLike<unknown, unknown>,
  options: CommitStreamOptions<T> = {},
): CommitWritable<T> {
  return new CommitWritable<T>(consumer, options);
}
