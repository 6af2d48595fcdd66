import type { ConsumerProcessPayload, HandOver, TracedRecord } from '../diagnostics/payloads.js';
import { InvalidArgumentError } from '../errors/client-errors.js';
import { isKafkaError } from '../errors/kafka-error.js';
import type { Logger } from '../utils/logger.js';
import { type ConsumerRecord, ConsumerRecords, type PartitionRecords } from './consumer-record.js';
import type { RecordDelivery } from './record-delivery.js';
import { consumerTraced, endProcess, type TraceIdentity, traceStep, UNNAMED } from './traced-consumer.js';

/**
 * When a record counts as processed, and so may be committed:
 *
 * - `at-least-once` (default): when the loop asks for the next record. A record whose loop body did not complete
 *   (break, return, an exception, an abort, a crash) is not committed and is read again after a restart.
 * - `at-most-once`: before it is handed out. The iterator commits each chunk of records (up to `maxPollRecords`)
 *   and waits for the commit before yielding the first of them, so a crash loses at most that chunk, never
 *   repeats it.
 * - `manual`: when the application calls `consumer.acknowledge(record)`. Acknowledging a record acknowledges
 *   every earlier record of its partition (offsets are positions, not marks).
 */
export type DeliveryMode = 'at-least-once' | 'at-most-once' | 'manual';

/** Options of `consumer.records()`. */
export interface RecordIteratorOptions {
  /** Ends the iteration when aborted, even while no record is arriving. */
  readonly signal?: AbortSignal;
  /** When records count as processed. Default `at-least-once`. */
  readonly mode?: DeliveryMode;
}

/** Options of `consumer.batches()`. */
export interface BatchIteratorOptions extends RecordIteratorOptions {
  /** Most records per batch. Default `maxPollRecords`. */
  readonly maxRecords?: number;
  /**
   * Once records are available, how long to wait for `maxRecords` of them before yielding a smaller batch.
   * Default 0: yield what is there. Batches are never empty.
   */
  readonly maxWaitMs?: number;
  /**
   * The batches are pushed to callbacks by an adapter (Rx, streams) that traces each record's processing itself:
   * the iterator reports hand-over `push` on `vltava:consumer:deliver` and opens no `vltava:consumer:process`
   * trace of its own. Default false.
   */
  readonly pushed?: boolean;
}

/** What an iterator needs from the consumer. */
export interface IteratorHost<T> {
  /** The hand-over point with the fetcher. */
  readonly delivery: RecordDelivery<T>;
  /** Most records to take per chunk (at-most-once) or per batch by default. */
  readonly maxPollRecords: number;
  /** Where failures of the commit on exit are logged. */
  readonly logger: Logger;
  /** Commits acknowledged offsets when an iterator ends (only with `enableAutoCommit`). Resolves when done. */
  commitOnExit(): Promise<void>;
  /** Commits acknowledged offsets now and waits (at-most-once). Rejects when the commit fails. */
  commitAcknowledged(): Promise<void>;
  /** Who the diagnostics payloads are about (`client.id`, group). */
  readonly identity?: TraceIdentity;
}

const DONE: IteratorResult<never, undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Shared machinery of the hand-written iterators: termination through `return()` (`break`), `throw()`, an
 * exception thrown by `next()`, `AbortSignal`, `Symbol.asyncDispose` and `close()`; each ends the iteration
 * promptly, even while a `next()` is waiting for records, stops fetching ahead and commits what was processed.
 */
abstract class ConsumerIterator<T, Item> implements AsyncIterableIterator<Item>, AsyncDisposable {
  protected readonly host: IteratorHost<T>;
  protected readonly mode: DeliveryMode;
  protected readonly signal: AbortSignal;
  private readonly userSignal: AbortSignal | undefined;
  private readonly stop = new AbortController();
  private finished = false;
  private finishing: Promise<void> | undefined;
  private pending: Promise<IteratorResult<Item, undefined>> | undefined;
  /** The `vltava:consumer:process` trace of the item in the application's hands, when one is open. */
  private processing: ConsumerProcessPayload | undefined;
  /** How items are handed over, for `vltava:consumer:deliver`. */
  protected handOver: HandOver = 'record';
  /** False when an adapter traces processing itself (`pushed`). */
  protected processTraced = true;

  /** @internal Made by the consumer (`records()`, `batches()`, `for await`). */
  constructor(host: IteratorHost<T>, options: RecordIteratorOptions) {
    this.host = host;
    this.mode = options.mode ?? 'at-least-once';
    this.userSignal = options.signal;
    this.signal = options.signal === undefined ? this.stop.signal : AbortSignal.any([options.signal, this.stop.signal]);
    // Aborting ends the iteration at once, also when no `next()` is pending: an operator chain that stopped pulling
    // without calling `return()` (ix's merge-based operators) still releases the reader and commits.
    options.signal?.addEventListener('abort', () => void this.end(), { once: true, signal: this.stop.signal });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Item, undefined>> {
    // Asking for the next item ends the processing of the previous one.
    if (this.processing !== undefined) this.endProcessing(undefined);
    if (!consumerTraced()) return this.advance();
    return this.tracedAdvance();
  }

  /** {@link next} with the deliver and process channels published (only when one has a subscriber). */
  private tracedAdvance(): Promise<IteratorResult<Item, undefined>> {
    return traceStep(
      this.host.identity ?? UNNAMED,
      this.handOver,
      () => this.advance(),
      (item) => this.recordsOf(item),
      this.processTraced,
      (payload) => {
        this.processing = payload;
      },
    );
  }

  /** Closes the process trace of the item in hand. */
  private endProcessing(error: unknown): void {
    const processing = this.processing!;
    this.processing = undefined;
    endProcess(processing, error);
  }

  /** The records of an item, for the diagnostics payloads. */
  protected abstract recordsOf(item: Item): readonly TracedRecord[];

  private advance(): Promise<IteratorResult<Item, undefined>> {
    if (this.finished) return Promise.resolve(DONE);
    if (this.pending !== undefined) return this.pending.then(() => this.next());
    const delivery = this.host.delivery;
    try {
      if (delivery.closed || this.userSignal?.aborted === true) return this.end();
      delivery.beginRead(this);
      if (this.mode === 'at-least-once') delivery.acknowledgeDelivered();
      else delivery.releaseDelivered();
      const ready = this.step();
      if (ready !== undefined) return ready;
    } catch (error) {
      return this.fail(error);
    }
    const waiting = this.waitForItem().finally(() => {
      this.pending = undefined;
    });
    this.pending = waiting;
    return waiting;
  }

  /**
   * Ends the iteration (`break` and `return` in a `for await` loop call it): stops fetching ahead and, with
   * `enableAutoCommit`, commits the records processed so far. The record in the loop body's hands when it exited
   * is not processed, so it is not committed.
   */
  return(): Promise<IteratorResult<Item, undefined>> {
    return this.end();
  }

  /** Ends the iteration like {@link return}, then rejects with `error`. */
  async throw(error?: unknown): Promise<IteratorResult<Item, undefined>> {
    if (this.processing !== undefined) this.endProcessing(error);
    await this.end();
    throw error;
  }

  /** `await using it = consumer.records()` ends the iteration when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.end();
  }

  /** Returns a resolved result when an item is ready now, `undefined` to wait. May throw. */
  protected abstract step(): Promise<IteratorResult<Item, undefined>> | undefined;

  /** How long to wait for the next change; `undefined` waits without a timeout. */
  protected waitTimeout(): number | undefined {
    return undefined;
  }

  private async waitForItem(): Promise<IteratorResult<Item, undefined>> {
    const delivery = this.host.delivery;
    for (;;) {
      await delivery.wait(this.waitTimeout(), this.signal);
      if (this.finished || delivery.closed || this.signal.aborted) return this.end();
      try {
        const ready = this.step();
        if (ready !== undefined) return await ready;
      } catch (error) {
        return this.fail(error);
      }
    }
  }

  private end(): Promise<IteratorResult<Item, undefined>> {
    if (this.processing !== undefined) this.endProcessing(undefined);
    this.finished = true;
    this.stop.abort();
    this.finishing ??= this.cleanup();
    return this.finishing.then(() => DONE);
  }

  /** Ends the iteration, then rejects with `error`. */
  protected async fail(error: unknown): Promise<never> {
    await this.end();
    throw error;
  }

  private async cleanup(): Promise<void> {
    const delivery = this.host.delivery;
    if (this.mode !== 'at-least-once') delivery.releaseDelivered();
    delivery.endReader(this);
    try {
      await this.host.commitOnExit();
    } catch (error) {
      this.host.logger.warn('commit at the end of an iteration failed; the records will be read again', {
        error: isKafkaError(error) ? error : String(error),
      });
    }
  }
}

/**
 * The consumer's record iterator (`for await (const record of consumer)`, `consumer.records()`), written by hand
 * rather than as an async generator so that it ends promptly on every path (see `ConsumerIterator`).
 *
 * When records are buffered, `next()` returns an already-resolved promise: no timer, no extra hop per record.
 */
export class RecordIterator<T> extends ConsumerIterator<T, T> {
  private chunk: T[] = [];
  private chunkIndex = 0;

  protected recordsOf(item: T): readonly TracedRecord[] {
    return [item as unknown as TracedRecord];
  }

  protected step(): Promise<IteratorResult<T, undefined>> | undefined {
    const delivery = this.host.delivery;
    if (this.mode === 'at-most-once') return this.stepAtMostOnce();
    delivery.checkErrors();
    const value = delivery.takeRecord();
    return value === undefined ? undefined : Promise.resolve({ done: false, value });
  }

  private stepAtMostOnce(): Promise<IteratorResult<T, undefined>> | undefined {
    if (this.chunkIndex < this.chunk.length) {
      return Promise.resolve({ done: false, value: this.chunk[this.chunkIndex++]! });
    }
    const delivery = this.host.delivery;
    delivery.checkErrors();
    const taken = delivery.take(this.host.maxPollRecords);
    if (taken.length === 0) return undefined;
    this.chunk = taken.length === 1 ? taken[0]!.records : taken.flatMap((t) => t.records);
    this.chunkIndex = 0;
    delivery.acknowledgeDelivered();
    return this.host.commitAcknowledged().then(
      () => ({ done: false, value: this.chunk[this.chunkIndex++]! }),
      (error: unknown) => this.fail(error),
    );
  }
}

/**
 * The consumer's batch iterator (`consumer.batches()`): yields {@link ConsumerRecords} of up to `maxRecords`
 * records grouped by partition. A batch counts as processed (at-least-once) when the next one is asked for.
 */
export class BatchIterator<K, V> extends ConsumerIterator<ConsumerRecord<K, V>, ConsumerRecords<K, V>> {
  private readonly maxRecords: number;
  private readonly maxWaitMs: number;
  /** When records were first seen available for the batch being gathered. */
  private gatheringSince: number | undefined;

  /** @internal Made by `consumer.batches()`. */
  constructor(host: IteratorHost<ConsumerRecord<K, V>>, options: BatchIteratorOptions) {
    super(host, options);
    this.maxRecords = options.maxRecords ?? host.maxPollRecords;
    this.maxWaitMs = options.maxWaitMs ?? 0;
    this.handOver = options.pushed === true ? 'push' : 'batch';
    this.processTraced = options.pushed !== true;
    if (!Number.isInteger(this.maxRecords) || this.maxRecords <= 0) {
      throw new InvalidArgumentError(
        `batches(): maxRecords must be a positive integer, got ${String(options.maxRecords)}`,
      );
    }
  }

  protected recordsOf(batch: ConsumerRecords<K, V>): readonly TracedRecord[] {
    return [...batch];
  }

  protected step(): Promise<IteratorResult<ConsumerRecords<K, V>, undefined>> | undefined {
    const delivery = this.host.delivery;
    delivery.checkErrors();
    if (!delivery.hasRecords()) return undefined;
    if (this.maxWaitMs > 0 && delivery.bufferedRecords < this.maxRecords) {
      const now = Date.now();
      this.gatheringSince ??= now;
      if (now - this.gatheringSince < this.maxWaitMs) return undefined;
    }
    const taken = delivery.take(this.maxRecords);
    if (taken.length === 0) return undefined;
    this.gatheringSince = undefined;
    const partitions: PartitionRecords<K, V>[] = taken.map((t) => ({
      topic: t.state.topic,
      partition: t.state.partition,
      records: t.records,
    }));
    const batch = new ConsumerRecords<K, V>(partitions);
    if (this.mode === 'at-most-once') {
      delivery.acknowledgeDelivered();
      return this.host.commitAcknowledged().then(
        () => ({ done: false, value: batch }),
        (error: unknown) => this.fail(error),
      );
    }
    return Promise.resolve({ done: false, value: batch });
  }

  protected override waitTimeout(): number | undefined {
    if (this.gatheringSince === undefined) return undefined;
    return Math.max(0, this.gatheringSince + this.maxWaitMs - Date.now());
  }
}
