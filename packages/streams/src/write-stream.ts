import { Writable } from 'node:stream';
import type { KafkaError, ProducerLike, RecordsOf, SendTarget } from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { WRITE_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';
import { DEFAULT_MAX_IN_FLIGHT, SendWindow, type WriteCallback } from './send-window.js';
import { disposeWindow, handWritev, writeThroughWindow } from './window-writes.js';

/** Default high-water mark of the write and send streams, in chunks. */
export const DEFAULT_WRITE_HIGH_WATER_MARK = 4096;

/** Options of {@link createWriteStream} (and of the other streams that send). */
export interface WriteStreamOptions {
  /** Chunks the stream buffers while the producer has `maxInFlight` records unacknowledged. Default 4096. */
  readonly highWaterMark?: number;
  /**
   * Most records handed to the producer and not yet acknowledged, as `@vltava/rx`'s `sendTo`. A batch that would
   * pass it waits (the producer is flushed meanwhile) and the stream's buffer fills. Default 16384.
   */
  readonly maxInFlight?: number;
  /** Close the producer when the stream finishes or is destroyed. Default false: the producer may be shared. */
  readonly closeProducer?: boolean;
}

/** The options a send window takes from a stream's options. */
export function windowOptions(options: WriteStreamOptions, where: string) {
  return {
    maxInFlight: options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    closeProducer: options.closeProducer ?? false,
    where,
  };
}

/**
 * An object-mode `Writable` that sends each chunk to Kafka (see {@link createWriteStream}).
 *
 * @typeParam T Type of the chunks.
 * @typeParam K Type of the producer's record keys.
 * @typeParam V Type of the producer's record values.
 */
export class ProducerWritable<T = unknown, K = unknown, V = unknown> extends Writable {
  private readonly window: SendWindow<T, K, V>;

  constructor(producer: ProducerLike<K, V>, target: SendTarget<T, K, V>, options: WriteStreamOptions = {}) {
    checkOptions(options, WRITE_STREAM_OPTIONS_SCHEMA, 'createWriteStream()', 'call');
    super({ objectMode: true, highWaterMark: options.highWaterMark ?? DEFAULT_WRITE_HIGH_WATER_MARK });
    this.window = new SendWindow(producer, target, windowOptions(options, 'createWriteStream()'), {
      failed: (error) => this.destroy(error),
    });
  }

  /** Records the broker acknowledged. */
  get acknowledged(): number {
    return this.window.acknowledgedRecords;
  }

  /** Batches handed to the producer (one per `_write`/`_writev`). */
  get batches(): number {
    return this.window.batches;
  }

  /** The first delivery error, once a record failed. */
  get deliveryError(): KafkaError | undefined {
    return this.window.failure;
  }

  /**
   * Writes a chunk; `callback` runs once the broker acknowledged its record(s) (with the record's typed error if it
   * failed). The writes of one turn of the event loop are gathered into one batch (the stream corks itself until
   * the next tick).
   */
  override write(chunk: unknown, callback?: WriteCallback): boolean;
  override write(chunk: unknown, encoding: BufferEncoding, callback?: WriteCallback): boolean;
  override write(chunk: unknown, encoding?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean {
    return writeThroughWindow(this, this.window, chunk, encoding, callback);
  }

  override _write(chunk: T, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.window.hand([chunk]).then(() => callback(), callback);
  }

  override _writev(
    chunks: Array<{ chunk: T; encoding: BufferEncoding }>,
    callback: (error?: Error | null) => void,
  ): void {
    handWritev(this.window, chunks).then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.window.finish().then(
      () => callback(this.window.failure ?? null),
      (error: unknown) => callback(error as Error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    disposeWindow(this.window, error, callback);
  }
}

/**
 * A producer as an object-mode `Writable`:
 *
 * ```ts
 * await pipeline(values, createWriteStream(producer, { topic: 'clicks' })); // each chunk is a record's value
 * await pipeline(orders, createWriteStream(producer, (order: Order) => ({ topic: 'orders', key: order.id, value: JSON.stringify(order) })));
 * ```
 *
 * - **Write callbacks complete when the broker acknowledged the record** (per `acks`), not when it was queued,
 *   each with its own record's outcome. Several batches are in flight at once (`maxInFlight` records); the writes
 *   of one tick, and those buffered meanwhile, go out together as one `sendBatch` (`_writev`).
 * - **Batching like the producer's own `send`**: records are handed over as they come and gathered into produce
 *   requests by the producer's `lingerMs` and `batchSize`, so a trickle of one record per tick still makes few
 *   requests; when the stream waits at `maxInFlight` (nothing more can join the batches), or ends, the producer is
 *   flushed instead of lingering.
 * - **Backpressure**: a batch waits for acknowledgements when `maxInFlight` records are unacknowledged, and for room
 *   in the producer's `bufferMemory` (`waitForBuffer`) rather than failing with `BufferExhaustedError`; meanwhile
 *   the stream's buffer fills and `write()` returns false.
 * - **Failures are never silent**: a record that fails fails its writer's callback and the stream, with the
 *   record's typed error (`RecordTooLargeError`, `KafkaTimeoutError`, the broker's error class...).
 * - **`end()` flushes**: `finish` comes after every record was acknowledged; the stream errors if any delivery
 *   failed. **`destroy()`** waits for the batches in flight to settle (their callbacks get their real outcome); the
 *   chunks not yet handed to the producer are not sent, and their callbacks get `ERR_STREAM_DESTROYED`.
 * - The producer stays open afterwards unless `closeProducer` is set.
 *
 * @param target `{ topic }` (each chunk is the value of one record for that topic) or a function mapping a chunk to
 *   its record(s), or to none.
 */
export function createWriteStream<K, V, T extends V = V>(
  producer: ProducerLike<K, V>,
  target: { readonly topic: string },
  options?: WriteStreamOptions,
): ProducerWritable<T, K, V>;
export function createWriteStream<T, K, V>(
  producer: ProducerLike<K, V>,
  mapper: (chunk: T) => RecordsOf<K, V>,
  options?: WriteStreamOptions,
): ProducerWritable<T, K, V>;
export function createWriteStream<T, K, V>(
  producer: ProducerLike<K, V>,
  target: SendTarget<T, K, V>,
  options: WriteStreamOptions = {},
): ProducerWritable<T, K, V> {
  return new ProducerWritable(producer, target, options);
}
