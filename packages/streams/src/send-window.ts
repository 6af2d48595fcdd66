import {
  ClientClosedError,
  type KafkaError,
  type ProducerLike,
  type ProducerRecord,
  type RecordsOf,
  type SendBatchResult,
  type SendResult,
  type SendTarget,
} from '@vltava/core';
import { sendResultOf } from '@vltava/core/internal';
import { KnownTopics } from './known-topics.js';
import { mappingError, recordMapper } from './send-target.js';

/** The producer's linger gathers a trickle of writes into few requests; the window flushes when it must. */
const LINGER = { linger: true } as const;

/** The callback of `Writable.write`. */
export type WriteCallback = (error: Error | null | undefined) => void;

/** Default of the send streams' `maxInFlight`, as `@vltava/rx`'s `sendTo`. */
export const DEFAULT_MAX_IN_FLIGHT = 16_384;

/** The outcomes of one batch of chunks, by chunk. */
export class BatchOutcome {
  private readonly result: SendBatchResult;
  /** End (exclusive) of each chunk's records; null when every chunk made exactly one record. */
  private readonly ends: Int32Array | null;

  constructor(result: SendBatchResult, ends: Int32Array | null) {
    this.result = result;
    this.ends = ends;
  }

  /** Records acknowledged. */
  get acknowledged(): number {
    return this.result.succeeded;
  }

  /** The first error of chunk `index`'s records, if any failed. */
  error(index: number): KafkaError | undefined {
    if (this.result.failed === 0) return undefined;
    const start = this.start(index);
    const end = this.end(index);
    for (let i = start; i < end; i++) {
      const error = this.result.error(i);
      if (error !== undefined) return error;
    }
    return undefined;
  }

  /** The result of chunk `index`. */
  resultOf<T>(chunk: T, index: number): SendResult<T> {
    return sendResultOf(chunk, this.result, this.start(index), this.end(index));
  }

  private start(index: number): number {
    return this.ends === null ? index : index === 0 ? 0 : this.ends[index - 1]!;
  }

  private end(index: number): number {
    return this.ends === null ? index + 1 : this.ends[index]!;
  }
}

/** What a {@link SendWindow} tells the stream built on it. */
export interface SendWindowEvents<T> {
  /**
   * The chunks of a batch up to `end` (exclusive) were acknowledged, in the order they were written; called batch
   * after batch in that order. `end` is short of the batch's length when a chunk failed: `failed` follows.
   */
  acknowledged?(chunks: readonly T[], outcome: BatchOutcome, end: number): void;
  /** The first failed record, once: the stream errors with it. */
  failed(error: KafkaError): void;
}

/** One batch handed to the producer. */
interface InFlight<T> {
  readonly chunks: readonly T[];
  /** Sequence number of its first chunk among every chunk written to the stream. */
  readonly firstSeq: number;
  readonly records: number;
  readonly ends: Int32Array | null;
  outcome: BatchOutcome | undefined;
}

/**
 * The sending half of the write and send streams (Node and Web): maps chunks to records, hands each batch to the
 * producer with one `sendBatch` and keeps several batches in flight, up to `maxInFlight` records, calling back
 * each chunk's writer once the broker acknowledged its record(s).
 *
 * - **Acknowledgement-driven backpressure.** A batch that would pass `maxInFlight` waits for acknowledgements
 *   before it is handed over, and the stream takes no more input meanwhile: memory stays bounded by the stream's
 *   buffer plus `maxInFlight`.
 * - **The producer's linger is kept.** Records are handed over as they come; a trickle (one record per tick) is
 *   gathered into produce requests by the producer's `lingerMs` and `batchSize`, as with `send`. Only when nothing
 *   more can join its batches (waiting at `maxInFlight`, or the input ended) is the producer flushed.
 * - **Before sending**, each topic's metadata is loaded once (records waiting for metadata would count against
 *   the producer's memory and could fail with `BufferExhaustedError`) and the batch waits for room in the
 *   producer's buffer (`waitForBuffer`) rather than failing.
 * - **Callbacks on acknowledgement.** A writer's callback (registered with {@link accepted}) is called when its
 *   chunk's records have their outcomes, with the chunk's own error if one failed. The write streams' own
 *   `_write`/`_writev` callbacks run as soon as a batch is handed over, so that the next one can follow.
 */
export class SendWindow<T, K, V> {
  private readonly producer: ProducerLike<K, V>;
  private readonly map: (chunk: T) => RecordsOf<K, V>;
  private readonly topics: KnownTopics;
  private readonly maxInFlight: number;
  private readonly closeProducer: boolean;
  private readonly events: SendWindowEvents<T>;
  private readonly where: string;
  private readonly queue: InFlight<T>[] = [];
  private queueHead = 0;
  private inFlight = 0;
  private room: { readonly need: number; readonly resolve: () => void } | undefined;
  private disposed = false;
  private idleWaiters: Array<() => void> = [];
  private flushing = false;
  private closing: Promise<void> | undefined;
  /** Chunks accepted by the stream (numbered in order) and handed over; writers' callbacks by chunk number. */
  private written = 0;
  private handed = 0;
  private callbacks: Array<{ readonly seq: number; readonly callback: WriteCallback }> = [];
  private callbackHead = 0;
  /** Records the broker acknowledged. */
  acknowledgedRecords = 0;
  /** Batches handed to the producer. */
  batches = 0;
  /** The first delivery (or mapping) error, once a record failed. */
  failure: KafkaError | undefined;

  constructor(
    producer: ProducerLike<K, V>,
    target: SendTarget<T, K, V>,
    options: { readonly maxInFlight: number; readonly closeProducer: boolean; readonly where: string },
    events: SendWindowEvents<T>,
  ) {
    this.producer = producer;
    this.topics = new KnownTopics(producer as ProducerLike<unknown, unknown>);
    this.map = recordMapper(target, options.where);
    this.where = options.where;
    this.maxInFlight = options.maxInFlight;
    this.closeProducer = options.closeProducer;
    this.events = events;
  }

  /**
   * The stream accepted a chunk (it will reach {@link hand}, in order): returns the callback to give the stream's
   * own buffering in place of the writer's, which is kept and called once the chunk's records have their outcome.
   * The replacement passes on only errors for chunks never handed over (a destroyed stream's buffer).
   */
  accepted(callback: WriteCallback | undefined): WriteCallback | undefined {
    const seq = this.written++;
    if (callback === undefined) return undefined;
    this.callbacks.push({ seq, callback });
    return (error) => {
      if (seq >= this.handed && error != null) {
        this.dropCallback(seq);
        callback(error);
      }
    };
  }

  /**
   * Hands chunks to the producer as one batch: maps them, waits for room under `maxInFlight` (flushing the producer
   * meanwhile), for their topics' metadata and for buffer space, then calls `sendBatch`. Resolves once they are
   * handed over; their outcomes come through the callbacks and events. Rejects with a typed error when mapping a
   * chunk fails (nothing of the batch is sent then).
   */
  async hand(chunks: readonly T[]): Promise<void> {
    const records: ProducerRecord<K, V>[] = [];
    let ends: Int32Array | null = null;
    for (let i = 0; i < chunks.length; i++) {
      let mapped: RecordsOf<K, V>;
      try {
        mapped = this.map(chunks[i]!);
      } catch (error) {
        throw this.fail(mappingError(error));
      }
      if (mapped == null) {
        ends ??= endsSoFar(chunks.length, i);
      } else if (Array.isArray(mapped)) {
        ends ??= endsSoFar(chunks.length, i);
        for (const record of mapped as readonly ProducerRecord<K, V>[]) records.push(record);
      } else {
        records.push(mapped as ProducerRecord<K, V>);
      }
      if (ends !== null) ends[i] = records.length;
    }
    const count = records.length;
    if (this.inFlight > 0 && this.inFlight + count > this.maxInFlight) {
      this.flush();
      await new Promise<void>((resolve) => {
        this.room = { need: count, resolve };
      });
    }
    const loading = this.topics.ensure(records);
    if (loading !== undefined) await loading;
    await this.producer.waitForBuffer();
    if (this.disposed) {
      throw new ClientClosedError(
        `${this.where}: the stream was destroyed before these chunks were handed to the producer; they were not sent`,
      );
    }
    const batch: InFlight<T> = { chunks, firstSeq: this.handed, records: count, ends, outcome: undefined };
    this.handed += chunks.length;
    this.inFlight += count;
    this.batches++;
    this.queue.push(batch);
    this.producer.sendBatch(records, LINGER).then(
      (result) => {
        batch.outcome = new BatchOutcome(result, ends);
        this.settleReady();
      },
      (error: unknown) => {
        // sendBatch settles records one by one and does not reject; a rejection is a broken producer.
        batch.outcome = new BatchOutcome(failedBatch(count, mappingError(error)), ends);
        this.settleReady();
      },
    );
  }

  /** Sends what the producer holds without waiting for `lingerMs` (one flush at a time). */
  flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    this.producer.flush().then(
      () => {
        this.flushing = false;
      },
      () => {
        this.flushing = false; // outcomes come through the batches
      },
    );
  }

  /** Resolves once every batch handed over has its outcome. */
  settle(): Promise<void> {
    if (this.queueHead === this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The input ended: flushes, waits for every outcome, then closes the producer when the stream owns it. */
  async finish(): Promise<void> {
    if (this.queueHead < this.queue.length) this.flush();
    await this.settle();
    await this.closeIfOwned();
  }

  /**
   * The stream is destroyed: a batch waiting for room is not sent; waits for the batches in flight to settle, then
   * closes the producer when owned.
   */
  async dispose(): Promise<void> {
    this.disposed = true;
    const room = this.room;
    this.room = undefined;
    room?.resolve();
    await this.settle();
    await this.closeIfOwned();
  }

  private closeIfOwned(): Promise<void> {
    if (!this.closeProducer) return Promise.resolve();
    this.closing ??= this.producer.close();
    return this.closing;
  }

  /** Settles the batches at the front that have their outcomes, in order. */
  private settleReady(): void {
    while (this.queueHead < this.queue.length) {
      const batch = this.queue[this.queueHead]!;
      const outcome = batch.outcome;
      if (outcome === undefined) break;
      this.queue[this.queueHead++] = undefined as unknown as InFlight<T>;
      this.inFlight -= batch.records;
      this.acknowledgedRecords += outcome.acknowledged;
      let end = batch.chunks.length;
      let error: KafkaError | undefined;
      for (let i = 0; i < batch.chunks.length && error === undefined; i++) {
        error = outcome.error(i);
        if (error !== undefined) end = i;
      }
      this.callBack(batch, outcome);
      if (this.failure === undefined) {
        this.events.acknowledged?.(batch.chunks, outcome, end);
        if (error !== undefined) this.fail(error);
      }
    }
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
      for (const wake of this.idleWaiters.splice(0)) wake();
    } else if (this.queueHead >= 64 && this.queueHead * 2 >= this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    const room = this.room;
    if (room !== undefined && (this.inFlight === 0 || this.inFlight + room.need <= this.maxInFlight)) {
      this.room = undefined;
      room.resolve();
    }
  }

  /** Calls the writers' callbacks of a batch's chunks, each with its chunk's outcome. */
  private callBack(batch: InFlight<T>, outcome: BatchOutcome): void {
    const end = batch.firstSeq + batch.chunks.length;
    const callbacks = this.callbacks;
    while (this.callbackHead < callbacks.length && callbacks[this.callbackHead]!.seq < end) {
      const { seq, callback } = callbacks[this.callbackHead++]!;
      callback(outcome.error(seq - batch.firstSeq) ?? null);
    }
    if (this.callbackHead === callbacks.length) {
      this.callbacks = [];
      this.callbackHead = 0;
    }
  }

  private dropCallback(seq: number): void {
    const at = this.callbacks.findIndex((entry, i) => i >= this.callbackHead && entry.seq === seq);
    if (at >= 0) this.callbacks.splice(at, 1);
  }

  private fail(error: KafkaError): KafkaError {
    if (this.failure === undefined) {
      this.failure = error;
      this.events.failed(error);
    }
    return error;
  }
}

/** Record ends for chunks `0..index-1` mapped one record each, in an array for `length` chunks. */
function endsSoFar(length: number, index: number): Int32Array {
  const ends = new Int32Array(length);
  for (let j = 0; j < index; j++) ends[j] = j + 1;
  return ends;
}

/** A batch result where every record failed with `error`. */
function failedBatch(count: number, error: KafkaError): SendBatchResult {
  return {
    count,
    succeeded: 0,
    failed: count,
    firstError: error,
    metadata: () => undefined,
    error: () => error,
  };
}
