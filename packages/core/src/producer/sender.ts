import type { Cluster } from '../cluster/cluster.js';
import type { BrokerInfo } from '../cluster/metadata.js';
import { KafkaTimeoutError, toKafkaError } from '../errors/client-errors.js';
import { isStaleMetadata } from '../errors/error-classification.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { createBrokerError } from '../errors/index.js';
import type { KafkaError } from '../errors/kafka-error.js';
import type { Connection } from '../network/connection.js';
import { InitProducerId } from '../protocol/messages/generated/init-producer-id.js';
import {
  Produce,
  type ProduceRequestTopicProduceData,
  type ProduceResponse,
  type ProduceResponseNodeEndpoint,
  type ProduceResponsePartitionProduceResponse,
} from '../protocol/messages/generated/produce.js';
import type { Logger } from '../utils/logger.js';
import type { PartitionState } from './partition-state.js';
import type { ProducerBatch } from './producer-batch.js';
import type { ProducerMetrics } from './producer-metrics.js';
import type { RecordAccumulator } from './record-accumulator.js';
import type { TransactionManager } from './transaction-manager.js';

/** The batch (or request) is larger than the broker or topic accepts: split it. */
const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** Settings of the sender (from the producer options). */
export interface SenderOptions {
  readonly acks: 0 | 1 | -1;
  readonly requestTimeoutMs: number;
  readonly maxRequestSize: number;
  readonly retries: number;
  readonly maxInFlight: number;
  readonly transactionTimeoutMs: number;
  readonly logger: Logger;
}

/** Registers the partitions of a transaction (v1) with the coordinator; supplied by the transactional client. */
export type AddPartitionsFn = (states: PartitionState[]) => Promise<void>;

interface NodeState {
  readonly nodeId: number;
  connection: Connection | undefined;
  connecting: boolean;
  /** Produce requests awaiting a response. */
  inFlight: number;
  /** Requests whose batches are still compressing off-thread; later requests to the node wait behind them. */
  pendingBuilds: Promise<void> | undefined;
}

interface InFlightRequest {
  readonly batches: ProducerBatch[];
  /** Earliest delivery deadline among its batches not yet done. */
  deadline: number;
}

/**
 * The background half of the producer: wakes when batches may be sendable, groups sendable batches by partition
 * leader, sends Produce requests and settles batches from the responses.
 *
 * - Runs on demand, not in a loop: `wakeup()` (a batch filled, a flush began, a response arrived, metadata
 *   changed) schedules one pass with `setImmediate`, and a single timer covers linger, retry backoff and delivery
 *   deadlines.
 * - Per broker at most `maxInFlightRequestsPerConnection` Produce requests are outstanding; a request carries at
 *   most one batch per partition and at most `maxRequestSize` bytes of batches. Batch bytes are handed to the
 *   codec by reference (the connection writes them with a vectored write), never copied.
 * - Per partition result: success (or DUPLICATE_SEQUENCE_NUMBER) completes the batch; a retriable error re-queues
 *   it in sequence order after a backoff (`retryBackoffMs`, doubling to `retryBackoffMaxMs`); an error meaning
 *   stale metadata also applies the KIP-951 leader hint of the response (`cluster.updateLeader`) or refreshes
 *   metadata; anything else fails the batch. Idempotence and transactions decide through `TransactionManager`.
 * - A batch whose delivery deadline passes fails with `KafkaTimeoutError` wherever it is: queued, or in flight
 *   (its response is then only used to resolve sequence numbers).
 * - `acks: 0` requests expect no response: their batches complete (offset unknown) once written to the socket.
 */
export class Sender {
  private readonly nodes = new Map<number, NodeState>();
  private readonly inFlight = new Set<InFlightRequest>();
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;
  private refreshing = false;
  private lastRefreshAt = 0;
  private initializing = false;
  private initAttempts = 0;
  private initRetryAt = 0;
  private adding = false;
  private addRetryAt = 0;
  private addAttempts = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly accumulator: RecordAccumulator,
    private readonly transactions: TransactionManager | undefined,
    private readonly metrics: ProducerMetrics,
    private readonly options: SenderOptions,
    private readonly addPartitions: AddPartitionsFn | undefined,
  ) {}

  /** Produce requests awaiting a response, all brokers. */
  get requestsInFlight(): number {
    return this.inFlight.size;
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
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Fails every batch in flight with `error` (forced close); their responses are then ignored. */
  failInFlight(error: KafkaError): void {
    for (const request of this.inFlight) {
      for (const batch of request.batches) {
        if (batch.done) continue;
        this.transactions?.onGivenUp(batch);
        this.settleFailure(batch, error, false);
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

  private run(now: number): void {
    let nextAt = Number.POSITIVE_INFINITY;
    this.expire(now);
    const transactions = this.transactions;
    if (transactions !== undefined) {
      if (transactions.fatal !== undefined) {
        this.accumulator.failBatches(this.accumulator.takeQueued(), transactions.fatal);
        return;
      }
      transactions.resolveSequences();
      transactions.bumpIdempotentEpoch();
      if (transactions.needsProducerId) {
        if (now >= this.initRetryAt) this.initProducerId();
        else nextAt = this.initRetryAt;
      }
      if (transactions.partitionsToAdd.size > 0 && this.addPartitions !== undefined) {
        if (now >= this.addRetryAt) this.registerPartitions();
        else nextAt = Math.min(nextAt, this.addRetryAt);
      }
    }
    const ready = this.accumulator.ready(now, this.leaderOf, this.canSend);
    if (ready.unknownLeader) nextAt = Math.min(nextAt, this.refreshMetadata(now));
    nextAt = Math.min(nextAt, ready.nextCheckAt);
    for (const [nodeId, partitions] of ready.nodes) {
      const node = this.node(nodeId);
      const connection = node.connection;
      if (connection === undefined || !connection.ready) {
        this.connect(node);
        continue;
      }
      const limit = this.options.acks === 0 ? Number.POSITIVE_INFINITY : this.options.maxInFlight;
      while (node.inFlight < limit) {
        const batches = this.accumulator.drain(partitions, this.options.maxRequestSize, this.canSend);
        if (batches.length === 0) break;
        this.send(node, connection, batches, now);
        if (this.options.acks === 0 && node.inFlight === 0) break;
      }
    }
    nextAt = Math.min(nextAt, this.accumulator.nextExpiry());
    for (const request of this.inFlight) if (request.deadline < nextAt) nextAt = request.deadline;
    this.schedule(nextAt);
  }

  private schedule(at: number): void {
    if (at === Number.POSITIVE_INFINITY || this.stopped) return;
    if (this.timer !== undefined && this.timerAt <= at) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.wakeup();
      },
      Math.max(0, at - Date.now()),
    );
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Connections and metadata

  private node(nodeId: number): NodeState {
    let node = this.nodes.get(nodeId);
    if (node === undefined) {
      node = { nodeId, connection: undefined, connecting: false, inFlight: 0, pendingBuilds: undefined };
      this.nodes.set(nodeId, node);
    }
    return node;
  }

  private connect(node: NodeState): void {
    if (node.connecting || this.stopped) return;
    node.connecting = true;
    this.cluster.connection(node.nodeId).then(
      (connection) => {
        node.connecting = false;
        node.connection = connection;
        connection.onClose(() => {
          if (node.connection === connection) node.connection = undefined;
          this.refreshMetadata(Date.now());
          this.wakeup();
        });
        this.wakeup();
      },
      (error: unknown) => {
        node.connecting = false;
        this.options.logger.debug('producer could not connect to a leader; refreshing metadata', {
          broker: node.nodeId,
          error,
        });
        this.refreshMetadata(Date.now(), true);
        this.schedule(Date.now() + this.cluster.retryDelay(0));
      },
    );
  }

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
  // Producer id (idempotent producer; transactional producers get theirs in initTransactions)

  private initProducerId(): void {
    if (this.initializing) return;
    this.initializing = true;
    const transactions = this.transactions!;
    const run = async () => {
      const connection = await this.cluster.anyConnection();
      const response = await connection.send(InitProducerId, {
        transactionalId: null,
        transactionTimeoutMs: this.options.transactionTimeoutMs,
        producerId: -1n,
        producerEpoch: -1,
      });
      if (response.errorCode !== ErrorCodes.NONE) {
        throw createBrokerError(response.errorCode, { api: 'InitProducerId', broker: connection.label });
      }
      return response;
    };
    run().then(
      (response) => {
        this.initializing = false;
        this.initAttempts = 0;
        transactions.setProducerIdAndEpoch(response.producerId, response.producerEpoch);
        this.wakeup();
      },
      (error: unknown) => {
        this.initializing = false;
        const failure = toKafkaError(error, { during: 'sending produce requests' });
        if (!failure.retriable && transactions.fatal === undefined) {
          transactions.setFatal(failure);
          this.wakeup();
          return;
        }
        this.options.logger.warn('InitProducerId failed; retrying', { error: failure });
        this.initRetryAt = Date.now() + this.cluster.retryDelay(this.initAttempts++);
        this.schedule(this.initRetryAt);
      },
    );
  }

  private registerPartitions(): void {
    if (this.adding) return;
    this.adding = true;
    const transactions = this.transactions!;
    const states = [...transactions.partitionsToAdd];
    this.addPartitions!(states).then(
      () => {
        this.adding = false;
        this.addAttempts = 0;
        transactions.partitionsAdded(states);
        this.wakeup();
      },
      (error: unknown) => {
        this.adding = false;
        const failure = toKafkaError(error, { during: 'sending produce requests' });
        if (failure.retriable) {
          this.addRetryAt = Date.now() + this.cluster.retryDelay(this.addAttempts++);
          this.schedule(this.addRetryAt);
          return;
        }
        // Fatal or abortable: the transaction manager was told; fail what waits for these partitions.
        const failed = new Set(states);
        this.accumulator.failBatches(
          this.accumulator.takeQueued((batch) => failed.has(batch.state) && !batch.attempted),
          transactions.fatal ?? transactions.abortable ?? failure,
        );
        this.wakeup();
      },
    );
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Produce requests

  private send(node: NodeState, connection: Connection, batches: ProducerBatch[], now: number): void {
    const transactions = this.transactions;
    let deadline = Number.POSITIVE_INFINITY;
    let building = false;
    for (const batch of batches) {
      if (transactions !== undefined) transactions.assignSequence(batch.state, batch);
      batch.attempts++;
      batch.attempted = true;
      batch.inFlight = true;
      batch.sentAt = now;
      batch.state.inFlight++;
      if (batch.deadline < deadline) deadline = batch.deadline;
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
    const request: InFlightRequest = { batches, deadline };
    this.inFlight.add(request);
    const expectResponse = this.options.acks !== 0;
    if (expectResponse) node.inFlight++;
    if (!building && node.pendingBuilds === undefined) {
      this.write(node, connection, request);
      return;
    }
    // Keep the node's request order: this request (and later ones) wait for every compression in progress.
    const previous = node.pendingBuilds ?? Promise.resolve();
    const chain = previous
      .then(() => Promise.all(batches.map((batch) => batch.close())))
      .then(
        () => this.write(node, connection, request),
        (error: unknown) =>
          this.onRequestFailed(node, request, toKafkaError(error, { during: 'sending produce requests' }), now),
      )
      .finally(() => {
        if (node.pendingBuilds === chain) node.pendingBuilds = undefined;
      });
    node.pendingBuilds = chain;
  }

  private write(node: NodeState, connection: Connection, request: InFlightRequest): void {
    const byTopic = new Map<string, ProduceRequestTopicProduceData & { partitionData: unknown[] }>();
    const metadata = this.cluster.metadata;
    let allIds = true;
    for (const batch of request.batches) {
      let topic = byTopic.get(batch.topic);
      if (topic === undefined) {
        const topicId = metadata.topics.get(batch.topic)?.topicId ?? ZERO_UUID;
        if (topicId === ZERO_UUID) allIds = false;
        topic = { name: batch.topic, topicId, partitionData: [] };
        byTopic.set(batch.topic, topic);
      }
      topic.partitionData.push({ index: batch.partition, records: batch.bytes! });
      this.metrics.batchSent(batch.bytes!.length, batch.count);
    }
    const transactions = this.transactions;
    // Transactions v1 may not use Produce v12+ (which adds partitions implicitly); topic ids need v13.
    let maxVersion = allIds ? 13 : 12;
    if (transactions?.transactional === true && !transactions.transactionV2) maxVersion = 11;
    let version: number;
    try {
      version = connection.versionFor(Produce, maxVersion);
    } catch (error) {
      this.onRequestFailed(node, request, toKafkaError(error, { during: 'sending produce requests' }), Date.now());
      return;
    }
    const sentAt = Date.now();
    this.metrics.requestsSent++;
    const expectResponse = this.options.acks !== 0;
    connection
      .send(
        Produce,
        {
          transactionalId: transactions?.transactionalId ?? null,
          acks: this.options.acks,
          timeoutMs: this.options.requestTimeoutMs,
          topicData: [...byTopic.values()],
        },
        { version, expectResponse },
      )
      .then(
        (response) => {
          this.metrics.requestCompleted(Date.now() - sentAt);
          if (expectResponse) this.onResponse(node, request, response, version, connection.label);
          else this.onWritten(request);
        },
        (error: unknown) =>
          this.onRequestFailed(node, request, toKafkaError(error, { during: 'sending produce requests' }), sentAt),
      );
  }

  /** acks=0: the request was written; its batches are done, offsets unknown. */
  private onWritten(request: InFlightRequest): void {
    this.inFlight.delete(request);
    for (const batch of request.batches) {
      batch.inFlight = false;
      batch.state.inFlight--;
      if (!batch.done) this.settleSuccess(batch, -1n, -1, true);
    }
    this.wakeup();
  }

  private onResponse(
    node: NodeState,
    request: InFlightRequest,
    response: ProduceResponse,
    version: number,
    broker: string,
  ): void {
    node.inFlight--;
    this.inFlight.delete(request);
    const pending = new Set(request.batches);
    const now = Date.now();
    for (const topic of response.responses) {
      const name = version >= 13 ? this.cluster.metadata.topicNamesById.get(topic.topicId) : topic.name;
      for (const result of topic.partitionResponses) {
        let batch: ProducerBatch | undefined;
        for (const candidate of pending) {
          if (
            candidate.partition === result.index &&
            (name === undefined
              ? this.cluster.metadata.topics.get(candidate.topic)?.topicId === topic.topicId
              : candidate.topic === name)
          ) {
            batch = candidate;
            break;
          }
        }
        if (batch === undefined) continue;
        pending.delete(batch);
        this.onPartitionResult(batch, result, response.nodeEndpoints, broker, now);
      }
    }
    for (const batch of pending) {
      this.onBatchFailed(
        batch,
        -1,
        createBrokerError(ErrorCodes.NETWORK_EXCEPTION, {
          topic: batch.topic,
          partition: batch.partition,
          broker,
          api: 'Produce',
        }),
        now,
        true,
      );
    }
    this.wakeup();
  }

  private onPartitionResult(
    batch: ProducerBatch,
    result: ProduceResponsePartitionProduceResponse,
    endpoints: readonly ProduceResponseNodeEndpoint[],
    broker: string,
    now: number,
  ): void {
    const code = result.errorCode;
    if (code === ErrorCodes.NONE || code === ErrorCodes.DUPLICATE_SEQUENCE_NUMBER) {
      batch.inFlight = false;
      batch.state.inFlight--;
      this.transactions?.onAcknowledged(batch);
      if (!batch.done) this.settleSuccess(batch, result.baseOffset, Number(result.logAppendTimeMs), true);
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

  private onRequestFailed(node: NodeState, request: InFlightRequest, error: KafkaError, _sentAt: number): void {
    if (this.options.acks !== 0) node.inFlight--;
    this.inFlight.delete(request);
    const now = Date.now();
    if (error.retriable) this.refreshMetadata(now, true);
    for (const batch of request.batches) this.onBatchFailed(batch, -1, error, now, false);
    this.wakeup();
  }

  /**
   * A sent batch failed with `error` (`code` is the broker's error code, or -1 for a failed request). Retries it or
   * fails it, as the transaction manager (or, without idempotence, the error) says.
   */
  private onBatchFailed(batch: ProducerBatch, code: number, error: KafkaError, now: number, answered: boolean): void {
    batch.inFlight = false;
    batch.state.inFlight--;
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
      this.settleSuccess(batch, -1n, -1, answered);
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
      batch.retryAt = now + this.cluster.retryDelay(batch.attempts - 1);
      batch.state.holdUntilIdle = true;
      this.accumulator.requeue(batch);
      return;
    }
    transactions?.onGivenUp(batch);
    const reported = !inTime
      ? new KafkaTimeoutError(
          `Delivery timed out: ${batch.count} record(s) for ${batch.state.label} were not acknowledged within ` +
            `deliveryTimeoutMs (last error: ${error.message})`,
          { topic: batch.topic, partition: batch.partition, cause: error },
        )
      : (transactions?.fatal ?? error);
    this.settleFailure(batch, reported, answered);
  }

  /**
   * Splits a batch the broker refused as too large into two halves and queues them in its place (the Java client's
   * `splitAndReenqueue`); halves still too large are split again, down to single records, which then fail alone.
   */
  private split(batch: ProducerBatch, now: number): void {
    const parts = batch.split(2);
    this.transactions?.onSplit(batch, parts);
    this.accumulator.replaceSplit(batch, parts);
    this.metrics.batchSplits++;
    this.options.logger.info('split a batch the broker refused as too large', {
      topic: batch.topic,
      partition: batch.partition,
      records: batch.count,
      parts: parts.length,
    });
    for (const part of parts) part.retryAt = now;
    batch.state.holdUntilIdle = true;
  }

  private settleSuccess(batch: ProducerBatch, baseOffset: bigint, logAppendTime: number, recycle: boolean): void {
    this.metrics.recordsSent += batch.count;
    batch.complete(baseOffset, logAppendTime, recycle);
    this.accumulator.batchDone(batch);
  }

  private settleFailure(batch: ProducerBatch, error: KafkaError, recycle: boolean): void {
    this.metrics.recordsFailed += batch.count;
    batch.fail(error, recycle);
    this.accumulator.batchDone(batch);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Delivery timeout

  private expire(now: number): void {
    const expired = this.accumulator.expire(now);
    for (const batch of expired) {
      this.transactions?.onGivenUp(batch);
      this.settleFailure(batch, this.timeoutError(batch), true);
    }
    for (const request of this.inFlight) {
      if (request.deadline > now) continue;
      let next = Number.POSITIVE_INFINITY;
      for (const batch of request.batches) {
        if (batch.done) continue;
        if (batch.deadline > now) {
          if (batch.deadline < next) next = batch.deadline;
          continue;
        }
        this.transactions?.onGivenUp(batch);
        // Still being written or awaited: the buffer must not be reused.
        this.settleFailure(batch, this.timeoutError(batch), false);
      }
      request.deadline = next;
    }
  }

  private timeoutError(batch: ProducerBatch): KafkaTimeoutError {
    return new KafkaTimeoutError(
      `Delivery timed out: ${batch.count} record(s) for ${batch.state.label} were not acknowledged within ` +
        `deliveryTimeoutMs (${batch.attempts} attempt(s)); they may or may not have been written`,
      { topic: batch.topic, partition: batch.partition },
    );
  }
}
