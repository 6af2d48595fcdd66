import { type ClientOptions, nonNegative, positive } from '../cluster/client-options.js';
import { checkOptions } from '../config/check-options.js';
import { ConfigError } from '../errors/client-errors.js';
import type { IsolationLevel } from '../vocabulary/isolation-level.js';
import { BUILT_IN_ASSIGNORS, type BuiltInAssignorName, type PartitionAssignor } from './assignors/index.js';
import { CONSUMER_OPTIONS_SCHEMA } from './consumer-options-schema.js';
import { bufferDeserializer, type Deserializer } from './deserializers.js';

/** Where to start reading a partition that has no committed offset (or whose offset is out of range). */
export type AutoOffsetReset = 'earliest' | 'latest' | 'none';

/** Which consumer group protocol the consumer speaks. */
export type GroupProtocol = 'classic' | 'consumer';

/**
 * Consumer settings. Every option names the Java consumer setting it matches and its default; the connection
 * settings (`brokers`, `ssl`, `sasl`, timeouts, `clientRack`, ...) are those of every client.
 *
 * @typeParam K Type of record keys after `keyDeserializer`.
 * @typeParam V Type of record values after `valueDeserializer`.
 */
export interface ConsumerOptions<K = Buffer | null, V = Buffer | null> extends ClientOptions {
  /**
   * Java: group.id. The consumer group to join with `subscribe()`, and whose offsets `commit()` and `committed()`
   * use. Without it, only `assign()` works and nothing is committed. Default none.
   */
  readonly groupId?: string;
  /**
   * Java: group.instance.id. Makes the member static (KIP-345): a restart within `sessionTimeoutMs` keeps its
   * partitions without a rebalance. Must be unique within the group. Default none (a dynamic member).
   */
  readonly groupInstanceId?: string;
  /**
   * Java: group.protocol. `classic` (JoinGroup/SyncGroup with client-side assignors) or `consumer` (KIP-848:
   * ConsumerGroupHeartbeat with server-side assignors; needs Kafka 4.0+). Default `classic`, as in the Java
   * client 4.x.
   */
  readonly groupProtocol?: GroupProtocol;
  /**
   * Java: partition.assignment.strategy. Classic protocol only: the assignors this member supports, preferred
   * first. Names of built-in ones (`range`, `roundrobin`, `sticky`, `cooperative-sticky`) or custom
   * `PartitionAssignor` objects. Default `['range', 'cooperative-sticky']`, as in Java 4.x.
   */
  readonly partitionAssignors?: readonly (BuiltInAssignorName | PartitionAssignor)[];
  /**
   * Java: group.remote.assignor. Consumer protocol only: the server-side assignor to ask for (`uniform`, `range`,
   * or another one the broker has). Default none (the broker's default, `uniform`).
   */
  readonly groupRemoteAssignor?: string;
  /** Java: session.timeout.ms. Classic protocol only (the broker sets it for `consumer`). Default 45000. */
  readonly sessionTimeoutMs?: number;
  /** Java: heartbeat.interval.ms. Classic protocol only (the broker sets it for `consumer`). Default 3000. */
  readonly heartbeatIntervalMs?: number;
  /**
   * Java: max.poll.interval.ms. Longest time between two requests for records (`poll()` calls, or steps of a
   * `for await` loop) before the consumer leaves its group (see `MaxPollIntervalExceededError`). Default 300000.
   */
  readonly maxPollIntervalMs?: number;
  /**
   * The rebalance timeout sent to the coordinator: how long the group waits for this member to rejoin during a
   * rebalance. Java sets it to max.poll.interval.ms; so does this client by default.
   */
  readonly rebalanceTimeoutMs?: number;
  /** Java: auto.offset.reset. Where to start without a committed offset. Default `latest`. */
  readonly autoOffsetReset?: AutoOffsetReset;
  /** Java: enable.auto.commit. Commit processed offsets periodically, on rebalance and on close. Default true. */
  readonly enableAutoCommit?: boolean;
  /** Java: auto.commit.interval.ms. Default 5000. */
  readonly autoCommitIntervalMs?: number;
  /** Java: fetch.min.bytes. Bytes the broker waits for before answering a fetch. Default 1. */
  readonly fetchMinBytes?: number;
  /** Java: fetch.max.wait.ms. Longest time the broker waits for `fetchMinBytes`. Default 500. */
  readonly fetchMaxWaitMs?: number;
  /** Java: fetch.max.bytes. Most bytes one fetch response carries (soft limit, KIP-74). Default 52428800. */
  readonly fetchMaxBytes?: number;
  /** Java: max.partition.fetch.bytes. Most bytes per partition in one fetch (soft limit). Default 1048576. */
  readonly maxPartitionFetchBytes?: number;
  /** Java: max.poll.records. Most records one `poll()` returns. Default 500. */
  readonly maxPollRecords?: number;
  /**
   * Most record bytes (counted after decompression) held in the prefetch buffer across all partitions. Fetching
   * stops while the buffer holds this much, and each fetch asks for no more than the room left. No Java
   * equivalent (Java bounds memory by fetch.max.bytes per broker). Default 33554432 (32 MiB).
   */
  readonly maxPrefetchBytes?: number;
  /**
   * Records in the prefetch buffer, across all partitions, at which fetching stops until the application drains it.
   * Record counts are only known once a response is decoded, so the responses already in flight can carry the buffer
   * past this count (by at most one fetch of `fetchMaxBytes` per broker); bytes are the hard bound
   * (`maxPrefetchBytes`). Default 100000.
   */
  readonly maxPrefetchRecords?: number;
  /** Java: isolation.level. `read_committed` hides aborted transactions. Default `read_uncommitted`. */
  readonly isolationLevel?: IsolationLevel;
  /** Java: check.crcs. Verify each batch's CRC; a mismatch raises `CorruptRecordError`. Default true. */
  readonly checkCrcs?: boolean;
  /**
   * Java: allow.auto.create.topics. Let metadata requests for subscribed or assigned topics create missing ones
   * (only where the broker's auto.create.topics.enable is on). Default true.
   */
  readonly allowAutoCreateTopics?: boolean;
  /** Java: default.api.timeout.ms. Bound of `committed()`, `position()`, offset lookups. Default 60000. */
  readonly defaultApiTimeoutMs?: number;
  /** Java: key.deserializer. Default: the key bytes as a `Buffer` (or `null`). */
  readonly keyDeserializer?: Deserializer<K>;
  /** Java: value.deserializer. Default: the value bytes as a `Buffer` (or `null`). */
  readonly valueDeserializer?: Deserializer<V>;
}

/** {@link ConsumerOptions} of the consumer itself, with defaults applied and values checked. */
export interface ResolvedConsumerOptions<K, V> {
  readonly groupId: string | undefined;
  readonly groupInstanceId: string | undefined;
  readonly groupProtocol: GroupProtocol;
  readonly partitionAssignors: readonly (BuiltInAssignorName | PartitionAssignor)[];
  readonly groupRemoteAssignor: string | undefined;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxPollIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly autoOffsetReset: AutoOffsetReset;
  readonly enableAutoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  readonly fetchMinBytes: number;
  readonly fetchMaxWaitMs: number;
  readonly fetchMaxBytes: number;
  readonly maxPartitionFetchBytes: number;
  readonly maxPollRecords: number;
  readonly maxPrefetchBytes: number;
  readonly maxPrefetchRecords: number;
  readonly isolationLevel: IsolationLevel;
  readonly checkCrcs: boolean;
  readonly allowAutoCreateTopics: boolean;
  readonly defaultApiTimeoutMs: number;
  readonly clientRack: string | undefined;
  readonly requestTimeoutMs: number;
  readonly keyDeserializer: Deserializer<K>;
  readonly valueDeserializer: Deserializer<V>;
}

/**
 * Applies defaults and validates the consumer settings. Throws `ConfigError` naming the option, the value and what
 * is accepted (an unknown key names the closest known option); settings that do not apply to the chosen group protocol are rejected, as Java rejects them.
 */
export function resolveConsumerOptions<K, V>(options: ConsumerOptions<K, V>): ResolvedConsumerOptions<K, V> {
  checkOptions(options, CONSUMER_OPTIONS_SCHEMA, 'consumer', 'config');
  const groupProtocol = options.groupProtocol ?? 'classic';
  if (groupProtocol !== 'classic' && groupProtocol !== 'consumer') {
    throw new ConfigError(`groupProtocol must be 'classic' or 'consumer', got ${String(groupProtocol)}`);
  }
  if (groupProtocol === 'consumer') {
    for (const name of ['sessionTimeoutMs', 'heartbeatIntervalMs', 'partitionAssignors'] as const) {
      if (options[name] !== undefined) {
        throw new ConfigError(
          `${name} applies to groupProtocol 'classic' only; with 'consumer' (KIP-848) the broker sets it ` +
            `(group.consumer.* broker settings). Remove ${name} or use groupProtocol 'classic'.`,
        );
      }
    }
  } else if (options.groupRemoteAssignor !== undefined) {
    throw new ConfigError(
      "groupRemoteAssignor applies to groupProtocol 'consumer' only; use partitionAssignors with 'classic'",
    );
  }
  if (options.groupId !== undefined && (typeof options.groupId !== 'string' || options.groupId === '')) {
    throw new ConfigError('groupId must be a non-empty string when given');
  }
  if (options.groupInstanceId !== undefined) {
    if (typeof options.groupInstanceId !== 'string' || options.groupInstanceId === '') {
      throw new ConfigError('groupInstanceId must be a non-empty string when given');
    }
    if (options.groupId === undefined) throw new ConfigError('groupInstanceId needs a groupId');
  }
  const partitionAssignors = options.partitionAssignors ?? ['range', 'cooperative-sticky'];
  if (partitionAssignors.length === 0) throw new ConfigError('partitionAssignors must name at least one assignor');
  const seen = new Set<string>();
  for (const assignor of partitionAssignors) {
    const name = typeof assignor === 'string' ? assignor : assignor?.name;
    if (typeof assignor === 'string' && !(BUILT_IN_ASSIGNORS as readonly string[]).includes(assignor)) {
      throw new ConfigError(
        `Unknown assignor '${assignor}' in partitionAssignors; built-in ones are ${BUILT_IN_ASSIGNORS.join(', ')}, ` +
          'or pass a PartitionAssignor object',
      );
    }
    if (typeof name !== 'string' || name === '') {
      throw new ConfigError('partitionAssignors entries must be built-in names or objects with a non-empty name');
    }
    if (seen.has(name)) throw new ConfigError(`Assignor '${name}' appears twice in partitionAssignors`);
    seen.add(name);
  }
  const sessionTimeoutMs = positive('sessionTimeoutMs', options.sessionTimeoutMs, 45_000);
  const heartbeatIntervalMs = positive('heartbeatIntervalMs', options.heartbeatIntervalMs, 3000);
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw new ConfigError(
      `heartbeatIntervalMs (${heartbeatIntervalMs}) must be lower than sessionTimeoutMs (${sessionTimeoutMs}); ` +
        'a third of it is usual',
    );
  }
  const maxPollIntervalMs = positive('maxPollIntervalMs', options.maxPollIntervalMs, 300_000);
  const autoOffsetReset = options.autoOffsetReset ?? 'latest';
  if (!['earliest', 'latest', 'none'].includes(autoOffsetReset)) {
    throw new ConfigError(`autoOffsetReset must be 'earliest', 'latest' or 'none', got ${String(autoOffsetReset)}`);
  }
  const isolationLevel = options.isolationLevel ?? 'read_uncommitted';
  if (isolationLevel !== 'read_uncommitted' && isolationLevel !== 'read_committed') {
    throw new ConfigError(
      `isolationLevel must be 'read_uncommitted' or 'read_committed', got ${String(isolationLevel)}`,
    );
  }
  const fetchMaxBytes = positive('fetchMaxBytes', options.fetchMaxBytes, 52_428_800);
  const maxPartitionFetchBytes = positive('maxPartitionFetchBytes', options.maxPartitionFetchBytes, 1_048_576);
  const maxPrefetchBytes = positive('maxPrefetchBytes', options.maxPrefetchBytes, 33_554_432);
  if (options.keyDeserializer !== undefined && typeof options.keyDeserializer !== 'function') {
    throw new ConfigError('keyDeserializer must be a function (data, context) => key');
  }
  if (options.valueDeserializer !== undefined && typeof options.valueDeserializer !== 'function') {
    throw new ConfigError('valueDeserializer must be a function (data, context) => value');
  }
  return {
    groupId: options.groupId,
    groupInstanceId: options.groupInstanceId,
    groupProtocol,
    partitionAssignors,
    groupRemoteAssignor: options.groupRemoteAssignor,
    sessionTimeoutMs,
    heartbeatIntervalMs,
    maxPollIntervalMs,
    rebalanceTimeoutMs: positive('rebalanceTimeoutMs', options.rebalanceTimeoutMs, maxPollIntervalMs),
    autoOffsetReset,
    enableAutoCommit: bool('enableAutoCommit', options.enableAutoCommit, true),
    autoCommitIntervalMs: positive('autoCommitIntervalMs', options.autoCommitIntervalMs, 5000),
    fetchMinBytes: positive('fetchMinBytes', options.fetchMinBytes, 1),
    fetchMaxWaitMs: nonNegative('fetchMaxWaitMs', options.fetchMaxWaitMs, 500),
    fetchMaxBytes,
    maxPartitionFetchBytes,
    maxPollRecords: positive('maxPollRecords', options.maxPollRecords, 500),
    maxPrefetchBytes,
    maxPrefetchRecords: positive('maxPrefetchRecords', options.maxPrefetchRecords, 100_000),
    isolationLevel,
    checkCrcs: bool('checkCrcs', options.checkCrcs, true),
    allowAutoCreateTopics: bool('allowAutoCreateTopics', options.allowAutoCreateTopics, true),
    defaultApiTimeoutMs: positive('defaultApiTimeoutMs', options.defaultApiTimeoutMs, 60_000),
    clientRack: options.clientRack === '' ? undefined : options.clientRack,
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 30_000),
    keyDeserializer: options.keyDeserializer ?? (bufferDeserializer as unknown as Deserializer<K>),
    valueDeserializer: options.valueDeserializer ?? (bufferDeserializer as unknown as Deserializer<V>),
  };
}

function bool(name: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(`${name} must be true or false, got ${String(value)}`);
  return value;
}
