import { clientMetricFamilies } from '../cluster/client-metric-families.js';
import { Cluster } from '../cluster/cluster.js';
import type { PartitionInfo } from '../cluster/metadata.js';
import { checkOptions } from '../config/check-options.js';
import { diagnosticChannels } from '../diagnostics/channels.js';
import { BufferExhaustedError, ClientClosedError, toKafkaError } from '../errors/client-errors.js';
import type { KafkaError } from '../errors/kafka-error.js';
import type { MetricFamily } from '../metrics/metric-family.js';
import { compressionWorkerModules, getCompressionCodec } from '../protocol/records/compression/compression-codecs.js';
import { CompressionWorkers } from '../protocol/records/compression/compression-workers.js';
import { loadRecordCodecs } from '../protocol/records/load-record-codecs.js';
import { nextClientInstance } from '../utils/client-instance.js';
import type { Logger } from '../utils/logger.js';
import type { CloseOptions } from '../vocabulary/close-options.js';
import { BufferPool } from './buffer-pool.js';
import { withinTimeout } from './call-timeout.js';
import { PartitionCache } from './partition-cache.js';
import { createPartitioner } from './partitioner.js';
import { TransactionAbortedError, TransactionStateError } from './producer-errors.js';
import { producerMetricFamilies } from './producer-metric-families.js';
import { type Metric, ProducerMetrics } from './producer-metrics.js';
import { type ProducerOptions, type ResolvedProducerOptions, resolveProducerOptions } from './producer-options.js';
import { FLUSH_OPTIONS_SCHEMA } from './producer-options-schema.js';
import { emptyPendingRecord, type ProducerRecord, prepareRecord } from './producer-record.js';
import { RecordAccumulator } from './record-accumulator.js';
import { RecordAdmission } from './record-admission.js';
import {
  CALLBACK,
  type CompletionGroup,
  type CompletionTag,
  type CompletionTarget,
  failRecord,
} from './record-completion.js';
import type { RecordMetadata, SendCallback } from './record-metadata.js';
import { SendBatchGroup, type SendBatchOptions, type SendBatchResult } from './send-batch-result.js';
import { Sender } from './sender.js';
import { beginSend, TracedSend } from './traced-send.js';
import {
  TransactionCoordinator,
  type TransactionGroupMetadata,
  type TransactionOffset,
} from './transaction-coordinator.js';
import { TransactionFlow } from './transaction-flow.js';
import { TransactionManager } from './transaction-manager.js';

export type { ProducerRecord, ProducerRecordHeaders } from './producer-record.js';

/** Options of {@link Producer.flush} and {@link Producer.close}. */
export interface FlushOptions {
  /** Longest wait in milliseconds. Default: until every record has its outcome (bounded by `deliveryTimeoutMs`). */
  readonly timeoutMs?: number;
}

type ProducerLifecycle = 'open' | 'closing' | 'closed';

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
  private readonly partitions: PartitionCache;
  private readonly admission: RecordAdmission;
  private readonly transactions: TransactionManager | undefined;
  private readonly flow: TransactionFlow | undefined;
  private readonly sender: Sender;
  private readonly producerMetrics = new ProducerMetrics();
  private state: ProducerLifecycle = 'open';
  private closing: Promise<void> | undefined;
  private connecting: Promise<void> | undefined;
  /** The record codecs: loaded yet, and the error every send fails with when the configured one cannot load. */
  private readonly codecs: { ready: boolean; error: KafkaError | undefined; loaded: Promise<void> };
  /** Reused by the synchronous send path (see `dispatch`). */
  private readonly scratch = emptyPendingRecord();
  /** Threads compressing large zstd batches (`compressionWorkers`), when used. */
  private readonly compressionWorkers: CompressionWorkers | undefined;

  /**
   * This client object's name, unique in the process (`producer-1`, `producer-2`, ...): the `clientInstance` of its
   * connections and requests in the diagnostics channels, where clients that share a `clientId` are told apart.
   */
  readonly instance: string = nextClientInstance('producer');

  /** A producer with these options. It connects on the first send (or `connect()`). */
  constructor(options: ProducerOptions<K, V>) {
    this.options = resolveProducerOptions(options);
    const resolved = this.options;
    this.logger = resolved.client.logger;
    this.cluster = new Cluster(resolved.client, {
      allowAutoTopicCreation: resolved.allowAutoCreateTopics,
      clientInstance: this.instance,
    });
    this.pool = new BufferPool(resolved.bufferMemory, resolved.batchSize);
    this.compressionWorkers =
      resolved.compression === 'zstd' && resolved.compressionWorkers > 0
        ? new CompressionWorkers(resolved.compressionWorkers, compressionWorkerModules, (error) =>
            this.logger.warn('compression workers failed; batches compress on the event loop from now on', { error }),
          )
        : undefined;
    const transactions = resolved.idempotent
      ? new TransactionManager(resolved.transactionalId, this.logger)
      : undefined;
    this.transactions = transactions;
    // zstd may come from an optional package loaded asynchronously (sends wait for it); the other codecs are ready
    // at once. The native CRC-32C loads alongside; until then the JavaScript one is used.
    this.codecs = { ready: resolved.compression !== 'zstd', error: undefined, loaded: Promise.resolve() };
    const metrics = this.producerMetrics;
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
      {
        givenUp: transactions === undefined ? undefined : (batch) => transactions.onGivenUp(batch),
        settled: (batch, error) => {
          if (error === undefined) metrics.recordsSent += batch.count;
          else metrics.recordsFailed += batch.count;
        },
      },
    );
    this.partitions = new PartitionCache(
      this.cluster,
      createPartitioner(resolved.partitioner, resolved.batchSize),
      (topic, partition) => this.accumulator.partitionState(topic, partition),
    );
    let coordinator: TransactionCoordinator | undefined;
    if (transactions !== undefined && resolved.transactionalId !== undefined) {
      coordinator = new TransactionCoordinator(
        this.cluster,
        transactions,
        resolved.transactionalId,
        resolved.transactionTimeoutMs,
        this.logger,
      );
      this.flow = new TransactionFlow(
        transactions,
        coordinator,
        {
          connect: () => this.connect(),
          flushBuffered: () => this.flushBuffered(undefined, 'the transaction'),
          wakeSender: () => this.sender.wakeup(),
          abandonQueued: (error) => this.accumulator.abandonQueued(error),
        },
        {
          transactionalId: resolved.transactionalId,
          maxBlockMs: resolved.maxBlockMs,
          clientId: resolved.client.clientId,
        },
        this.logger,
      );
    }
    this.sender = new Sender(
      this.cluster,
      this.accumulator,
      transactions,
      metrics,
      {
        acks: resolved.acks,
        requestTimeoutMs: resolved.client.requestTimeoutMs,
        maxRequestSize: resolved.maxRequestSize,
        retries: resolved.retries,
        maxInFlight: resolved.maxInFlight,
        transactionTimeoutMs: resolved.transactionTimeoutMs,
        logger: this.logger,
        clientId: resolved.client.clientId,
      },
      coordinator === undefined
        ? undefined
        : (states) => coordinator.addPartitions(states, Date.now() + resolved.maxBlockMs),
    );
    this.admission = new RecordAdmission(
      this.partitions,
      this.accumulator,
      this.pool,
      this.cluster,
      {
        refusal: () => this.refusal(),
        joinedTransaction: (state) => {
          transactions?.addPartition(state);
          this.sender.wakeup();
        },
        wakeSender: () => this.sender.wakeup(),
        codecs: this.codecs,
      },
      {
        maxBlockMs: resolved.maxBlockMs,
        deliveryTimeoutMs: resolved.deliveryTimeoutMs,
        bufferMemory: resolved.bufferMemory,
        lingerMs: resolved.lingerMs,
        compressed: resolved.compression !== 'none',
        transactional: resolved.transactionalId !== undefined,
        logger: this.logger,
      },
    );
    this.cluster.onMetadata(() => {
      this.partitions.refresh();
      this.sender.wakeup();
    });
    this.codecs.loaded = this.loadCodecs();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Connects to the cluster (bootstrap and first metadata). Optional: `send` connects lazily. Rejects with the
   * connection's typed error when no broker answers or credentials are refused.
   */
  connect(): Promise<void> {
    if (this.state !== 'open') return Promise.reject(this.closedError());
    this.connecting ??= Promise.all([this.cluster.connect(), this.codecs.loaded]).then(() => {
      if (this.codecs.error !== undefined) throw this.codecs.error;
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
    await this.flushBuffered(deadline, 'flush');
  }

  /**
   * Flushes, then closes every connection. Sends after `close` fail with `ClientClosedError`. With `timeoutMs`,
   * records still unsettled when it passes fail with `ClientClosedError`. A transactional producer aborts a
   * transaction left open. Safe to call more than once. Java: `close(Duration)`.
   */
  close(options: CloseOptions = {}): Promise<void> {
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
      this.dispatch(record, callback, CALLBACK);
      return undefined;
    }
    return new Promise<RecordMetadata>((resolve, reject) => this.dispatch(record, resolve, reject));
  }

  /**
   * Sends many records with one Promise for all: resolves once every record has its outcome, with per-record
   * metadata or errors by index (never rejects for a record's failure). Waits for buffer space between records
   * instead of failing them, so it suits bulk production: no Promise or closure per record. Once the last record
   * is handed over, the batches holding them are sent without waiting out `lingerMs` (the caller awaits them),
   * unless `options.linger` is true.
   */
  async sendBatch(records: Iterable<ProducerRecord<K, V>>, options?: SendBatchOptions): Promise<SendBatchResult> {
    const list = Array.isArray(records) ? (records as readonly ProducerRecord<K, V>[]) : [...records];
    const group = new SendBatchGroup(list.length);
    const admission = this.admission;
    for (let i = 0; i < list.length; i++) {
      const record = list[i]!;
      if (admission.waitingForMemory > 0) await this.waitForBuffer();
      const metadataWait = admission.metadataWait(record?.topic);
      if (metadataWait !== undefined) await metadataWait;
      this.dispatch(record, group, i);
    }
    group.seal();
    if (options?.linger !== true && list.length > 0) {
      this.accumulator.waiveLinger();
      this.sender.wakeup();
    }
    return group.done;
  }

  /**
   * Resolves when the buffer has room for at least `bytes` (default `batchSize`) and no send waits for memory: a
   * backpressure hook for code that produces faster than the cluster accepts (streams, Rx). Never rejects.
   */
  waitForBuffer(bytes: number = this.options.batchSize): Promise<void> {
    return this.admission.waitForBuffer(bytes);
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
   * A snapshot of the producer's metrics in the one metrics shape (docs/METRICS.md): records, bytes and batches
   * sent, retries, errors by code, request latency and batch size histograms, buffer use, and its connections'
   * requests and throttling, labelled `client_id` and `client_type: producer`. Serve them with `toPrometheusText`,
   * or gather clients in a `MetricRegistry`.
   */
  metrics(): MetricFamily[] {
    return clientMetricFamilies(producerMetricFamilies(this.metricsSnapshot()), this.cluster.connectionStats(), {
      client_id: this.options.client.clientId,
      client_type: 'producer',
    });
  }

  private metricsSnapshot(): Metric[] {
    return this.producerMetrics.snapshot({
      bufferBytesInUse: this.pool.used,
      bufferBytesTotal: this.pool.totalBytes,
      bufferWaiters: this.admission.waitingForMemory,
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
    await this.transactionFlow('initTransactions').init();
  }

  /** Starts a transaction: sends from now on belong to it. Java: `beginTransaction()`. */
  beginTransaction(): void {
    this.transactionFlow('beginTransaction').begin();
  }

  /**
   * Commits consumed offsets as part of the transaction (KIP-98, KIP-447 with the consumer's group metadata):
   * they become visible only if the transaction commits. Java: `sendOffsetsToTransaction(offsets, groupMetadata)`.
   */
  async sendOffsetsToTransaction(
    offsets: readonly TransactionOffset[],
    groupMetadata: TransactionGroupMetadata | string,
  ): Promise<void> {
    await this.transactionFlow('sendOffsetsToTransaction').sendOffsets(offsets, groupMetadata);
  }

  /**
   * Sends every record of the transaction, then commits it: its records become visible to `read_committed`
   * consumers, with its offsets. Rejects with `AbortableTransactionError` when something in the transaction failed
   * (abort it), `ProducerFatalError` when fenced, `KafkaTimeoutError` after `maxBlockMs` (the commit continues
   * and the call may be repeated). Java: `commitTransaction()`.
   */
  async commitTransaction(): Promise<void> {
    await this.transactionFlow('commitTransaction').commit();
  }

  /**
   * Aborts the transaction: records not yet sent fail with `TransactionAbortedError`, those written are marked
   * aborted (never visible to `read_committed` consumers). Also the way out of `AbortableTransactionError`.
   * Java: `abortTransaction()`.
   */
  async abortTransaction(): Promise<void> {
    await this.transactionFlow('abortTransaction').abort();
  }

  /** The transaction flow for a user's call: only while the producer is open, only with a `transactionalId`. */
  private transactionFlow(action: string): TransactionFlow {
    if (this.state !== 'open') throw this.closedError();
    if (this.flow === undefined) {
      throw new TransactionStateError(`${action} needs a transactional producer: set transactionalId`);
    }
    return this.flow;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The send path

  /**
   * Checks and serializes a record, then hands it to admission with its completion (`target` and `tag`, one of
   * the forms of `Completion`, as the overloads say). The common case creates nothing per record but what the API
   * form needs: the record is prepared into a reused object and appended at once.
   */
  private dispatch(
    record: ProducerRecord<K, V>,
    resolve: (metadata: RecordMetadata) => void,
    reject: (error: KafkaError) => void,
  ): void;
  private dispatch(record: ProducerRecord<K, V>, callback: SendCallback, marker: typeof CALLBACK): void;
  private dispatch(record: ProducerRecord<K, V>, group: CompletionGroup, index: number): void;
  private dispatch(record: ProducerRecord<K, V>, target: CompletionTarget, tag: CompletionTag): void {
    const now = Date.now();
    const pending = this.scratch;
    if (diagnosticChannels.producerSend.hasSubscribers) {
      // Traced: `start` in the caller's context before serialization; subscribers' headers join the record.
      const traced = beginSend(record, this.options.client.clientId, this.options.transactionalId);
      record = traced.record;
      target = new TracedSend(traced.payload, target, tag);
      tag = 0;
    }
    try {
      if (this.state !== 'open') throw this.closedError();
      const transactionError = this.transactions?.sendError();
      if (transactionError !== undefined) throw transactionError;
      if (this.codecs.error !== undefined) throw this.codecs.error;
      prepareRecord(record, now, this.options, pending);
    } catch (error) {
      failRecord(target, tag, toKafkaError(error, { during: 'sending a record' }), this.logger);
      return;
    }
    this.admission.admit(record.topic, record.partition, pending, target, tag, now);
  }

  /**
   * Why a record that waited for metadata or memory can no longer join a batch: the producer closed, failed
   * fatally, or its transaction is being aborted. A record sent before `commitTransaction` was called still joins
   * the transaction (the commit waits for it).
   */
  private refusal(): KafkaError | undefined {
    if (this.state === 'closed') return this.closedError();
    const transactions = this.transactions;
    if (transactions === undefined) return undefined;
    if (transactions.fatal !== undefined) return transactions.fatal;
    if (!transactions.transactional) return undefined;
    if (transactions.abortable !== undefined) return transactions.abortable;
    if (transactions.state === 'aborting') {
      return new TransactionAbortedError('The transaction was aborted before this record was sent');
    }
    return undefined;
  }

  /** Makes every buffered record sendable now; resolves once each sent so far has its outcome (or `deadline`). */
  private async flushBuffered(deadline: number | undefined, what: string): Promise<void> {
    this.accumulator.beginFlush();
    this.sender.wakeup();
    try {
      await withinTimeout(this.settleBuffered(), deadline, what);
    } finally {
      this.accumulator.endFlush();
    }
  }

  /** Resolves once every send called so far has joined a batch and every batch has its outcome. */
  private async settleBuffered(): Promise<void> {
    await this.admission.drained();
    const batches = this.accumulator.incompleteBatches();
    this.sender.wakeup();
    await Promise.all(batches.map((batch) => new Promise<void>((resolve) => batch.onDone(resolve))));
  }

  private async shutdown(timeoutMs: number | undefined): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    this.accumulator.closing = true;
    this.sender.wakeup();
    try {
      // Sends are refused from here on; a transaction left open is aborted without reopening the producer.
      await this.flow?.abortLeftOpen(deadline);
      await withinTimeout(this.settleBuffered(), deadline, 'close');
    } catch (error) {
      this.logger.warn('close: records still pending fail', { error });
    } finally {
      this.state = 'closed';
      const closed = new ClientClosedError('The producer was closed before this record completed');
      this.accumulator.abandonQueued(closed);
      this.sender.failInFlight(closed);
      this.pool.failWaiters(new BufferExhaustedError('The producer was closed while this send waited for memory'));
      this.sender.stop();
      this.cluster.close();
      await this.compressionWorkers?.close();
    }
  }

  private async loadCodecs(): Promise<void> {
    await loadRecordCodecs();
    try {
      getCompressionCodec(this.options.compression);
    } catch (error) {
      this.codecs.error = toKafkaError(error);
      this.logger.error('the producer cannot compress: every send fails', { error: this.codecs.error });
    }
    this.codecs.ready = true;
  }

  private closedError(): ClientClosedError {
    return new ClientClosedError('The producer is closed; create a new one to send more');
  }
}
