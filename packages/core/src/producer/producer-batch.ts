import type { KafkaError } from '../errors/kafka-error.js';
import type { CompressionType } from '../protocol/records/compression/compression-type.js';
import type { CompressionWorkers } from '../protocol/records/compression/compression-workers.js';
import type { RecordHeaderInput } from '../protocol/records/record.js';
import { RecordBatchBuilder, rewriteProducerState } from '../protocol/records/record-batch-builder.js';
import { NO_SEQUENCE } from '../protocol/records/record-batch-format.js';
import { RecordBatchReader } from '../protocol/records/record-batch-reader.js';
import type { Logger } from '../utils/logger.js';
import type { BufferPool } from './buffer-pool.js';
import type { PartitionState } from './partition-state.js';
import type { CompletionTag, CompletionTarget, WrittenRecords } from './record-completion.js';
import { settleRecord } from './record-completion.js';
import type { RecordMetadata } from './record-metadata.js';
import type { Serialized } from './serializers.js';

/** How a producer's batches are compressed (one object, shared by all its batches). */
export interface BatchCompression {
  /** Java: compression.type. */
  readonly type: CompressionType;
  /** Java: compression.gzip.level / compression.zstd.level; `undefined` for the codec's default. */
  readonly level: number | undefined;
  /** Threads that compress zstd batches of 32 KiB and more off the event loop; none: the event loop. */
  readonly workers: CompressionWorkers | undefined;
}

/**
 * One record batch for one partition, from the first record appended until every record in it has its outcome.
 *
 * Records are written straight into a buffer from the pool by the records module's `RecordBatchBuilder` (no
 * per-record buffers). Each record also keeps its completion (a `Completion` pair: `resolve`/`reject` of its
 * Promise, a callback and its marker, or a group and the record's index in it) in two parallel arrays, settled by
 * `settleRecord` when the batch is done. No closure or object is created per record beyond what the caller's API
 * form needs.
 *
 * Lifecycle: open (appending) -> closed (built: compressed, header and CRC written, producer state stamped) ->
 * in flight ({@link markSent} .. {@link markReturned}) / re-queued for retry (same bytes; producer state rewritten in
 * place if the epoch was bumped) -> done ({@link complete} or {@link fail}, called by the accumulator, which forgets
 * the batch at the same time).
 */
export class ProducerBatch implements WrittenRecords {
  /** Records appended. */
  count = 0;
  /** Time the batch was created (ms since epoch). */
  readonly createdAt: number;
  /** Time by which every record must have its outcome: the earliest send time + `deliveryTimeoutMs`. */
  deadline: number;
  /** Set once a record did not fit: the batch is sendable regardless of linger. */
  full = false;
  /** Set when the sender of its records awaits them (`sendBatch` handed over its last record): no linger. */
  lingerWaived = false;

  /** Producer id stamped on the batch, -1 without idempotence. */
  producerId = -1n;
  /** Producer epoch stamped on the batch, -1 without idempotence. */
  producerEpoch = -1;
  /** Sequence of the first record, -1 until assigned at first drain. */
  baseSequence = NO_SEQUENCE;

  /** Times it was sent. */
  attempts = 0;
  /** Set after the first send: the batch is closed and may be a retry. */
  attempted = false;
  /** Not sendable again before this time (retry backoff). */
  retryAt = 0;
  /** In a request awaiting its response. */
  inFlight = false;
  /** Every record has its outcome. */
  done = false;
  /** Time the last attempt was sent, for request latency. */
  sentAt = 0;

  /** Uncompressed size when the batch was built (header included), 0 before. */
  uncompressedBytes = 0;

  /** Base offset the broker assigned, -1n until known. */
  baseOffset = -1n;
  /** Broker append time on LogAppendTime topics, else -1. */
  logAppendTime = -1;

  private builder: RecordBatchBuilder | undefined;
  private buffer: Buffer | undefined;
  private built: Buffer | undefined;
  private building: Promise<Buffer> | undefined;
  private readonly targets: CompletionTarget[] = [];
  private readonly tags: CompletionTag[] = [];
  private readonly timestamps: number[] = [];
  private readonly keySizes: number[] = [];
  private readonly valueSizes: number[] = [];
  private doneListeners: Array<() => void> | undefined;

  /**
   * @param state the partition the batch belongs to.
   * @param pool memory the batch's buffer came from.
   * @param buffer the buffer from `pool` (of `reserved` bytes).
   * @param reserved bytes accounted to this batch in `pool`.
   * @param capacity largest uncompressed size of the batch, header included.
   */
  constructor(
    readonly state: PartitionState,
    private readonly pool: BufferPool,
    buffer: Buffer,
    readonly reserved: number,
    readonly capacity: number,
    private readonly compression: BatchCompression,
    readonly isTransactional: boolean,
    now: number,
    deadline: number,
    private readonly logger: Logger,
  ) {
    this.createdAt = now;
    this.deadline = deadline;
    this.buffer = buffer;
    this.builder = new RecordBatchBuilder({
      compression: compression.type,
      ...(compression.level === undefined ? {} : { compressionLevel: compression.level }),
      ...(compression.workers === undefined ? {} : { compressionWorkers: compression.workers }),
      buffer,
      initialCapacity: capacity,
    });
  }

  /** Topic of the batch. */
  get topic(): string {
    return this.state.topic;
  }

  /** Partition of the batch. */
  get partition(): number {
    return this.state.partition;
  }

  /** Uncompressed bytes so far (header included) while open; the built size once closed. */
  get sizeInBytes(): number {
    return this.built?.length ?? this.builder?.sizeInBytes ?? 0;
  }

  /** True while records can still be appended. */
  get open(): boolean {
    return this.builder !== undefined && this.built === undefined && this.building === undefined && !this.done;
  }

  /** An attempt starts: the batch goes out in a request, and counts as in flight for itself and its partition. */
  markSent(now: number): void {
    this.attempts++;
    this.attempted = true;
    this.inFlight = true;
    this.sentAt = now;
    this.state.inFlight++;
  }

  /** The attempt is over (the request answered or failed, or was written with `acks: 0`): no longer in flight. */
  markReturned(): void {
    if (!this.inFlight) return;
    this.inFlight = false;
    this.state.inFlight--;
  }

  /**
   * The batch will be sent again, not before `at`; its partition sends nothing more until its requests in flight
   * have answered, so that retried batches leave again in order.
   */
  backOffUntil(at: number): void {
    this.retryAt = at;
    this.state.holdUntilIdle = true;
  }

  /**
   * Appends a record if it fits (`recordBound` is an upper bound of its encoded size); a batch always takes its
   * first record. Returns false, and marks the batch full, when it does not fit.
   */
  tryAppend(
    timestamp: number,
    key: Serialized,
    value: Serialized,
    headers: readonly RecordHeaderInput[] | undefined,
    keySize: number,
    valueSize: number,
    recordBound: number,
    target: CompletionTarget,
    tag: CompletionTag,
  ): boolean {
    const builder = this.builder!;
    if (this.count > 0 && builder.sizeInBytes + recordBound > this.capacity) {
      this.full = true;
      return false;
    }
    builder.append(timestamp, key, value, headers);
    const i = this.count++;
    this.targets[i] = target;
    this.tags[i] = tag;
    this.timestamps[i] = timestamp;
    this.keySizes[i] = keySize;
    this.valueSizes[i] = valueSize;
    return true;
  }

  /**
   * Closes the batch for appends and builds its bytes (compression, header, CRC) with the producer state set on
   * it. Returns the bytes, or a Promise when the codec compresses off the main thread. Later calls return the same
   * bytes, with the producer state rewritten in place if it changed (a retry after an epoch bump).
   */
  close(): Buffer | Promise<Buffer> {
    const state = this.stateNow();
    if (this.built !== undefined) {
      if (this.producerId !== -1n) rewriteProducerState(this.built, state);
      return this.built;
    }
    if (this.building !== undefined) return this.building;
    this.uncompressedBytes = this.builder!.sizeInBytes;
    const result = this.builder!.build(state);
    if (result instanceof Promise) {
      this.building = result.then((bytes) => {
        this.built = bytes;
        this.building = undefined;
        // The producer state may have changed while compressing.
        if (this.producerId !== -1n) rewriteProducerState(bytes, this.stateNow());
        return bytes;
      });
      return this.building;
    }
    this.built = result;
    return result;
  }

  /** The built bytes, when built. */
  get bytes(): Buffer | undefined {
    return this.built;
  }

  /** Registers a function called once when the batch is done (used by flush). */
  onDone(listener: () => void): void {
    if (this.done) {
      listener();
      return;
    }
    this.doneListeners ??= [];
    this.doneListeners.push(listener);
  }

  /**
   * Success: every record gets its metadata (offset `baseOffset + i`). `recycle` says whether the buffer may be
   * reused (no socket write can still read it).
   */
  complete(baseOffset: bigint, logAppendTime: number, recycle: boolean): void {
    if (this.done) return;
    this.baseOffset = baseOffset;
    this.logAppendTime = logAppendTime;
    this.finish(undefined, recycle);
  }

  /** Failure: every record's send fails with `error`. */
  fail(error: KafkaError, recycle: boolean): void {
    if (this.done) return;
    this.finish(error, recycle);
  }

  /** Metadata of record `i` of a completed batch. */
  metadata(i: number): RecordMetadata {
    return this.metadataAt(i, this.baseOffset < 0n ? -1n : this.baseOffset + BigInt(i));
  }

  /** Metadata of record `i` at `offset`. */
  metadataAt(i: number, offset: bigint): RecordMetadata {
    return {
      topic: this.state.topic,
      partition: this.state.partition,
      offset,
      timestamp: this.logAppendTime >= 0 ? this.logAppendTime : this.timestamps[i]!,
      serializedKeySize: this.keySizes[i]!,
      serializedValueSize: this.valueSizes[i]!,
    };
  }

  /**
   * Splits a built batch the broker refused as too large (MESSAGE_TOO_LARGE) into `parts` batches of consecutive
   * records, as the Java client does: the records are decoded from the built bytes and appended again, and each
   * record keeps its completion slot. The new batches take over this batch's memory accounting, attempts, deadline
   * and, with idempotence, its producer id, epoch and sequence range (the first new batch starts at this batch's base
   * sequence), so the broker sees the same sequences in smaller batches. This batch is then done without settling
   * anything; whoever waits for it (a flush) is told once every part is done.
   */
  split(parts: number): ProducerBatch[] {
    const bytes = this.built;
    if (bytes === undefined || this.count < 2) return [this];
    const [decoded] = new RecordBatchReader(bytes);
    const records = decoded!.records();
    const per = Math.ceil(this.count / Math.max(2, parts));
    const children: ProducerBatch[] = [];
    let sequence = this.baseSequence;
    for (let start = 0; start < this.count; start += per) {
      const end = Math.min(this.count, start + per);
      let size = 61;
      for (let i = start; i < end; i++) {
        const r = records[i]!;
        size += 40 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
        for (const h of r.headers) size += 10 + Buffer.byteLength(h.key) + (h.value?.length ?? 0);
      }
      // The first part carries this batch's memory accounting; the parts together hold about as many bytes.
      const child = new ProducerBatch(
        this.state,
        this.pool,
        Buffer.allocUnsafe(size),
        children.length === 0 ? this.reserved : 0,
        size,
        this.compression,
        this.isTransactional,
        this.createdAt,
        this.deadline,
        this.logger,
      );
      for (let i = start; i < end; i++) {
        const r = records[i]!;
        child.builder!.append(this.timestamps[i]!, r.key, r.value, r.headers.length === 0 ? undefined : r.headers);
        const j = child.count++;
        child.targets[j] = this.targets[i]!;
        child.tags[j] = this.tags[i]!;
        child.timestamps[j] = this.timestamps[i]!;
        child.keySizes[j] = this.keySizes[i]!;
        child.valueSizes[j] = this.valueSizes[i]!;
      }
      child.full = true;
      child.attempts = this.attempts;
      child.attempted = true;
      child.retryAt = this.retryAt;
      if (this.baseSequence !== NO_SEQUENCE) {
        child.producerId = this.producerId;
        child.producerEpoch = this.producerEpoch;
        child.baseSequence = sequence;
        sequence += child.count;
      }
      children.push(child);
    }
    // Hand over: nothing of this batch settles, its memory now belongs to the first part.
    this.done = true;
    this.targets.length = 0;
    this.tags.length = 0;
    this.builder = undefined;
    this.built = undefined;
    this.buffer = undefined;
    const listeners = this.doneListeners;
    this.doneListeners = undefined;
    if (listeners !== undefined) {
      let remaining = children.length;
      const onePart = () => {
        if (--remaining === 0) for (const listener of listeners) listener();
      };
      for (const child of children) child.onDone(onePart);
    }
    return children;
  }

  private stateNow() {
    return {
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      baseSequence: this.baseSequence,
      isTransactional: this.isTransactional,
    };
  }

  private finish(error: KafkaError | undefined, recycle: boolean): void {
    this.done = true;
    // A codec still compressing on the thread pool reads the buffer: never hand it out again then.
    const reusable = recycle && this.building === undefined;
    const targets = this.targets;
    const tags = this.tags;
    // Offsets counted up one by one: one bigint per record instead of two.
    const known = this.baseOffset >= 0n;
    let offset = known ? this.baseOffset - 1n : -1n;
    for (let i = 0; i < this.count; i++) {
      if (known) offset++;
      try {
        settleRecord(targets[i]!, tags[i]!, error, this, i, offset);
      } catch (thrown) {
        this.logger.error('a send callback threw; the producer carries on', {
          topic: this.state.topic,
          partition: this.state.partition,
          error: thrown,
        });
      }
    }
    targets.length = 0;
    tags.length = 0;
    this.builder = undefined;
    this.built = undefined;
    this.building = undefined;
    this.pool.release(this.buffer, this.reserved, reusable);
    this.buffer = undefined;
    const listeners = this.doneListeners;
    this.doneListeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}
