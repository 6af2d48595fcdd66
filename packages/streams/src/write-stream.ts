import { Writable } from 'node:stream';
import { checkOptions, type KafkaError } from '@vltava/core';
import { BatchSender } from './batch-sender.js';
import { WRITE_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';
import type { RecordTarget } from './record-target.js';
import type { StreamProducer } from './stream-producer.js';
import { gatherTick, type WriteCallback } from './tick-gathering.js';

/** Default high-water mark of the write and send streams, in chunks. */
export const DEFAULT_WRITE_HIGH_WATER_MARK = 4096;

/** Options of {@link createWriteStream}. */
export interface WriteStreamOptions {
  /**
   * Chunks the stream buffers while a batch is being acknowledged; all of them go out as the next batch. Default
   * 4096.
   */
  readonly highWaterMark?: number;
  /** Close the producer when the stream finishes or is destroyed. Default false: the producer may be shared. */
  readonly closeProducer?: boolean;
}

/**
 * An object-mode `Writable` that sends each chunk to Kafka (see {@link createWriteStream}).
 *
 * @typeParam T Type of the chunks.
 */
export class ProducerWritable<T = unknown, K = unknown, V = unknown> extends Writable {
  private readonly sender: BatchSender<T, K, V>;

  constructor(producer: StreamProducer<K, V>, target: RecordTarget<T, K, V>, options: WriteStreamOptions = {}) {
    checkOptions(options, WRITE_STREAM_OPTIONS_SCHEMA, 'createWriteStream()', 'call');
    super({ objectMode: true, highWaterMark: options.highWaterMark ?? DEFAULT_WRITE_HIGH_WATER_MARK });
    this.sender = new BatchSender(producer, target, options.closeProducer ?? false);
  }

  /** Records the broker acknowledged. */
  get acknowledged(): number {
    return this.sender.acknowledged;
  }

  /** Batches handed to the producer (one per `_writev`). */
  get batches(): number {
    return this.sender.batches;
  }

  /** The first delivery error, once a record failed. */
  get deliveryError(): KafkaError | undefined {
    return this.sender.failure;
  }

  /**
   * Writes a chunk. The writes of one turn of the event loop are gathered into one batch (the stream corks itself
   * until the next tick), so that the first write after a pause does not go out alone.
   */
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

  /** Hands the chunks to the producer; calls back once the broker acknowledged every one (or one failed). */
  private sendChunks(chunks: T[], callback: (error?: Error | null) => void): void {
    this.sender.send(chunks).then(
      (outcome) => callback(outcome.firstError ?? null),
      (error: KafkaError) => callback(error),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.sender.finish().then(
      () => callback(this.sender.failure ?? null),
      (error: unknown) => callback(error as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Let the batch in flight settle first: its write callbacks get their real outcome (acknowledged or the typed
    // error), never a plain "destroyed".
    this.sender.settle().then(
      () => callback(error),
      (failure: unknown) => callback(error ?? (failure as Error)),
    );
  }
}

/**
 * A producer as an object-mode `Writable`:
 *
 * ```ts
 * await pipeline(source, createWriteStream(producer, { topic: 'orders' }));
 * await pipeline(source, createWriteStream(producer, (order) => ({ topic: 'orders', key: order.id, value: JSON.stringify(order) })));
 * ```
 *
 * - **Write callbacks complete when the broker acknowledged the record** (per `acks`), not when it was queued. The
 *   chunks buffered meanwhile (up to `highWaterMark`) go out together as the next batch (`_writev` ->
 *   `producer.sendBatch`), sent at once rather than after the producer's `lingerMs` (a flush, since the stream
 *   takes no more input until the batch is acknowledged; on a shared producer, other buffered records go too).
 * - **Backpressure**: a batch waits for room in the producer's `bufferMemory` (`waitForBuffer`) rather than failing
 *   with `BufferExhaustedError`; while it waits, the stream's buffer fills and `write()` returns false.
 * - **Failures are never silent**: a record that fails fails its batch's callbacks and the stream, with the
 *   record's typed error (`RecordTooLargeError`, `KafkaTimeoutError`, the broker's error class...).
 * - **`end()` flushes**: `finish` comes after every record was acknowledged; the stream errors if any delivery
 *   failed. **`destroy()`** waits for the batch in flight to settle (its callbacks get their real outcome); the
 *   chunks not yet handed to the producer are not sent, and their callbacks get `ERR_STREAM_DESTROYED`.
 * - The producer stays open afterwards unless `closeProducer` is set.
 */
export function createWriteStream<T, K = unknown, V = unknown>(
  producer: StreamProducer<K, V>,
  target: RecordTarget<T, K, V>,
  options: WriteStreamOptions = {},
): ProducerWritable<T, K, V> {
  return new ProducerWritable(producer, target, options);
}
