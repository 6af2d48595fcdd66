import { Cluster } from '../cluster/cluster.js';
import type { PartitionInfo, TopicInfo } from '../cluster/metadata.js';
import { checkTopicName } from '../cluster/topic-name.js';
import { checkOptions } from '../config/check-options.js';
import {
  BufferExhaustedError,
  ClientClosedError,
  InvalidArgumentError,
  KafkaTimeoutError,
  RecordTooLargeError,
  toKafkaError,
} from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import { compressionWorkerModules, getCompressionCodec } from '../protocol/records/compression/compression-codecs.js';
import { CompressionWorkers } from '../protocol/records/compression/compression-workers.js';
import { loadRecordCodecs } from '../protocol/records/load-record-codecs.js';
import type { RecordHeaderInput } from '../protocol/records/record.js';
import { settleBy } from '../utils/deadline.js';
import type { Logger } from '../utils/logger.js';
import { BufferPool } from './buffer-pool.js';
import type { PartitionState } from './partition-state.js';
import { createPartitioner, type Partitioner, type TopicPartitions } from './partitioner.js';
import { CALLBACK_SINK, type ProducerBatch, type SinkExtra } from './producer-batch.js';
import { RecordSerializationError, TransactionAbortedError, TransactionStateError } from './producer-errors.js';
import { type Metric, ProducerMetrics } from './producer-metrics.js';
import { type ProducerOptions, type ResolvedProducerOptions, resolveProducerOptions } from './producer-options.js';
import { FLUSH_OPTIONS_SCHEMA } from './producer-options-schema.js';
import { BATCH_OVERHEAD, type PendingRecord, RecordAccumulator, recordSizeBound } from './record-accumulator.js';
import type { RecordMetadata, SendCallback } from './record-metadata.js';
import { SendBatchGroup, type SendBatchResult } from './send-batch-result.js';
import { Sender } from './sender.js';
import { type Serialized, serializedSize } from './serializers.js';
import {
  TransactionCoordinator,
  type TransactionGroupMetadata,
  type TransactionOffset,
} from './transaction-coordinator.js';
import { TransactionManager } from './transaction-manager.js';

/** Record headers: an object (one value per key) or a list (order kept, keys may repeat). Values are UTF-8 strings
 * or bytes. */
export type ProducerRecordHeaders =
  | Readonly<Record<string, string | Uint8Array | null | undefined>>
  | ReadonlyArray<{ readonly key: string; readonly value: string | Uint8Array | null }>;

/** A record to send. Java: `ProducerRecord`. */
export interface ProducerRecord<K, V> {
  /** Topic to write to. */
  readonly topic: string;
  /** Key, typed by the key serializer; absent or null for no key (the sticky partitioner then picks a partition). */
  readonly key?: K | null;
  /** Value, typed by the value serializer; absent or null with a key makes a tombstone. */
  readonly value?: V | null;
  /** Headers. */
  readonly headers?: ProducerRecordHeaders;
  /** Partition to write to, overriding the partitioner; must exist. */
  readonly partition?: number;
  /** Create time in milliseconds since the epoch (or a Date); default now. */
  readonly timestamp?: number | Date;
}

/** Options of {@link Producer.flush} and {@link Producer.close}. */
export interface FlushOptions {
  /** Longest wait in milliseconds. Default: until every record has its outcome (bounded by `deliveryTimeoutMs`). */
  readonly timeoutMs?: number;
}

interface TopicEntry {
  info: TopicInfo;
  partitions: TopicPartitions;
  states: Array<PartitionState | undefined>;
}

type ProducerState = 'open' | 'closing' | 'closed';

type Mutable<T> = { -readonly [P in keyof T]: T[P] };

/**
 * A Kafka producer: batches records per partition and sends them in the background.
 *
 * ```ts
 * const producer = new Producer({ brokers: ['127.0.0.1:9092'] });
 * const metadata = await producer.send({ topic: 'orders', key: 'order-1', value: JSON.stringify(order) });
 * await producer.close();
 * ```
 *
 * - `send` returns at once; the record joins its partition's batch and its Promise (or callback) settles when the
 *   broker acknowledged it or it failed with a typed error, always within `deliveryTimeoutMs`.
 * - Ordering: records sent to one partition are written in `send` order, retries included (with idempotence,
 *   which is on by default, also exactly once).
 * - Backpressure: `bufferMemory` bounds buffered bytes; `send` waits for space up to `maxBlockMs`. Code producing
 *   in bulk should use {@link sendBatch} (which waits for space between records) or {@link waitForBuffer}.
 * - Typed keys and values: `new Producer<string, Order>({ ..., valueSerializer: jsonSerializer<Order>() })`.
 *
 * @typeParam K key type accepted by the key serializer.
 * @typeParam V value type accepted by the value serializer.
 */
export class Producer<K = string | Uint8Array, V = string | Uint8Array> implements AsyncDisposable {
  private readonly options: ResolvedProducerOptions<K, V>;
  private readonly cluster: Cluster;
  private readonly logger: Logger;
  private readonly pool: BufferPool;
  private readonly accumulator: RecordAccumulator;
  private readonly partitioner: Partitioner;
  private readonly transactions: TransactionManager | undefined;
  private readonly coordinator: TransactionCoordinator | undefined;
  private readonly sender: Sender;
  private readonly producerMetrics = new ProducerMetrics();
  private readonly topics = new Map<string, TopicEntry>();
  private state: ProducerState = 'open';
  private closing: Promise<void> | undefined;
  private connecting: Promise<void> | undefined;
  private codecsReady: boolean;
  private codecsLoading: Promise<void> | undefined;
  /** Set when the configured compression codec cannot load: every send fails with it at once. */
  private codecError: KafkaError | undefined;
  /** Records waiting for metadata, per topic (a chain keeps their order). */
  private readonly metadataChains = new Map<string, Promise<void>>();
  /** Records waiting for buffer memory, all topics, first in first out. */
  private memoryChain: Promise<void> = Promise.resolve();
  private memoryWaiting = 0;
  /** Bytes of records waiting for metadata or memory; bounded by bufferMemory. */
  private waitingBytes = 0;
  private completing: Promise<void> | undefined;
  /** Reused by the synchronous send path (see `dispatch`). */
  private readonly scratch: Mutable<PendingRecord> = {
    timestamp: 0,
    key: null,
    value: null,
    headers: undefined,
    keySize: -1,
    valueSize: -1,
    recordBound: 0,
    sendTime: 0,
  };
  /** The topic entry of the previous send (most sends go to the same topic as the one before). */
  private lastEntry: TopicEntry | undefined;
  /** Batches are compressed (their size in memory follows the estimated compression ratio). */
  private readonly compressed: boolean;
  /** Threads compressing large zstd batches (`compressionWorkers`), when used. */
  private readonly compressionWorkers: CompressionWorkers | undefined;

  /** A producer with these options. It connects on the first send (or `connect()`). */
  constructor(options: ProducerOptions<K, V>) {
    this.options = resolveProducerOptions(options);
    const resolved = this.options;
    this.logger = resolved.client.logger;
    this.cluster = new Cluster(resolved.client, { allowAutoTopicCreation: resolved.allowAutoCreateTopics });
    this.pool = new BufferPool(resolved.bufferMemory, resolved.batchSize);
    this.compressionWorkers =
      resolved.compression === 'zstd' && resolved.compressionWorkers > 0
        ? new CompressionWorkers(resolved.compressionWorkers, compressionWorkerModules, (error) =>
            this.logger.warn('compression workers failed; batches compress on the event loop from now on', { error }),
          )
        : undefined;
    this.accumulator = new RecordAccumulator(
      {
        batchSize: resolved.batchSize,
        maxBatchBytes: resolved.maxRequestSize,
        lingerMs: resolved.lingerMs,
        compression: resolved.compression,
        compressionLevel: resolved.compressionLevel,
        compressionWorkers: this.compressionWorkers,
        deliveryTimeoutMs: resolved.deliveryTimeoutMs,
        transactional: resolved.transactionalId !== undefined,
        logger: this.logger,
      },
      this.pool,
    );
    this.partitioner = createPartitioner(resolved.partitioner, resolved.batchSize);
    this.compressed = resolved.compression !== 'none';
    if (resolved.idempotent) {
      this.transactions = new TransactionManager(resolved.transactionalId, this.logger);
      if (resolved.transactionalId !== undefined) {
        this.coordinator = new TransactionCoordinator(
          this.cluster,
          this.transactions,
          resolved.transactionalId,
          resolved.transactionTimeoutMs,
          this.logger,
        );
      }
    }
    this.sender = new Sender(
      this.cluster,
      this.accumulator,
      this.transactions,
      this.producerMetrics,
      {
        acks: resolved.acks,
        requestTimeoutMs: resolved.client.requestTimeoutMs,
        maxRequestSize: resolved.maxRequestSize,
        retries: resolved.retries,
        maxInFlight: resolved.maxInFlight,
        transactionTimeoutMs: resolved.transactionTimeoutMs,
        logger: this.logger,
      },
      this.coordinator === undefined
        ? undefined
        : (states) => this.coordinator!.addPartitions(states, Date.now() + resolved.maxBlockMs),
    );
    this.cluster.onMetadata(() => {
      this.refreshTopics();
      this.sender.wakeup();
    });
    // zstd may come from an optional package loaded asynchronously (sends wait for it); the other codecs are ready
    // at once. The native CRC-32C loads alongside; until then the JavaScript one is used.
    this.codecsReady = resolved.compression !== 'zstd';
    this.codecsLoading = this.loadCodecs();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Connects to the cluster (bootstrap and first metadata). Optional: `send` connects lazily. Rejects with the
   * connection's typed error when no broker answers or credentials are refused.
   */
  connect(): Promise<void> {
    if (this.state !== 'open') return Promise.reject(this.closedError());
    this.connecting ??= Promise.all([this.cluster.connect(), this.codecsLoading]).then(() => {
      if (this.codecError !== undefined) throw this.codecError;
    });
    return this.connecting;
  }

  /**
   * Sends every record buffered now without waiting for `lingerMs`, and resolves once each of them (and each send
   * called before `flush`) has succeeded or failed. Rejects with `KafkaTimeoutError` if `timeoutMs` passes first;
   * the records keep going. Java: `flush()`.
   */
  async flush(options: FlushOptions = {}): Promise<void> {
    checkOptions(options, FLUSH_OPTIONS_SCHEMA, 'producer.flush()', 'call');
    const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
    this.accumulator.beginFlush();
    this.sender.wakeup();
    try {
      await this.withDeadline(this.settleBuffered(), deadline, 'flush');
    } finally {
      this.accumulator.endFlush();
    }
  }

  /**
   * Flushes, then closes every connection. Sends after `close` fail with `ClientClosedError`. With `timeoutMs`,
   * records still unsettled when it passes fail with `ClientClosedError`. A transactional producer aborts a
   * transaction left open. Safe to call more than once. Java: `close(Duration)`.
   */
  close(options: FlushOptions = {}): Promise<void> {
    try {
      checkOptions(options, FLUSH_OPTIONS_SCHEMA, 'producer.close()', 'call');
    } catch (error) {
      return Promise.reject(error);
    }
    this.closing ??= this.shutdown(options.timeoutMs);
    return this.closing;
  }

  /** `await using producer = new Producer(...)` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sending

  /**
   * Sends a record: returns at once, with a Promise of the record's metadata (topic, partition, offset, timestamp,
   * serialized sizes), or calls `callback` instead when one is given (no Promise is created). The Promise rejects
   * (the callback gets) a typed error: `InvalidArgumentError` for a bad record (no key, value or header, an unknown
   * partition), `RecordTooLargeError` when it can never fit in a request, `BufferExhaustedError` when no buffer
   * space freed within `maxBlockMs`, `KafkaTimeoutError` when `deliveryTimeoutMs` passed, the broker's error class
   * when it refused the record, `ClientClosedError` after `close`.
   */
  send(record: ProducerRecord<K, V>): Promise<RecordMetadata>;
  send(record: ProducerRecord<K, V>, callback: SendCallback): void;
  send(record: ProducerRecord<K, V>, callback?: SendCallback): Promise<RecordMetadata> | undefined {
    if (callback !== undefined) {
      this.dispatch(record, callback, CALLBACK_SINK);
      return undefined;
    }
    return new Promise<RecordMetadata>((resolve, reject) => this.dispatch(record, resolve, reject));
  }

  /**
   * Sends many records with one Promise for all: resolves once every record has its outcome, with per-record
   * metadata or errors by index (never rejects for a record's failure). Waits for buffer space between records
   * instead of failing them, so it suits bulk production: no Promise or closure per record.
   */
  async sendBatch(records: Iterable<ProducerRecord<K, V>>): Promise<SendBatchResult> {
    const list = Array.isArray(records) ? (records as readonly ProducerRecord<K, V>[]) : [...records];
    const group = new SendBatchGroup(list.length);
    for (let i = 0; i < list.length; i++) {
      const record = list[i]!;
      if (this.memoryWaiting > 0) await this.waitForBuffer();
      // Records of a topic whose metadata is still loading wait in memory; a large batch must not fill that space
      // and fail its own records: let the wait finish first once half of bufferMemory waits.
      const metadataWait = this.metadataChains.size === 0 ? undefined : this.metadataChains.get(record?.topic);
      if (metadataWait !== undefined && this.waitingBytes * 2 >= this.options.bufferMemory) await metadataWait;
      this.dispatch(record, group, i);
    }
    group.seal();
    return group.done;
  }

  /**
   * Resolves when the buffer has room for at least `bytes` (default `batchSize`) and no send waits for memory: a
   * backpressure hook for code that produces faster than the cluster accepts (streams, Rx). Never rejects.
   */
  waitForBuffer(bytes: number = this.options.batchSize): Promise<void> {
    if (this.memoryWaiting === 0 && this.pool.available >= bytes) return Promise.resolve();
    const memoryDrained = this.memoryChain.then(() => this.pool.whenAvailable(bytes));
    return memoryDrained.then(() => (this.memoryWaiting > 0 ? this.waitForBuffer(bytes) : undefined));
  }

  /** Bytes of `bufferMemory` free now (recycled buffers count as free). */
  get bufferAvailable(): number {
    return this.pool.available;
  }

  /**
   * The partitions of a topic from metadata, fetching it if needed (waiting up to `maxBlockMs`). Java:
   * `partitionsFor(topic)`.
   */
  async partitionsFor(topic: string): Promise<readonly PartitionInfo[]> {
    if (this.state !== 'open') throw this.closedError();
    const info = await this.cluster.topicMetadata(topic, this.options.maxBlockMs);
    return info.partitions;
  }

  /**
   * A snapshot of the producer's metrics: records, bytes and batches sent, retries, errors by code, request
   * latency and batch size histograms, buffer use. Prometheus/OpenTelemetry-shaped; see `toPrometheusText`.
   */
  metrics(): Metric[] {
    return this.producerMetrics.snapshot({
      bufferBytesInUse: this.pool.used,
      bufferBytesTotal: this.pool.totalBytes,
      bufferWaiters: this.memoryWaiting,
      requestsInFlight: this.sender.requestsInFlight,
      batchesIncomplete: this.accumulator.incompleteCount,
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Transactions

  /**
   * Registers the `transactionalId` with its coordinator: fences older producers with the same id (their open
   * transaction is aborted) and gets the producer id and epoch. Call once before the first transaction. Rejects
   * with `KafkaTimeoutError` after `maxBlockMs` (may be retried), `ProducerFatalError` when not authorized.
   * Java: `initTransactions()`.
   */
  async initTransactions(): Promise<void> {
    const manager = this.transactionalManager('initTransactions');
    manager.beginInit();
    const deadline = Date.now() + this.options.maxBlockMs;
    const result = await this.withDeadline(
      this.connect().then(() => this.coordinator!.initProducerId(deadline)),
      deadline,
      'initTransactions',
    );
    manager.completeInit(result.producerId, result.producerEpoch, result.transactionV2);
    this.logger.info('transactions initialised', {
      transactionalId: this.options.transactionalId,
      producerId: result.producerId,
      producerEpoch: result.producerEpoch,
      transactionV2: result.transactionV2,
    });
    this.sender.wakeup();
  }

  /** Starts a transaction: sends from now on belong to it. Java: `beginTransaction()`. */
  beginTransaction(): void {
    this.transactionalManager('beginTransaction').beginTransaction();
  }

  /**
   * Commits consumed offsets as part of the transaction (KIP-98, KIP-447 with the consumer's group metadata):
   * they become visible only if the transaction commits. Java: `sendOffsetsToTransaction(offsets, groupMetadata)`.
   */
  async sendOffsetsToTransaction(
    offsets: readonly TransactionOffset[],
    groupMetadata: TransactionGroupMetadata | string,
  ): Promise<void> {
    const manager = this.transactionalManager('sendOffsetsToTransaction');
    manager.checkCanSendOffsets();
    const group = typeof groupMetadata === 'string' ? { groupId: groupMetadata } : groupMetadata;
    if (typeof group.groupId !== 'string' || group.groupId === '') {
      throw new InvalidArgumentError('sendOffsetsToTransaction needs a groupId');
    }
    const deadline = Date.now() + this.options.maxBlockMs;
    await this.withDeadline(
      this.coordinator!.sendOffsets(offsets, group, deadline, manager.transactionV2),
      deadline,
      'sendOffsetsToTransaction',
    );
    manager.markStarted();
  }

  /**
   * Sends every record of the transaction, then commits it: its records become visible to `read_committed`
   * consumers, with its offsets. Rejects with `AbortableTransactionError` when something in the transaction failed
   * (abort it), `ProducerFatalError` when fenced, `KafkaTimeoutError` after `maxBlockMs` (the commit continues
   * and the call may be repeated). Java: `commitTransaction()`.
   */
  async commitTransaction(): Promise<void> {
    const manager = this.transactionalManager('commitTransaction');
    manager.beginCommit();
    this.completing ??= this.completeTransaction(true).finally(() => {
      this.completing = undefined;
    });
    await this.withDeadline(this.completing, Date.now() + this.options.maxBlockMs, 'commitTransaction');
  }

  /**
   * Aborts the transaction: records not yet sent fail with `TransactionAbortedError`, those written are marked
   * aborted (never visible to `read_committed` consumers). Also the way out of `AbortableTransactionError`.
   * Java: `abortTransaction()`.
   */
  async abortTransaction(): Promise<void> {
    const manager = this.transactionalManager('abortTransaction');
    const wasCommitting = manager.state === 'committing' && this.completing !== undefined;
    manager.beginAbort();
    if (wasCommitting) await this.completing!.catch(() => undefined);
    if (manager.state === 'ready') return;
    this.failUnsent(new TransactionAbortedError('The transaction was aborted before this record was sent'));
    this.completing ??= this.completeTransaction(false).finally(() => {
      this.completing = undefined;
    });
    await this.withDeadline(this.completing, Date.now() + this.options.maxBlockMs, 'abortTransaction');
  }

  private async completeTransaction(commit: boolean): Promise<void> {
    const manager = this.transactions!;
    const coordinator = this.coordinator!;
    // Every record of the transaction must have its outcome before EndTxn.
    this.accumulator.beginFlush();
    this.sender.wakeup();
    try {
      await this.settleBuffered();
    } finally {
      this.accumulator.endFlush();
    }
    if (manager.fatal !== undefined) throw manager.fatal;
    if (commit && manager.abortable !== undefined) throw manager.abortable;
    const deadline = Date.now() + this.options.maxBlockMs;
    let next: { producerId: bigint; producerEpoch: number } | undefined;
    if (manager.started) next = await coordinator.endTransaction(commit, deadline);
    if (!commit && manager.needsBumpAfterAbort) {
      // KIP-360: after an abort caused by a sequence error, bump the epoch with InitProducerId.
      next = await coordinator.initProducerId(deadline, {
        producerId: manager.producerId,
        producerEpoch: manager.producerEpoch,
      });
    }
    manager.completeTransaction(next);
    this.sender.wakeup();
  }

  private transactionalManager(action: string): TransactionManager {
    if (this.state !== 'open') throw this.closedError();
    if (this.transactions === undefined || !this.transactions.transactional) {
      throw new TransactionStateError(`${action} needs a transactional producer: set transactionalId`);
    }
    return this.transactions;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The send path

  /**
   * Prepares a record and appends it at once when its topic's metadata and buffer space are at hand (the common
   * case: no Promise, no await); otherwise queues it, keeping per-topic order for metadata waits and global order
   * for memory waits.
   */
  private dispatch(record: ProducerRecord<K, V>, sink: unknown, extra: SinkExtra): void {
    const now = Date.now();
    // The fast path fills one reused object; a record that has to wait gets its own copy.
    const pending = this.scratch;
    try {
      if (this.state !== 'open') throw this.closedError();
      const transactionError = this.transactions?.sendError();
      if (transactionError !== undefined) throw transactionError;
      if (this.codecError !== undefined) throw this.codecError;
      this.prepare(record, now, pending);
    } catch (error) {
      settleEarly(sink, extra, toKafkaError(error, { during: 'sending a record' }), this.logger);
      return;
    }
    const topic = record.topic;
    let entry = this.lastEntry;
    if (entry === undefined || entry.info.name !== topic) {
      entry = this.topics.get(topic);
      this.lastEntry = entry;
    }
    if (entry === undefined) {
      // A topic seen for the first time: its name is checked once, before any request, as Kafka checks it.
      try {
        checkTopicName(topic, 'send');
      } catch (error) {
        settleEarly(sink, extra, toKafkaError(error), this.logger);
        return;
      }
    }
    if (
      entry !== undefined &&
      this.codecsReady &&
      (this.metadataChains.size === 0 || !this.metadataChains.has(topic)) &&
      (record.partition === undefined || record.partition < entry.partitions.partitionCount)
    ) {
      if (this.memoryWaiting === 0 && this.appendNow(entry, record.partition, pending, sink, extra, now)) return;
      this.queueForMemory(entry, record.partition, { ...pending }, sink, extra);
      return;
    }
    this.queueForMetadata(topic, record.partition, { ...pending }, sink, extra);
  }

  /** Serializes and sizes a record into `out`; throws the error its send must fail with. */
  private prepare(record: ProducerRecord<K, V>, now: number, out: Mutable<PendingRecord>): void {
    if (record === null || typeof record !== 'object') throw new InvalidArgumentError('send needs a record object');
    const topic = record.topic;
    if (typeof topic !== 'string') throw new InvalidArgumentError('A record needs a topic');
    const partition = record.partition;
    if (partition !== undefined && (!Number.isInteger(partition) || partition < 0)) {
      throw new InvalidArgumentError(`Partition must be a non-negative integer, got ${String(partition)}`, { topic });
    }
    const rawKey = record.key;
    const rawValue = record.value;
    const hasKey = rawKey !== undefined && rawKey !== null;
    const hasValue = rawValue !== undefined && rawValue !== null;
    // A record with headers alone carries them (NestJS sends its error replies so, as KafkaJS allows); a record
    // with nothing at all is refused as a mistake.
    const hasHeaders = hasAnyHeader(record.headers);
    if (!hasKey && !hasValue && !hasHeaders) {
      throw new InvalidArgumentError(
        'A record needs a key, a value or headers (a key without a value is a tombstone); all are absent',
        { topic },
      );
    }
    const key: Serialized = hasKey ? serialize(this.options.keySerializer, rawKey, topic, 'key') : null;
    const value: Serialized = hasValue ? serialize(this.options.valueSerializer, rawValue, topic, 'value') : null;
    if (key === null && value === null && !hasHeaders) {
      throw new InvalidArgumentError('The serializers returned no key and no value', { topic });
    }
    let timestamp = now;
    if (record.timestamp !== undefined) {
      timestamp = record.timestamp instanceof Date ? record.timestamp.getTime() : record.timestamp;
      if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
        throw new InvalidArgumentError(`Timestamp must be a non-negative integer (ms), got ${String(timestamp)}`, {
          topic,
        });
      }
    }
    let headers: RecordHeaderInput[] | undefined;
    let headerBytes = 0;
    if (record.headers !== undefined && record.headers !== null) {
      headers = normalizeHeaders(record.headers, topic);
      for (const header of headers) headerBytes += 10 + Buffer.byteLength(header.key) + serializedSizeOf(header.value);
    }
    const keySize = serializedSize(key);
    const valueSize = serializedSize(value);
    const recordBound = recordSizeBound(keySize, valueSize, headerBytes);
    const batchBound = BATCH_OVERHEAD + recordBound;
    if (batchBound > this.options.maxRequestSize || batchBound > this.options.bufferMemory) {
      const limit =
        batchBound > this.options.maxRequestSize
          ? `maxRequestSize (${this.options.maxRequestSize})`
          : `bufferMemory (${this.options.bufferMemory})`;
      throw new RecordTooLargeError(
        `The record is ${batchBound} bytes when serialized (key ${Math.max(keySize, 0)}, value ` +
          `${Math.max(valueSize, 0)}, headers and framing), more than ${limit}; it was not sent`,
        { topic, ...(partition === undefined ? {} : { partition }) },
      );
    }
    out.timestamp = timestamp;
    out.key = key;
    out.value = value;
    out.headers = headers;
    out.keySize = keySize;
    out.valueSize = valueSize;
    out.recordBound = recordBound;
    out.sendTime = now;
  }

  /** Picks the partition and appends if memory allows; false when the record must wait for memory. */
  private appendNow(
    entry: TopicEntry,
    explicit: number | undefined,
    pending: PendingRecord,
    sink: unknown,
    extra: SinkExtra,
    now: number,
  ): boolean {
    let partition: number;
    try {
      partition = this.choosePartition(entry, explicit, pending);
    } catch (error) {
      settleEarly(sink, extra, toKafkaError(error, { during: 'sending a record' }), this.logger);
      return true;
    }
    const state = this.stateOf(entry, partition);
    let result: 0 | 1 | 2;
    try {
      result = this.accumulator.append(state, pending, sink, extra, now);
    } catch (error) {
      // Nothing was appended (a batch could not be created): this record fails alone.
      settleEarly(sink, extra, toKafkaError(error, { during: 'appending a record', topic: state.topic }), this.logger);
      return true;
    }
    if (result === 0) return false;
    this.afterAppend(entry, state, explicit, pending, result);
    return true;
  }

  private afterAppend(
    entry: TopicEntry,
    state: PartitionState,
    explicit: number | undefined,
    pending: PendingRecord,
    result: 1 | 2,
  ): void {
    if (explicit === undefined) {
      // The sticky partitioner counts (estimated) bytes on the wire: compressed, with compression.
      const bytes = this.compressed
        ? pending.recordBound * this.accumulator.compressionRatio(state.topic)
        : pending.recordBound;
      this.partitioner.onAppend(state.topic, state.partition, pending.key, bytes, entry.partitions);
    }
    const transactions = this.transactions;
    if (transactions?.transactional === true && !state.inTransaction) {
      transactions.addPartition(state);
      this.sender.wakeup();
    }
    if (result === 2 || this.options.lingerMs === 0) this.sender.wakeup();
  }

  private choosePartition(entry: TopicEntry, explicit: number | undefined, pending: PendingRecord): number {
    if (explicit !== undefined) {
      if (explicit >= entry.partitions.partitionCount) {
        throw new InvalidArgumentError(
          `Partition ${explicit} does not exist: topic ${entry.info.name} has ${entry.partitions.partitionCount} ` +
            `partition(s)`,
          { topic: entry.info.name, partition: explicit },
        );
      }
      return explicit;
    }
    return this.partitioner.partition(entry.info.name, pending.key, pending.value, entry.partitions);
  }

  private stateOf(entry: TopicEntry, partition: number): PartitionState {
    let state = entry.states[partition];
    if (state === undefined) {
      state = this.accumulator.partitionState(entry.info.name, partition);
      entry.states[partition] = state;
    }
    return state;
  }

  /** Reserves room among the waiting records (bounded by bufferMemory) or throws `BufferExhaustedError`. */
  private reserveWaiting(pending: PendingRecord): void {
    const bytes = pending.recordBound;
    if (this.waitingBytes + bytes > this.options.bufferMemory) {
      throw new BufferExhaustedError(
        `Too many sends are waiting: ${this.waitingBytes} bytes of records already wait for buffer space or ` +
          `metadata (at most bufferMemory, ${this.options.bufferMemory}). Await sends, use sendBatch(), or ` +
          `await producer.waitForBuffer() before sending more`,
      );
    }
    this.waitingBytes += bytes;
  }

  private queueForMetadata(
    topic: string,
    explicit: number | undefined,
    pending: PendingRecord,
    sink: unknown,
    extra: SinkExtra,
  ): void {
    try {
      this.reserveWaiting(pending);
    } catch (error) {
      settleEarly(sink, extra, toKafkaError(error, { during: 'sending a record' }), this.logger);
      return;
    }
    const deadline = pending.sendTime + Math.min(this.options.maxBlockMs, this.options.deliveryTimeoutMs);
    const previous = this.metadataChains.get(topic) ?? Promise.resolve();
    // A link never rejects: whatever happens to this record settles its send, and the records queued behind it go on.
    const link = previous.then(async () => {
      let entry: TopicEntry;
      try {
        entry = await this.awaitTopic(topic, explicit, deadline);
        this.checkStillSendable();
      } catch (error) {
        this.waitingBytes -= pending.recordBound;
        settleEarly(sink, extra, toKafkaError(error, { during: 'sending a record' }), this.logger);
        return;
      }
      this.waitingBytes -= pending.recordBound;
      try {
        if (this.memoryWaiting === 0 && this.appendNow(entry, explicit, pending, sink, extra, Date.now())) return;
        this.queueForMemory(entry, explicit, pending, sink, extra);
      } catch (error) {
        settleEarly(sink, extra, toKafkaError(error, { during: 'sending a record', topic }), this.logger);
      }
    });
    this.metadataChains.set(topic, link);
    void link.then(() => {
      if (this.metadataChains.get(topic) === link) this.metadataChains.delete(topic);
    });
  }

  /** Metadata of `topic` with `explicit` (if given) among its partitions, fetched until `deadline`. */
  private async awaitTopic(topic: string, explicit: number | undefined, deadline: number): Promise<TopicEntry> {
    if (!this.codecsReady) await this.codecsLoading;
    if (this.codecError !== undefined) throw this.codecError;
    let entry = this.topics.get(topic);
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
          await this.cluster.topicMetadata(topic, Math.max(0, remaining));
        } catch (error) {
          if (!isKafkaError(error) || !error.retriable) throw error;
          throw new KafkaTimeoutError(
            `Topic ${topic} not present in metadata within maxBlockMs (${this.options.maxBlockMs} ms)` +
              (error instanceof KafkaTimeoutError ? '' : `: ${error.message}`),
            { topic, cause: error },
          );
        }
      } else {
        await this.cluster.refreshMetadata({ topics: [topic] });
        refreshed = true;
      }
      this.refreshTopics();
      entry = this.topics.get(topic);
    }
  }

  private queueForMemory(
    entry: TopicEntry,
    explicit: number | undefined,
    pending: PendingRecord,
    sink: unknown,
    extra: SinkExtra,
  ): void {
    try {
      this.reserveWaiting(pending);
    } catch (error) {
      settleEarly(sink, extra, toKafkaError(error, { during: 'sending a record' }), this.logger);
      return;
    }
    this.memoryWaiting++;
    // Batches are sendable at once while sends wait for memory; make sure the sender looks.
    this.sender.wakeup();
    const deadline = pending.sendTime + Math.min(this.options.maxBlockMs, this.options.deliveryTimeoutMs);
    this.memoryChain = this.memoryChain.then(async () => {
      try {
        this.checkStillSendable();
        const partition = this.choosePartition(entry, explicit, pending);
        const state = this.stateOf(entry, partition);
        const now = Date.now();
        let result = this.accumulator.append(state, pending, sink, extra, now);
        if (result === 0) {
          const size = this.accumulator.batchBytesFor(pending, state.topic);
          const buffer = await this.pool.allocate(size, deadline - now);
          this.checkStillSendable(() => this.pool.release(buffer, size, true));
          this.accumulator.appendWithBuffer(state, pending, sink, extra, buffer, size, Date.now());
          result = 2;
        }
        this.afterAppend(entry, state, explicit, pending, result);
      } catch (error) {
        settleEarly(sink, extra, toKafkaError(error, { during: 'sending a record' }), this.logger);
      } finally {
        this.memoryWaiting--;
        this.waitingBytes -= pending.recordBound;
      }
    });
  }

  /**
   * Throws if a queued record can no longer be appended: the producer closed, failed fatally, or its transaction is
   * being aborted. A record sent before `commitTransaction` was called still joins the transaction (the commit waits
   * for it).
   */
  private checkStillSendable(undo?: () => void): void {
    let error: KafkaError | undefined;
    const transactions = this.transactions;
    if (this.state === 'closed') error = this.closedError();
    else if (transactions?.fatal !== undefined) error = transactions.fatal;
    else if (transactions?.transactional === true) {
      if (transactions.abortable !== undefined) error = transactions.abortable;
      else if (transactions.state === 'aborting') {
        error = new TransactionAbortedError('The transaction was aborted before this record was sent');
      }
    }
    if (error !== undefined) {
      undo?.();
      throw error;
    }
  }

  /** Resolves once every send called so far has joined a batch and every batch has its outcome. */
  private async settleBuffered(): Promise<void> {
    await Promise.all([...this.metadataChains.values(), this.memoryChain]);
    const batches = this.accumulator.incompleteBatches();
    this.sender.wakeup();
    await Promise.all(batches.map((batch) => new Promise<void>((resolve) => batch.onDone(resolve))));
  }

  /** Fails queued batches never sent (an abort). */
  private failUnsent(error: KafkaError): void {
    const transactions = this.transactions;
    const unsent = this.accumulator.takeQueued();
    for (const batch of unsent) transactions?.onGivenUp(batch);
    this.accumulator.failBatches(unsent, error);
  }

  /** Settles with `promise`, or rejects with `KafkaTimeoutError` naming `what` once `deadline` passes. */
  private withDeadline<T>(promise: Promise<T>, deadline: number | undefined, what: string): Promise<T> {
    if (deadline === undefined) return promise;
    return settleBy(promise, deadline, () => new KafkaTimeoutError(`${what} did not complete within its timeout`));
  }

  private async shutdown(timeoutMs: number | undefined): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    this.accumulator.closing = true;
    this.sender.wakeup();
    try {
      const manager = this.transactions;
      if (manager?.transactional === true && manager.fatal === undefined) {
        const open = manager.state === 'in-transaction' || manager.state === 'abortable-error';
        if (open) {
          this.logger.warn('closing with a transaction open: aborting it', {
            transactionalId: this.options.transactionalId,
          });
          this.state = 'open';
          try {
            await this.withDeadline(this.abortTransaction(), deadline, 'close');
          } finally {
            this.state = 'closing';
          }
        }
      }
      await this.withDeadline(this.settleBuffered(), deadline, 'close');
    } catch (error) {
      this.logger.warn('close: records still pending fail', { error });
    } finally {
      this.state = 'closed';
      const closed = new ClientClosedError('The producer was closed before this record completed');
      const unsent = this.accumulator.takeQueued();
      for (const batch of unsent) this.transactions?.onGivenUp(batch);
      this.accumulator.failBatches(unsent, closed);
      this.sender.failInFlight(closed);
      this.pool.failWaiters(new BufferExhaustedError('The producer was closed while this send waited for memory'));
      this.sender.stop();
      this.cluster.close();
      await this.compressionWorkers?.close();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Metadata

  /** Rebuilds the partition lists of the topics the producer writes to from the latest metadata. */
  private refreshTopics(): void {
    const snapshot = this.cluster.metadata;
    for (const [name, info] of snapshot.topics) {
      if (info.errorCode !== ErrorCodes.NONE || info.partitions.length === 0) continue;
      const entry = this.topics.get(name);
      if (entry === undefined && !this.cluster.trackedTopics.has(name)) continue;
      if (entry !== undefined && entry.info === info) continue;
      const hasLeader = info.partitions.map((p) => p.leader >= 0);
      const partitions: TopicPartitions = {
        partitionCount: info.partitions.length,
        hasLeader,
        available: hasLeader.flatMap((ok, p) => (ok ? [p] : [])),
      };
      if (entry === undefined) this.topics.set(name, { info, partitions, states: [] });
      else {
        entry.info = info;
        entry.partitions = partitions;
      }
    }
  }

  private async loadCodecs(): Promise<void> {
    await loadRecordCodecs();
    try {
      getCompressionCodec(this.options.compression);
    } catch (error) {
      this.codecError = toKafkaError(error);
      this.logger.error('the producer cannot compress: every send fails', { error: this.codecError });
    }
    this.codecsReady = true;
  }

  private closedError(): ClientClosedError {
    return new ClientClosedError('The producer is closed; create a new one to send more');
  }
}

/** Fails a record that never joined a batch. */
function settleEarly(sink: unknown, extra: SinkExtra, error: KafkaError, logger: Logger): void {
  try {
    if (typeof extra === 'number')
      (sink as SendBatchGroup).settle(extra, undefined as ProducerBatch | undefined, 0, error);
    else if (extra === CALLBACK_SINK) (sink as SendCallback)(error, undefined);
    else (extra as (error: KafkaError) => void)(error);
  } catch (thrown) {
    logger.error('a send callback threw; the producer carries on', { error: thrown });
  }
}

/** Runs a serializer; what it throws fails this record's send as a `RecordSerializationError`. */
function serialize<T>(
  serializer: (data: T, topic: string) => Serialized,
  data: T,
  topic: string,
  part: 'key' | 'value',
): Serialized {
  try {
    return serializer(data, topic);
  } catch (error) {
    throw new RecordSerializationError(
      `The ${part} serializer threw: ${error instanceof Error ? error.message : String(error)}; the record was not sent`,
      { topic, part, cause: error },
    );
  }
}

function serializedSizeOf(value: string | Uint8Array | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** True when a record's headers hold at least one header (an object with a key, or a non-empty list). */
function hasAnyHeader(headers: ProducerRecordHeaders | undefined | null): boolean {
  if (headers === undefined || headers === null) return false;
  if (Array.isArray(headers)) return headers.length > 0;
  return Object.values(headers).some((value) => value !== undefined);
}

function normalizeHeaders(headers: ProducerRecordHeaders, topic: string): RecordHeaderInput[] {
  const out: RecordHeaderInput[] = [];
  const check = (key: unknown, value: unknown) => {
    if (typeof key !== 'string') throw new InvalidArgumentError('Header keys must be strings', { topic });
    if (value !== null && value !== undefined && typeof value !== 'string' && !(value instanceof Uint8Array)) {
      throw new InvalidArgumentError(`Header ${key} must be a string, a Buffer or null`, { topic });
    }
  };
  if (Array.isArray(headers)) {
    for (const header of headers as ReadonlyArray<{ key: string; value: string | Uint8Array | null }>) {
      check(header?.key, header?.value);
      out.push({ key: header.key, value: header.value ?? null });
    }
  } else {
    for (const key of Object.keys(headers)) {
      const value = (headers as Record<string, string | Uint8Array | null | undefined>)[key];
      check(key, value);
      out.push({ key, value: value ?? null });
    }
  }
  return out;
}
