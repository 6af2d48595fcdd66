import { Duplex } from 'node:stream';
import { checkOptions, type KafkaError, type RecordMetadata } from '@vltava/core';
import { type BatchOutcome, BatchSender } from './batch-sender.js';
import { SEND_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';
import type { RecordTarget } from './record-target.js';
import type { StreamProducer } from './stream-producer.js';
import { gatherTick, type WriteCallback } from './tick-gathering.js';
import { DEFAULT_WRITE_HIGH_WATER_MARK, type WriteStreamOptions } from './write-stream.js';

/**
 * What the send streams emit for each chunk written to them, once the broker acknowledged its record: the chunk
 * itself as `source` (with its source coordinates, for the committer; the shape of `@vltava/rx`'s `sendTo` results)
 * and where the record was written.
 */
export interface SendResult<T> {
  /** The chunk written to the send stream. */
  readonly source: T;
  /** Topic, partition and offset of the record written; `undefined` when the mapping sent nothing for the chunk. */
  readonly metadata: RecordMetadata | undefined;
}

/** Options of {@link createSendStream}. */
export interface SendStreamOptions extends WriteStreamOptions {
  /** Results the readable side buffers before the next batch waits for them to be read. Default 4096. */
  readonly readableHighWaterMark?: number;
}

/**
 * A `Duplex` that sends each chunk written to it and emits `{ source, metadata }` once the broker acknowledged it
 * (see {@link createSendStream}).
 */
export class ProducerDuplex<T = unknown, K = unknown, V = unknown> extends Duplex {
  private readonly sender: BatchSender<T, K, V>;
  /** The write callback held until the results pushed are read. */
  private held: (() => void) | undefined;

  constructor(producer: StreamProducer<K, V>, target: RecordTarget<T, K, V>, options: SendStreamOptions = {}) {
    checkOptions(options, SEND_STREAM_OPTIONS_SCHEMA, 'createSendStream()', 'call');
    const writable = options.highWaterMark ?? DEFAULT_WRITE_HIGH_WATER_MARK;
    super({
      objectMode: true,
      writableHighWaterMark: writable,
      readableHighWaterMark: options.readableHighWaterMark ?? writable,
    });
    this.sender = new BatchSender(producer, target, options.closeProducer ?? false);
  }

  /** Records the broker acknowledged. */
  get acknowledged(): number {
    return this.sender.acknowledged;
  }

  /** The first delivery error, once a record failed. */
  get deliveryError(): KafkaError | undefined {
    return this.sender.failure;
  }

  /** Writes a chunk; the writes of one turn of the event loop go out as one batch (see `ProducerWritable.write`). */
  override write(chunk: unknown, callback?: WriteCallback): boolean;
  override write(chunk: unknown, encoding: BufferEncoding, callback?: WriteCallback): boolean;
  override write(chunk: unknown, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean {
    gatherTick(this);
    return super.write(chunk, encoding as BufferEncoding, callback);
  }

  override _write(chunk: T, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sendChunks([chunk], callback);
  }

  override _writev(
    chunks: Array<{ chunk: T; encoding: BufferEncoding }>,
    callback: (error?: Error | null) => void,
  ): void {
    this.sendChunks(
      chunks.map((c) => c.chunk),
      callback,
    );
  }

  private sendChunks(chunks: T[], callback: (error?: Error | null) => void): void {
    this.sender.send(chunks).then(
      (outcome) => this.emitResults(chunks, outcome, callback),
      (error: KafkaError) => callback(error),
    );
  }

  /**
   * Pushes the result of every acknowledged chunk, in the order written. A failed record fails the stream with its
   * typed error (after the results before it were pushed). When the readable side is full, the next batch waits
   * until results are read.
   */
  private emitResults(chunks: readonly T[], outcome: BatchOutcome, callback: (error?: Error | null) => void): void {
    let room = true;
    for (let i = 0; i < chunks.length; i++) {
      const error = outcome.error(i);
      if (error !== undefined) {
        callback(error);
        return;
      }
      if (!this.destroyed) room = this.push({ source: chunks[i]!, metadata: outcome.metadata(i) } as SendResult<T>);
    }
    if (room || this.destroyed) callback();
    else this.held = () => callback();
  }

  override _read(): void {
    const held = this.held;
    this.held = undefined;
    held?.();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.sender.finish().then(
      () => {
        const failure = this.sender.failure;
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
    const held = this.held;
    this.held = undefined;
    held?.();
    this.sender.settle().then(
      () => callback(error),
      (failure: unknown) => callback(error ?? (failure as Error)),
    );
  }
}

/**
 * The middle of an at-least-once pipeline: a `Duplex` that sends each chunk (mapped by `target`) and emits
 * `{ source, metadata }` once the broker acknowledged it, so that the committer after it commits only what was
 * written:
 *
 * ```ts
 * await pipeline(
 *   createReadStream(consumer),
 *   createSendStream(producer, (record) => ({ topic: 'out', key: record.key, value: transform(record.value) })),
 *   createCommitStream(consumer), // finds each source record in `result.source`
 *   { signal },
 * );
 * ```
 *
 * Batching, backpressure from the producer's buffer, typed failures and `end()`/`destroy()` behave as in
 * {@link createWriteStream}; in addition a batch's write callback waits until the readable side has room for the
 * results. A failed record fails the stream: its chunk is never emitted, so it is never committed.
 */
export function createSendStream<T, K = unknown, V = unknown>(
  producer: StreamProducer<K, V>,
  target: RecordTarget<T, K, V>,
  options: SendStreamOptions = {},
): ProducerDuplex<T, K, V> {
  return new ProducerDuplex(producer, target, options);
}
