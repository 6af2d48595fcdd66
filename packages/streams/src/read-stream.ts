import { Readable } from 'node:stream';
import { type ConsumerLike, type ConsumerRecord, diagnosticChannels } from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { READ_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';
import { RecordSource, type RecordSourceOptions } from './record-source.js';

/** What a read stream destroyed without an error passes on as the reason (it is not a clean end). */
const DESTROYED = 'the read stream was destroyed';

/** Default high-water mark of the read streams, in records. */
export const DEFAULT_READ_HIGH_WATER_MARK = 1024;

/** Options of {@link createReadStream}. */
export interface ReadStreamOptions extends RecordSourceOptions {
  /**
   * Records the stream buffers before it stops pulling from the consumer and pauses fetching of the partitions
   * that filled it. Default 1024. The stream holds at most this many records plus one batch taken from the consumer
   * (up to this many, and at most 500).
   */
  readonly highWaterMark?: number;
}

/**
 * The async iterator of a `Readable` as `@types/node` declares it for the `lib` in use, yielding `T`: what
 * {@link ConsumerReadable}'s `[Symbol.asyncIterator]()` returns.
 */
export type ReadableIterator<T> = Omit<
  ReturnType<Readable[typeof Symbol.asyncIterator]>,
  'next' | 'return' | 'throw'
> & {
  next(): Promise<IteratorResult<T, undefined>>;
  // `return` and `throw` are retyped too: TypeScript takes a `for await` loop's element type from all three, and
  // the `any` of Readable's own would make every record `any`.
  return(value?: unknown): Promise<IteratorResult<T, undefined>>;
  throw(error?: unknown): Promise<IteratorResult<T, undefined>>;
};

/**
 * An object-mode `Readable` of a consumer's records (see {@link createReadStream}).
 *
 * @typeParam K Type of record keys after the consumer's key deserializer.
 * @typeParam V Type of record values after the consumer's value deserializer.
 */
export class ConsumerReadable<K = Buffer | null, V = Buffer | null> extends Readable {
  private readonly source: RecordSource<K, V>;
  private pulling = false;
  /** Set by `_read`: the stream asked for records since the last push. */
  private wanted = false;

  constructor(consumer: ConsumerLike<K, V>, options: ReadStreamOptions = {}) {
    checkOptions(options, READ_STREAM_OPTIONS_SCHEMA, 'createReadStream()', 'call');
    const highWaterMark = options.highWaterMark ?? DEFAULT_READ_HIGH_WATER_MARK;
    super({ objectMode: true, highWaterMark });
    this.source = new RecordSource(consumer, options, highWaterMark);
  }

  /** Records handed to the stream so far. */
  get delivered(): number {
    return this.source.delivered;
  }

  /** Records handed out and not yet processed (not yet at the committer): the pipeline's in-flight window. */
  get inFlight(): number {
    return this.source.inFlight;
  }

  /** Times the buffer filled up and fetching of its partitions was paused. */
  get fetchPauses(): number {
    return this.source.pauses;
  }

  /**
   * Ends the stream cleanly: no more records are read; those in flight drain through the pipeline, the committer
   * commits them, and the consumer closes. (`destroy()` instead aborts: only what already reached the committer is
   * committed.)
   */
  stop(): void {
    this.source.stop();
  }

  override _read(): void {
    this.wanted = true;
    if (!this.pulling) void this.pull();
  }

  private async pull(): Promise<void> {
    this.pulling = true;
    const source = this.source;
    if (this.readableLength <= this.readableHighWaterMark / 2) source.resume();
    try {
      for (;;) {
        const record = source.take();
        if (record === undefined) {
          const more = await source.fill();
          if (this.destroyed) return;
          if (!more) {
            this.push(null);
            return;
          }
          continue;
        }
        this.wanted = false;
        // A `_read` during the push (a synchronous reader) asks for more even when the buffer reached the mark.
        if (!this.push(record) && !this.wanted) {
          source.full();
          return;
        }
      }
    } catch (error) {
      if (!this.destroyed) this.destroy(error as Error);
    } finally {
      this.pulling = false;
    }
  }

  /**
   * Emits a record (`data`) in its `vltava:consumer:process` trace when the channel has a subscriber, whether it is
   * pushed straight to a flowing reader or read later from the buffer (`read()`, the async iterator, a pipe after
   * `drain`): what a `Transform` or a send stream downstream does synchronously runs in the context a subscriber
   * gave. Every other event, and every event without a subscriber, goes straight to `EventEmitter.emit`.
   */
  override emit(event: string | symbol, chunk?: unknown): boolean {
    if (event === 'data') {
      // The per-record path: two arguments passed on as they are (no `arguments` object), one property read.
      if (!diagnosticChannels.consumerProcess.hasSubscribers) return Readable.prototype.emit.call(this, 'data', chunk);
      this.source.deliverTraced(chunk as ConsumerRecord<K, V>, this.emitData, chunk);
      return true;
    }
    // biome-ignore lint/complexity/noArguments: passes every argument on without an array per event
    return Readable.prototype.emit.apply(this, arguments as unknown as [string | symbol, ...unknown[]]);
  }

  private readonly emitData = (chunk: unknown): void => {
    Readable.prototype.emit.call(this, 'data', chunk);
  };

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // After a clean end (`end` emitted) the records in flight still drain to the committer; any other destroy,
    // with or without an error, stops now.
    this.source.finish(error ?? (this.readableEnded ? null : DESTROYED)).then(
      () => callback(error),
      (failure: unknown) => callback(error ?? (failure as Error)),
    );
  }

  /**
   * The records, for `for await`. Typed as Node's own iterator of a `Readable` (whatever `@types/node` and `lib`
   * make of it: with `lib` ESNext it is also `AsyncDisposable`) with `next()`, `return()` and `throw()` narrowed to this stream's records.
   */
  override [Symbol.asyncIterator](): ReadableIterator<ConsumerRecord<K, V>> {
    // Node's Readable iterator has `return` and `throw` and yields this stream's records: only its declared type is
    // wider.
    return super[Symbol.asyncIterator]() as ReadableIterator<ConsumerRecord<K, V>>;
  }
}

/**
 * A consumer as an object-mode `Readable` of its records, for `stream.pipeline`:
 *
 * ```ts
 * await pipeline(
 *   createReadStream(consumer),
 *   async function* (records) { for await (const r of records) yield { ...r, value: await enrich(r.value) }; },
 *   createSendStream(producer, (r) => ({ topic: 'enriched', key: r.key, value: r.value })),
 *   createCommitStream(consumer),
 *   { signal },
 * );
 * ```
 *
 * - **Backpressure**: when the stream's buffer reaches `highWaterMark`, it stops pulling and pauses fetching of the
 *   partitions whose records filled it (`consumer.backpressure`) until it is read again; memory stays within the
 *   high-water mark plus the consumer's prefetch bound (`maxPrefetchBytes` / `maxPrefetchRecords`).
 * - **Processed means committed by the committer**: records are read in the consumer's `manual` mode; only records
 *   that reach {@link createCommitStream} of the same consumer are committed, per partition, never past a record
 *   still in flight.
 * - **`destroy()`** (an error in the pipeline, its `signal` aborting) stops fetching, commits what reached the
 *   committer, and closes the consumer (leaving the group). **`stop()`**, `stopAfterRecords` and `stopSignal` end the
 *   stream cleanly instead: what is in flight drains and is committed, then the consumer closes.
 * - With `closeConsumer: false` the consumer stays open (and in its group) after the stream.
 *
 * A consumer cannot be read by two readers at once: one read stream per consumer. The stream never ends by itself
 * unless the consumer is closed or one of the clean-end options says so.
 */
export function createReadStream<K, V>(
  consumer: ConsumerLike<K, V>,
  options: ReadStreamOptions = {},
): ConsumerReadable<K, V> {
  return new ConsumerReadable(consumer, options);
}
