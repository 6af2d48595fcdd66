import { Duplex } from 'node:stream';
import type { KafkaError, ProducerLike, RecordsOf, SendSuccess, SendTarget } from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { SEND_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';
import { SendWindow, type WriteCallback } from './send-window.js';
import { disposeWindow, handWritev, writeThroughWindow } from './window-writes.js';
import { DEFAULT_WRITE_HIGH_WATER_MARK, type WriteStreamOptions, windowOptions } from './write-stream.js';

/** Options of {@link createSendStream}. */
export interface SendStreamOptions extends WriteStreamOptions {
  /** Results the readable side buffers before the stream stops taking input until they are read. Default 4096. */
  readonly readableHighWaterMark?: number;
}

/**
 * A `Duplex` that sends each chunk written to it and emits its `SendSuccess` (`{ ok, source, metadata }`, the shape
 * `@vltava/rx`'s `sendTo` emits) once the broker acknowledged its record(s) (see {@link createSendStream}).
 *
 * @typeParam T Type of the chunks.
 * @typeParam K Type of the producer's record keys.
 * @typeParam V Type of the producer's record values.
 */
export class ProducerDuplex<T = unknown, K = unknown, V = unknown> extends Duplex {
  private readonly window: SendWindow<T, K, V>;
  /** The `_write`/`_writev` callback held while the results pushed wait to be read. */
  private held: (() => void) | undefined;
  private readableFull = false;

  constructor(producer: ProducerLike<K, V>, target: SendTarget<T, K, V>, options: SendStreamOptions = {}) {
    checkOptions(options, SEND_STREAM_OPTIONS_SCHEMA, 'createSendStream()', 'call');
    const writable = options.highWaterMark ?? DEFAULT_WRITE_HIGH_WATER_MARK;
    super({
      objectMode: true,
      writableHighWaterMark: writable,
      readableHighWaterMark: options.readableHighWaterMark ?? writable,
    });
    this.window = new SendWindow(producer, target, windowOptions(options, 'createSendStream()'), {
      acknowledged: (chunks, outcome, end) => {
        if (this.destroyed) return;
        for (let i = 0; i < end; i++) {
          if (!this.push(outcome.resultOf(chunks[i]!, i) as SendSuccess<T>)) this.readableFull = true;
        }
      },
      failed: (error) => this.destroy(error),
    });
  }

  /**
   * Writes a chunk; `callback` runs once the broker acknowledged its record(s). The writes of one turn of the event
   * loop go out as one batch (see `ProducerWritable.write`).
   */
  override write(chunk: unknown, callback?: WriteCallback): boolean;
  override write(chunk: unknown, encoding: BufferEncoding, callback?: WriteCallback): boolean;
  override write(chunk: unknown, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean {
    return writeThroughWindow(this, this.window, chunk, encoding, callback);
  }

  /** Emits a result (typed: what the readable side gives, for `pipeline` of `@vltava/streams`). */
  override push(result: SendSuccess<T> | null, encoding?: BufferEncoding): boolean {
    return super.push(result, encoding);
  }

  /** Records the broker acknowledged. */
  get acknowledged(): number {
    return this.window.acknowledgedRecords;
  }

  /** The first delivery error, once a record failed. */
  get deliveryError(): KafkaError | undefined {
    return this.window.failure;
  }

  override _write(chunk: T, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.window.hand([chunk]).then(() => this.afterHand(callback), callback);
  }

  override _writev(
    chunks: Array<{ chunk: T; encoding: BufferEncoding }>,
    callback: (error?: Error | null) => void,
  ): void {
    handWritev(this.window, chunks).then(() => this.afterHand(callback), callback);
  }

  /** A batch is with the producer: take more input, unless the results wait to be read. */
  private afterHand(callback: () => void): void {
    if (this.readableFull && !this.destroyed) this.held = callback;
    else callback();
  }

  override _read(): void {
    this.readableFull = false;
    this.releaseHeld();
  }

  /** Lets the held `_write`/`_writev` callback run, if one is held. */
  private releaseHeld(): void {
    const held = this.held;
    this.held = undefined;
    held?.();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.window.finish().then(
      () => {
        const failure = this.window.failure;
        if (failure !== undefined) {
          callback(failure);
          return;
        }
        this.push(null);
        callback();
      },
      (error: unknown) => callback(error as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.releaseHeld();
    disposeWindow(this.window, error, callback);
  }
}

/**
 * The middle of an at-least-once pipeline: a `Duplex` that sends each chunk (mapped by `target`) and emits its
 * `SendSuccess` (`{ ok: true, source, metadata }`) once the broker acknowledged it, in the order written, so that
 * the committer after it commits only what was written:
 *
 * ```ts
 * await pipeline(
 *   createReadStream(consumer),
 *   createSendStream(producer, (record) => ({ topic: 'out', key: record.key, value: transform(record.value) })),
 *   createCommitStream(consumer), // finds each source record in `result.source`
 * );
 * ```
 *
 * Batching (several batches in flight, the producer's linger kept for a trickle), backpressure, typed failures and
 * `end()`/`destroy()` behave as in {@link createWriteStream}; in addition the stream stops taking input while its
 * readable side is full. A failed record fails the stream: its chunk is never emitted, so it is never committed.
 *
 * @param target `{ topic }` (each chunk is the value of one record for that topic) or a function mapping a chunk to
 *   its record(s), or to none (the chunk's result is still emitted, with no metadata, so that the committer counts
 *   it processed).
 */
export function createSendStream<K, V, T extends V = V>(
  producer: ProducerLike<K, V>,
  target: { readonly topic: string },
  options?: SendStreamOptions,
): ProducerDuplex<T, K, V>;
export function createSendStream<T, K, V>(
  producer: ProducerLike<K, V>,
  mapper: (chunk: T) => RecordsOf<K, V>,
  options?: SendStreamOptions,
): ProducerDuplex<T, K, V>;
export function createSendStream<T, K, V>(
  producer: ProducerLike<K, V>,
  target: SendTarget<T, K, V>,
  options: SendStreamOptions = {},
): ProducerDuplex<T, K, V> {
  return new ProducerDuplex(producer, target, options);
}
