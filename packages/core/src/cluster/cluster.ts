import { ClientClosedError, ConnectionError, KafkaTimeoutError, toKafkaError } from '../errors/client-errors.js';
import { isCoordinatorMoved, isFatal } from '../errors/error-classification.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { createBrokerError } from '../errors/index.js';
import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import { Connection, type RequestOptions } from '../network/connection.js';
import { ConnectionStats } from '../network/connection-stats.js';
import type { ApiDefinition } from '../protocol/messages/api-definition.js';
import { FindCoordinator } from '../protocol/messages/generated/find-coordinator.js';
import { Metadata, type MetadataResponse } from '../protocol/messages/generated/metadata.js';
import { ZERO_UUID } from '../protocol/primitives/uuid.js';
import { type BackoffOptions, backoffDelay } from '../utils/backoff.js';
import { settleBy } from '../utils/deadline.js';
import { delay } from '../utils/delay.js';
import type { Logger } from '../utils/logger.js';
import { type BrokerAddress, formatBrokerAddress } from './broker-address.js';
import { BrokerConnection } from './broker-connection.js';
import type { ResolvedClientOptions } from './client-options.js';
import {
  type BrokerInfo,
  EMPTY_METADATA,
  type MetadataSnapshot,
  type PartitionInfo,
  type TopicInfo,
} from './metadata.js';

/** Coordinator kinds of FindCoordinator. */
export const CoordinatorType = { group: 0, transaction: 1, share: 2 } as const;
/** A FindCoordinator key type. */
export type CoordinatorType = (typeof CoordinatorType)[keyof typeof CoordinatorType];

/** The lane of requests any broker can answer (metadata, coordinator lookups) when the others are busy. */
const CONTROL_LANE = 'control';

const SOFTWARE_VERSION = '0.1.0';

/** Options of {@link Cluster.refreshMetadata}. */
export interface RefreshOptions {
  /** Topics to add to the tracked set before refreshing. */
  readonly topics?: Iterable<string>;
  /** Fetch every topic of the cluster this time (for pattern subscriptions and listing). */
  readonly allTopics?: boolean;
}

/**
 * The client's view of a Kafka cluster: brokers and their connections, topic metadata, coordinators.
 *
 * - Bootstraps from the configured brokers, then talks to brokers by node id. When every known broker is
 *   unreachable, it bootstraps again (KIP-899 rebootstrap), calling the bootstrap function anew if one was given.
 * - Keeps a metadata snapshot for the tracked topics, refreshed when it is older than `metadataMaxAgeMs` and
 *   whenever a caller reports it stale. Concurrent refresh requests share one request. Partition metadata with an
 *   older leader epoch than already seen is ignored (KIP-320), so a lagging broker cannot move a leader backwards.
 * - Leader hints from Produce and Fetch responses (KIP-951) update the snapshot without a metadata round trip.
 * - One connection per broker per lane: `default` for most requests; the consumer uses a separate lane for its
 *   coordinator so that heartbeats never queue behind a long-polling Fetch.
 * - FindCoordinator lookups are cached and batched per tick (KIP-699).
 */
export class Cluster {
  /** Resolved client settings. */
  readonly options: ResolvedClientOptions;
  private readonly logger: Logger;
  private snapshot: MetadataSnapshot = EMPTY_METADATA;
  private readonly connections = new Map<string, BrokerConnection>();
  /** Counters per connection key (`<nodeId>/<lane>`, `bootstrap/<host:port>`), kept across reconnections. */
  private readonly stats = new Map<string, LaneStats>();
  private readonly tracked = new Set<string>();
  private readonly leaderEpochs = new Map<string, number>();
  private readonly listeners = new Set<(snapshot: MetadataSnapshot) => void>();
  private readonly coordinators = new Map<string, BrokerInfo>();
  private readonly coordinatorBatches = new Map<CoordinatorType, Map<string, Array<Deferred<BrokerInfo>>>>();
  private refreshRun: Promise<MetadataSnapshot> | undefined;
  private refreshQueued: Promise<MetadataSnapshot> | undefined;
  private wantAllTopics = false;
  private bootstrapAddresses: BrokerAddress[] = [];
  private closed = false;
  private readonly abort = new AbortController();
  private metadataTimer: NodeJS.Timeout | undefined;
  private readonly retryBackoff: BackoffOptions;
  /** The owning client object's name in diagnostics payloads (`producer-1`). */
  private readonly clientInstance: string;

  /**
   * Whether metadata requests may auto-create the topics they name, when the broker allows it
   * (`auto.create.topics.enable`). Java: allow.auto.create.topics (producer and consumer, default true).
   */
  allowAutoTopicCreation: boolean;

  constructor(
    options: ResolvedClientOptions,
    settings: { allowAutoTopicCreation?: boolean; clientInstance?: string } = {},
  ) {
    this.options = options;
    this.clientInstance = settings.clientInstance ?? 'client';
    this.retryBackoff = { initialMs: options.retryBackoffMs, maxMs: options.retryBackoffMaxMs };
    this.logger = options.logger;
    this.allowAutoTopicCreation = settings.allowAutoTopicCreation ?? false;
  }

  /** The latest metadata snapshot. */
  get metadata(): MetadataSnapshot {
    return this.snapshot;
  }

  /** True after {@link close}. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Fetches the first metadata (cluster id and brokers), proving the cluster is reachable with these settings.
   * Rejects with `AuthenticationError`/`TlsError` on bad credentials or certificates, `ConnectionError` when no
   * bootstrap broker answers.
   */
  async connect(): Promise<void> {
    await this.refreshMetadata();
    this.scheduleMetadataRefresh();
  }

  /** Subscribes to metadata updates. Returns the unsubscribe function. */
  onMetadata(listener: (snapshot: MetadataSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds topics to those kept in the snapshot. */
  trackTopics(topics: Iterable<string>): void {
    for (const topic of topics) this.tracked.add(topic);
  }

  /** Removes topics from those kept in the snapshot. */
  untrackTopics(topics: Iterable<string>): void {
    for (const topic of topics) this.tracked.delete(topic);
  }

  /** Topics currently tracked. */
  get trackedTopics(): ReadonlySet<string> {
    return this.tracked;
  }

  /**
   * Refreshes metadata for the tracked topics (plus `topics`), or for all topics. Resolves with the new snapshot.
   * A call while a refresh runs is served by the next refresh, which starts when the current one ends, so the
   * result always reflects a request sent after the call.
   */
  refreshMetadata(options: RefreshOptions = {}): Promise<MetadataSnapshot> {
    if (this.closed) return Promise.reject(this.closedError());
    if (options.topics !== undefined) this.trackTopics(options.topics);
    if (options.allTopics === true) this.wantAllTopics = true;
    if (this.refreshRun === undefined) {
      this.refreshRun = this.runRefresh().finally(() => {
        this.refreshRun = undefined;
      });
      return this.refreshRun;
    }
    this.refreshQueued ??= this.refreshRun
      .catch(() => undefined)
      .then(() => {
        this.refreshQueued = undefined;
        return this.refreshMetadata();
      });
    return this.refreshQueued;
  }

  /**
   * Metadata of one topic, refreshing (and auto-creating, if the broker allows) until it has partitions or
   * `timeoutMs` passes. Rejects with the broker's error for the topic (for example `UnknownTopicOrPartitionError`)
   * when the deadline passes, and as soon as a refresh made for the call reports an error that waiting does not fix
   * (`TopicAuthorizationFailedError`, `InvalidTopicError`).
   */
  async topicMetadata(topic: string, timeoutMs: number, signal?: AbortSignal): Promise<TopicInfo> {
    this.trackTopics([topic]);
    const deadline = Date.now() + timeoutMs;
    let attempt = 0;
    for (;;) {
      const known = this.snapshot.topics.get(topic);
      if (known !== undefined && known.errorCode === ErrorCodes.NONE && known.partitions.length > 0) return known;
      if (known !== undefined && isFatal(known.errorCode) && attempt > 0) {
        // Not authorized, an invalid name: waiting cannot help, so the caller learns it now (as in Java). Only from
        // metadata fetched for this call: an error remembered from before may be gone (ACLs granted since).
        throw createBrokerError(known.errorCode, { topic, api: 'Metadata' });
      }
      if (attempt > 0 || known !== undefined) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          if (known !== undefined && known.errorCode !== ErrorCodes.NONE) {
            throw createBrokerError(known.errorCode, { topic });
          }
          throw new KafkaTimeoutError(`Topic ${topic} not present in metadata after ${timeoutMs} ms`, { topic });
        }
        if (attempt > 0) await delay(Math.min(remaining, this.retryDelay(attempt)), signal ?? this.abort.signal);
      }
      attempt++;
      try {
        // Bounded by the deadline: a refresh may wait on connection setup to every broker in turn. (With no time at
        // all, one refresh is still made, unbounded: a timeout of 0 means "do not wait", not "do not ask".)
        const refresh = this.refreshMetadata({ topics: [topic] });
        await (timeoutMs <= 0
          ? refresh
          : settleBy(
              refresh,
              deadline,
              () => new KafkaTimeoutError(`Topic ${topic} not present in metadata after ${timeoutMs} ms`, { topic }),
            ));
      } catch (error) {
        if (!isKafkaError(error) || !error.retriable) throw error;
        // Past the deadline: the next round reports the topic's own error when metadata has one.
        if (Date.now() >= deadline && this.snapshot.topics.get(topic) === undefined) throw error;
      }
    }
  }

  /** A partition's metadata from the snapshot, or undefined. */
  partition(topic: string, partition: number): PartitionInfo | undefined {
    return this.snapshot.topics.get(topic)?.partitions[partition];
  }

  /**
   * Applies a leader hint from a Produce or Fetch response (KIP-951) when its epoch is newer than what metadata
   * says. `endpoint` adds the new leader's address when the broker sent one.
   */
  updateLeader(topic: string, partition: number, leaderId: number, leaderEpoch: number, endpoint?: BrokerInfo): void {
    const key = `${topic}:${partition}`;
    const known = this.leaderEpochs.get(key) ?? -1;
    if (leaderId < 0 || leaderEpoch <= known) return;
    const current = this.snapshot.topics.get(topic);
    const before = current?.partitions[partition];
    if (current === undefined || before === undefined) return;
    this.leaderEpochs.set(key, leaderEpoch);
    const partitions = current.partitions.slice();
    partitions[partition] = { ...before, leader: leaderId, leaderEpoch };
    const topics = new Map(this.snapshot.topics);
    topics.set(topic, { ...current, partitions });
    let brokers = this.snapshot.brokers;
    if (endpoint !== undefined && !brokers.has(endpoint.nodeId)) {
      brokers = new Map(brokers).set(endpoint.nodeId, endpoint);
    }
    this.publish({ ...this.snapshot, topics, brokers });
  }

  /**
   * A ready connection to a broker by node id, on the given lane. Rejects with `ConnectionError` when the node is
   * not in metadata or cannot be reached.
   */
  connection(nodeId: number, lane = 'default'): Promise<Connection> {
    if (this.closed) return Promise.reject(this.closedError());
    const broker = this.snapshot.brokers.get(nodeId) ?? this.coordinatorBroker(nodeId);
    if (broker === undefined) {
      return Promise.reject(
        new ConnectionError(`Broker ${nodeId} is not in the cluster metadata`, { broker: String(nodeId) }),
      );
    }
    return this.brokerConnection(`${nodeId}/${lane}`, broker, nodeId).get();
  }

  /**
   * A ready connection to the least busy known broker (fewest requests in flight), falling back to bootstrap
   * addresses. Used for metadata and other requests any broker can answer.
   */
  async anyConnection(): Promise<Connection> {
    if (this.closed) throw this.closedError();
    let best: Connection | undefined;
    for (const connection of this.connections.values()) {
      const ready = connection.readyConnection;
      if (ready === undefined || ready.nodeId === undefined) continue;
      if (ready.inFlightCount === 0) return ready;
      if (best === undefined || ready.inFlightCount < best.inFlightCount) best = ready;
    }
    if (best !== undefined) return this.controlConnection(best);
    const errors: unknown[] = [];
    let fatal: KafkaError | undefined;
    for (const candidate of await this.candidates()) {
      try {
        return await this.brokerConnection(candidate.key, candidate.address, candidate.nodeId).get();
      } catch (error) {
        // A non-retriable failure (TLS, authentication, a listener mismatch) is fatal once no candidate works: the
        // other addresses are still tried (each fails fast the same way when the settings are wrong everywhere).
        if (isKafkaError(error) && !error.retriable) fatal ??= error;
        errors.push(error);
      }
    }
    if (fatal !== undefined) throw fatal;
    throw new ConnectionError(
      `No broker reachable (tried ${errors.length}); check brokers and that the cluster is up`,
      { cause: errors.at(-1) },
    );
  }

  /**
   * A connection for a request any broker can answer when every ready connection has requests in flight: the
   * `control` lane to the broker of the least busy one. A broker answers the requests of one connection one at a
   * time, in order, so a Metadata request sent behind Produce requests held in purgatory (acks=all while a replica
   * is down) waited seconds: measured 6-8 s during a leader failover, which delayed the failover as much. Falls back
   * to the busy connection when the control one cannot be had.
   */
  private async controlConnection(busy: Connection): Promise<Connection> {
    const nodeId = busy.nodeId!;
    const broker = this.snapshot.brokers.get(nodeId);
    if (broker === undefined) return busy;
    const control = this.brokerConnection(`${nodeId}/${CONTROL_LANE}`, broker, nodeId);
    const ready = control.readyConnection;
    if (ready !== undefined) return ready;
    try {
      return await control.get();
    } catch (error) {
      this.logger.debug('no control connection; using a busy one', { broker: busy.label, error });
      return busy;
    }
  }

  /** Sends a request to a node on a lane. No retries: callers decide what is safe to retry. */
  async send<Req, Res>(
    nodeId: number,
    api: ApiDefinition<Req, Res>,
    request: Req,
    options?: RequestOptions & { lane?: string },
  ): Promise<Res> {
    const connection = await this.connection(nodeId, options?.lane);
    return connection.send(api, request, options);
  }

  /**
   * The coordinator for a group, transactional id or share group. Cached until {@link invalidateCoordinator};
   * lookups in the same tick share one FindCoordinator request. Retries while the coordinator is loading or not
   * available, up to `timeoutMs`.
   */
  async findCoordinator(
    type: CoordinatorType,
    key: string,
    timeoutMs = this.options.requestTimeoutMs,
  ): Promise<BrokerInfo> {
    const cacheKey = `${type}:${key}`;
    const cached = this.coordinators.get(cacheKey);
    if (cached !== undefined) return cached;
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const coordinator = await settleBy(
          this.lookupCoordinator(type, key),
          deadline,
          () => new KafkaTimeoutError(`No coordinator found for '${key}' within ${timeoutMs} ms`, { groupId: key }),
        );
        this.coordinators.set(cacheKey, coordinator);
        return coordinator;
      } catch (error) {
        const remaining = deadline - Date.now();
        if (!isKafkaError(error) || !error.retriable || remaining <= 0 || this.closed) throw error;
        await delay(Math.min(remaining, this.retryDelay(attempt)), this.abort.signal);
      }
    }
  }

  /** Forgets a cached coordinator (after NOT_COORDINATOR or a broken connection). */
  invalidateCoordinator(type: CoordinatorType, key: string): void {
    this.coordinators.delete(`${type}:${key}`);
  }

  /**
   * Backoff before retry number `attempt` (0-based), from retry.backoff.ms and retry.backoff.max.ms: the one
   * exponential backoff with jitter of `utils/backoff.ts`, as reconnects use.
   */
  retryDelay(attempt: number): number {
    return backoffDelay(this.retryBackoff, attempt);
  }

  /**
   * Requests, bytes and quota throttling of every connection this cluster has made, one entry per broker and lane
   * (bootstrap connections included), kept across reconnections and after a broker leaves. Read by the metrics.
   */
  connectionStats(): readonly LaneStats[] {
    return [...this.stats.values()];
  }

  /** Closes every connection and stops refreshing. Pending requests reject with `ClientClosedError`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    if (this.metadataTimer !== undefined) clearTimeout(this.metadataTimer);
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
    for (const batch of this.coordinatorBatches.values()) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(this.closedError());
    }
    this.coordinatorBatches.clear();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private async runRefresh(): Promise<MetadataSnapshot> {
    const allTopics = this.wantAllTopics;
    this.wantAllTopics = false;
    const topics = [...this.tracked];
    let lastError: unknown;
    for (let round = 0; round < 2; round++) {
      let connection: Connection;
      try {
        connection = await this.anyConnection();
      } catch (error) {
        if (isKafkaError(error) && !error.retriable) throw error;
        lastError = error;
        // Every known broker failed: forget them and bootstrap again (KIP-899).
        this.bootstrapAddresses = [];
        continue;
      }
      try {
        const version = connection.versionFor(Metadata);
        const response = await connection.send(
          Metadata,
          {
            topics: allTopics ? null : topics.map((name) => ({ name, topicId: ZERO_UUID })),
            allowAutoTopicCreation: this.allowAutoTopicCreation && !allTopics,
            includeTopicAuthorizedOperations: false,
          },
          { version },
        );
        const snapshot = this.applyMetadata(response, allTopics ? null : new Set(topics));
        this.scheduleMetadataRefresh();
        return snapshot;
      } catch (error) {
        if (isKafkaError(error) && !error.retriable) throw error;
        lastError = error;
      }
    }
    throw isKafkaError(lastError)
      ? lastError
      : new ConnectionError('Metadata refresh failed on every broker', { cause: lastError });
  }

  private applyMetadata(response: MetadataResponse, requested: Set<string> | null): MetadataSnapshot {
    if (response.errorCode !== undefined && response.errorCode !== ErrorCodes.NONE) {
      throw createBrokerError(response.errorCode, { api: 'Metadata' });
    }
    const brokers = new Map<number, BrokerInfo>();
    for (const broker of response.brokers) {
      brokers.set(broker.nodeId, { nodeId: broker.nodeId, host: broker.host, port: broker.port, rack: broker.rack });
    }
    const previous = this.snapshot;
    const topics = new Map<string, TopicInfo>();
    if (requested !== null) {
      // Keep topics that were not part of this request but are still tracked (added while it ran).
      for (const [name, info] of previous.topics)
        if (!requested.has(name) && this.tracked.has(name)) topics.set(name, info);
    }
    for (const topic of response.topics) {
      if (topic.name === null) continue;
      const name = topic.name;
      const old = previous.topics.get(name);
      const partitions: PartitionInfo[] = [];
      for (const p of topic.partitions) {
        const key = `${name}:${p.partitionIndex}`;
        const knownEpoch = this.leaderEpochs.get(key) ?? -1;
        const stale = p.leaderEpoch >= 0 && p.leaderEpoch < knownEpoch;
        const previousPartition = old?.partitions[p.partitionIndex];
        if (stale && previousPartition !== undefined) {
          partitions[p.partitionIndex] = previousPartition;
          continue;
        }
        if (p.leaderEpoch > knownEpoch) this.leaderEpochs.set(key, p.leaderEpoch);
        partitions[p.partitionIndex] = {
          topic: name,
          partition: p.partitionIndex,
          leader: p.leaderId,
          leaderEpoch: p.leaderEpoch,
          replicas: p.replicaNodes,
          isr: p.isrNodes,
          offlineReplicas: p.offlineReplicas,
          errorCode: p.errorCode,
        };
      }
      topics.set(name, {
        name,
        topicId: topic.topicId,
        isInternal: topic.isInternal,
        partitions: densify(partitions, name),
        errorCode: topic.errorCode,
      });
    }
    const topicNamesById = new Map<string, string>();
    for (const info of topics.values()) if (info.topicId !== ZERO_UUID) topicNamesById.set(info.topicId, info.name);
    const snapshot: MetadataSnapshot = {
      clusterId: response.clusterId,
      controllerId: response.controllerId,
      brokers,
      topics,
      topicNamesById,
      updatedAt: Date.now(),
    };
    this.publish(snapshot);
    // Forget connections to brokers that left the cluster.
    for (const [key, connection] of this.connections) {
      const nodeId = Number(key.slice(0, key.indexOf('/')));
      if (!key.startsWith('bootstrap') && !brokers.has(nodeId) && !this.isCoordinatorNode(nodeId)) {
        connection.close();
        this.connections.delete(key);
      }
    }
    return snapshot;
  }

  private publish(snapshot: MetadataSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) {
      try {
        listener(snapshot);
      } catch (error) {
        this.logger.error('metadata listener failed', { error });
      }
    }
  }

  private scheduleMetadataRefresh(): void {
    if (this.closed) return;
    if (this.metadataTimer !== undefined) clearTimeout(this.metadataTimer);
    this.metadataTimer = setTimeout(() => {
      this.metadataTimer = undefined;
      this.refreshMetadata().catch((error: unknown) => {
        this.logger.warn('periodic metadata refresh failed', { error });
        this.scheduleMetadataRefresh();
      });
    }, this.options.metadataMaxAgeMs);
    this.metadataTimer.unref();
  }

  /** Brokers to try for a request any broker can serve: known brokers, then bootstrap addresses. */
  private async candidates(): Promise<Array<{ key: string; address: BrokerAddress; nodeId: number | undefined }>> {
    const list: Array<{ key: string; address: BrokerAddress; nodeId: number | undefined }> = [];
    for (const broker of shuffle([...this.snapshot.brokers.values()])) {
      list.push({ key: `${broker.nodeId}/default`, address: broker, nodeId: broker.nodeId });
    }
    if (this.bootstrapAddresses.length === 0 || list.length === 0) {
      if (this.bootstrapAddresses.length === 0) this.bootstrapAddresses = await this.options.bootstrap();
      for (const address of shuffle([...this.bootstrapAddresses])) {
        list.push({ key: `bootstrap/${formatBrokerAddress(address)}`, address, nodeId: undefined });
      }
    }
    return list;
  }

  private brokerConnection(key: string, address: BrokerAddress, nodeId: number | undefined): BrokerConnection {
    let connection = this.connections.get(key);
    if (connection === undefined) {
      const options = this.options;
      let lane = this.stats.get(key);
      if (lane === undefined) {
        const slash = key.indexOf('/');
        lane = {
          nodeId,
          lane: nodeId === undefined ? 'bootstrap' : key.slice(slash + 1),
          host: address.host,
          port: address.port,
          stats: new ConnectionStats(),
        };
        this.stats.set(key, lane);
      }
      const stats = lane.stats;
      connection = new BrokerConnection(
        () =>
          new Connection({
            host: address.host,
            port: address.port,
            ...(nodeId === undefined ? {} : { nodeId }),
            clientId: options.clientId,
            clientInstance: this.clientInstance,
            clientSoftwareName: 'vltava',
            clientSoftwareVersion: SOFTWARE_VERSION,
            ...(options.tls === undefined ? {} : { tls: options.tls }),
            ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
            connectTimeoutMs: options.connectionTimeoutMs,
            requestTimeoutMs: options.requestTimeoutMs,
            maxInFlightRequests: options.maxInFlightRequestsPerConnection,
            receiveMessageMaxBytes: options.receiveMessageMaxBytes,
            logger: options.logger,
            ...(options.socketFactory === undefined ? {} : { socketFactory: options.socketFactory }),
            stats,
          }),
        { initialMs: options.reconnectBackoffMs, maxMs: options.reconnectBackoffMaxMs },
      );
      this.connections.set(key, connection);
    }
    return connection;
  }

  private coordinatorBroker(nodeId: number): BrokerInfo | undefined {
    for (const broker of this.coordinators.values()) if (broker.nodeId === nodeId) return broker;
    return undefined;
  }

  private isCoordinatorNode(nodeId: number): boolean {
    return this.coordinatorBroker(nodeId) !== undefined;
  }

  private lookupCoordinator(type: CoordinatorType, key: string): Promise<BrokerInfo> {
    return new Promise<BrokerInfo>((resolve, reject) => {
      let batch = this.coordinatorBatches.get(type);
      if (batch === undefined) {
        batch = new Map();
        this.coordinatorBatches.set(type, batch);
        process.nextTick(() => {
          this.coordinatorBatches.delete(type);
          void this.sendCoordinatorBatch(type, batch!);
        });
      }
      const waiters = batch.get(key) ?? [];
      waiters.push({ resolve, reject });
      batch.set(key, waiters);
    });
  }

  private async sendCoordinatorBatch(
    type: CoordinatorType,
    batch: Map<string, Array<Deferred<BrokerInfo>>>,
  ): Promise<void> {
    const settle = (key: string, outcome: BrokerInfo | KafkaError) => {
      for (const waiter of batch.get(key) ?? []) {
        if (outcome instanceof Error) waiter.reject(outcome);
        else waiter.resolve(outcome);
      }
    };
    const keys = [...batch.keys()];
    try {
      const connection = await this.anyConnection();
      const version = connection.versionFor(FindCoordinator);
      if (version >= 4) {
        const response = await connection.send(FindCoordinator, { keyType: type, coordinatorKeys: keys }, { version });
        for (const coordinator of response.coordinators) {
          settle(coordinator.key, this.coordinatorOutcome(coordinator, type, coordinator.key));
        }
        for (const key of keys) {
          if (!response.coordinators.some((c) => c.key === key)) {
            settle(key, new ConnectionError(`FindCoordinator returned no answer for '${key}'`, { groupId: key }));
          }
        }
      } else {
        await Promise.all(
          keys.map(async (key) => {
            try {
              const response = await connection.send(FindCoordinator, { keyType: type, key }, { version });
              settle(key, this.coordinatorOutcome(response, type, key));
            } catch (error) {
              settle(key, toKafkaError(error, { groupId: key, api: 'FindCoordinator' }));
            }
          }),
        );
      }
    } catch (error) {
      for (const key of keys) settle(key, toKafkaError(error, { api: 'FindCoordinator' }));
    }
  }

  private coordinatorOutcome(
    answer: { errorCode: number; errorMessage: string | null; nodeId: number; host: string; port: number },
    type: CoordinatorType,
    key: string,
  ): BrokerInfo | KafkaError {
    if (answer.errorCode !== ErrorCodes.NONE) {
      const error = createBrokerError(answer.errorCode, {
        groupId: key,
        api: 'FindCoordinator',
        serverMessage: answer.errorMessage,
      });
      if (isCoordinatorMoved(answer.errorCode)) this.invalidateCoordinator(type, key);
      return error;
    }
    return { nodeId: answer.nodeId, host: answer.host, port: answer.port, rack: null };
  }

  private closedError(): ClientClosedError {
    return new ClientClosedError('The client is closed');
  }
}

/** The counters of the connections to one broker on one lane. */
export interface LaneStats {
  /** Broker node id; `undefined` for a bootstrap address. */
  readonly nodeId: number | undefined;
  /** The lane (`default`, `coordinator`, ...), or `bootstrap`. */
  readonly lane: string;
  /** Broker host. */
  readonly host: string;
  /** Broker port. */
  readonly port: number;
  /** The counters. */
  readonly stats: ConnectionStats;
}

interface Deferred<T> {
  resolve(value: T): void;
  reject(error: KafkaError): void;
}

/** Fills holes in a partition array (a partition missing from a response) so indexes stay dense. */
function densify(partitions: PartitionInfo[], topic: string): PartitionInfo[] {
  for (let i = 0; i < partitions.length; i++) {
    partitions[i] ??= {
      topic,
      partition: i,
      leader: -1,
      leaderEpoch: -1,
      replicas: [],
      isr: [],
      offlineReplicas: [],
      errorCode: ErrorCodes.LEADER_NOT_AVAILABLE,
    };
  }
  return partitions;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
