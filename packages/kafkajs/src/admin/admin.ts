import { clientRetry, type SharedConfig, toClientOptions } from '../config/kafka-config.js';
import type { PartitionMetadata } from '../consumer/assigners.js';
import type { GroupDescriptions, TopicPartitions } from '../consumer/consumer-types.js';
import { deadGroup, toGroupDescription } from '../consumer/group-description.js';
import { type AclBinding, type CoreAclFilter, CoreAdmin, ErrorCodes, type KafkaError } from '../core.js';
import {
  KafkaJSAggregateError,
  KafkaJSAlterPartitionReassignmentsError,
  KafkaJSCreateTopicError,
  KafkaJSDeleteGroupsError,
  KafkaJSDeleteTopicRecordsError,
  type KafkaJSError,
  KafkaJSNonRetriableError,
} from '../errors/errors.js';
import { protocolErrorType, retriesExhausted, toKafkaJSError } from '../errors/from-core.js';
import {
  InstrumentationEmitter,
  type InstrumentationEvent,
  type RemoveInstrumentationEventListener,
} from '../instrumentation/emitter.js';
import { ADMIN_EVENTS, type AdminEvents } from '../instrumentation/event-names.js';
import type {
  ConnectEvent,
  DisconnectEvent,
  RequestEvent,
  RequestQueueSizeEvent,
  RequestTimeoutEvent,
} from '../instrumentation/event-types.js';
import type { Logger } from '../logger/logger.js';
import { type ResolvedRetry, type RetryOptions, retryBudgetMs } from '../retry/retry.js';
import type {
  AclEntry,
  AclFilter,
  DeleteAclResponse,
  DeleteGroupsResult,
  DescribeAclResponse,
  DescribeConfigResponse,
  FetchOffsetsPartition,
  IResourceConfig,
  ITopicConfig,
  ITopicMetadata,
  ITopicPartitionConfig,
  ListPartitionReassignmentsResponse,
  PartitionReassignment,
  ResourceConfigQuery,
  SeekEntry,
} from './admin-types.js';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  aclOperation,
  aclOperationCode,
  aclPatternType,
  aclPatternTypeCode,
  aclPermission,
  aclPermissionCode,
  aclResourceType,
  aclResourceTypeCode,
  ConfigResourceTypes,
  configResourceType,
  configSourceCode,
  ResourcePatternTypes,
} from './enums.js';

/** Admin settings. */
export interface AdminConfig {
  /** How failed calls are retried; the engine retries within the time these retries allow. */
  retry?: RetryOptions;
}

/** What a failed item of a batch call of the engine carries. */
type ItemError = { readonly error?: KafkaError };

function firstError(results: readonly ItemError[]): KafkaError | undefined {
  for (const result of results) if (result.error !== undefined) return result.error;
  return undefined;
}

function checkTopicName(topic: unknown): asserts topic is string {
  if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
}

function values<T extends Record<string, number>>(table: T): number[] {
  return Object.values(table);
}

/**
 * The KafkaJS admin client on the engine's admin client: the same methods, arguments and result shapes (offsets as
 * strings, enums as numbers), each call made by the engine's admin with its routing and retries, within the time
 * the `retry` options allow.
 */
export class Admin {
  /** The names of the admin client's events. */
  readonly events: AdminEvents = ADMIN_EVENTS;
  private readonly logger_: Logger;
  private readonly emitter: InstrumentationEmitter<AdminEvents>;
  private readonly retry: ResolvedRetry;
  private engine_: CoreAdmin | undefined;

  /** @internal Made by `kafka.admin()`. */
  constructor(
    private readonly shared: SharedConfig,
    config: AdminConfig = {},
  ) {
    this.logger_ = shared.logger.namespace('Admin');
    this.emitter = new InstrumentationEmitter(ADMIN_EVENTS, 'admin', this.logger_);
    this.retry = clientRetry(shared, config.retry);
    this.engine();
  }

  /** Connects to the cluster. */
  async connect(): Promise<void> {
    await this.call(() => this.engine().connect());
    this.emitter.emit(ADMIN_EVENTS.CONNECT);
  }

  /** Closes every connection. */
  async disconnect(): Promise<void> {
    const engine = this.engine_;
    this.engine_ = undefined;
    await engine?.close();
    this.emitter.emit(ADMIN_EVENTS.DISCONNECT);
  }

  /** The admin's logger. */
  logger(): Logger {
    return this.logger_;
  }

  /** Listens to one of `admin.events` (the network events are accepted and never emitted; see the README). */
  on(
    eventName: AdminEvents['CONNECT'],
    listener: (event: ConnectEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: AdminEvents['DISCONNECT'],
    listener: (event: DisconnectEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: AdminEvents['REQUEST'],
    listener: (event: RequestEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: AdminEvents['REQUEST_QUEUE_SIZE'],
    listener: (event: RequestQueueSizeEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: AdminEvents['REQUEST_TIMEOUT'],
    listener: (event: RequestTimeoutEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: AdminEvents[keyof AdminEvents],
    // biome-ignore lint/suspicious/noExplicitAny: KafkaJS's catch-all overload, kept for type compatibility.
    listener: (event: InstrumentationEvent<any>) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(eventName: string, listener: (event: InstrumentationEvent<never>) => void): () => void {
    return this.emitter.on(eventName, listener as (event: InstrumentationEvent<unknown>) => void);
  }

  /** Names of every topic, internal ones included. */
  async listTopics(): Promise<string[]> {
    const topics = await this.call(() => this.engine().listTopics({ includeInternal: true }));
    return topics.map((t) => t.topic);
  }

  /**
   * Creates topics. Resolves true, or false when some already existed (and no other failed); waits for their
   * leaders unless `waitForLeaders: false`. Other failures reject with a `KafkaJSAggregateError` of
   * `KafkaJSCreateTopicError`s, as in KafkaJS.
   */
  async createTopics(options: {
    validateOnly?: boolean;
    waitForLeaders?: boolean;
    timeout?: number;
    topics: ITopicConfig[];
  }): Promise<boolean> {
    const { topics, validateOnly, timeout, waitForLeaders = true } = options ?? ({} as never);
    if (!topics || !Array.isArray(topics)) throw new KafkaJSNonRetriableError(`Invalid topics array ${topics}`);
    if (topics.some(({ topic }) => typeof topic !== 'string')) {
      throw new KafkaJSNonRetriableError('Invalid topics array, the topic names have to be a valid string');
    }
    if (new Set(topics.map((t) => t.topic)).size < topics.length) {
      throw new KafkaJSNonRetriableError('Invalid topics array, it cannot have multiple entries for the same topic');
    }
    for (const { topic, configEntries } of topics) {
      if (configEntries === undefined || configEntries === null) continue;
      if (!Array.isArray(configEntries)) {
        throw new KafkaJSNonRetriableError(`Invalid configEntries for topic "${topic}", must be an array`);
      }
      configEntries.forEach((entry, index) => {
        if (typeof entry !== 'object' || entry === null) {
          throw new KafkaJSNonRetriableError(
            `Invalid configEntries for topic "${topic}". Entry ${index} must be an object`,
          );
        }
        for (const property of ['name', 'value'] as const) {
          if (typeof entry[property] !== 'string') {
            throw new KafkaJSNonRetriableError(
              `Invalid configEntries for topic "${topic}". Entry ${index} must have a valid "${property}" property`,
            );
          }
        }
      });
    }
    const results = await this.call(() =>
      this.engine().createTopics(
        topics.map((t) => ({
          topic: t.topic,
          ...(t.numPartitions === undefined || t.numPartitions < 0 ? {} : { numPartitions: t.numPartitions }),
          ...(t.replicationFactor === undefined || t.replicationFactor < 0
            ? {}
            : { replicationFactor: t.replicationFactor }),
          ...(t.replicaAssignment === undefined || t.replicaAssignment.length === 0
            ? {}
            : {
                assignments: [...t.replicaAssignment].sort((a, b) => a.partition - b.partition).map((a) => a.replicas),
              }),
          ...(t.configEntries === undefined
            ? {}
            : { configs: Object.fromEntries(t.configEntries.map((e) => [e.name, e.value])) }),
        })),
        {
          validateOnly: validateOnly ?? false,
          waitForMetadata: waitForLeaders && validateOnly !== true,
          ...(timeout === undefined ? {} : { timeoutMs: Math.max(timeout, 5000) }),
        },
      ),
    );
    const errors = results.filter((r) => r.error !== undefined);
    if (errors.length === 0) return true;
    const mapped = errors.map((r) => new KafkaJSCreateTopicError(protocolInfo(r.error!), r.topic, { cause: r.error }));
    if (mapped.every((e) => e.type === 'TOPIC_ALREADY_EXISTS')) return false;
    throw new KafkaJSAggregateError('Topic creation errors', mapped);
  }

  /** Deletes topics. */
  async deleteTopics(options: { topics: string[]; timeout?: number }): Promise<void> {
    const { topics } = options ?? ({} as never);
    if (!topics || !Array.isArray(topics)) throw new KafkaJSNonRetriableError(`Invalid topics array ${topics}`);
    if (topics.some((t) => typeof t !== 'string')) {
      throw new KafkaJSNonRetriableError('Invalid topics array, the names must be a valid string');
    }
    const results = await this.call(() => this.engine().deleteTopics(topics, { waitForMetadata: true }));
    const error = firstError(results);
    if (error !== undefined) throw retriesExhausted(error, this.retry.retries);
  }

  /** Adds partitions to topics (`count` is the new total). */
  async createPartitions(options: {
    validateOnly?: boolean;
    timeout?: number;
    topicPartitions: ITopicPartitionConfig[];
  }): Promise<boolean> {
    const { topicPartitions, validateOnly } = options ?? ({} as never);
    if (!topicPartitions || !Array.isArray(topicPartitions)) {
      throw new KafkaJSNonRetriableError(`Invalid topic partitions array ${topicPartitions}`);
    }
    if (topicPartitions.length === 0) throw new KafkaJSNonRetriableError('Empty topic partitions array');
    if (topicPartitions.some(({ topic }) => typeof topic !== 'string')) {
      throw new KafkaJSNonRetriableError('Invalid topic partitions array, the topic names have to be a valid string');
    }
    if (new Set(topicPartitions.map((t) => t.topic)).size < topicPartitions.length) {
      throw new KafkaJSNonRetriableError(
        'Invalid topic partitions array, it cannot have multiple entries for the same topic',
      );
    }
    const results = await this.call(() =>
      this.engine().createPartitions(
        topicPartitions.map((t) => ({
          topic: t.topic,
          totalCount: t.count,
          ...(t.assignments === undefined ? {} : { assignments: t.assignments }),
        })),
        { validateOnly: validateOnly ?? false, waitForMetadata: validateOnly !== true },
      ),
    );
    const error = firstError(results);
    if (error !== undefined) throw toKafkaJSError(error);
    return true;
  }

  /** Partitions of topics (all topics when none given), in KafkaJS's metadata shape. */
  async fetchTopicMetadata(options: { topics?: string[] } = {}): Promise<{ topics: Array<ITopicMetadata> }> {
    const requested = options?.topics ?? [];
    for (const topic of requested) checkTopicName(topic);
    const names = requested.length > 0 ? requested : await this.listTopics();
    if (names.length === 0) return { topics: [] };
    const results = await this.call(() => this.engine().describeTopics(names));
    const error = firstError(results);
    if (error !== undefined) throw retriesExhausted(error, this.retry.retries);
    return {
      topics: results.map((r) => ({
        name: r.topic,
        partitions: (r.error === undefined ? r.partitions : []).map(
          (p): PartitionMetadata => ({
            partitionErrorCode: 0,
            partitionId: p.partition,
            leader: p.leader ?? -1,
            replicas: [...p.replicas],
            isr: [...p.isr],
            offlineReplicas: [...p.offlineReplicas],
          }),
        ),
      })),
    };
  }

  /** Each partition's first (`low`) and end (`high`, also `offset`) offsets. */
  async fetchTopicOffsets(topic: string): Promise<Array<SeekEntry & { high: string; low: string }>> {
    checkTopicName(topic);
    const partitions = await this.partitionsOf(topic);
    const [high, low] = await Promise.all([
      this.offsets(topic, partitions, 'latest'),
      this.offsets(topic, partitions, 'earliest'),
    ]);
    return partitions.map((partition) => {
      const h = high.get(partition) ?? '-1';
      return { partition, offset: h, high: h, low: low.get(partition) ?? '-1' };
    });
  }

  /** Each partition's first offset at or after `timestamp`, or its end offset when there is none. */
  async fetchTopicOffsetsByTimestamp(topic: string, timestamp?: number): Promise<Array<SeekEntry>> {
    checkTopicName(topic);
    const partitions = await this.partitionsOf(topic);
    const [high, found] = await Promise.all([
      this.offsets(topic, partitions, 'latest'),
      this.offsets(topic, partitions, { timestamp: timestamp ?? Date.now() }),
    ]);
    return partitions.map((partition) => {
      const offset = found.get(partition);
      return { partition, offset: offset === undefined || offset === '-1' ? (high.get(partition) ?? '-1') : offset };
    });
  }

  /**
   * A group's committed offsets, by topic; `'-1'` where it has none. With `topics`, every partition of them; without,
   * the topics the group committed. `resolveOffsets` replaces missing offsets by the end offset and commits it, as
   * KafkaJS does.
   */
  async fetchOffsets(options: {
    groupId: string;
    topics?: string[];
    resolveOffsets?: boolean;
  }): Promise<Array<{ topic: string; partitions: FetchOffsetsPartition[] }>> {
    const { groupId, resolveOffsets = false } = options ?? ({} as never);
    if (!groupId) throw new KafkaJSNonRetriableError(`Invalid groupId ${groupId}`);
    const topics = options.topics ?? [];
    if (!Array.isArray(topics)) throw new KafkaJSNonRetriableError('Expected topics array to be set');
    const partitions = (
      await Promise.all(
        topics.map(async (topic) => (await this.partitionsOf(topic)).map((partition) => ({ topic, partition }))),
      )
    ).flat();
    const [result] = await this.call(() =>
      this.engine().listGroupOffsets([topics.length === 0 ? groupId : { groupId, partitions }]),
    );
    if (result === undefined) return [];
    if (result.error !== undefined) throw toKafkaJSError(result.error);
    const byTopic = new Map<string, FetchOffsetsPartition[]>();
    for (const topic of topics) byTopic.set(topic, []);
    for (const entry of result.offsets) {
      if (entry.error !== undefined) throw toKafkaJSError(entry.error);
      let list = byTopic.get(entry.topic);
      if (list === undefined) {
        list = [];
        byTopic.set(entry.topic, list);
      }
      list.push({
        partition: entry.partition,
        offset: entry.offset === null ? '-1' : entry.offset.toString(),
        metadata: entry.metadata || null,
      });
    }
    if (resolveOffsets) {
      for (const [topic, list] of byTopic) {
        const missing = list.filter((p) => p.offset === '-1');
        if (missing.length === 0) continue;
        const high = await this.offsets(
          topic,
          missing.map((p) => p.partition),
          'latest',
        );
        for (const p of missing) p.offset = high.get(p.partition) ?? '-1';
        await this.setOffsets({
          groupId,
          topic,
          partitions: missing.map(({ partition, offset }) => ({ partition, offset })),
        });
      }
    }
    return [...byTopic].map(([topic, list]) => ({
      topic,
      partitions: list.sort((a, b) => a.partition - b.partition),
    }));
  }

  /**
   * Moves a group's offsets of a topic to its earliest (`earliest: true`) or latest offsets. The group must have no
   * running member. The offsets committed are the partitions' actual first or end offsets (see the README).
   */
  async resetOffsets(options: { groupId: string; topic: string; earliest: boolean }): Promise<void> {
    const { groupId, topic, earliest = false } = options ?? ({} as never);
    if (!groupId) throw new KafkaJSNonRetriableError(`Invalid groupId ${groupId}`);
    if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`);
    await this.checkGroupNotRunning(groupId);
    const results = await this.call(() =>
      this.engine().resetGroupOffsets(groupId, { to: earliest ? 'earliest' : 'latest', topics: [topic] }),
    );
    const error = firstError(results);
    if (error !== undefined) throw toKafkaJSError(error);
  }

  /** Sets a group's offsets of a topic (`'-2'` earliest, `'-1'` latest). The group must have no running member. */
  async setOffsets(options: { groupId: string; topic: string; partitions: SeekEntry[] }): Promise<void> {
    const { groupId, topic, partitions } = options ?? ({} as never);
    if (!groupId) throw new KafkaJSNonRetriableError(`Invalid groupId ${groupId}`);
    if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${topic}`);
    if (!partitions || partitions.length === 0) throw new KafkaJSNonRetriableError('Invalid partitions');
    await this.checkGroupNotRunning(groupId);
    const exact = partitions.filter((p) => BigInt(p.offset) >= 0n);
    const special = (value: bigint) =>
      partitions.filter((p) => BigInt(p.offset) === value).map((p) => ({ topic, partition: p.partition }));
    const results: ItemError[] = [];
    if (exact.length > 0) {
      results.push(
        ...(await this.call(() =>
          this.engine().alterGroupOffsets(
            groupId,
            exact.map((p) => ({ topic, partition: p.partition, offset: BigInt(p.offset) })),
          ),
        )),
      );
    }
    for (const [value, to] of [
      [-2n, 'earliest'],
      [-1n, 'latest'],
    ] as const) {
      const list = special(value);
      if (list.length === 0) continue;
      results.push(...(await this.call(() => this.engine().resetGroupOffsets(groupId, { to, partitions: list }))));
    }
    const error = firstError(results);
    if (error !== undefined) throw toKafkaJSError(error);
  }

  /** The brokers, the controller and the cluster id. */
  async describeCluster(): Promise<{
    brokers: Array<{ nodeId: number; host: string; port: number }>;
    controller: number | null;
    clusterId: string;
  }> {
    const cluster = await this.call(() => this.engine().describeCluster());
    return {
      brokers: cluster.brokers.map(({ nodeId, host, port }) => ({ nodeId, host, port })),
      controller: cluster.controller?.nodeId ?? null,
      clusterId: cluster.clusterId,
    };
  }

  /** Describes configurations of topics and brokers, in KafkaJS's response shape. */
  async describeConfigs(configs: {
    resources: ResourceConfigQuery[];
    includeSynonyms: boolean;
  }): Promise<DescribeConfigResponse> {
    const { resources, includeSynonyms } = configs ?? ({} as never);
    this.checkResources(resources);
    for (const r of resources) {
      if (!Array.isArray(r.configNames) && r.configNames !== undefined && r.configNames !== null) {
        throw new KafkaJSNonRetriableError(
          `Invalid resource configNames ${String(r.configNames)}: ${JSON.stringify(r)}`,
        );
      }
    }
    const results = await this.call(() =>
      this.engine().describeConfigs(
        resources.map((r) => ({
          type: configResourceType(r.type),
          name: r.name,
          ...(r.configNames === undefined || r.configNames === null || r.configNames.length === 0
            ? {}
            : { configNames: r.configNames }),
        })),
        { includeSynonyms: includeSynonyms === true },
      ),
    );
    return {
      throttleTime: 0,
      resources: results.map((r, index) => {
        const query = resources[index]!;
        if (r.error !== undefined) {
          return {
            errorCode: r.error.kafkaErrorCode ?? ErrorCodes.UNKNOWN_SERVER_ERROR,
            errorMessage: r.error.message,
            resourceName: query.name,
            resourceType: query.type,
            configEntries: [],
          };
        }
        return {
          errorCode: ErrorCodes.NONE,
          errorMessage: '',
          resourceName: query.name,
          resourceType: query.type,
          configEntries: r.entries.map((e) => ({
            configName: e.name,
            configValue: e.value as string,
            isDefault: e.isDefault,
            configSource: configSourceCode(
              e.source,
            ) as DescribeConfigResponse['resources'][number]['configEntries'][number]['configSource'],
            isSensitive: e.isSensitive,
            readOnly: e.isReadOnly,
            configSynonyms: e.synonyms.map((s) => ({
              configName: s.name,
              configValue: s.value as string,
              configSource: configSourceCode(
                s.source,
              ) as DescribeConfigResponse['resources'][number]['configEntries'][number]['configSource'],
            })),
          })),
        };
      }),
    };
  }

  /**
   * Replaces configurations (Kafka's AlterConfigs, as KafkaJS sends it: entries not listed go back to their defaults).
   */
  async alterConfigs(configs: { validateOnly: boolean; resources: IResourceConfig[] }): Promise<{
    resources: Array<{ errorCode: number; errorMessage: string; resourceName: string; resourceType: number }>;
    throttleTime: number;
  }> {
    const { resources, validateOnly } = configs ?? ({} as never);
    this.checkResources(resources);
    if (resources.some((r) => !Array.isArray(r.configEntries))) {
      const bad = resources.find((r) => !Array.isArray(r.configEntries))!;
      throw new KafkaJSNonRetriableError(
        `Invalid resource configEntries ${String(bad.configEntries)}: ${JSON.stringify(bad)}`,
      );
    }
    const invalid = resources.find((r) =>
      r.configEntries.some((e) => typeof e.name !== 'string' || typeof e.value !== 'string'),
    );
    if (invalid !== undefined) {
      throw new KafkaJSNonRetriableError(`Invalid resource config value: ${JSON.stringify(invalid)}`);
    }
    const results = await this.call(() =>
      this.engine().alterConfigs(
        resources.map((r) => ({
          resource: { type: configResourceType(r.type), name: r.name },
          configs: Object.fromEntries(r.configEntries.map((e) => [e.name, e.value])),
        })),
        { validateOnly: validateOnly === true },
      ),
    );
    const error = firstError(results);
    if (error !== undefined) throw toKafkaJSError(error);
    return {
      throttleTime: 0,
      resources: resources.map((r) => ({
        errorCode: ErrorCodes.NONE,
        errorMessage: '',
        resourceName: r.name,
        resourceType: r.type,
      })),
    };
  }

  /** Every group of the cluster. */
  async listGroups(): Promise<{ groups: Array<{ groupId: string; protocolType: string }> }> {
    const groups = await this.call(() => this.engine().listGroups());
    return { groups: groups.map(({ groupId, protocolType }) => ({ groupId, protocolType })) };
  }

  /** Describes groups, in KafkaJS's shape. */
  async describeGroups(groupIds: string[]): Promise<GroupDescriptions> {
    const results = await this.call(() => this.engine().describeGroups(groupIds));
    return {
      groups: results.map((r) => {
        if (r.error === undefined) return toGroupDescription(r.groupId, r);
        if (r.error.kafkaErrorCode === ErrorCodes.GROUP_ID_NOT_FOUND) return deadGroup(r.groupId);
        throw toKafkaJSError(r.error);
      }),
    };
  }

  /** Deletes groups; rejects with `KafkaJSDeleteGroupsError` listing the ones that failed. */
  async deleteGroups(groupIds: string[]): Promise<DeleteGroupsResult[]> {
    if (!groupIds || !Array.isArray(groupIds)) throw new KafkaJSNonRetriableError(`Invalid groupIds array ${groupIds}`);
    if (groupIds.some((g) => typeof g !== 'string')) {
      throw new KafkaJSNonRetriableError(`Invalid groupId name: ${JSON.stringify(groupIds)}`);
    }
    const results = await this.call(() => this.engine().deleteGroups(groupIds));
    const failed = results.filter((r) => r.error !== undefined);
    if (failed.length > 0) {
      throw new KafkaJSDeleteGroupsError(
        'Error in DeleteGroups',
        failed.map((r) => {
          const error = toKafkaJSError(r.error) as KafkaJSError;
          return { groupId: r.groupId, errorCode: r.error!.kafkaErrorCode ?? ErrorCodes.UNKNOWN_SERVER_ERROR, error };
        }),
      );
    }
    return results.map((r) => ({ groupId: r.groupId, errorCode: ErrorCodes.NONE }));
  }

  /** Deletes the records of a topic's partitions below the given offsets (`'-1'`: up to the high watermark). */
  async deleteTopicRecords(options: { topic: string; partitions: SeekEntry[] }): Promise<void> {
    const { topic, partitions } = options ?? ({} as never);
    if (!topic || typeof topic !== 'string') throw new KafkaJSNonRetriableError(`Invalid topic "${topic}"`);
    if (!partitions || partitions.length === 0) throw new KafkaJSNonRetriableError('Invalid partitions');
    const results = await this.call(() =>
      this.engine().deleteRecords(
        partitions.map((p) => ({ topic, partition: p.partition, beforeOffset: BigInt(p.offset) })),
      ),
    );
    const failed = results
      .map((r, index) => ({ r, entry: partitions[index]! }))
      .filter(({ r }) => r.error !== undefined);
    if (failed.length > 0) {
      throw new KafkaJSDeleteTopicRecordsError({
        topic,
        partitions: failed.map(({ r, entry }) => ({
          partition: entry.partition,
          offset: entry.offset,
          error: toKafkaJSError(r.error) as KafkaJSError,
        })),
      });
    }
  }

  /** Creates ACLs. */
  async createAcls(options: { acl: AclEntry[] }): Promise<boolean> {
    const { acl } = options ?? ({} as never);
    if (!acl || !Array.isArray(acl)) throw new KafkaJSNonRetriableError(`Invalid ACL array ${acl}`);
    if (acl.length === 0) throw new KafkaJSNonRetriableError('Empty ACL array');
    for (const field of ['principal', 'host', 'resourceName'] as const) {
      if (acl.some((a) => typeof a[field] !== 'string')) {
        throw new KafkaJSNonRetriableError(`Invalid ACL array, the ${field}s have to be a valid string`);
      }
    }
    this.checkAclEnums(acl);
    const results = await this.call(() =>
      this.engine().createAcls(
        acl.map((a) => ({
          resourceType: aclResourceType(a.resourceType),
          resourceName: a.resourceName,
          patternType: aclPatternType(a.resourcePatternType),
          principal: a.principal,
          host: a.host,
          operation: aclOperation(a.operation),
          permission: aclPermission(a.permissionType),
        })),
      ),
    );
    const error = firstError(results);
    if (error !== undefined) throw toKafkaJSError(error);
    return true;
  }

  /** The ACLs matching a filter, grouped by resource. */
  async describeAcls(filter: AclFilter): Promise<DescribeAclResponse> {
    const f = filter ?? ({} as AclFilter);
    for (const field of ['principal', 'host', 'resourceName'] as const) {
      if (typeof f[field] !== 'string' && f[field] !== undefined) {
        throw new KafkaJSNonRetriableError(`Invalid ${field}, the ${field} have to be a valid string`);
      }
    }
    this.checkAclEnums([f]);
    const bindings = await this.call(() => this.engine().describeAcls(toCoreFilter(f)));
    const resources = new Map<string, DescribeAclResponse['resources'][number]>();
    for (const b of bindings) {
      const key = `${b.resourceType}\u0000${b.patternType}\u0000${b.resourceName}`;
      let resource = resources.get(key);
      if (resource === undefined) {
        resource = {
          resourceType: aclResourceTypeCode(b.resourceType) as AclResourceTypes,
          resourceName: b.resourceName,
          resourcePatternType: aclPatternTypeCode(b.patternType) as ResourcePatternTypes,
          acls: [],
        };
        resources.set(key, resource);
      }
      resource.acls.push({
        principal: b.principal,
        host: b.host,
        operation: aclOperationCode(b.operation) as AclOperationTypes,
        permissionType: aclPermissionCode(b.permission) as AclPermissionTypes,
      });
    }
    return { throttleTime: 0, errorCode: ErrorCodes.NONE, resources: [...resources.values()] };
  }

  /** Deletes the ACLs matching each filter; reports what each matched. */
  async deleteAcls(options: { filters: AclFilter[] }): Promise<DeleteAclResponse> {
    const { filters } = options ?? ({} as never);
    if (!filters || !Array.isArray(filters)) throw new KafkaJSNonRetriableError(`Invalid ACL Filter array ${filters}`);
    if (filters.length === 0) throw new KafkaJSNonRetriableError('Empty ACL Filter array');
    for (const field of ['principal', 'host', 'resourceName'] as const) {
      if (filters.some((f) => typeof f[field] !== 'string' && f[field] !== undefined)) {
        throw new KafkaJSNonRetriableError(`Invalid ACL Filter array, the ${field}s have to be a valid string`);
      }
    }
    this.checkAclEnums(filters);
    const results = await this.call(() => this.engine().deleteAcls(filters.map(toCoreFilter)));
    return {
      throttleTime: 0,
      filterResponses: results.map((r) => {
        if (r.error !== undefined) {
          return {
            errorCode: r.error.kafkaErrorCode ?? ErrorCodes.UNKNOWN_SERVER_ERROR,
            errorMessage: r.error.message,
            matchingAcls: [],
          };
        }
        return {
          errorCode: ErrorCodes.NONE,
          matchingAcls: r.deleted.map((d) => ({
            errorCode: d.error?.kafkaErrorCode ?? ErrorCodes.NONE,
            ...(d.error === undefined ? {} : { errorMessage: d.error.message }),
            ...fromBinding(d.acl),
          })),
        };
      }),
    };
  }

  /** Moves partitions to other replicas. */
  async alterPartitionReassignments(request: { topics: PartitionReassignment[]; timeout?: number }): Promise<void> {
    const { topics } = request ?? ({} as never);
    if (!topics || !Array.isArray(topics)) throw new KafkaJSNonRetriableError(`Invalid topics array ${topics}`);
    for (const { topic, partitionAssignment } of topics) {
      checkTopicName(topic);
      if (!Array.isArray(partitionAssignment)) {
        throw new KafkaJSNonRetriableError(`Invalid partitions array: ${partitionAssignment} for topic: ${topic}`);
      }
      for (const { partition, replicas } of partitionAssignment) {
        if (typeof partition !== 'number' || partition < 0) {
          throw new KafkaJSNonRetriableError(`Invalid partitions index: ${partition} for topic: ${topic}`);
        }
        if (!Array.isArray(replicas) || replicas.some((r) => typeof r !== 'number' || r < 0)) {
          throw new KafkaJSNonRetriableError(
            `Invalid replica assignment: ${replicas} for topic: ${topic} on partition: ${partition}. Replicas must be a non negative number`,
          );
        }
      }
    }
    const results = await this.call(() =>
      this.engine().alterPartitionReassignments(
        topics.flatMap(({ topic, partitionAssignment }) =>
          partitionAssignment.map(({ partition, replicas }) => ({ topic, partition, replicas })),
        ),
      ),
    );
    const failed = results.find((r) => r.error !== undefined);
    if (failed !== undefined) {
      throw new KafkaJSAlterPartitionReassignmentsError(protocolInfo(failed.error!), failed.topic, failed.partition);
    }
  }

  /** Reassignments in progress (of the given partitions, or all). */
  async listPartitionReassignments(request: {
    topics?: TopicPartitions[];
    timeout?: number;
  }): Promise<ListPartitionReassignmentsResponse> {
    const topics = request?.topics ?? null;
    const partitions =
      topics === null
        ? undefined
        : topics.flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition })));
    const reassignments = await this.call(() => this.engine().listPartitionReassignments(partitions));
    const byTopic = new Map<string, ListPartitionReassignmentsResponse['topics'][number]>();
    for (const r of reassignments) {
      let entry = byTopic.get(r.topic);
      if (entry === undefined) {
        entry = { topic: r.topic, partitions: [] };
        byTopic.set(r.topic, entry);
      }
      entry.partitions.push({
        partitionIndex: r.partition,
        replicas: [...r.replicas],
        addingReplicas: [...r.addingReplicas],
        removingReplicas: [...r.removingReplicas],
      });
    }
    return { topics: [...byTopic.values()] };
  }

  // ---------------------------------------------------------------------------------------------------------------

  private engine(): CoreAdmin {
    if (this.engine_ === undefined) {
      try {
        this.engine_ = new CoreAdmin({
          ...toClientOptions(this.shared, this.retry, 'Admin'),
          defaultApiTimeoutMs: Math.max(
            5000,
            retryBudgetMs(this.retry) + (this.shared.config.requestTimeout ?? 30_000),
          ),
        });
        this.emitter.own(this.engine_.instance);
      } catch (error) {
        throw toKafkaJSError(error);
      }
    }
    return this.engine_;
  }

  /** Runs an engine call, turning its failure into the KafkaJS error. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw retriesExhausted(error, this.retry.retries);
    }
  }

  private async partitionsOf(topic: string): Promise<number[]> {
    const [result] = await this.call(() => this.engine().describeTopics([topic]));
    if (result === undefined) return [];
    if (result.error !== undefined) throw retriesExhausted(result.error, this.retry.retries);
    return result.partitions.map((p) => p.partition).sort((a, b) => a - b);
  }

  private async offsets(
    topic: string,
    partitions: readonly number[],
    spec: 'earliest' | 'latest' | { timestamp: number },
  ): Promise<Map<number, string>> {
    const results = await this.call(() =>
      this.engine().listOffsets(partitions.map((partition) => ({ topic, partition, spec }))),
    );
    const map = new Map<number, string>();
    for (const r of results) {
      if (r.error !== undefined) throw toKafkaJSError(r.error);
      map.set(r.partition, r.offset === null ? '-1' : r.offset.toString());
    }
    return map;
  }

  private async checkGroupNotRunning(groupId: string): Promise<void> {
    const { groups } = await this.describeGroups([groupId]);
    const state = groups[0]?.state;
    if (state !== undefined && state !== 'Empty' && state !== 'Dead') {
      throw new KafkaJSNonRetriableError(`The consumer group must have no running instances, current state: ${state}`);
    }
  }

  private checkResources(resources: Array<{ type: number; name: string }>): void {
    if (!resources || !Array.isArray(resources)) {
      throw new KafkaJSNonRetriableError(`Invalid resources array ${resources}`);
    }
    if (resources.length === 0) throw new KafkaJSNonRetriableError('Resources array cannot be empty');
    const validTypes = values(ConfigResourceTypes);
    const invalidType = resources.find((r) => !validTypes.includes(r.type) || r.type === ConfigResourceTypes.UNKNOWN);
    if (invalidType !== undefined) {
      throw new KafkaJSNonRetriableError(`Invalid resource type ${invalidType.type}: ${JSON.stringify(invalidType)}`);
    }
    const invalidName = resources.find((r) => !r.name || typeof r.name !== 'string');
    if (invalidName !== undefined) {
      throw new KafkaJSNonRetriableError(`Invalid resource name ${invalidName.name}: ${JSON.stringify(invalidName)}`);
    }
  }

  private checkAclEnums(
    entries: Array<{ operation: number; resourcePatternType: number; permissionType: number; resourceType: number }>,
  ): void {
    const checks: Array<[keyof (typeof entries)[number], number[], string]> = [
      ['operation', values(AclOperationTypes), 'operation type'],
      ['resourcePatternType', values(ResourcePatternTypes), 'resource pattern type'],
      ['permissionType', values(AclPermissionTypes), 'permission type'],
      ['resourceType', values(AclResourceTypes), 'resource type'],
    ];
    for (const [field, valid, what] of checks) {
      const bad = entries.find((e) => !valid.includes(e[field]));
      if (bad !== undefined)
        throw new KafkaJSNonRetriableError(`Invalid ${what} ${bad[field]}: ${JSON.stringify(bad)}`);
    }
  }
}

function toCoreFilter(f: AclFilter): CoreAclFilter {
  return {
    resourceType: aclResourceType(f.resourceType),
    resourceName: f.resourceName ?? null,
    patternType: aclPatternType(f.resourcePatternType),
    principal: f.principal ?? null,
    host: f.host ?? null,
    operation: aclOperation(f.operation),
    permission: aclPermission(f.permissionType),
  };
}

function fromBinding(b: AclBinding): Omit<AclEntry, never> {
  return {
    resourceType: aclResourceTypeCode(b.resourceType) as AclResourceTypes,
    resourceName: b.resourceName,
    resourcePatternType: aclPatternTypeCode(b.patternType) as ResourcePatternTypes,
    principal: b.principal,
    host: b.host,
    operation: aclOperationCode(b.operation) as AclOperationTypes,
    permissionType: aclPermissionCode(b.permission) as AclPermissionTypes,
  };
}

function protocolInfo(error: KafkaError): { type: string; code: number; retriable: boolean; message: string } {
  const code = error.kafkaErrorCode ?? ErrorCodes.UNKNOWN_SERVER_ERROR;
  return {
    type: protocolErrorType(code, error.kafkaErrorName ?? 'UNKNOWN'),
    code,
    retriable: error.retriable,
    message: error.message,
  };
}
