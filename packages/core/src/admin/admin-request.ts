import type { Cluster, CoordinatorType } from '../cluster/cluster.js';
import { checkOptions } from '../config/check-options.js';
import { createBrokerError } from '../errors/broker-error-factory.js';
import { ConnectionError, KafkaTimeoutError, toKafkaError, UnsupportedVersionError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import type { ErrorContext, KafkaError } from '../errors/kafka-error.js';
import type { Connection } from '../network/connection.js';
import type { ApiDefinition } from '../protocol/messages/api-definition.js';
import { Metadata, type MetadataResponse } from '../protocol/messages/generated/metadata.js';
import type { Logger } from '../utils/logger.js';
import { partitionKey, type TopicPartition } from '../vocabulary/topic-partition.js';
import { AdminCall } from './admin-call.js';
import type { AdminCallOptions } from './admin-options.js';
import { ADMIN_CALL_OPTIONS, type AdminMethod } from './admin-options-schema.js';
import type { ItemResult } from './admin-types.js';

/**
 * What happened to one item of a batch request: its value, or its error. `final` marks an error that retrying
 * cannot change even though Kafka calls the code retriable (a topic the metadata says does not exist).
 */
export type Outcome<R> = { readonly value: R } | { readonly error: KafkaError; readonly final?: boolean };

/** An item result from an outcome (an item without one gets a `KafkaTimeoutError`). */
export function settle<K extends object, V>(outcome: Outcome<V> | undefined, key: K): ItemResult<K, V> {
  if (outcome === undefined) {
    return { ...key, error: new KafkaTimeoutError('No answer for this item before the deadline') } as ItemResult<K, V>;
  }
  if ('error' in outcome) return { ...key, error: outcome.error } as ItemResult<K, V>;
  const value = outcome.value;
  return (value === null || typeof value !== 'object' ? { ...key } : { ...key, ...value }) as ItemResult<K, V>;
}

/** Outcomes by item key. */
export type Outcomes<R> = Map<string, Outcome<R>>;

/** Which broker version an operation needs, for {@link AdminRouter.negotiate}. */
export interface VersionNeeds {
  /** The lowest version with the capability asked for. */
  readonly minVersion?: number;
  /** The highest version this code speaks for the API (when newer versions change the shape it relies on). */
  readonly maxVersion?: number;
  /** What needs `minVersion`, for the error message (`listGroups with a type filter`). */
  readonly feature?: string;
}

/** The error of a non-zero error code, with the broker's message and where it happened. */
export function brokerError(
  code: number,
  message: string | null | undefined,
  context: ErrorContext,
  connection?: Pick<Connection, 'label'>,
): KafkaError {
  return createBrokerError(code, {
    ...context,
    ...(connection === undefined ? {} : { broker: connection.label }),
    serverMessage: message ?? null,
  });
}

/** Throws the error of a non-zero top-level error code. */
export function throwIfError(
  code: number,
  message: string | null | undefined,
  context: ErrorContext,
  connection?: Pick<Connection, 'label'>,
): void {
  if (code !== ErrorCodes.NONE) throw brokerError(code, message, context, connection);
}

/** Retries a per-item error only when it says the request reached a broker that is no longer the controller. */
export const retryIfNotController = (error: KafkaError): boolean => error.kafkaErrorCode === ErrorCodes.NOT_CONTROLLER;

/** Retries a per-item error only when the coordinator moved or is loading. */
export const retryIfCoordinatorMoved = (error: KafkaError): boolean => error.coordinatorMoved;

/** Retries every retriable per-item error (requests to partition leaders, which move between rounds). */
export const retryIfRetriable = (error: KafkaError): boolean => error.retriable;

/**
 * The outcome of a per-item error code, final unless `retryIf` says a retry can help. The Java client retries
 * per-item errors of controller and config requests only for NOT_CONTROLLER (and a retried create would answer
 * TOPIC_ALREADY_EXISTS for a topic the first attempt created): that is the default here too.
 */
export function failure(
  code: number,
  message: string | null | undefined,
  context: ErrorContext,
  connection: Pick<Connection, 'label'> | undefined,
  retryIf: (error: KafkaError) => boolean = retryIfNotController,
): Outcome<never> {
  const error = brokerError(code, message, context, connection);
  return { error, final: !retryIf(error) };
}

/** An outcome from an error code: the value when the code is 0. */
export function outcomeOf<R>(
  code: number,
  message: string | null | undefined,
  context: ErrorContext,
  connection: Connection,
  value: () => R,
): Outcome<R> {
  return code === ErrorCodes.NONE ? { value: value() } : { error: brokerError(code, message, context, connection) };
}

/**
 * Sends the admin client's requests to the broker that must answer them, and retries what is retriable.
 *
 * - **Any broker**: the least busy connection (`anyConnection`).
 * - **The controller**: admin requests that change cluster metadata (CreateTopics, DeleteTopics, CreatePartitions,
 *   ElectLeaders, reassignments). With KRaft (Kafka 4 has nothing else) a broker forwards them to the active
 *   controller (KIP-590), and Metadata names a random live broker as `controllerId`; they go there, and
 *   NOT_CONTROLLER (which forwarding can still return while the quorum changes leader) refreshes metadata and
 *   retries, as the Java client does.
 * - **A coordinator**: group and transaction requests go to the coordinator of their key (`findCoordinator`,
 *   batched per tick); NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE and COORDINATOR_LOAD_IN_PROGRESS (or a broken
 *   connection) forget the coordinator and retry with a new lookup.
 * - **Partition leaders**: per-partition requests (ListOffsets, DeleteRecords, DescribeProducers, WriteTxnMarkers)
 *   are grouped per leader from a fresh Metadata response; partitions that fail with a stale-metadata error are
 *   retried, alone, after the next metadata lookup.
 * - **Every broker**: ListGroups, ListTransactions and DescribeLogDirs ask each broker, with its own retries.
 *
 * Retriable errors back off (`retry.backoff.ms` to `retry.backoff.max.ms`, exponential with jitter) until the
 * call's deadline. A batch resolves with one outcome per item: items that still fail at the deadline keep their
 * last error; the call rejects only when no request could be made at all.
 */
export class AdminRouter {
  private connecting: Promise<void> | undefined;
  private connected = false;

  constructor(
    /** The cluster the requests go to. */
    readonly cluster: Cluster,
    /** Java: default.api.timeout.ms. */
    readonly defaultApiTimeoutMs: number,
    /** Where retries are logged (debug). */
    readonly logger: Logger,
  ) {}

  /**
   * Starts a call of an admin method with its options. Throws `InvalidArgumentError` for an unknown option key or a
   * bad value (see `ADMIN_CALL_OPTIONS`).
   */
  call(method: AdminMethod, options: AdminCallOptions = {}): AdminCall {
    checkOptions(options, ADMIN_CALL_OPTIONS[method], `admin.${method}()`, 'call');
    const cluster = this.cluster;
    return new AdminCall(
      method,
      {
        requestTimeoutMs: cluster.options.requestTimeoutMs,
        defaultApiTimeoutMs: this.defaultApiTimeoutMs,
        retryDelay: (attempt) => cluster.retryDelay(attempt),
      },
      options,
    );
  }

  /** Connects the cluster once (first metadata), retrying within the call's deadline. */
  async ready(call: AdminCall): Promise<void> {
    if (this.connected) return;
    await this.retry(call, () => {
      this.connecting ??= this.cluster.connect().then(
        () => {
          this.connected = true;
        },
        (error: unknown) => {
          this.connecting = undefined;
          throw error;
        },
      );
      return call.race(this.connecting);
    });
  }

  /**
   * The version to use for `api` on `connection`: the highest both speak (capped by `needs.maxVersion`). Throws
   * `UnsupportedVersionError` when the broker lacks the API, or when `needs.minVersion` is above what it speaks.
   */
  negotiate(connection: Connection, api: ApiDefinition, needs: VersionNeeds = {}): number {
    const version = connection.versionFor(api, needs.maxVersion);
    if (needs.minVersion !== undefined && version < needs.minVersion) {
      const what = needs.feature ?? api.name;
      throw new UnsupportedVersionError(
        `${what} needs ${api.name} v${needs.minVersion} or newer, but broker ${connection.label} speaks up to ` +
          `v${version}. Upgrade the broker, or leave the option out.`,
        { broker: connection.label, api: api.name },
      );
    }
    return version;
  }

  /** Sends one request on `connection` within the call's request timeout; rejects at once if the call aborts. */
  send<Req, Res>(
    call: AdminCall,
    connection: Connection,
    api: ApiDefinition<Req, Res>,
    request: Req,
    version: number,
  ): Promise<Res> {
    return call.race(connection.send(api, request, { version, timeoutMs: call.requestTimeout() }));
  }

  /** A connection to any broker (the least busy). */
  anyBroker(call: AdminCall): Promise<Connection> {
    return call.race(this.cluster.anyConnection());
  }

  /**
   * A connection to broker `nodeId`, refreshing metadata first when the node is not known yet. A node that fresh
   * metadata does not list fails with a non-retriable `BrokerNotAvailableError`.
   */
  async broker(call: AdminCall, nodeId: number): Promise<Connection> {
    if (!this.cluster.metadata.brokers.has(nodeId)) {
      const snapshot = await call.race(this.cluster.refreshMetadata());
      if (!snapshot.brokers.has(nodeId)) {
        throw createBrokerError(ErrorCodes.BROKER_NOT_AVAILABLE, {
          broker: String(nodeId),
          api: call.method,
          serverMessage: `Broker ${nodeId} is not in the cluster (brokers: ${[...snapshot.brokers.keys()].join(', ')})`,
        });
      }
    }
    return call.race(this.cluster.connection(nodeId));
  }

  /** A connection to the broker Metadata names as controller (see the class comment), else to any broker. */
  async controller(call: AdminCall): Promise<Connection> {
    let snapshot = this.cluster.metadata;
    if (snapshot.controllerId < 0 || !snapshot.brokers.has(snapshot.controllerId)) {
      snapshot = await call.race(this.cluster.refreshMetadata());
    }
    if (snapshot.controllerId >= 0 && snapshot.brokers.has(snapshot.controllerId)) {
      return call.race(this.cluster.connection(snapshot.controllerId));
    }
    return this.anyBroker(call);
  }

  /** Every broker's node id, from fresh metadata. */
  async brokerIds(call: AdminCall): Promise<number[]> {
    const snapshot = await this.retry(call, () => call.race(this.cluster.refreshMetadata()));
    return [...snapshot.brokers.keys()].sort((a, b) => a - b);
  }

  /** A Metadata request for `topics` (all topics when null) to any broker; never creates topics. */
  async metadata(
    call: AdminCall,
    topics: readonly string[] | null,
    options: { includeTopicAuthorizedOperations?: boolean; connection?: Connection } = {},
  ): Promise<MetadataResponse> {
    const connection = options.connection ?? (await this.anyBroker(call));
    const version = this.negotiate(connection, Metadata, {
      ...(options.includeTopicAuthorizedOperations ? { minVersion: 8, feature: 'includeAuthorizedOperations' } : {}),
    });
    const response = await this.send(
      call,
      connection,
      Metadata,
      {
        topics: topics === null ? null : topics.map((name) => ({ name })),
        allowAutoTopicCreation: false,
        includeTopicAuthorizedOperations: options.includeTopicAuthorizedOperations ?? false,
      },
      version,
    );
    throwIfError(response.errorCode, null, { api: 'Metadata' }, connection);
    return response;
  }

  /**
   * Runs `attempt` until it resolves, retrying retriable failures with backoff until the call's deadline. Stale
   * metadata (NOT_CONTROLLER, ...) and broken connections refresh metadata before the next attempt. Rejects with
   * the first non-retriable error, or with `KafkaTimeoutError` (cause: the last error) at the deadline.
   */
  async retry<T>(call: AdminCall, attempt: () => Promise<T>): Promise<T> {
    for (;;) {
      call.throwIfAborted();
      try {
        return await attempt();
      } catch (caught) {
        const error = toKafkaError(caught, { during: call.method });
        if (!error.retriable) throw error;
        this.logger.debug('admin request failed, will retry', { method: call.method, error });
        await this.refreshIfStale(call, [error]);
        if (!(await call.backoff())) throw call.timeoutError(error);
      }
    }
  }

  /**
   * Runs `attempt` on any broker (the least busy, chosen again for each attempt) until it resolves, with the
   * retries of {@link AdminRouter.retry}. For requests any broker answers (forwarding to the controller where
   * needed): ACLs, quotas, SCRAM credentials, cluster descriptions.
   */
  retryOnAnyBroker<T>(call: AdminCall, attempt: (connection: Connection) => Promise<T>): Promise<T> {
    return this.retry(call, async () => attempt(await this.anyBroker(call)));
  }

  /**
   * Sends a batch request to the controller (see the class comment), in rounds, until each item has an outcome
   * that retrying cannot change (see {@link AdminRouter.retryItems}): `send` gets the controller's connection and
   * the pending items. Per-item errors are retried only as their outcomes say (`failure`: NOT_CONTROLLER).
   */
  controllerItems<I, R>(
    call: AdminCall,
    items: readonly I[],
    keyOf: (item: I) => string,
    send: (connection: Connection, pending: I[]) => Promise<Outcomes<R>>,
  ): Promise<Outcomes<R>> {
    return this.retryItems(call, items, keyOf, async (pending) => send(await this.controller(call), pending));
  }

  /**
   * Runs rounds of a batch request until every item has an outcome that retrying cannot change, or the deadline.
   * `round` sends the pending items (routing them as it must) and returns an outcome per key; keys it leaves out
   * are retried. A round that throws a retriable error gives every pending item that error; a non-retriable one
   * rejects the call. When no round ever completed, the call rejects with `KafkaTimeoutError`.
   */
  async retryItems<I, R>(
    call: AdminCall,
    items: readonly I[],
    keyOf: (item: I) => string,
    round: (pending: I[]) => Promise<Outcomes<R>>,
  ): Promise<Outcomes<R>> {
    const results: Outcomes<R> = new Map();
    let pending = dedupe(items, keyOf);
    let anyRoundCompleted = false;
    let lastThrown: KafkaError | undefined;
    while (pending.length > 0) {
      call.throwIfAborted();
      let outcomes: Outcomes<R>;
      try {
        outcomes = await round(pending);
        anyRoundCompleted = true;
      } catch (caught) {
        const error = toKafkaError(caught, { during: call.method });
        if (!error.retriable) throw error;
        lastThrown = error;
        outcomes = new Map(pending.map((item) => [keyOf(item), { error }]));
      }
      const retry: I[] = [];
      const retryErrors: KafkaError[] = [];
      for (const item of pending) {
        const key = keyOf(item);
        const outcome = outcomes.get(key);
        if (outcome === undefined) {
          retry.push(item);
          continue;
        }
        results.set(key, outcome);
        if ('error' in outcome && outcome.error.retriable && outcome.final !== true) {
          retry.push(item);
          retryErrors.push(outcome.error);
        }
      }
      if (retry.length === 0) break;
      for (const item of retry) {
        const key = keyOf(item);
        if (!results.has(key)) {
          results.set(key, {
            error: new ConnectionError(`No answer for ${key} from the broker`, { api: call.method }),
          });
        }
      }
      this.logger.debug('admin batch items failed, will retry', {
        method: call.method,
        items: retry.length,
        error: retryErrors[0],
      });
      await this.refreshIfStale(call, retryErrors);
      if (!(await call.backoff())) break;
      pending = retry;
    }
    if (!anyRoundCompleted) throw call.timeoutError(lastThrown);
    return results;
  }

  /**
   * Sends per-partition requests to each partition's leader (or to `brokerId` when given) and retries partitions
   * whose leader moved. `send` gets a connection and the partitions that broker leads, and returns an outcome per
   * {@link partitionKey}. A topic or partition that fresh metadata does not know fails at once with
   * UNKNOWN_TOPIC_OR_PARTITION; a partition without a leader waits for one until the deadline.
   */
  leaderItems<I extends TopicPartition, R>(
    call: AdminCall,
    items: readonly I[],
    send: (connection: Connection, items: I[]) => Promise<Outcomes<R>>,
    options: { brokerId?: number } = {},
  ): Promise<Outcomes<R>> {
    return this.retryItems(
      call,
      items,
      (item) => partitionKey(item.topic, item.partition),
      async (pending) => {
        const outcomes: Outcomes<R> = new Map();
        const byBroker = new Map<number, I[]>();
        if (options.brokerId !== undefined) {
          byBroker.set(options.brokerId, pending);
        } else {
          const topics = [...new Set(pending.map((item) => item.topic))];
          const metadata = await this.metadata(call, topics);
          const byName = new Map(metadata.topics.map((topic) => [topic.name, topic]));
          for (const item of pending) {
            const key = partitionKey(item.topic, item.partition);
            const topic = byName.get(item.topic);
            const context = { topic: item.topic, partition: item.partition, api: 'Metadata' };
            if (topic === undefined) {
              outcomes.set(key, {
                error: createBrokerError(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, context),
                final: true,
              });
              continue;
            }
            if (topic.errorCode !== ErrorCodes.NONE) {
              const final = topic.errorCode === ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION;
              outcomes.set(key, { error: createBrokerError(topic.errorCode, context), final });
              continue;
            }
            const partition = topic.partitions.find((p) => p.partitionIndex === item.partition);
            if (partition === undefined) {
              outcomes.set(key, {
                error: createBrokerError(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, context),
                final: true,
              });
              continue;
            }
            if (partition.leaderId < 0) {
              outcomes.set(key, { error: createBrokerError(ErrorCodes.LEADER_NOT_AVAILABLE, context) });
              continue;
            }
            const list = byBroker.get(partition.leaderId) ?? [];
            list.push(item);
            byBroker.set(partition.leaderId, list);
          }
          const known = this.cluster.metadata.brokers;
          if ([...byBroker.keys()].some((id) => !known.has(id))) await call.race(this.cluster.refreshMetadata());
        }
        await Promise.all(
          [...byBroker].map(async ([nodeId, group]) => {
            try {
              const connection =
                options.brokerId === undefined
                  ? await call.race(this.cluster.connection(nodeId))
                  : await this.broker(call, nodeId);
              const answers = await send(connection, group);
              for (const [key, outcome] of answers) outcomes.set(key, outcome);
            } catch (caught) {
              const error = toKafkaError(caught, { during: call.method });
              if (!error.retriable) throw error;
              for (const item of group) outcomes.set(partitionKey(item.topic, item.partition), { error });
            }
          }),
        );
        return outcomes;
      },
    );
  }

  /**
   * Sends requests about groups or transactional ids to their coordinators: keys are grouped per coordinator and
   * `send` gets the keys one coordinator owns (one key at a time unless `batch`). Coordinator errors forget the
   * coordinator and retry the key after a new lookup.
   */
  coordinatorItems<R>(
    call: AdminCall,
    type: CoordinatorType,
    keys: readonly string[],
    send: (connection: Connection, keys: string[]) => Promise<Outcomes<R>>,
    options: { batch?: boolean } = {},
  ): Promise<Outcomes<R>> {
    return this.retryItems(
      call,
      keys,
      (key) => key,
      async (pending) => {
        const outcomes: Outcomes<R> = new Map();
        const byNode = new Map<number, string[]>();
        await Promise.all(
          pending.map(async (key) => {
            try {
              const lookup = this.cluster.findCoordinator(type, key, call.requestTimeout());
              const coordinator = await call.race(lookup);
              const list = byNode.get(coordinator.nodeId) ?? [];
              list.push(key);
              byNode.set(coordinator.nodeId, list);
            } catch (caught) {
              outcomes.set(key, { error: toKafkaError(caught, { during: call.method }) });
            }
          }),
        );
        const sends: Array<Promise<void>> = [];
        for (const [nodeId, group] of byNode) {
          const batches = options.batch === true ? [group] : group.map((key) => [key]);
          for (const batch of batches) {
            sends.push(
              (async () => {
                try {
                  const connection = await call.race(this.cluster.connection(nodeId));
                  const answers = await send(connection, batch);
                  for (const [key, outcome] of answers) {
                    if ('error' in outcome && outcome.error.coordinatorMoved)
                      this.cluster.invalidateCoordinator(type, key);
                    outcomes.set(key, outcome);
                  }
                } catch (caught) {
                  const error = toKafkaError(caught, { during: call.method });
                  if (!error.retriable && !error.coordinatorMoved) throw error;
                  for (const key of batch) {
                    this.cluster.invalidateCoordinator(type, key);
                    outcomes.set(key, { error });
                  }
                }
              })(),
            );
          }
        }
        await Promise.all(sends);
        return outcomes;
      },
    );
  }

  /**
   * Runs `attempt` against each broker, each with its own retries, and resolves with an outcome per broker. Used
   * to fan out ListGroups, ListTransactions and DescribeLogDirs.
   */
  async eachBroker<R>(
    call: AdminCall,
    nodeIds: readonly number[],
    attempt: (connection: Connection) => Promise<R>,
  ): Promise<Map<number, Outcome<R>>> {
    const outcomes = new Map<number, Outcome<R>>();
    await Promise.all(
      nodeIds.map(async (nodeId) => {
        try {
          const value = await this.retry(call, async () => attempt(await this.broker(call, nodeId)));
          outcomes.set(nodeId, { value });
        } catch (caught) {
          const error = toKafkaError(caught, { during: call.method });
          if (error.code === 'ERR_ABORTED' || error.code === 'ERR_CLOSED') throw error;
          outcomes.set(nodeId, { error });
        }
      }),
    );
    return outcomes;
  }

  /** Refreshes metadata when an error says it is stale (NOT_CONTROLLER included) or a connection broke. */
  private async refreshIfStale(call: AdminCall, errors: readonly KafkaError[]): Promise<void> {
    if (!errors.some((error) => error.staleMetadata || error instanceof ConnectionError)) return;
    try {
      await call.race(this.cluster.refreshMetadata());
    } catch (error) {
      this.logger.debug('metadata refresh before a retry failed', { method: call.method, error });
    }
  }
}

function dedupe<I>(items: readonly I[], keyOf: (item: I) => string): I[] {
  const seen = new Set<string>();
  const out: I[] = [];
  for (const item of items) {
    const key = keyOf(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}
