import { checkTopicName } from '../cluster/topic-name.js';
import {
  BufferExhaustedError,
  InvalidArgumentError,
  KafkaTimeoutError,
  toKafkaError,
} from '../errors/client-errors.js';
import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import type { Logger } from '../utils/logger.js';
import type { BufferPool } from './buffer-pool.js';
import type { PartitionCache, TopicEntry } from './partition-cache.js';
import type { PartitionState } from './partition-state.js';
import type { TopicMetadataSource } from './producer-cluster.js';
import type { AppendOutcome, PendingRecord, RecordAccumulator } from './record-accumulator.js';
import { type CompletionTag, type CompletionTarget, failRecord } from './record-completion.js';

/** What admission appends into (the accumulator). */
export type RecordAppender = Pick<
  RecordAccumulator,
  'append' | 'appendWithBuffer' | 'batchBytesFor' | 'compressionRatio'
>;

/** The memory new batches take (the buffer pool). */
export type BatchMemory = Pick<BufferPool, 'allocate' | 'release' | 'whenAvailable' | 'available'>;

/** What admission asks of the producer. */
export interface AdmissionHost {
  /**
   * The error a record that waited must fail with instead of joining a batch now (the producer closed or failed
   * fatally, its transaction is being aborted), or undefined.
   */
  refusal(): KafkaError | undefined;
  /**
   * A record of a transactional producer joined a batch of `state`, a partition not in the current transaction
   * yet: the producer registers it.
   */
  joinedTransaction(state: PartitionState): void;
  /** The sender should look at the sendable batches now. */
  wakeSender(): void;
  /** Whether the record codecs are loaded: a record waits for them before it joins a batch. */
  readonly codecs: CodecReadiness;
}

/** Whether the record codecs (compression, CRC-32C) are loaded; the producer keeps it up to date. */
export interface CodecReadiness {
  /** The codecs are loaded (or failed to). */
  readonly ready: boolean;
  /** Set when the configured codec cannot load: every record fails with it. */
  readonly error: KafkaError | undefined;
  /** Resolves once the codecs are loaded (or failed to). */
  readonly loaded: Promise<void>;
}

/** Settings of admission (from the producer options). */
export interface AdmissionOptions {
  /** Java: max.block.ms: how long a record may wait for metadata and memory. */
  readonly maxBlockMs: number;
  /** Java: delivery.timeout.ms: a record's wait counts against it too. */
  readonly deliveryTimeoutMs: number;
  /** Java: buffer.memory: also bounds the bytes of records waiting here. */
  readonly bufferMemory: number;
  /** Java: linger.ms: with 0, every append wakes the sender. */
  readonly lingerMs: number;
  /** Batches are compressed (the sticky partitioner counts estimated compressed bytes). */
  readonly compressed: boolean;
  /** The producer is transactional: the partitions its records join belong to the current transaction. */
  readonly transactional: boolean;
  readonly logger: Logger;
}

/**
 * Record admission: takes a prepared record (serialized and sized) into its partition's batch, at once when it can
 * and in order when it must wait.
 *
 * - The common case costs no Promise and no await: the topic is in the {@link PartitionCache}, nothing of the
 *   topic waits for metadata, no send waits for memory, and the pool has room (or the open batch does).
 * - A record of a topic without metadata waits in the topic's metadata chain (records of one topic keep their
 *   order) until the metadata arrives or `maxBlockMs` passes (`KafkaTimeoutError`); an explicit partition that
 *   does not exist after a refresh fails with `InvalidArgumentError`.
 * - A record that needs memory for a new batch waits in the memory queue (first in first out, every topic) for
 *   the pool, up to `maxBlockMs` (`BufferExhaustedError`).
 * - Waiting records are bounded: their bytes count against `bufferMemory`; beyond it a record fails at once with
 *   `BufferExhaustedError` rather than queue without bound.
 * - Before a waiting record joins a batch, the producer is asked whether it still may ({@link AdmissionHost}).
 */
export class RecordAdmission {
  /** Records waiting for metadata, per topic (a chain keeps their order). */
  private readonly metadataChains = new Map<string, Promise<void>>();
  /** Records waiting for buffer memory, all topics, first in first out. */
  private memoryChain: Promise<void> = Promise.resolve();
  private memoryWaiting = 0;
  /** Bytes of records waiting for metadata or memory; bounded by bufferMemory. */
  private waitingBytes = 0;

  constructor(
    private readonly cache: PartitionCache,
    private readonly appender: RecordAppender,
    private readonly memory: BatchMemory,
    private readonly metadata: TopicMetadataSource,
    private readonly host: AdmissionHost,
    private readonly options: AdmissionOptions,
  ) {}

  /** Sends waiting for buffer memory now. */
  get waitingForMemory(): number {
    return this.memoryWaiting;
  }

  /**
   * Admits a prepared record to `topic` (partition `explicit`, or the partitioner's choice); `target` and `tag` are
   * its completion, failed here when it cannot join a batch. `pending` may be a reused object: a record that has to
   * wait gets its own copy.
   */
  admit(
    topic: string,
    explicit: number | undefined,
    pending: PendingRecord,
    target: CompletionTarget,
    tag: CompletionTag,
    now: number,
  ): void {
    const entry = this.cache.get(topic);
    if (entry === undefined) {
      // A topic seen for the first time: its name is checked once, before any request, as Kafka checks it.
      try {
        checkTopicName(topic, 'send');
      } catch (error) {
        failRecord(target, tag, toKafkaError(error), this.options.logger);
        return;
      }
    }
    if (
      entry !== undefined &&
      this.host.codecs.ready &&
      (this.metadataChains.size === 0 || !this.metadataChains.has(topic)) &&
      (explicit === undefined || explicit < entry.partitions.partitionCount)
    ) {
      if (this.memoryWaiting === 0 && this.appendNow(entry, explicit, pending, target, tag, now)) return;
      this.queueForMemory(entry, explicit, { ...pending }, target, tag);
      return;
    }
    this.queueForMetadata(topic, explicit, { ...pending }, target, tag);
  }

  /**
   * What a bulk sender (`sendBatch`) should wait for before handing over its next record of `topic`, if anything:
   * records of a topic whose metadata is still loading wait in memory, and a large batch must not fill that space
   * and fail its own records, so once half of `bufferMemory` waits, the topic's metadata wait goes first.
   */
  metadataWait(topic: string | undefined): Promise<void> | undefined {
    if (this.metadataChains.size === 0 || topic === undefined) return undefined;
    const wait = this.metadataChains.get(topic);
    return wait !== undefined && this.waitingBytes * 2 >= this.options.bufferMemory ? wait : undefined;
  }

  /** Resolves when the pool has room for at least `bytes` and no send waits for memory. Never rejects. */
  waitForBuffer(bytes: number): Promise<void> {
    if (this.memoryWaiting === 0 && this.memory.available >= bytes) return Promise.resolve();
    const memoryDrained = this.memoryChain.then(() => this.memory.whenAvailable(bytes));
    return memoryDrained.then(() => (this.memoryWaiting > 0 ? this.waitForBuffer(bytes) : undefined));
  }

  /** Resolves once every record admitted so far has joined a batch or failed. */
  async drained(): Promise<void> {
    await Promise.all([...this.metadataChains.values(), this.memoryChain]);
  }

  /** Picks the partition and appends if memory allows; false when the record must wait for memory. */
  private appendNow(
    entry: TopicEntry,
    explicit: number | undefined,
    pending: PendingRecord,
    target: CompletionTarget,
    tag: CompletionTag,
    now: number,
  ): boolean {
    let partition: number;
    try {
      partition = this.cache.choosePartition(entry, explicit, pending.key, pending.value);
    } catch (error) {
      failRecord(target, tag, toKafkaError(error, { during: 'sending a record' }), this.options.logger);
      return true;
    }
    const state = this.cache.stateOf(entry, partition);
    let outcome: AppendOutcome;
    try {
      outcome = this.appender.append(state, pending, target, tag, now);
    } catch (error) {
      // Nothing was appended (a batch could not be created): this record fails alone.
      const failure = toKafkaError(error, { during: 'appending a record', topic: state.topic });
      failRecord(target, tag, failure, this.options.logger);
      return true;
    }
    if (outcome === 'needs-memory') return false;
    this.afterAppend(entry, state, explicit, pending, outcome);
    return true;
  }

  private afterAppend(
    entry: TopicEntry,
    state: PartitionState,
    explicit: number | undefined,
    pending: PendingRecord,
    outcome: 'appended' | 'new-batch',
  ): void {
    if (explicit === undefined) {
      // The sticky partitioner counts (estimated) bytes on the wire: compressed, with compression.
      const bytes = this.options.compressed
        ? pending.recordBound * this.appender.compressionRatio(state.topic)
        : pending.recordBound;
      this.cache.appended(entry, state, pending.key, bytes);
    }
    if (this.options.transactional && !state.inTransaction) this.host.joinedTransaction(state);
    if (outcome === 'new-batch' || this.options.lingerMs === 0) this.host.wakeSender();
  }

  /**
   * Reserves room for a record among the waiting ones (bounded by bufferMemory); when there is none, fails the
   * record with `BufferExhaustedError` and returns false.
   */
  private reserveWaiting(pending: PendingRecord, target: CompletionTarget, tag: CompletionTag): boolean {
    const bytes = pending.recordBound;
    if (this.waitingBytes + bytes > this.options.bufferMemory) {
      const error = new BufferExhaustedError(
        `Too many sends are waiting: ${this.waitingBytes} bytes of records already wait for buffer space or ` +
          `metadata (at most bufferMemory, ${this.options.bufferMemory}). Await sends, use sendBatch(), or ` +
          `await producer.waitForBuffer() before sending more`,
      );
      failRecord(target, tag, error, this.options.logger);
      return false;
    }
    this.waitingBytes += bytes;
    return true;
  }

  /** When a waiting record's wait ends: `maxBlockMs` (or the delivery timeout, if shorter) after its send. */
  private waitDeadline(pending: PendingRecord): number {
    return pending.sendTime + Math.min(this.options.maxBlockMs, this.options.deliveryTimeoutMs);
  }

  private queueForMetadata(
    topic: string,
    explicit: number | undefined,
    pending: PendingRecord,
    target: CompletionTarget,
    tag: CompletionTag,
  ): void {
    if (!this.reserveWaiting(pending, target, tag)) return;
    const logger = this.options.logger;
    const deadline = this.waitDeadline(pending);
    const previous = this.metadataChains.get(topic) ?? Promise.resolve();
    // A link never rejects: whatever happens to this record settles its send, and the records queued behind it go on.
    const link = previous.then(async () => {
      let entry: TopicEntry;
      try {
        entry = await this.awaitTopic(topic, explicit, deadline);
        this.checkAdmissible();
      } catch (error) {
        this.waitingBytes -= pending.recordBound;
        failRecord(target, tag, toKafkaError(error, { during: 'sending a record' }), logger);
        return;
      }
      this.waitingBytes -= pending.recordBound;
      try {
        if (this.memoryWaiting === 0 && this.appendNow(entry, explicit, pending, target, tag, Date.now())) return;
        this.queueForMemory(entry, explicit, pending, target, tag);
      } catch (error) {
        failRecord(target, tag, toKafkaError(error, { during: 'sending a record', topic }), logger);
      }
    });
    this.metadataChains.set(topic, link);
    void link.then(() => {
      if (this.metadataChains.get(topic) === link) this.metadataChains.delete(topic);
    });
  }

  /** Metadata of `topic` with `explicit` (if given) among its partitions, fetched until `deadline`. */
  private async awaitTopic(topic: string, explicit: number | undefined, deadline: number): Promise<TopicEntry> {
    const codecs = this.host.codecs;
    if (!codecs.ready) await codecs.loaded;
    if (codecs.error !== undefined) throw codecs.error;
    let entry = this.cache.get(topic);
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      if (entry !== undefined && (explicit === undefined || explicit < entry.partitions.partitionCount)) return entry;
      if (entry !== undefined && refreshed) {
        throw new InvalidArgumentError(
          `Partition ${explicit} does not exist: topic ${topic} has ${entry.partitions.partitionCount} partition(s)`,
          { topic, partition: explicit },
        );
      }
      // One metadata request is always made, even with maxBlockMs 0.
      const remaining = deadline - Date.now();
      if (remaining <= 0 && attempt > 0) {
        throw new KafkaTimeoutError(`Topic ${topic} not present in metadata within maxBlockMs`, { topic });
      }
      if (entry === undefined) {
        try {
          await this.metadata.topicMetadata(topic, Math.max(0, remaining));
        } catch (error) {
          if (!isKafkaError(error) || !error.retriable) throw error;
          throw new KafkaTimeoutError(
            `Topic ${topic} not present in metadata within maxBlockMs (${this.options.maxBlockMs} ms)` +
              (error instanceof KafkaTimeoutError ? '' : `: ${error.message}`),
            { topic, cause: error },
          );
        }
      } else {
        await this.metadata.refreshMetadata({ topics: [topic] });
        refreshed = true;
      }
      this.cache.refresh();
      entry = this.cache.get(topic);
    }
  }

  private queueForMemory(
    entry: TopicEntry,
    explicit: number | undefined,
    pending: PendingRecord,
    target: CompletionTarget,
    tag: CompletionTag,
  ): void {
    if (!this.reserveWaiting(pending, target, tag)) return;
    const logger = this.options.logger;
    this.memoryWaiting++;
    // Batches are sendable at once while sends wait for memory; make sure the sender looks.
    this.host.wakeSender();
    const deadline = this.waitDeadline(pending);
    this.memoryChain = this.memoryChain.then(async () => {
      try {
        this.checkAdmissible();
        const partition = this.cache.choosePartition(entry, explicit, pending.key, pending.value);
        const state = this.cache.stateOf(entry, partition);
        const now = Date.now();
        let outcome = this.appender.append(state, pending, target, tag, now);
        if (outcome === 'needs-memory') {
          const size = this.appender.batchBytesFor(pending, state.topic);
          const buffer = await this.memory.allocate(size, deadline - now);
          this.checkAdmissible(() => this.memory.release(buffer, size, true));
          outcome = this.appender.appendWithBuffer(state, pending, target, tag, buffer, size, Date.now());
        }
        this.afterAppend(entry, state, explicit, pending, outcome);
      } catch (error) {
        failRecord(target, tag, toKafkaError(error, { during: 'sending a record' }), logger);
      } finally {
        this.memoryWaiting--;
        this.waitingBytes -= pending.recordBound;
      }
    });
  }

  /**
   * Throws if a waiting record can no longer join a batch (see {@link AdmissionHost.refusal}), after `undo`.
   */
  private checkAdmissible(undo?: () => void): void {
    const refusal = this.host.refusal();
    if (refusal !== undefined) {
      undo?.();
      throw refusal;
    }
  }
}
