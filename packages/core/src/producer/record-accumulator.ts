import type { KafkaError } from '../errors/kafka-error.js';
import type { CompressionType } from '../protocol/records/compression/compression-type.js';
import type { CompressionWorkers } from '../protocol/records/compression/compression-workers.js';
import type { RecordHeaderInput } from '../protocol/records/record.js';
import type { Logger } from '../utils/logger.js';
import type { BufferPool } from './buffer-pool.js';
import { PartitionState } from './partition-state.js';
import { type BatchCompression, ProducerBatch } from './producer-batch.js';
import type { CompletionTag, CompletionTarget } from './record-completion.js';
import type { Serialized } from './serializers.js';

/** Bytes of a record batch v2 header (Java: `DefaultRecordBatch.RECORD_BATCH_OVERHEAD`). */
export const BATCH_OVERHEAD = 61;

/** Settings of the accumulator (from the producer options). */
export interface AccumulatorOptions {
  readonly batchSize: number;
  /** Largest batch, uncompressed (`maxRequestSize`): compressed batches grow up to it as their ratio allows. */
  readonly maxBatchBytes?: number;
  readonly lingerMs: number;
  readonly compression: CompressionType;
  readonly compressionLevel: number | undefined;
  /** Threads that compress large zstd batches off the event loop (`compressionWorkers`). */
  readonly compressionWorkers?: CompressionWorkers | undefined;
  readonly deliveryTimeoutMs: number;
  readonly transactional: boolean;
  readonly logger: Logger;
}

/** A record ready to be appended: serialized, partitioned, sized. */
export interface PendingRecord {
  readonly timestamp: number;
  readonly key: Serialized;
  readonly value: Serialized;
  readonly headers: readonly RecordHeaderInput[] | undefined;
  readonly keySize: number;
  readonly valueSize: number;
  /** Upper bound of the record's encoded size inside a batch. */
  readonly recordBound: number;
  /** When `send` was called: the record's delivery deadline counts from here. */
  readonly sendTime: number;
}

/**
 * What {@link RecordAccumulator.append} did: joined the partition's open batch, started a new batch (an older one
 * may now be sendable), or nothing because a new batch needs memory the pool does not have now (call
 * {@link RecordAccumulator.appendWithBuffer} once it gives some).
 */
export type AppendOutcome = 'appended' | 'new-batch' | 'needs-memory';

/** Told of every batch the accumulator settles (metrics, idempotence bookkeeping). */
export interface BatchSettlementListener {
  /**
   * A batch is given up without an answer that says whether the broker wrote it (expired, aborted, closed, failed
   * for good after being sent): called before it fails.
   */
  givenUp?(batch: ProducerBatch): void;
  /**
   * A batch is done: completed (`error` undefined) or failed. Called just before its records' completions are
   * settled, so that what a completion reads (metrics) already counts the batch.
   */
  settled?(batch: ProducerBatch, error: KafkaError | undefined): void;
}

/** What the sender learns from {@link RecordAccumulator.ready}. */
export interface ReadyResult {
  /** Ready partitions by leader node id, in a rotating order for fairness. */
  readonly nodes: Map<number, PartitionState[]>;
  /** Earliest time something not ready now may become ready (linger, backoff), or Infinity. */
  readonly nextCheckAt: number;
  /** Some partition with queued batches has no known leader: metadata should be refreshed. */
  readonly unknownLeader: boolean;
}

/**
 * Upper bound of a record's encoded size inside a batch, from the byte lengths of its parts: every varint at its
 * widest. Cheap, exact lengths, no UTF-8 scan beyond what the caller already did.
 */
export function recordSizeBound(keySize: number, valueSize: number, headerBytes: number): number {
  // length(5) attributes(1) timestampDelta(10) offsetDelta(5) keyLength(5) valueLength(5) headerCount(5)
  return 36 + Math.max(keySize, 0) + Math.max(valueSize, 0) + headerBytes;
}

/**
 * Collects records into per-partition batches and decides when batches are sendable.
 *
 * - `append` adds a record to the partition's newest open batch, or to a new batch taking `batchSize` bytes (or
 *   the record's size if larger) from the {@link BufferPool}; if the pool has no room it says `'needs-memory'` and the
 *   producer waits for memory (first-in first-out) before calling {@link appendWithBuffer}.
 * - A partition's oldest batch is sendable when it is full (a newer batch exists or a record did not fit), when it
 *   has waited `lingerMs`, when a flush is in progress, when the producer is closing, or when sends are waiting for
 *   memory (holding batches back would only hold memory back). A batch being retried waits out its backoff.
 * - {@link drain} takes at most one batch per partition per request, up to `maxRequestSize` bytes (a single batch
 *   may exceed it: it was checked when its record was appended), starting at a rotating position so that no
 *   partition of a node starves.
 * - {@link expireQueued} gives up queued batches whose delivery deadline passed.
 * - Every batch is settled here ({@link complete}, {@link fail}, {@link giveUp}, {@link abandonQueued}), which
 *   forgets it and tells the {@link BatchSettlementListener} (idempotence bookkeeping, metrics).
 * - With compression, `batchSize` bounds the *compressed* size, as in the Java client: each topic keeps an estimate
 *   of its compression ratio (Java's `CompressionRatioEstimator`: it moves 0.005 towards a better observed ratio
 *   per batch, at least 0.05 towards a worse one), and a new batch takes `batchSize / ratio` bytes of memory for
 *   its uncompressed records (at most `maxRequestSize`). The memory bound holds: the pool accounts those bytes.
 */
export class RecordAccumulator {
  private readonly topics = new Map<string, PartitionState[]>();
  /** Partitions with queued batches. */
  private readonly active = new Set<PartitionState>();
  /** Batches not done, in creation order (for flush and close). */
  private readonly incomplete = new Set<ProducerBatch>();
  private flushes = 0;
  private drainRotation = 0;
  /** Estimated compressed / uncompressed size per topic (only with compression). */
  private readonly ratios = new Map<string, number>();
  /** Set when the producer closes: every batch is sendable at once. */
  closing = false;

  /** How every batch is compressed. */
  private readonly batchCompression: BatchCompression;

  constructor(
    private readonly options: AccumulatorOptions,
    private readonly pool: BufferPool,
    private readonly listener: BatchSettlementListener = {},
  ) {
    this.batchCompression = {
      type: options.compression,
      level: options.compressionLevel,
      workers: options.compressionWorkers,
    };
  }

  /** The state of a partition, created on first use. */
  partitionState(topic: string, partition: number): PartitionState {
    let partitions = this.topics.get(topic);
    if (partitions === undefined) {
      partitions = [];
      this.topics.set(topic, partitions);
    }
    let state = partitions[partition];
    if (state === undefined) {
      state = new PartitionState(topic, partition);
      partitions[partition] = state;
    }
    return state;
  }

  /** Every partition state created so far. */
  *partitionStates(): IterableIterator<PartitionState> {
    for (const partitions of this.topics.values()) for (const state of partitions) if (state) yield state;
  }

  /** Batches not done. */
  get incompleteCount(): number {
    return this.incomplete.size;
  }

  /** True while a queued batch exists anywhere. */
  get hasQueued(): boolean {
    return this.active.size > 0;
  }

  /** Bytes a new batch for this record takes from the pool (its uncompressed capacity). */
  batchBytesFor(record: PendingRecord, topic: string): number {
    let capacity = this.options.batchSize;
    if (this.options.compression !== 'none') {
      const ratio = this.ratios.get(topic) ?? 1;
      if (ratio < 1) {
        const limit = Math.max(capacity, this.options.maxBatchBytes ?? capacity);
        capacity = Math.min(limit, Math.ceil(capacity / ratio));
      }
    }
    return Math.max(capacity, BATCH_OVERHEAD + record.recordBound);
  }

  /** Estimated compression ratio of a topic (1 without compression or before the first batch). */
  compressionRatio(topic: string): number {
    return this.ratios.get(topic) ?? 1;
  }

  /** Learns a topic's compression ratio from a built batch (Java's `CompressionRatioEstimator` steps). */
  observeCompression(topic: string, uncompressedBytes: number, compressedBytes: number): void {
    if (this.options.compression === 'none' || uncompressedBytes <= BATCH_OVERHEAD) return;
    const observed = Math.min(1, compressedBytes / uncompressedBytes);
    const current = this.ratios.get(topic) ?? 1;
    let next = current;
    if (observed > current) next = Math.max(current + 0.05, observed);
    else if (observed < current) next = Math.max(current - 0.005, observed);
    this.ratios.set(topic, Math.min(1, next));
  }

  /**
   * Appends to the partition's open batch, or to a new one if the pool has room right now; `target` and `tag` are
   * the record's completion (see `Completion`).
   */
  append(
    state: PartitionState,
    record: PendingRecord,
    target: CompletionTarget,
    tag: CompletionTag,
    now: number,
  ): AppendOutcome {
    const last = state.last();
    if (last?.open === true && this.tryAppend(last, record, target, tag)) return 'appended';
    const size = this.batchBytesFor(record, state.topic);
    const buffer = this.pool.tryAllocate(size);
    if (buffer === undefined) return 'needs-memory';
    return this.appendWithBuffer(state, record, target, tag, buffer, size, now);
  }

  /**
   * Appends with memory obtained from the pool (`size` bytes in `buffer`): to the open batch if the record fits
   * there after all (the memory is then given back), else to a new batch built on `buffer`.
   */
  appendWithBuffer(
    state: PartitionState,
    record: PendingRecord,
    target: CompletionTarget,
    tag: CompletionTag,
    buffer: Buffer,
    size: number,
    now: number,
  ): 'appended' | 'new-batch' {
    const last = state.last();
    if (last?.open === true && this.tryAppend(last, record, target, tag)) {
      this.pool.release(buffer, size, true);
      return 'appended';
    }
    const batch = new ProducerBatch(
      state,
      this.pool,
      buffer,
      size,
      size,
      this.batchCompression,
      this.options.transactional,
      now,
      record.sendTime + this.options.deliveryTimeoutMs,
      this.options.logger,
    );
    if (last !== undefined) last.full = true;
    state.push(batch);
    this.active.add(state);
    this.incomplete.add(batch);
    this.tryAppend(batch, record, target, tag);
    return 'new-batch';
  }

  private tryAppend(
    batch: ProducerBatch,
    record: PendingRecord,
    target: CompletionTarget,
    tag: CompletionTag,
  ): boolean {
    if (
      !batch.tryAppend(
        record.timestamp,
        record.key,
        record.value,
        record.headers,
        record.keySize,
        record.valueSize,
        record.recordBound,
        target,
        tag,
      )
    ) {
      return false;
    }
    const deadline = record.sendTime + this.options.deliveryTimeoutMs;
    if (deadline < batch.deadline) batch.deadline = deadline;
    return true;
  }

  /** Makes every batch queued now sendable at once until {@link endFlush}. */
  beginFlush(): void {
    this.flushes++;
  }

  /**
   * Makes the batches queued now sendable without waiting out `lingerMs`, without starting a flush: a
   * `sendBatch` call has handed over its last record and its caller awaits them. Records sent later may still join
   * these batches until they are drained.
   */
  waiveLinger(): void {
    for (const state of this.active) {
      const batch = state.last();
      if (batch !== undefined) batch.lingerWaived = true;
    }
  }

  /** Ends one {@link beginFlush}. */
  endFlush(): void {
    this.flushes--;
  }

  /** Batches not done right now (queued, in flight or being retried). */
  incompleteBatches(): ProducerBatch[] {
    return [...this.incomplete];
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Batch outcomes: every batch is settled here, which forgets it and tells the listener.

  /** A batch the broker acknowledged: its records complete (offsets from `baseOffset`, `-1n` when unknown). */
  complete(batch: ProducerBatch, baseOffset: bigint, logAppendTime: number, recycle: boolean): void {
    if (batch.done) return;
    this.listener.settled?.(batch, undefined);
    batch.complete(baseOffset, logAppendTime, recycle);
    this.incomplete.delete(batch);
  }

  /**
   * A batch fails with `error`. `recycle` says whether its buffer may be reused (false while a socket write or a
   * request in flight may still read it).
   */
  fail(batch: ProducerBatch, error: KafkaError, recycle: boolean): void {
    if (batch.done) return;
    this.listener.settled?.(batch, error);
    batch.fail(error, recycle);
    this.incomplete.delete(batch);
  }

  /** A batch is given up with `error`, without knowing whether the broker wrote it: the listener hears first. */
  giveUp(batch: ProducerBatch, error: KafkaError, recycle: boolean): void {
    if (batch.done) return;
    this.listener.givenUp?.(batch);
    this.fail(batch, error, recycle);
  }

  /**
   * Removes the queued batches `filter` picks (every one by default) and gives each up with `error`: an abort, a
   * fatal error, a close, a partition the transaction could not register.
   */
  abandonQueued(error: KafkaError, filter?: (batch: ProducerBatch) => boolean): void {
    for (const batch of this.takeQueued(filter)) this.giveUp(batch, error, true);
  }

  /** Gives up the queued batches whose delivery deadline has passed, each with `errorFor(batch)`. */
  expireQueued(now: number, errorFor: (batch: ProducerBatch) => KafkaError): void {
    for (const batch of this.takeExpired(now)) this.giveUp(batch, errorFor(batch), true);
  }

  /** Queues a sent batch again for a retry, in sequence order, not to leave before `at`. */
  retry(batch: ProducerBatch, at: number): void {
    batch.backOffUntil(at);
    this.requeue(batch);
  }

  /**
   * Replaces a batch split in parts (MESSAGE_TOO_LARGE) by the parts, queued in order for a retry at once (the
   * partition waits until it has nothing in flight).
   */
  replaceSplit(batch: ProducerBatch, parts: readonly ProducerBatch[], now: number): void {
    this.incomplete.delete(batch);
    for (const part of parts) {
      this.incomplete.add(part);
      this.retry(part, now);
    }
  }

  /** Puts a batch back for a retry, in sequence order (see `PartitionState.requeue`). */
  requeue(batch: ProducerBatch): void {
    batch.state.requeue(batch);
    this.active.add(batch.state);
  }

  /**
   * Which partitions have a sendable batch, grouped by leader. `leaderOf` returns the leader's node id or -1;
   * `canSend` lets idempotence and transactions hold a partition back.
   */
  ready(
    now: number,
    leaderOf: (state: PartitionState) => number,
    canSend: (state: PartitionState, batch: ProducerBatch) => boolean,
  ): ReadyResult {
    const nodes = new Map<number, PartitionState[]>();
    let nextCheckAt = Number.POSITIVE_INFINITY;
    let unknownLeader = false;
    const urgent = this.flushes > 0 || this.closing || this.pool.waiting > 0;
    const linger = this.options.lingerMs;
    for (const state of this.active) {
      const batch = state.peek();
      if (batch === undefined) {
        this.active.delete(state);
        continue;
      }
      const leader = leaderOf(state);
      if (leader < 0) {
        unknownLeader = true;
        continue;
      }
      if (batch.attempted && batch.retryAt > now) {
        if (batch.retryAt < nextCheckAt) nextCheckAt = batch.retryAt;
        continue;
      }
      const sendable =
        urgent || batch.full || batch.lingerWaived || state.queued > 1 || now - batch.createdAt >= linger;
      if (!sendable) {
        const at = batch.createdAt + linger;
        if (at < nextCheckAt) nextCheckAt = at;
        continue;
      }
      if (!canSend(state, batch)) continue;
      let list = nodes.get(leader);
      if (list === undefined) {
        list = [];
        nodes.set(leader, list);
      }
      list.push(state);
    }
    // Rotate each node's list so that a request that fills up before the end favours other partitions next time.
    this.drainRotation = (this.drainRotation + 1) & 0x3fffffff;
    for (const [node, list] of nodes) {
      if (list.length > 1) {
        const shift = this.drainRotation % list.length;
        if (shift > 0) nodes.set(node, list.slice(shift).concat(list.slice(0, shift)));
      }
    }
    return { nodes, nextCheckAt, unknownLeader };
  }

  /**
   * Takes the head batch of each of `partitions` (one per partition) while the request stays within `maxBytes`;
   * the first batch is always taken. `canSend` is asked again right before each is taken (an earlier batch of the
   * same request may have changed the answer). Taken batches are removed from their queues; partitions skipped
   * for size stay ready for the next request.
   */
  drain(
    partitions: readonly PartitionState[],
    maxBytes: number,
    canSend: (state: PartitionState, batch: ProducerBatch) => boolean,
  ): ProducerBatch[] {
    const taken: ProducerBatch[] = [];
    let bytes = 0;
    for (const state of partitions) {
      const batch = state.peek();
      if (batch === undefined || batch.inFlight) continue;
      // Built batches have their size; open ones are estimated compressed (the Java client does the same).
      const size =
        batch.bytes !== undefined || this.options.compression === 'none'
          ? batch.sizeInBytes
          : Math.ceil(batch.sizeInBytes * (this.ratios.get(batch.topic) ?? 1));
      if (taken.length > 0 && bytes + size > maxBytes) continue;
      if (!canSend(state, batch)) continue;
      state.shift();
      if (state.queued === 0) this.active.delete(state);
      taken.push(batch);
      bytes += size;
    }
    return taken;
  }

  /** Removes and returns queued batches whose delivery deadline has passed. */
  private takeExpired(now: number): ProducerBatch[] {
    const expired: ProducerBatch[] = [];
    for (const state of this.active) {
      // Queues are in deadline order but for retries put in front, which are older still: scan from the head.
      let batch = state.peek();
      while (batch !== undefined && batch.deadline <= now) {
        state.shift();
        expired.push(batch);
        batch = state.peek();
      }
      if (batch === undefined) this.active.delete(state);
    }
    return expired;
  }

  /** Earliest delivery deadline among queued batches, or Infinity. */
  nextExpiry(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const state of this.active) {
      const batch = state.peek();
      if (batch !== undefined && batch.deadline < earliest) earliest = batch.deadline;
    }
    return earliest;
  }

  /** Removes and returns the queued batches `filter` picks (every one by default), all partitions. */
  private takeQueued(filter?: (batch: ProducerBatch) => boolean): ProducerBatch[] {
    const taken: ProducerBatch[] = [];
    for (const state of this.active) {
      const all = state.takeAll();
      for (const batch of all) {
        if (filter === undefined || filter(batch)) taken.push(batch);
        else state.push(batch);
      }
      if (state.queued === 0) this.active.delete(state);
    }
    return taken;
  }
}
