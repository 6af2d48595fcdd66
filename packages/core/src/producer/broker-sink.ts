import { diagnosticChannels } from '../diagnostics/channels.js';
import { toKafkaError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { createBrokerError } from '../errors/index.js';
import type { KafkaError } from '../errors/kafka-error.js';
import {
  Produce,
  type ProduceRequestPartitionProduceData,
  type ProduceResponse,
  type ProduceResponseNodeEndpoint,
  type ProduceResponsePartitionProduceResponse,
} from '../protocol/messages/generated/produce.js';
import { ZERO_UUID } from '../protocol/primitives/uuid.js';
import type { ProducerBatch } from './producer-batch.js';
import type { ProducerConnection, SinkCluster } from './producer-cluster.js';
import type { ProducerMetrics } from './producer-metrics.js';
import { TracedBatches } from './traced-batches.js';

/** A Produce request not yet answered (with `acks: 0`, not yet written). */
export interface InFlightRequest {
  /** Its batches, one per partition. */
  readonly batches: readonly ProducerBatch[];
  /** Earliest delivery deadline among its batches not yet done (the sender moves it as batches expire). */
  deadline: number;
}

/** One topic of a request: what was written, and its batches by partition for matching the response. */
interface RequestTopic {
  readonly name: string;
  readonly topicId: string;
  readonly partitionData: ProduceRequestPartitionProduceData[];
  readonly batches: Map<number, ProducerBatch>;
}

/** A request with its index: the response is matched through it, never by scanning other requests' batches. */
interface SinkRequest extends InFlightRequest {
  /** Its topics by the key the response names them with: the topic id (Produce v13+) or the name. */
  readonly topics: Map<string, RequestTopic>;
  /** Its batches' `vltava:producer:batch` traces, when the channel had a subscriber as it was written. */
  traces: TracedBatches | undefined;
}

/** What a sink reports; the sender decides what each outcome means for the batches. */
export interface SinkEvents {
  /** The connection became ready, or closed: sendable batches may have to be looked at again. */
  connectionChanged(closed: boolean): void;
  /** Connecting to the broker failed. */
  connectFailed(nodeId: number, error: unknown): void;
  /** A partition's result in a response, with the batch it answers (found through the request's index). */
  partitionResult(
    batch: ProducerBatch,
    result: ProduceResponsePartitionProduceResponse,
    endpoints: readonly ProduceResponseNodeEndpoint[],
    broker: string,
    now: number,
  ): void;
  /** The response left a batch out (answered, `code` -1): it failed with `error`. */
  batchUnanswered(batch: ProducerBatch, error: KafkaError, now: number): void;
  /** The request failed as a whole (not sent, broken connection, timeout): each of its batches failed with `error`. */
  requestFailed(batches: readonly ProducerBatch[], error: KafkaError): void;
  /** `acks: 0`: the request was written; its batch is done, offset unknown. */
  written(batch: ProducerBatch): void;
  /** A request is over (answered, failed or written): the window has room again. */
  requestDone(): void;
}

/** Settings of a sink (from the producer options). */
export interface SinkOptions {
  /** Java: acks. With 0 no response is expected and the window is unbounded. */
  readonly acks: 0 | 1 | -1;
  /** Java: max.in.flight.requests.per.connection: Produce requests awaiting a response at once. */
  readonly maxInFlight: number;
  /** Java: request.timeout.ms, sent as the Produce timeout. */
  readonly requestTimeoutMs: number;
  /** The transactional id Produce requests carry, or null. */
  readonly transactionalId: string | null;
  /** `client.id`, for the `vltava:producer:batch` channel. */
  readonly clientId?: string;
}

/** The metrics a sink counts. */
export type SinkMetrics = Pick<ProducerMetrics, 'batchSent' | 'requestCompleted' | 'requestsSent'>;

/**
 * Everything the producer has going on with one broker: the connection (asked of the cluster, dropped when it
 * closes), the in-flight window (at most `maxInFlight` requests awaiting a response), the order of requests whose
 * batches still compress off the event loop, and the matching of each response to its request's batches.
 *
 * A request's batches are indexed by topic and partition when it is built; the response is matched through that
 * index, and a batch the response leaves out is reported as unanswered. The sink settles nothing itself: it reports
 * each outcome to its {@link SinkEvents} (the sender), which decides on retries and failures.
 */
export class BrokerSink {
  private connection: ProducerConnection | undefined;
  private connecting = false;
  private stopped = false;
  /** Requests awaiting a response (not counted with `acks: 0`). */
  private awaiting = 0;
  /** Requests whose batches are still compressing off-thread; later requests to the broker wait behind them. */
  private pendingBuilds: Promise<void> | undefined;
  private readonly pending = new Set<SinkRequest>();
  private readonly expectResponse: boolean;
  private readonly window: number;

  constructor(
    /** The broker's node id. */
    readonly nodeId: number,
    private readonly cluster: SinkCluster,
    private readonly events: SinkEvents,
    private readonly options: SinkOptions,
    private readonly metrics: SinkMetrics,
  ) {
    this.expectResponse = options.acks !== 0;
    this.window = this.expectResponse ? options.maxInFlight : Number.POSITIVE_INFINITY;
  }

  /** Requests not yet answered (or, with `acks: 0`, not yet written). */
  get requests(): ReadonlySet<InFlightRequest> {
    return this.pending;
  }

  /** True when the connection is ready; otherwise starts connecting (once at a time) and returns false. */
  ready(): boolean {
    if (this.connection?.ready === true) return true;
    this.connect();
    return false;
  }

  /** True while the in-flight window has room for another request. */
  get hasRoom(): boolean {
    return this.awaiting < this.window;
  }

  /** Stops connecting; requests in flight keep going. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Sends `batches` (at most one per partition, each closed and marked sent) in one Produce request on the ready
   * connection. `building`: some batch still compresses off the event loop. `maxVersion` caps the Produce version
   * (transactions v1 need 11 or lower).
   */
  send(batches: readonly ProducerBatch[], building: boolean, maxVersion: number): void {
    const connection = this.connection!;
    let deadline = Number.POSITIVE_INFINITY;
    for (const batch of batches) if (batch.deadline < deadline) deadline = batch.deadline;
    const request: SinkRequest = { batches, deadline, topics: new Map(), traces: undefined };
    this.pending.add(request);
    if (this.expectResponse) this.awaiting++;
    if (!building && this.pendingBuilds === undefined) {
      this.write(connection, request, maxVersion);
      return;
    }
    // Keep the broker's request order: this request (and later ones) wait for every compression in progress.
    const previous = this.pendingBuilds ?? Promise.resolve();
    const chain = previous
      .then(() => Promise.all(batches.map((batch) => batch.close())))
      .then(
        () => this.write(connection, request, maxVersion),
        (error: unknown) => this.failed(request, toKafkaError(error, { during: 'sending produce requests' })),
      )
      .finally(() => {
        if (this.pendingBuilds === chain) this.pendingBuilds = undefined;
      });
    this.pendingBuilds = chain;
  }

  private connect(): void {
    if (this.connecting || this.stopped) return;
    this.connecting = true;
    this.cluster.connection(this.nodeId).then(
      (connection) => {
        this.connecting = false;
        this.connection = connection;
        connection.onClose(() => {
          if (this.connection === connection) this.connection = undefined;
          this.events.connectionChanged(true);
        });
        this.events.connectionChanged(false);
      },
      (error: unknown) => {
        this.connecting = false;
        this.events.connectFailed(this.nodeId, error);
      },
    );
  }

  /** Builds the request from the built batches, indexing them by topic and partition, and sends it. */
  private write(connection: ProducerConnection, request: SinkRequest, maxVersion: number): void {
    const byName = request.topics;
    const metadata = this.cluster.metadata;
    let allIds = true;
    const traces = diagnosticChannels.producerBatch.hasSubscribers
      ? new TracedBatches(this.options.clientId ?? '', this.options.transactionalId ?? undefined, this.nodeId)
      : undefined;
    request.traces = traces;
    for (const batch of request.batches) {
      let topic = byName.get(batch.topic);
      if (topic === undefined) {
        const topicId = metadata.topics.get(batch.topic)?.topicId ?? ZERO_UUID;
        if (topicId === ZERO_UUID) allIds = false;
        topic = { name: batch.topic, topicId, partitionData: [], batches: new Map() };
        byName.set(batch.topic, topic);
      }
      const bytes = batch.bytes!;
      topic.partitionData.push({ index: batch.partition, records: bytes });
      topic.batches.set(batch.partition, batch);
      this.metrics.batchSent(bytes.length, batch.count);
      traces?.begin(batch, bytes.length);
    }
    // Topic ids need Produce v13.
    let version: number;
    try {
      version = connection.versionFor(Produce, Math.min(maxVersion, allIds ? 13 : 12));
    } catch (error) {
      this.failed(request, toKafkaError(error, { during: 'sending produce requests' }));
      return;
    }
    const topicData = [...byName.values()];
    if (version >= 13) {
      // The response names topics by id: re-key the index so.
      byName.clear();
      for (const topic of topicData) byName.set(topic.topicId, topic);
    }
    const sentAt = Date.now();
    this.metrics.requestsSent++;
    connection
      .send(
        Produce,
        {
          transactionalId: this.options.transactionalId,
          acks: this.options.acks,
          timeoutMs: this.options.requestTimeoutMs,
          topicData,
        },
        { version, expectResponse: this.expectResponse },
      )
      .then(
        (response) => {
          this.metrics.requestCompleted(Date.now() - sentAt);
          if (this.expectResponse) this.answered(request, response, version >= 13, connection.label);
          else this.written(request);
        },
        (error: unknown) => this.failed(request, toKafkaError(error, { during: 'sending produce requests' })),
      );
  }

  /** `acks: 0`: the request was written. */
  private written(request: SinkRequest): void {
    this.pending.delete(request);
    for (const batch of request.batches) {
      request.traces?.settle(batch, undefined, -1n);
      this.events.written(batch);
    }
    this.events.requestDone();
  }

  private answered(request: SinkRequest, response: ProduceResponse, byId: boolean, broker: string): void {
    this.awaiting--;
    this.pending.delete(request);
    const now = Date.now();
    const topics = request.topics;
    for (const answer of response.responses) {
      const topic = topics.get(byId ? answer.topicId : answer.name);
      if (topic === undefined) continue;
      for (const result of answer.partitionResponses) {
        const batch = topic.batches.get(result.index);
        if (batch === undefined) continue;
        topic.batches.delete(result.index);
        request.traces?.settle(
          batch,
          result.errorCode === ErrorCodes.NONE
            ? undefined
            : createBrokerError(result.errorCode, { api: 'Produce', broker }),
          result.baseOffset,
        );
        this.events.partitionResult(batch, result, response.nodeEndpoints, broker, now);
      }
    }
    // What the response did not answer is left in the index.
    for (const topic of topics.values()) {
      for (const batch of topic.batches.values()) {
        const error = createBrokerError(ErrorCodes.NETWORK_EXCEPTION, {
          topic: batch.topic,
          partition: batch.partition,
          broker,
          api: 'Produce',
        });
        request.traces?.settle(batch, error, -1n);
        this.events.batchUnanswered(batch, error, now);
      }
    }
    this.events.requestDone();
  }

  private failed(request: SinkRequest, error: KafkaError): void {
    if (this.expectResponse) this.awaiting--;
    this.pending.delete(request);
    request.traces?.settleAll(error);
    this.events.requestFailed(request.batches, error);
    this.events.requestDone();
  }
}
