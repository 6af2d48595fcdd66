import type { BrokerInfo } from '../cluster/metadata.js';
import { KafkaTimeoutError, toKafkaError } from '../errors/client-errors.js';
import { isStaleMetadata } from '../errors/error-classification.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { createBrokerError } from '../errors/index.js';
import type { KafkaError } from '../errors/kafka-error.js';
import type {
  ProduceResponseNodeEndpoint,
  ProduceResponsePartitionProduceResponse,
} from '../protocol/messages/generated/produce.js';
import type { Logger } from '../utils/logger.js';
import { RetriedJob } from '../utils/retried-job.js';
import { RetryTimer } from '../utils/retry-timer.js';
import { BrokerSink, type SinkEvents } from './broker-sink.js';
import type { PartitionState } from './partition-state.js';
import type { ProducerBatch } from './producer-batch.js';
import type { SenderCluster } from './producer-cluster.js';
import { initProducerId } from './producer-id.js';
import type { ProducerMetrics } from './producer-metrics.js';
import type { RecordAccumulator } from './record-accumulator.js';
import type { TransactionManager } from './transaction-manager.js';

/** Settings of the sender (from the producer options). */
export interface SenderOptions {
  readonly acks: 0 | 1 | -1;
  readonly requestTimeoutMs: number;
  readonly maxRequestSize: number;
  readonly retries: number;
  readonly maxInFlight: number;
  readonly transactionTimeoutMs: number;
  readonly logger: Logger;
  /** `client.id`, for the diagnostics channels. */
  readonly clientId?: string;
}

/** Registers the partitions of a transaction (v1) with the coordinator; supplied by the transactional client. */
export type AddPartitionsFn = (states: PartitionState[]) => Promise<void>;

/**
 * The background half of the producer: wakes when batches may be sendable, groups sendable batches by partition
 * leader, hands them to the leader's {@link BrokerSink} in Produce requests, and decides what each outcome means.
 *
 * - Runs on demand, not in a loop: `wakeup()` (a batch filled, a flush began, a response arrived, metadata
 *   changed) schedules one pass with `setImmediate`, and a single timer covers linger, retry backoff and delivery
 *   deadlines. The timer keeps the process alive only while records are pending.
 * - Per broker at most `maxInFlightRequestsPerConnection` Produce requests are outstanding (the sink's window); a
 *   request carries at most one batch per partition and at most `maxRequestSize` bytes of batches. Batch bytes are
 *   handed to the codec by reference (the connection writes them with a vectored write), never copied.
 * - Per partition result: success (or DUPLICATE_SEQUENCE_NUMBER) completes the batch; a retriable error re-queues
 *   it in sequence order after a backoff (`retryBackoffMs`, doubling to `retryBackoffMaxMs`); an error meaning
 *   stale metadata also applies the KIP-951 leader hint of the response (`cluster.updateLeader`) or refreshes
 *   metadata; anything else fails the batch. Idempotence and transactions decide through `TransactionManager`.
 * - A batch whose delivery deadline passes fails with `KafkaTimeoutError` wherever it is: queued, or in flight
 *   (its response is then only used to resolve sequence numbers).
 * - `acks: 0` requests expect no response: their batches complete (offset unknown) once written to the socket.
 * - An idempotent producer gets its producer id here (InitProducerId, retried with backoff), and a transactional
 *   one (v1) registers the partitions of its transaction (AddPartitionsToTxn) before their first batch leaves.
 */
export class Sender {
  private readonly sinks = new Map<number, BrokerSink>();
  private readonly timer = new RetryTimer(() => this.wakeup());
  private scheduled = false;
  private stopped = false;
  private refreshing = false;
  private lastRefreshAt = 0;
  /** InitProducerId of an idempotent producer. */
  private readonly producerIdJob: RetriedJob;
  /** AddPartitionsToTxn of a transactional producer (v1). */
  private readonly registrationJob: RetriedJob | undefined;
  private readonly sinkEvents: SinkEvents;

  constructor(
    private readonly cluster: SenderCluster,
    private readonly accumulator: RecordAccumulator,
    private readonly transactions: TransactionManager | undefined,
    private readonly metrics: ProducerMetrics,
    private readonly options: SenderOptions,
    private readonly addPartitions: AddPartitionsFn | undefined,
  ) {
    const backoff = (failures: number) => this.cluster.retryDelay(failures);
    const retryAt = (at: number) => this.schedule(at);
    this.producerIdJob = new RetriedJob(() => this.obtainProducerId(), backoff, retryAt);
    this.registrationJob =
      addPartitions === undefined ? undefined : new RetriedJob(() => this.registerPartitions(), backoff, retryAt);
    this.sinkEvents = {
      connectionChanged: (closed) => {
        if (closed) this.refreshMetadata(Date.now());
        this.wakeup();
      },
      connectFailed: (nodeId, error) => {
        this.options.logger.debug('producer could not connect to a leader; refreshing metadata', {
          broker: nodeId,
          error,
        });
        this.refreshMetadata(Date.now(), true);
        this.schedule(Date.now() + this.cluster.retryDelay(0));
      },
      partitionResult: (batch, result, endpoints, broker, now) =>
        this.onPartitionResult(batch, result, endpoints, broker, now),
      batchUnanswered: (batch, error, now) => this.onBatchFailed(batch, -1, error, now, true),
      requestFailed: (batches, error) => {
        const now = Date.now();
        if (error.retriable) this.refreshMetadata(now, true);
        for (const batch of batches) this.onBatchFailed(batch, -1, error, now, false);
      },
      written: (batch) => {
        batch.markReturned();
        this.accumulator.complete(batch, -1n, -1, true);
      },
      requestDone: () => this.wakeup(),
    };
  }

  /** Produce requests awaiting a response, all brokers. */
  get requestsInFlight(): number {
    let count = 0;
    for (const sink of this.sinks.values()) count += sink.requests.size;
    return count;
  }

  /** Schedules a pass soon (coalesced). */
  wakeup(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(this.runBound);
  }

  /** Stops sending. Batches in flight keep their requests; nothing new goes out. */
  stop(): void {
    this.stopped = true;
    this.timer.cancel();
    for (const sink of this.sinks.values()) sink.stop();
  }

  /** Gives up every batch in flight with `error` (forced close); their responses are then ignored. */
  failInFlight(error: KafkaError): void {
    for (const sink of this.sinks.values()) {
      for (const request of sink.requests) {
        // Still being written or awaited: the buffer must not be reused.
        for (const batch of request.batches) this.accumulator.giveUp(batch, error, false);
      }
    }
  }

  private readonly runBound = (): void => {
    this.scheduled = false;
    if (this.stopped) return;
    try {
      this.run(Date.now());
    } catch (error) {
      this.options.logger.error('producer sender pass failed', { error });
      this.schedule(Date.now() + 100);
    }
  };

  private readonly leaderOf = (state: PartitionState): number =>
    this.cluster.partition(state.topic, state.partition)?.leader ?? -1;

  private readonly canSend = (state: PartitionState, batch: ProducerBatch): boolean => {
    if (this.transactions !== undefined) return this.transactions.canSend(state, batch);
    if (state.holdUntilIdle) {
      if (state.inFlight > 0) return false;
      state.holdUntilIdle = false;
    }
    return true;
  };

  private readonly timeoutError = (batch: ProducerBatch): KafkaTimeoutError =>
    new KafkaTimeoutError(
      `Delivery timed out: ${batch.count} record(s) for ${batch.state.label} were not acknowledged within ` +
        `deliveryTimeoutMs (${batch.attempts} attempt(s)); they may or may not have been written`,
      { topic: batch.topic, partition: batch.partition },
    );

  private run(now: number): void {
    let nextAt = Number.POSITIVE_INFINITY;
    this.expire(now);
    const transactions = this.transactions;
    if (transactions !== undefined) {
      if (transactions.fatal !== undefined) {
        this.accumulator.abandonQueued(transactions.fatal);
        return;
      }
      transactions.resolveSequences();
      transactions.bumpIdempotentEpoch();
      if (transactions.needsProducerId) nextAt = this.producerIdJob.poll(now);
      if (transactions.partitionsToAdd.size > 0 && this.registrationJob !== undefined) {
        nextAt = Math.min(nextAt, this.registrationJob.poll(now));
      }
    }
    const ready = this.accumulator.ready(now, this.leaderOf, this.canSend);
    if (ready.unknownLeader) nextAt = Math.min(nextAt, this.refreshMetadata(now));
    nextAt = Math.min(nextAt, ready.nextCheckAt);
    // Transactions v1 may not use Produce v12+ (which adds partitions implicitly).
    const maxVersion = transactions?.transactional === true && !transactions.transactionV2 ? 11 : 13;
    for (const [nodeId, partitions] of ready.nodes) {
      const sink = this.sink(nodeId);
      if (!sink.ready()) continue;
      while (sink.hasRoom) {
        const batches = this.accumulator.drain(partitions, this.options.maxRequestSize, this.canSend);
        if (batches.length === 0) break;
        sink.send(batches, this.prepare(batches, now), maxVersion);
        // acks=0 has no window: one request per broker per pass.
        if (this.options.acks === 0) break;
      }
    }
    nextAt = Math.min(nextAt, this.accumulator.nextExpiry());
    for (const sink of this.sinks.values()) {
      for (const request of sink.requests) if (request.deadline < nextAt) nextAt = request.deadline;
    }
    this.schedule(nextAt);
  }

  /** Asks for a pass at `at`; the timer keeps the process alive while records are pending. */
  private schedule(at: number): void {
    if (at === Number.POSITIVE_INFINITY || this.stopped) return;
    this.timer.fireAt(at, this.accumulator.incompleteCount > 0);
  }

  private sink(nodeId: number): BrokerSink {
    let sink = this.sinks.get(nodeId);
    if (sink === undefined) {
      sink = new BrokerSink(
        nodeId,
        this.cluster,
        this.sinkEvents,
        {
          acks: this.options.acks,
          maxInFlight: this.options.maxInFlight,
          requestTimeoutMs: this.options.requestTimeoutMs,
          transactionalId: this.transactions?.transactionalId ?? null,
          ...(this.options.clientId === undefined ? {} : { clientId: this.options.clientId }),
        },
        this.metrics,
      );
      this.sinks.set(nodeId, sink);
    }
    return sink;
  }

  /**
   * Starts an attempt of each drained batch: a sequence if it has none (idempotence), marked sent, closed (built).
   * Returns true when some batch still compresses off the event loop.
   */
  private prepare(batches: readonly ProducerBatch[], now: number): boolean {
    const transactions = this.transactions;
    let building = false;
    for (const batch of batches) {
      if (transactions !== undefined) transactions.assignSequence(batch.state, batch);
      batch.markSent(now);
      const first = batch.attempts === 1;
      const bytes = batch.close();
      if (bytes instanceof Promise) {
        building = true;
        if (first) {
          void bytes.then(
            (built) => this.accumulator.observeCompression(batch.topic, batch.uncompressedBytes, built.length),
            () => undefined,
          );
        }
      } else if (first) {
        this.accumulator.observeCompression(batch.topic, batch.uncompressedBytes, bytes.length);
      }
    }
    return building;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Metadata

  /**
   * Starts a metadata refresh unless one runs or one ran within `retryBackoffMs`; returns when the next may start.
   */
  private refreshMetadata(now: number, force = false): number {
    if (this.refreshing || this.stopped) return Number.POSITIVE_INFINITY;
    const earliest = this.lastRefreshAt + this.cluster.options.retryBackoffMs;
    if (!force && now < earliest) return earliest;
    this.refreshing = true;
    this.lastRefreshAt = now;
    this.cluster.refreshMetadata().then(
      () => {
        this.refreshing = false;
        this.wakeup();
      },
      (error: unknown) => {
        this.refreshing = false;
        this.options.logger.debug('producer metadata refresh failed', { error });
        this.schedule(Date.now() + this.cluster.options.retryBackoffMs);
      },
    );
    return Number.POSITIVE_INFINITY;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Producer id (idempotent producer) and partition registration (transactions v1): retried jobs

  /** InitProducerId for an idempotent producer (a transactional one gets its id in `initTransactions`). */
  private async obtainProducerId(): Promise<void> {
    const transactions = this.transactions!;
    try {
      const connection = await this.cluster.anyConnection();
      const grant = await initProducerId(connection, {
        transactionalId: null,
        transactionTimeoutMs: this.options.transactionTimeoutMs,
      });
      transactions.setProducerIdAndEpoch(grant.producerId, grant.producerEpoch);
      this.wakeup();
    } catch (error) {
      const failure = toKafkaError(error, { during: 'sending produce requests' });
      if (!failure.retriable && transactions.fatal === undefined) {
        transactions.setFatal(failure);
        this.wakeup();
        return;
      }
      this.options.logger.warn('InitProducerId failed; retrying', { error: failure });
      throw failure;
    }
  }

  /** AddPartitionsToTxn for the partitions written in the transaction that the coordinator does not know yet. */
  private async registerPartitions(): Promise<void> {
    const transactions = this.transactions!;
    const states = [...transactions.partitionsToAdd];
    try {
      await this.addPartitions!(states);
    } catch (error) {
      const failure = toKafkaError(error, { during: 'sending produce requests' });
      if (failure.retriable) throw failure;
      // Fatal or abortable: the transaction manager was told; fail what waits for these partitions.
      const failed = new Set(states);
      this.accumulator.abandonQueued(
        transactions.fatal ?? transactions.abortable ?? failure,
        (batch) => failed.has(batch.state) && !batch.attempted,
      );
      this.wakeup();
      return;
    }
    transactions.partitionsAdded(states);
    this.wakeup();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Outcomes

  private onPartitionResult(
    batch: ProducerBatch,
    result: ProduceResponsePartitionProduceResponse,
    endpoints: readonly ProduceResponseNodeEndpoint[],
    broker: string,
    now: number,
  ): void {
    const code = result.errorCode;
    if (code === ErrorCodes.NONE || code === ErrorCodes.DUPLICATE_SEQUENCE_NUMBER) {
      batch.markReturned();
      this.transactions?.onAcknowledged(batch);
      this.accumulator.complete(batch, result.baseOffset, Number(result.logAppendTimeMs), true);
      return;
    }
    const error = createBrokerError(code, {
      topic: batch.topic,
      partition: batch.partition,
      broker,
      api: 'Produce',
      serverMessage: result.errorMessage,
    });
    if (isStaleMetadata(code)) {
      const leader = result.currentLeader;
      if (leader !== undefined && leader.leaderId >= 0 && leader.leaderEpoch >= 0) {
        const endpoint = endpoints.find((e) => e.nodeId === leader.leaderId);
        const info: BrokerInfo | undefined =
          endpoint === undefined
            ? undefined
            : { nodeId: endpoint.nodeId, host: endpoint.host, port: endpoint.port, rack: endpoint.rack };
        this.cluster.updateLeader(batch.topic, batch.partition, leader.leaderId, leader.leaderEpoch, info);
      } else {
        this.refreshMetadata(now, true);
      }
    }
    this.onBatchFailed(batch, code, error, now, true);
  }

  /**
   * A sent batch failed with `error` (`code` is the broker's error code, or -1 for a failed request). Retries it or
   * fails it, as the transaction manager (or, without idempotence, the error) says.
   */
  private onBatchFailed(batch: ProducerBatch, code: number, error: KafkaError, now: number, answered: boolean): void {
    batch.markReturned();
    this.metrics.error(error.code);
    if (batch.done) return; // expired while in flight; only its sequences mattered
    const inTime = now < batch.deadline;
    const canRetry = batch.attempts <= this.options.retries && inTime && !this.stopped;
    const transactions = this.transactions;
    if (
      (code === ErrorCodes.MESSAGE_TOO_LARGE || code === ErrorCodes.RECORD_LIST_TOO_LARGE) &&
      batch.count > 1 &&
      inTime
    ) {
      this.split(batch, now);
      return;
    }
    const decision =
      transactions?.onFailure(batch, code, error, canRetry) ?? (error.retriable && canRetry ? 'retry' : 'fail');
    if (decision === 'written') {
      transactions?.onAcknowledged(batch);
      this.accumulator.complete(batch, -1n, -1, answered);
      return;
    }
    if (decision === 'retry') {
      this.options.logger.debug('retrying a batch', {
        topic: batch.topic,
        partition: batch.partition,
        attempt: batch.attempts,
        error: error.code,
      });
      this.metrics.batchRetries++;
      this.accumulator.retry(batch, now + this.cluster.retryDelay(batch.attempts - 1));
      return;
    }
    const reported = !inTime
      ? new KafkaTimeoutError(
          `Delivery timed out: ${batch.count} record(s) for ${batch.state.label} were not acknowledged within ` +
            `deliveryTimeoutMs (last error: ${error.message})`,
          { topic: batch.topic, partition: batch.partition, cause: error },
        )
      : (transactions?.fatal ?? error);
    this.accumulator.giveUp(batch, reported, answered);
  }

  /**
   * Splits a batch the broker refused as too large into two halves and queues them in its place (the Java client's
   * `splitAndReenqueue`); halves still too large are split again, down to single records, which then fail alone.
   */
  private split(batch: ProducerBatch, now: number): void {
    const parts = batch.split(2);
    this.transactions?.onSplit(batch, parts);
    this.accumulator.replaceSplit(batch, parts, now);
    this.metrics.batchSplits++;
    this.options.logger.info('split a batch the broker refused as too large', {
      topic: batch.topic,
      partition: batch.partition,
      records: batch.count,
      parts: parts.length,
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Delivery timeout

  private expire(now: number): void {
    this.accumulator.expireQueued(now, this.timeoutError);
    for (const sink of this.sinks.values()) {
      for (const request of sink.requests) {
        if (request.deadline > now) continue;
        let next = Number.POSITIVE_INFINITY;
        for (const batch of request.batches) {
          if (batch.done) continue;
          if (batch.deadline > now) {
            if (batch.deadline < next) next = batch.deadline;
            continue;
          }
          // Still being written or awaited: the buffer must not be reused.
          this.accumulator.giveUp(batch, this.timeoutError(batch), false);
        }
        request.deadline = next;
      }
    }
  }
}
