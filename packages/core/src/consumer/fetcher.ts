import { diagnosticChannels } from '../diagnostics/channels.js';
import type { ConsumerFetchPayload, TracedAcknowledgement } from '../diagnostics/payloads.js';

import { isStaleMetadata } from '../errors/error-classification.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { createBrokerError } from '../errors/index.js';
import { isKafkaError } from '../errors/kafka-error.js';
import { Fetch, type FetchRequest, type FetchResponse } from '../protocol/messages/generated/fetch.js';
import { ZERO_UUID } from '../protocol/primitives/uuid.js';
import type { Logger } from '../utils/logger.js';
import type { BrokerAccess, BrokerChannel } from './cluster-view.js';
import type { FetchBuffer } from './fetch-buffer.js';
import { FetchSession, FINAL_EPOCH, type SessionPartition, type SessionRequest } from './fetch-session.js';
import { readFetchedPartition } from './fetched-partition.js';
import type { OffsetResetPolicy } from './offset-reset-policy.js';
import type { PartitionState } from './partition-state.js';
import { PassScheduler } from './pass-scheduler.js';
import type { SubscriptionState } from './subscription-state.js';

/** A Fetch carries no share acknowledgements. */
const NO_ACKNOWLEDGEMENTS: readonly TracedAcknowledgement[] = Object.freeze([]);

/** The connection lane of Fetch requests: long polls never delay other traffic to the same broker. */
export const FETCH_LANE = 'fetch';

/** Fetch v13+ names topics by id. */
const FIRST_TOPIC_ID_VERSION = 13;

/** Fetch settings. */
export interface FetcherOptions {
  readonly fetchMinBytes: number;
  readonly fetchMaxWaitMs: number;
  readonly fetchMaxBytes: number;
  readonly maxPartitionFetchBytes: number;
  readonly readCommitted: boolean;
  readonly checkCrcs: boolean;
  readonly maxDecompressedBytes: number;
  readonly clientRack: string | undefined;
  readonly requestTimeoutMs: number;
  /** How long a preferred read replica (KIP-392) is used before asking the leader again. */
  readonly preferredReplicaTtlMs: number;
  readonly retryDelay: (attempt: number) => number;
  /** `client.id` and `group.id` for the `vltava:consumer:fetch` channel. */
  readonly identity?: { readonly clientId: string; readonly groupId: string | undefined };
}

/** The parts the fetcher works with. */
export interface FetcherParts {
  /** Metadata, leaders and broker connections. */
  readonly cluster: BrokerAccess;
  /** What to fetch, from where; its announcements start passes. */
  readonly subscriptions: SubscriptionState;
  /** Where fetched records go; its room starts passes. */
  readonly buffer: FetchBuffer;
  /** What `autoOffsetReset` decides for out-of-range offsets and divergence. */
  readonly policy: OffsetResetPolicy;
  readonly logger: Logger;
}

/** Counters the fetcher keeps for `metrics()`. */
export interface FetchMetrics {
  fetchRequests: number;
  fetchErrors: number;
  fetchLatencyTotalMs: number;
  fetchLatencyMaxMs: number;
  bytesFetched: number;
  recordsFetched: number;
  /** Records fetched from each broker (leaders, or preferred read replicas). */
  readonly recordsFetchedByBroker: Map<number, number>;
}

interface InFlight {
  readonly request: SessionRequest;
  /** Version of each partition's state when the request was built. */
  readonly versions: Map<string, number>;
  /** Topic names by id for this request. */
  readonly names: Map<string, string>;
  readonly startedAt: number;
  readonly fromFollower: boolean;
}

/**
 * The fetch pipeline: at most one Fetch in flight per broker, on its own connection lane, each over an incremental
 * fetch session (KIP-227).
 *
 * A pass groups the fetchable partitions (valid position, not paused by the application, room in their buffer,
 * not in flight elsewhere) by the broker to read them from: the leader, or the replica the leader prefers for the
 * consumer's rack (KIP-392, `clientRack`). Every broker with partitions and no fetch in flight gets one. When a
 * response arrives its records go to the buffer and the broker's next fetch goes out at once, so the next batch is
 * on its way while the application processes this one. A slow or paused partition only drops out of its broker's
 * session; the others keep flowing.
 *
 * Errors are handled per partition: leadership moves refresh metadata (and use the KIP-951 leader hint at once),
 * out-of-range positions and divergence go to the reset policy, a fenced leader epoch asks for validation, anything
 * unexpected fails the partition (raised to the application).
 *
 * Nobody wakes the fetcher: it runs a pass when a partition announces a change (assigned, sought, validated,
 * resumed, ...), when the buffer has room, when metadata changes, and when a backoff ends.
 */
export class Fetcher {
  private readonly host: FetcherParts;
  private readonly options: FetcherOptions;
  private readonly sessions = new Map<number, FetchSession>();
  private readonly inFlight = new Map<number, InFlight>();
  /** Partitions in a fetch in flight, so that a partition is never fetched from two brokers at once. */
  private readonly fetching = new Set<string>();
  private readonly backoffUntil = new Map<number, number>();
  private readonly failures = new Map<number, number>();
  private enabled = false;
  private closed = false;
  private readonly scheduler = new PassScheduler(() => this.pass());
  /** Fetch counters. */
  readonly metrics: FetchMetrics = {
    fetchRequests: 0,
    fetchErrors: 0,
    fetchLatencyTotalMs: 0,
    fetchLatencyMaxMs: 0,
    bytesFetched: 0,
    recordsFetched: 0,
    recordsFetchedByBroker: new Map(),
  };

  constructor(parts: FetcherParts, options: FetcherOptions) {
    this.host = parts;
    this.options = options;
    const wake = () => this.wake();
    parts.subscriptions.events.changed.on(wake);
    parts.subscriptions.events.resumed.on(wake);
    parts.buffer.room.on(wake);
    parts.cluster.onMetadata(wake);
  }

  /** Fetches in flight. */
  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /** Starts or stops fetching ahead. Fetches in flight complete; their records are buffered. */
  setEnabled(enabled: boolean): void {
    if (this.enabled === enabled) return;
    this.enabled = enabled;
    if (enabled) this.wake();
  }

  /** Schedules a pass (coalesced): something that decides what to fetch changed. */
  private wake(): void {
    if (this.closed || !this.enabled) return;
    this.scheduler.schedule();
  }

  /**
   * Closes the fetch sessions the brokers keep for this consumer (KIP-227): a Fetch with the final epoch and no
   * partitions to each broker with a session, so that its slot in the broker's session cache (1,000 by default,
   * shared by every consumer and follower) is freed now rather than when the broker evicts it. A broker with a
   * fetch in flight gets it on the default connection, so that it does not wait behind that long poll. Failures
   * are logged and ignored: the broker evicts the session in the end. Call after `setEnabled(false)`.
   */
  async closeSessions(): Promise<void> {
    const closing: Array<Promise<void>> = [];
    for (const [node, session] of this.sessions) {
      const sessionId = session.close();
      if (sessionId === undefined) continue;
      closing.push(this.closeSession(node, sessionId));
    }
    this.sessions.clear();
    await Promise.all(closing);
  }

  private async closeSession(node: number, sessionId: number): Promise<void> {
    const lane = this.inFlight.has(node) ? undefined : FETCH_LANE;
    try {
      const connection = await this.host.cluster.connection(node, lane);
      const response = await connection.send(
        Fetch,
        {
          replicaId: -1,
          maxWaitMs: 0,
          minBytes: 0,
          maxBytes: 1,
          isolationLevel: this.options.readCommitted ? 1 : 0,
          sessionId,
          sessionEpoch: FINAL_EPOCH,
          topics: [],
          forgottenTopicsData: [],
          rackId: this.options.clientRack ?? '',
        },
        { timeoutMs: this.options.requestTimeoutMs },
      );
      if (response.errorCode === ErrorCodes.NONE)
        this.host.logger.debug('fetch session closed', { broker: node, sessionId });
      else {
        this.host.logger.debug('closing a fetch session failed', {
          broker: node,
          sessionId,
          error: createBrokerError(response.errorCode, { api: 'Fetch', broker: String(node) }),
        });
      }
    } catch (error) {
      this.host.logger.debug('closing a fetch session failed', {
        broker: node,
        sessionId,
        error: isKafkaError(error) ? error : String(error),
      });
    }
  }

  /** Stops fetching for good. */
  close(): void {
    this.closed = true;
    this.enabled = false;
    this.scheduler.close();
  }

  private pass(): void {
    if (!this.enabled || this.closed) return;
    const { subscriptions, buffer } = this.host;
    const now = Date.now();
    const byNode = new Map<number, PartitionState[]>();
    let needMetadata = false;
    let earliestRetry = Number.POSITIVE_INFINITY;
    for (const state of subscriptions.states()) {
      if (!subscriptions.isFetchable(state) || this.fetching.has(state.key) || !buffer.canFetch(state)) continue;
      const node = this.targetNode(state, now);
      if (node === undefined) {
        needMetadata = true;
        continue;
      }
      if (this.inFlight.has(node)) continue;
      const until = this.backoffUntil.get(node) ?? 0;
      if (until > now) {
        earliestRetry = Math.min(earliestRetry, until);
        continue;
      }
      let list = byNode.get(node);
      if (list === undefined) {
        list = [];
        byNode.set(node, list);
      }
      list.push(state);
    }
    for (const [node, states] of byNode) void this.fetchFrom(node, states);
    if (needMetadata) this.refreshMetadata();
    if (Number.isFinite(earliestRetry)) this.wakeAt(earliestRetry);
  }

  /** The broker to fetch a partition from: its preferred read replica while valid, else its leader. */
  private targetNode(state: PartitionState, now: number): number | undefined {
    const replica = state.readReplicaAt(now);
    if (replica !== undefined) {
      if (this.host.cluster.metadata.brokers.has(replica)) return replica;
      state.forgetReadReplica();
    }
    const leader = this.host.cluster.partition(state.topic, state.partition)?.leader;
    return leader === undefined || leader < 0 ? undefined : leader;
  }

  private async fetchFrom(node: number, states: PartitionState[]): Promise<void> {
    const { cluster, buffer } = this.host;
    const metadata = cluster.metadata;
    let byTopicId = true;
    const partitions: SessionPartition[] = [];
    const versions = new Map<string, number>();
    const names = new Map<string, string>();
    let fromFollower = false;
    for (const state of states) {
      const topicInfo = metadata.topics.get(state.topic);
      const topicId = topicInfo?.topicId ?? ZERO_UUID;
      if (topicId === ZERO_UUID) byTopicId = false;
      else names.set(topicId, state.topic);
      const leaderEpoch = topicInfo?.partitions[state.partition]?.leaderEpoch ?? -1;
      if (state.preferredReadReplica === node) fromFollower = true;
      partitions.push({
        topic: state.topic,
        topicId,
        partition: state.partition,
        fetchOffset: state.fetchOffset,
        currentLeaderEpoch: leaderEpoch,
        lastFetchedEpoch: state.fetchEpoch,
        maxBytes: this.options.maxPartitionFetchBytes,
      });
      versions.set(state.key, state.version);
    }
    let session = this.sessions.get(node);
    if (session === undefined) {
      session = new FetchSession();
      this.sessions.set(node, session);
    }
    let connection: BrokerChannel;
    const inFlight: InFlight = {
      request: session.build(partitions, byTopicId),
      versions,
      names,
      startedAt: Date.now(),
      fromFollower,
    };
    this.inFlight.set(node, inFlight);
    for (const key of inFlight.request.partitions.keys()) this.fetching.add(key);
    const trace = diagnosticChannels.consumerFetch.hasSubscribers ? this.beginTrace(node, partitions) : undefined;
    let response: FetchResponse | undefined;
    let version = 0;
    try {
      connection = await cluster.connection(node, FETCH_LANE);
      version = connection.versionFor(Fetch, byTopicId ? undefined : FIRST_TOPIC_ID_VERSION - 1);
      const request = this.buildRequest(inFlight.request, version >= FIRST_TOPIC_ID_VERSION, buffer.roomBytes());
      this.metrics.fetchRequests++;
      response = await connection.send(Fetch, request, {
        version,
        timeoutMs: this.options.requestTimeoutMs + this.options.fetchMaxWaitMs,
      });
    } catch (error) {
      session.onFailure();
      this.metrics.fetchErrors++;
      const failures = (this.failures.get(node) ?? 0) + 1;
      this.failures.set(node, failures);
      this.backoffUntil.set(node, Date.now() + this.options.retryDelay(failures - 1));
      this.host.logger.debug('fetch failed', { broker: node, error: isKafkaError(error) ? error : String(error) });
      if (trace !== undefined) diagnosticChannels.consumerFetch.settle(trace, error);
      for (const state of states) if (state.preferredReadReplica === node) state.forgetReadReplica();
      this.refreshMetadata();
    } finally {
      this.inFlight.delete(node);
      for (const key of inFlight.request.partitions.keys()) this.fetching.delete(key);
    }
    if (response !== undefined) {
      const latency = Date.now() - inFlight.startedAt;
      this.metrics.fetchLatencyTotalMs += latency;
      if (latency > this.metrics.fetchLatencyMaxMs) this.metrics.fetchLatencyMaxMs = latency;
      const sessionBefore = session.id;
      if (session.onResponse(response.errorCode, response.sessionId)) {
        if (session.id !== 0 && session.id !== sessionBefore) {
          this.host.logger.debug('fetch session opened', { broker: node, sessionId: session.id });
        }
        this.failures.delete(node);
        const records = this.metrics.recordsFetched;
        const bytes = this.metrics.bytesFetched;
        this.handleResponse(node, inFlight, response, version);
        if (trace !== undefined) {
          diagnosticChannels.consumerFetch.settle(trace, undefined, {
            records: this.metrics.recordsFetched - records,
            bytes: this.metrics.bytesFetched - bytes,
          });
        }
      } else if (response.errorCode !== ErrorCodes.NONE) {
        // (NONE here: the session was closed while this fetch was in flight, on close(); its answer is not used.)
        this.metrics.fetchErrors++;
        if (trace !== undefined) {
          diagnosticChannels.consumerFetch.settle(
            trace,
            createBrokerError(response.errorCode, { api: 'Fetch', broker: String(node) }),
          );
        }
        if (
          response.errorCode !== ErrorCodes.FETCH_SESSION_ID_NOT_FOUND &&
          response.errorCode !== ErrorCodes.INVALID_FETCH_SESSION_EPOCH
        ) {
          this.host.logger.warn('fetch returned an error', {
            broker: node,
            error: createBrokerError(response.errorCode, { api: 'Fetch', broker: String(node) }),
          });
          this.backoffUntil.set(node, Date.now() + this.options.retryDelay(0));
        }
      }
    }
    this.wake();
  }

  /** Opens the `vltava:consumer:fetch` trace of a fetch from `node` (only with a subscriber). */
  private beginTrace(node: number, partitions: readonly SessionPartition[]): ConsumerFetchPayload {
    const payload: ConsumerFetchPayload = {
      clientId: this.options.identity?.clientId ?? '',
      groupId: this.options.identity?.groupId,
      groupKind: 'consumer',
      nodeId: node,
      partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.fetchOffset })),
      acknowledgements: NO_ACKNOWLEDGEMENTS,
    };
    diagnosticChannels.consumerFetch.begin(payload);
    return payload;
  }

  private buildRequest(session: SessionRequest, byTopicId: boolean, room: number): FetchRequest {
    const topics = groupByTopic(session.toSend, byTopicId, (p) => ({
      partition: p.partition,
      currentLeaderEpoch: p.currentLeaderEpoch,
      fetchOffset: p.fetchOffset,
      lastFetchedEpoch: p.lastFetchedEpoch,
      logStartOffset: -1n,
      partitionMaxBytes: p.maxBytes,
    }));
    const forgotten = groupByTopic(session.toForget, byTopicId, (p) => p.partition);
    return {
      replicaId: -1,
      maxWaitMs: this.options.fetchMaxWaitMs,
      minBytes: this.options.fetchMinBytes,
      maxBytes: Math.max(1, Math.min(this.options.fetchMaxBytes, room)),
      isolationLevel: this.options.readCommitted ? 1 : 0,
      sessionId: session.sessionId,
      sessionEpoch: session.sessionEpoch,
      topics,
      forgottenTopicsData: forgotten,
      rackId: this.options.clientRack ?? '',
    };
  }

  private handleResponse(node: number, inFlight: InFlight, response: FetchResponse, version: number): void {
    const { subscriptions, buffer } = this.host;
    const now = Date.now();
    const endpoints = new Map(response.nodeEndpoints.map((e) => [e.nodeId, e]));
    for (const topicData of response.responses) {
      const topic = version >= FIRST_TOPIC_ID_VERSION ? inFlight.names.get(topicData.topicId) : topicData.topic;
      if (topic === undefined) continue;
      for (const data of topicData.partitions) {
        const key = `${topic}:${data.partitionIndex}`;
        const sent = inFlight.request.partitions.get(key);
        const state = subscriptions.getByKey(key);
        if (sent === undefined || state === undefined) continue;
        // Drop what no longer continues where the partition is: it was sought, reset, revoked or re-fetched.
        if (state.version !== inFlight.versions.get(key) || state.fetchOffset !== sent.fetchOffset) continue;
        const code = data.errorCode;
        if (code === ErrorCodes.NONE) {
          state.recordLogBounds(data.highWatermark, data.lastStableOffset, data.logStartOffset);
          if (data.divergingEpoch.epoch >= 0 && data.divergingEpoch.endOffset >= 0n) {
            this.host.policy.diverged(state, data.divergingEpoch.epoch, data.divergingEpoch.endOffset);
            continue;
          }
          if (data.preferredReadReplica >= 0 && data.preferredReadReplica !== node) {
            state.preferReadReplica(data.preferredReadReplica, now + this.options.preferredReplicaTtlMs);
          } else if (data.preferredReadReplica < 0 && inFlight.fromFollower === false) {
            state.forgetReadReplica();
          }
          const records = data.records;
          if (records === null || records.length === 0) continue;
          this.metrics.bytesFetched += records.length;
          const fetched = readFetchedPartition(records, state.fetchOffset, data.abortedTransactions, {
            topic,
            partition: data.partitionIndex,
            readCommitted: this.options.readCommitted,
            verifyCrc: this.options.checkCrcs,
            maxDecompressedBytes: this.options.maxDecompressedBytes,
          });
          if (fetched.entries.length > 0) {
            buffer.append(state, fetched);
            this.metrics.recordsFetched += fetched.count;
            const byBroker = this.metrics.recordsFetchedByBroker;
            byBroker.set(node, (byBroker.get(node) ?? 0) + fetched.count);
          }
          state.markFetched(fetched.nextFetchOffset, fetched.lastEpoch);
          continue;
        }
        this.handlePartitionError(state, code, node, inFlight.fromFollower, data.currentLeader, endpoints);
      }
    }
  }

  private handlePartitionError(
    state: PartitionState,
    code: number,
    node: number,
    fromFollower: boolean,
    leader: { leaderId: number; leaderEpoch: number },
    endpoints: Map<number, { nodeId: number; host: string; port: number; rack: string | null }>,
  ): void {
    this.metrics.fetchErrors++;
    const context = { topic: state.topic, partition: state.partition, broker: String(node), api: 'Fetch' };
    if (code === ErrorCodes.OFFSET_OUT_OF_RANGE) {
      if (fromFollower) {
        // A follower may lag the leader: ask the leader before deciding the offset is out of range (KIP-392).
        state.forgetReadReplica();
        return;
      }
      this.host.policy.outOfRange(state);
      return;
    }
    if (isStaleMetadata(code)) {
      state.forgetReadReplica();
      if (leader.leaderId >= 0 && leader.leaderEpoch >= 0) {
        const endpoint = endpoints.get(leader.leaderId);
        this.host.cluster.updateLeader(
          state.topic,
          state.partition,
          leader.leaderId,
          leader.leaderEpoch,
          endpoint === undefined
            ? undefined
            : { nodeId: endpoint.nodeId, host: endpoint.host, port: endpoint.port, rack: endpoint.rack },
        );
      }
      if (code === ErrorCodes.FENCED_LEADER_EPOCH && state.positionEpoch !== undefined) state.requestValidation();
      this.refreshMetadata();
      return;
    }
    const error = createBrokerError(code, context);
    if (error.retriable) {
      this.host.logger.debug('retriable fetch error', { error });
      this.backoffUntil.set(node, Date.now() + this.options.retryDelay(0));
      return;
    }
    state.fail(error);
  }

  private refreshMetadata(): void {
    this.scheduler.refreshMetadata(this.host.cluster, () => this.options.retryDelay(0), this.host.logger);
  }

  private wakeAt(at: number): void {
    this.scheduler.scheduleAt(at);
  }
}

/**
 * Groups session partitions by topic (keyed by topic id when the request names topics by id), in the order first
 * met, each topic with the entries `entry` makes of its partitions.
 */
function groupByTopic<E>(
  partitions: readonly SessionPartition[],
  byTopicId: boolean,
  entry: (partition: SessionPartition) => E,
): Array<{ topic: string; topicId: string; partitions: E[] }> {
  const topics = new Map<string, { topic: string; topicId: string; partitions: E[] }>();
  for (const p of partitions) {
    const key = byTopicId ? p.topicId : p.topic;
    let topic = topics.get(key);
    if (topic === undefined) {
      topic = { topic: p.topic, topicId: p.topicId, partitions: [] };
      topics.set(key, topic);
    }
    topic.partitions.push(entry(p));
  }
  return [...topics.values()];
}
