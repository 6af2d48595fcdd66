import { checkTopicName, topicNameProblem } from '../cluster/topic-name.js';
import { InvalidTopicError } from '../errors/broker-errors.generated.js';
import { InvalidArgumentError, KafkaTimeoutError, toKafkaError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import type { Connection } from '../network/connection.js';
import { ZERO_UUID } from '../protocol/messages/codec-support.js';
import { CreatePartitions } from '../protocol/messages/generated/create-partitions.js';
import { CreateTopics } from '../protocol/messages/generated/create-topics.js';
import { DeleteTopics } from '../protocol/messages/generated/delete-topics.js';
import {
  DescribeTopicPartitions,
  type DescribeTopicPartitionsRequestCursor,
  type DescribeTopicPartitionsResponse,
  type DescribeTopicPartitionsResponsePartition,
} from '../protocol/messages/generated/describe-topic-partitions.js';
import type { MetadataResponseTopic } from '../protocol/messages/generated/metadata.js';
import { type AclOperation, authorizedOperations } from './acl-codes.js';
import type { AdminCall } from './admin-call.js';
import { exchange } from './admin-exchange.js';
import type { AdminCallOptions } from './admin-options.js';
import { type AdminRouter, brokerError, type Outcome, type Outcomes, settle } from './admin-request.js';
import { epochOrNull, type ItemResult } from './admin-types.js';
import { type ConfigEntry, configEntry, configPairs } from './config-entry.js';
import { itemOutcomes } from './item-outcomes.js';

/** A topic as `listTopics` lists it. Java: `TopicListing`. */
export interface TopicListing {
  /** Topic name. */
  readonly topic: string;
  /** Topic id (KIP-516), in Kafka's text form. */
  readonly topicId: string;
  /** Whether the topic is internal (`__consumer_offsets`, `__transaction_state`, ...). */
  readonly isInternal: boolean;
}

/** Options of `listTopics`. Java: `ListTopicsOptions`. */
export interface ListTopicsOptions extends AdminCallOptions {
  /** List internal topics too. Java: `listInternal`. Default false. */
  readonly includeInternal?: boolean;
}

/** One partition of a described topic. Java: `TopicPartitionInfo`. */
export interface PartitionDescription {
  /** Partition index. */
  readonly partition: number;
  /** Leader's node id, or null while the partition has no leader. */
  readonly leader: number | null;
  /** Leader epoch (KIP-320), or null when the broker does not say. */
  readonly leaderEpoch: number | null;
  /** Replica node ids, the preferred leader first. */
  readonly replicas: readonly number[];
  /** In-sync replica node ids. */
  readonly isr: readonly number[];
  /** Replicas that are offline. */
  readonly offlineReplicas: readonly number[];
  /** Eligible leader replicas (KIP-966), when the broker reports them (DescribeTopicPartitions), else null. */
  readonly elr: readonly number[] | null;
  /** Last known eligible leader replicas (KIP-966), when the broker reports them, else null. */
  readonly lastKnownElr: readonly number[] | null;
}

/** A topic as `describeTopics` describes it. Java: `TopicDescription`. */
export interface TopicDescription {
  /** Topic id (KIP-516), in Kafka's text form. */
  readonly topicId: string;
  /** Whether the topic is internal. */
  readonly isInternal: boolean;
  /** Partitions, by index. */
  readonly partitions: readonly PartitionDescription[];
  /** What the client may do with the topic, with `includeAuthorizedOperations`; otherwise undefined. */
  readonly authorizedOperations?: readonly AclOperation[];
}

/** The result of `describeTopics` for one topic. Java: `DescribeTopicsResult.topicNameValues()`. */
export type DescribeTopicResult = ItemResult<{ readonly topic: string }, TopicDescription>;

/** Options of `describeTopics`. Java: `DescribeTopicsOptions`. */
export interface DescribeTopicsOptions extends AdminCallOptions {
  /** Ask for the operations the client may perform on each topic. Java: `includeAuthorizedOperations`. */
  readonly includeAuthorizedOperations?: boolean;
  /**
   * Partitions per DescribeTopicPartitions response (KIP-966); larger topics take several round trips.
   * Java: `partitionSizeLimitPerResponse`. Default 2000.
   */
  readonly partitionSizeLimitPerResponse?: number;
}

/** A topic to create. Java: `NewTopic`. */
export interface NewTopic {
  /** Topic name. */
  readonly topic: string;
  /** Number of partitions. Default: the broker's `num.partitions`. Leave out with `assignments`. */
  readonly numPartitions?: number;
  /** Replicas per partition. Default: the broker's `default.replication.factor`. Leave out with `assignments`. */
  readonly replicationFactor?: number;
  /**
   * Explicit replica placement: `assignments[p]` lists the broker ids of partition `p`, the preferred leader
   * first. Java: `NewTopic(name, replicasAssignments)`.
   */
  readonly assignments?: readonly (readonly number[])[];
  /** Topic configs (`{ 'retention.ms': '86400000' }`), overriding the broker's defaults. */
  readonly configs?: Readonly<Record<string, string | null>>;
}

/** What the broker reports about a created (or validated) topic. Java: `CreateTopicsResult` per topic. */
export interface CreatedTopic {
  /** Topic id; null when the broker does not say (CreateTopics before v7) or for validate-only. */
  readonly topicId: string | null;
  /** Number of partitions; null when the broker does not say (before v5). */
  readonly numPartitions: number | null;
  /** Replication factor; null when the broker does not say (before v5). */
  readonly replicationFactor: number | null;
  /** The topic's configs as created; null when the broker does not say (before v5 or when not authorized). */
  readonly configs: readonly ConfigEntry[] | null;
}

/**
 * The result of `createTopics` for one topic. Java: `CreateTopicsResult.values()` with `topicId`, `numPartitions`,
 * `replicationFactor`, `config`.
 */
export type CreateTopicResult = ItemResult<{ readonly topic: string }, CreatedTopic>;

/** Options of `createTopics`. Java: `CreateTopicsOptions`. */
export interface CreateTopicsOptions extends AdminCallOptions {
  /** Check that the topics could be created, without creating them. Java: `validateOnly`. Default false. */
  readonly validateOnly?: boolean;
  /**
   * Resolve only once every broker's metadata shows each created topic with all its partitions led, so that a
   * producer or consumer started next finds it anywhere. A topic still missing at the deadline gets a
   * `KafkaTimeoutError` (it was created). Default false.
   */
  readonly waitForMetadata?: boolean;
}

/**
 * A topic to delete: its name, or its id (KIP-516; DeleteTopics v6+). Java: `TopicCollection.ofTopicNames` /
 * `ofTopicIds`.
 */
export type TopicToDelete = string | { readonly topicId: string };

/**
 * The result of `deleteTopics` for one topic: its name and id as far as known. Java:
 * `DeleteTopicsResult.topicNameValues()` / `topicIdValues()`.
 */
export type DeleteTopicResult = ItemResult<{ readonly topic: string | null; readonly topicId: string | null }>;

/** Options of `deleteTopics`. Java: `DeleteTopicsOptions`. */
export interface DeleteTopicsOptions extends AdminCallOptions {
  /** Resolve only once no broker's metadata lists the deleted topics any more. Default false. */
  readonly waitForMetadata?: boolean;
}

/** New partitions for a topic. Java: `NewPartitions`. */
export interface NewPartitions {
  /** Topic name. */
  readonly topic: string;
  /** The partition count after the increase. Java: `NewPartitions.increaseTo(totalCount)`. */
  readonly totalCount: number;
  /** Replica broker ids of each new partition, in order (preferred leader first). Default: the broker decides. */
  readonly assignments?: readonly (readonly number[])[];
}

/** The result of `createPartitions` for one topic. Java: `CreatePartitionsResult.values()`. */
export type CreatePartitionsResult = ItemResult<{ readonly topic: string }>;

/** Options of `createPartitions`. Java: `CreatePartitionsOptions`. */
export interface CreatePartitionsOptions extends AdminCallOptions {
  /** Check the request without adding partitions. Java: `validateOnly`. Default false. */
  readonly validateOnly?: boolean;
  /** Resolve only once every broker's metadata shows the new partitions with leaders. Default false. */
  readonly waitForMetadata?: boolean;
}

/** `listTopics`: every topic's name and id from one Metadata request. */
export async function listTopics(router: AdminRouter, options: ListTopicsOptions = {}): Promise<TopicListing[]> {
  const call = router.call('listTopics', options);
  await router.ready(call);
  const response = await router.retry(call, () => router.metadata(call, null));
  return response.topics
    .filter(
      (t) => t.name !== null && t.errorCode === ErrorCodes.NONE && (options.includeInternal === true || !t.isInternal),
    )
    .map((t) => ({ topic: t.name!, topicId: t.topicId, isInternal: t.isInternal }))
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

/**
 * `describeTopics`: partitions, leaders, replicas, ISR and ids. Uses DescribeTopicPartitions (KIP-966, paginated)
 * where the broker has it, Metadata otherwise. An unknown topic fails alone with UNKNOWN_TOPIC_OR_PARTITION.
 */
export async function describeTopics(
  router: AdminRouter,
  topics: readonly string[],
  options: DescribeTopicsOptions = {},
): Promise<DescribeTopicResult[]> {
  const call = router.call('describeTopics', options);
  checkTopicNames(topics, 'describeTopics');
  if (topics.length === 0) return [];
  await router.ready(call);
  const outcomes = await router.retryItems(
    call,
    topics,
    (t) => t,
    async (pending) => {
      const connection = await router.anyBroker(call);
      if (connection.apiVersions.has(DescribeTopicPartitions.apiKey)) {
        return describeWithTopicPartitions(router, call, connection, pending, options);
      }
      return describeWithMetadata(router, call, connection, pending, options);
    },
  );
  return topics.map((topic) => settle(outcomes.get(topic), { topic }));
}

interface DescribedEntry {
  readonly errorCode: number;
  readonly topicId: string;
  readonly isInternal: boolean;
  readonly operations: number;
  readonly partitions: PartitionDescription[];
}

/** One round of `describeTopics` on a broker: DescribeTopicPartitions where it has the API, Metadata otherwise. */
type DescribeRound = (
  router: AdminRouter,
  call: AdminCall,
  connection: Connection,
  topics: readonly string[],
  options: DescribeTopicsOptions,
) => Promise<Outcomes<TopicDescription>>;

const describeWithTopicPartitions: DescribeRound = async (router, call, connection, topics, options) => {
  const version = router.negotiate(connection, DescribeTopicPartitions);
  const limit = options.partitionSizeLimitPerResponse ?? 2000;
  const found = new Map<string, DescribedEntry>();
  let cursor: DescribeTopicPartitionsRequestCursor | null = null;
  // Pages follow the cursor until the broker returns none; each page holds at most `limit` partitions.
  for (let page = 0; ; page++) {
    const response: DescribeTopicPartitionsResponse = await router.send(
      call,
      connection,
      DescribeTopicPartitions,
      { topics: topics.map((name) => ({ name })), responsePartitionLimit: limit, cursor },
      version,
    );
    for (const topic of response.topics) {
      if (topic.name === null) continue;
      const entry: DescribedEntry = found.get(topic.name) ?? {
        errorCode: topic.errorCode,
        topicId: topic.topicId,
        isInternal: topic.isInternal,
        operations: topic.topicAuthorizedOperations,
        partitions: [],
      };
      for (const p of topic.partitions) entry.partitions.push(partitionFromDescribe(p));
      found.set(topic.name, entry);
    }
    const next: DescribeTopicPartitionsResponse['nextCursor'] = response.nextCursor;
    if (next === null || page > 100_000) break;
    cursor = { topicName: next.topicName, partitionIndex: next.partitionIndex };
  }
  const outcomes: Outcomes<TopicDescription> = new Map();
  for (const topic of topics) {
    const entry = found.get(topic);
    if (entry === undefined) continue; // no answer: retried
    if (entry.errorCode !== ErrorCodes.NONE) {
      outcomes.set(topic, topicError(entry.errorCode, topic, connection, 'DescribeTopicPartitions'));
      continue;
    }
    entry.partitions.sort((a, b) => a.partition - b.partition);
    outcomes.set(topic, {
      value: describedTopic(entry.topicId, entry.isInternal, entry.partitions, entry.operations, options),
    });
  }
  return outcomes;
};

const describeWithMetadata: DescribeRound = async (router, call, connection, topics, options) => {
  const response = await router.metadata(call, topics, {
    connection,
    includeTopicAuthorizedOperations: options.includeAuthorizedOperations === true,
  });
  const outcomes: Outcomes<TopicDescription> = new Map();
  for (const topic of response.topics) {
    if (topic.name === null) continue;
    if (topic.errorCode !== ErrorCodes.NONE) {
      outcomes.set(topic.name, topicError(topic.errorCode, topic.name, connection, 'Metadata'));
      continue;
    }
    const partitions = topic.partitions
      .map((p) => ({
        partition: p.partitionIndex,
        leader: p.leaderId < 0 ? null : p.leaderId,
        leaderEpoch: epochOrNull(p.leaderEpoch),
        replicas: p.replicaNodes,
        isr: p.isrNodes,
        offlineReplicas: p.offlineReplicas,
        elr: null,
        lastKnownElr: null,
      }))
      .sort((a, b) => a.partition - b.partition);
    outcomes.set(topic.name, {
      value: describedTopic(topic.topicId, topic.isInternal, partitions, topic.topicAuthorizedOperations, options),
    });
  }
  return outcomes;
};

function partitionFromDescribe(p: DescribeTopicPartitionsResponsePartition): PartitionDescription {
  return {
    partition: p.partitionIndex,
    leader: p.leaderId < 0 ? null : p.leaderId,
    leaderEpoch: epochOrNull(p.leaderEpoch),
    replicas: p.replicaNodes,
    isr: p.isrNodes,
    offlineReplicas: p.offlineReplicas,
    elr: p.eligibleLeaderReplicas,
    lastKnownElr: p.lastKnownElr,
  };
}

function describedTopic(
  topicId: string,
  isInternal: boolean,
  partitions: readonly PartitionDescription[],
  operations: number,
  options: DescribeTopicsOptions,
): TopicDescription {
  const ops = options.includeAuthorizedOperations === true ? authorizedOperations(operations) : undefined;
  return { topicId, isInternal, partitions, ...(ops === undefined ? {} : { authorizedOperations: ops }) };
}

/** A topic-level error; an unknown topic is final (metadata is fresh). */
function topicError(code: number, topic: string, connection: Connection, api: string): Outcome<never> {
  return {
    error: brokerError(code, null, { topic, api }, connection),
    final: code === ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION,
  };
}

/**
 * `createTopics`: sends one CreateTopics request to the controller (see `AdminRouter`), with the server-side
 * timeout set to the time left. A topic that fails (exists already, bad config, ...) fails alone.
 */
export async function createTopics(
  router: AdminRouter,
  topics: readonly NewTopic[],
  options: CreateTopicsOptions = {},
): Promise<CreateTopicResult[]> {
  const call = router.call('createTopics', options);
  const local = new Map<string, KafkaError>();
  const valid: NewTopic[] = [];
  for (const topic of topics) {
    const problem = checkNewTopic(topic);
    if (problem === undefined) valid.push(topic);
    else local.set(topic.topic, problem);
  }
  const outcomes: Outcomes<CreatedTopic> = new Map();
  if (valid.length > 0) {
    await router.ready(call);
    const sent = await router.controllerItems(
      call,
      valid,
      (t) => t.topic,
      async (connection, pending) => {
        const version = router.negotiate(connection, CreateTopics);
        const request = {
          topics: pending.map((t) => ({
            name: t.topic,
            numPartitions: t.assignments === undefined ? (t.numPartitions ?? -1) : -1,
            replicationFactor: t.assignments === undefined ? (t.replicationFactor ?? -1) : -1,
            assignments: (t.assignments ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
            configs: configPairs(t.configs, `createTopics ${t.topic}`),
          })),
          timeoutMs: call.serverTimeout(),
          validateOnly: options.validateOnly ?? false,
        };
        const response = await router.send(call, connection, CreateTopics, request, version);
        // The topic id (v7+) and the configs (v5+) are only in the response of the versions that have them.
        return itemOutcomes(response.topics, connection, {
          key: (t) => t.name,
          context: (t) => ({ topic: t.name, api: 'CreateTopics' }),
          value: (t) => ({
            topicId: version >= 7 && t.topicId !== ZERO_UUID ? t.topicId : null,
            numPartitions: t.numPartitions < 0 ? null : t.numPartitions,
            replicationFactor: t.replicationFactor < 0 ? null : t.replicationFactor,
            configs: t.configs === null || version < 5 ? null : t.configs.map((c) => configEntry(c)),
          }),
        });
      },
    );
    for (const [topic, outcome] of sent) outcomes.set(topic, outcome);
    if (options.waitForMetadata === true && options.validateOnly !== true) {
      const created = valid.filter((t) => {
        const outcome = outcomes.get(t.topic);
        return outcome !== undefined && 'value' in outcome;
      });
      const expected = new Map(
        created.map((t) => {
          const outcome = outcomes.get(t.topic) as { value: CreatedTopic };
          return [t.topic, t.assignments?.length ?? outcome.value.numPartitions ?? 1];
        }),
      );
      const late = await waitForMetadata(router, call, [...expected.keys()], (name, topic) =>
        isLed(topic, expected.get(name) ?? 1),
      );
      for (const name of late) {
        outcomes.set(name, {
          error: new KafkaTimeoutError(
            `Topic ${name} was created, but not every broker's metadata showed it with its partitions led ` +
              `within ${call.timeoutMs} ms`,
            { topic: name, api: 'Metadata' },
          ),
        });
      }
    }
  }
  return topics.map((t) => {
    const error = local.get(t.topic);
    return error === undefined ? settle(outcomes.get(t.topic), { topic: t.topic }) : { topic: t.topic, error };
  });
}

/**
 * `deleteTopics`: one DeleteTopics request to the controller, by name or by topic id (v6+). A topic that fails
 * (unknown, not authorized) fails alone.
 */
export async function deleteTopics(
  router: AdminRouter,
  topics: readonly TopicToDelete[],
  options: DeleteTopicsOptions = {},
): Promise<DeleteTopicResult[]> {
  const call = router.call('deleteTopics', options);
  for (const topic of topics) {
    if (typeof topic === 'string') checkTopicNames([topic], 'deleteTopics');
    else if (typeof topic?.topicId !== 'string' || topic.topicId === '') {
      throw new InvalidArgumentError('deleteTopics: each topic is a name or { topicId }');
    }
  }
  if (topics.length === 0) return [];
  await router.ready(call);
  const keyOf = (t: TopicToDelete) => (typeof t === 'string' ? t : `id:${t.topicId}`);
  const names = new Map<string, string | null>();
  const outcomes = await router.controllerItems(call, topics, keyOf, async (connection, pending) => {
    const response = await exchange(router, call, connection, {
      api: DeleteTopics,
      needs: pending.some((t) => typeof t !== 'string') ? { minVersion: 6, feature: 'deleteTopics by topic id' } : {},
      request: (version) =>
        version >= 6
          ? {
              topics: pending.map((t) =>
                typeof t === 'string' ? { name: t, topicId: ZERO_UUID } : { name: null, topicId: t.topicId },
              ),
              timeoutMs: call.serverTimeout(),
            }
          : { topicNames: pending as string[], timeoutMs: call.serverTimeout() },
    });
    const keyOfAnswer = (r: { name: string | null; topicId: string }) => {
      const byId = pending.find((t) => typeof t !== 'string' && t.topicId === r.topicId);
      return byId !== undefined ? keyOf(byId) : (r.name ?? '');
    };
    for (const r of response.responses) names.set(keyOfAnswer(r), r.name);
    return itemOutcomes(response.responses, connection, {
      key: (r) => keyOfAnswer(r),
      context: (r) => ({ topic: r.name ?? r.topicId, api: 'DeleteTopics' }),
      value: () => null,
    });
  });
  if (options.waitForMetadata === true) {
    const deleted = topics
      .filter((t) => {
        const outcome = outcomes.get(keyOf(t));
        return outcome !== undefined && 'value' in outcome;
      })
      .map((t) => (typeof t === 'string' ? t : names.get(keyOf(t))))
      .filter((name): name is string => typeof name === 'string');
    const late = new Set(
      await waitForMetadata(
        router,
        call,
        deleted,
        (_name, topic) => topic === undefined || topic.errorCode !== ErrorCodes.NONE,
      ),
    );
    for (const t of topics) {
      const name = typeof t === 'string' ? t : names.get(keyOf(t));
      if (name != null && late.has(name)) {
        outcomes.set(keyOf(t), {
          error: new KafkaTimeoutError(
            `Topic ${name} was deleted, but some broker's metadata still listed it after ${call.timeoutMs} ms`,
            { topic: name, api: 'Metadata' },
          ),
        });
      }
    }
  }
  return topics.map((t) => {
    const key = keyOf(t);
    const topic = typeof t === 'string' ? t : (names.get(key) ?? null);
    const topicId = typeof t === 'string' ? null : t.topicId;
    return settle(outcomes.get(key), { topic, topicId });
  });
}

/** `createPartitions`: one CreatePartitions request to the controller; each topic succeeds or fails alone. */
export async function createPartitions(
  router: AdminRouter,
  partitions: readonly NewPartitions[],
  options: CreatePartitionsOptions = {},
): Promise<CreatePartitionsResult[]> {
  const call = router.call('createPartitions', options);
  for (const p of partitions) {
    checkTopicNames([p.topic], 'createPartitions');
    if (!Number.isInteger(p.totalCount) || p.totalCount <= 0) {
      throw new InvalidArgumentError(`createPartitions: totalCount of ${p.topic} must be a positive integer`);
    }
  }
  if (partitions.length === 0) return [];
  await router.ready(call);
  const outcomes = await router.controllerItems(
    call,
    partitions,
    (p) => p.topic,
    async (connection, pending) => {
      const response = await exchange(router, call, connection, {
        api: CreatePartitions,
        request: () => ({
          topics: pending.map((p) => ({
            name: p.topic,
            count: p.totalCount,
            assignments: p.assignments === undefined ? null : p.assignments.map((brokerIds) => ({ brokerIds })),
          })),
          timeoutMs: call.serverTimeout(),
          validateOnly: options.validateOnly ?? false,
        }),
      });
      return itemOutcomes(response.results, connection, {
        key: (r) => r.name,
        context: (r) => ({ topic: r.name, api: 'CreatePartitions' }),
        value: () => null,
      });
    },
  );
  if (options.waitForMetadata === true && options.validateOnly !== true) {
    const grown = partitions.filter((p) => {
      const outcome = outcomes.get(p.topic);
      return outcome !== undefined && 'value' in outcome;
    });
    const counts = new Map(grown.map((p) => [p.topic, p.totalCount]));
    const late = await waitForMetadata(router, call, [...counts.keys()], (name, topic) =>
      isLed(topic, counts.get(name) ?? 1),
    );
    for (const name of late) {
      outcomes.set(name, {
        error: new KafkaTimeoutError(
          `Partitions of ${name} were created, but not every broker's metadata showed them led within ` +
            `${call.timeoutMs} ms`,
          { topic: name, api: 'Metadata' },
        ),
      });
    }
  }
  return partitions.map((p) => settle(outcomes.get(p.topic), { topic: p.topic }));
}

/**
 * Polls every broker's metadata for `topics` until `satisfied` holds for each on each broker, or the call's
 * deadline. Resolves with the topics still unsatisfied somewhere (empty when all are visible everywhere).
 */
export async function waitForMetadata(
  router: AdminRouter,
  call: AdminCall,
  topics: readonly string[],
  satisfied: (name: string, topic: MetadataResponseTopic | undefined) => boolean,
): Promise<string[]> {
  if (topics.length === 0) return [];
  for (;;) {
    call.throwIfAborted();
    const unsatisfied = new Set<string>();
    try {
      const brokers = await router.brokerIds(call);
      await Promise.all(
        brokers.map(async (nodeId) => {
          try {
            const connection = await router.broker(call, nodeId);
            const response = await router.metadata(call, topics, { connection });
            const byName = new Map(response.topics.map((t) => [t.name, t]));
            for (const name of topics) if (!satisfied(name, byName.get(name))) unsatisfied.add(name);
          } catch (error) {
            if (isKafkaError(error) && !error.retriable) throw error;
            for (const name of topics) unsatisfied.add(name);
          }
        }),
      );
    } catch (error) {
      const failure = toKafkaError(error);
      if (!failure.retriable) throw failure;
      for (const name of topics) unsatisfied.add(name);
    }
    if (unsatisfied.size === 0) return [];
    if (!(await call.backoff())) return [...unsatisfied];
  }
}

/** True when the topic exists with at least `partitions` partitions, each with a leader. */
function isLed(topic: MetadataResponseTopic | undefined, partitions: number): boolean {
  if (topic === undefined || topic.errorCode !== ErrorCodes.NONE || topic.partitions.length < partitions) return false;
  return topic.partitions.every((p) => p.errorCode === ErrorCodes.NONE && p.leaderId >= 0);
}

/** Throws `InvalidArgumentError` for a missing list, `InvalidTopicError` for a name Kafka does not allow. */
export function checkTopicNames(topics: readonly string[], method: string): void {
  if (!Array.isArray(topics)) throw new InvalidArgumentError(`${method}: expected an array of topic names`);
  for (const topic of topics) checkTopicName(topic, method);
}

function checkNewTopic(topic: NewTopic): KafkaError | undefined {
  const where = { topic: topic.topic, api: 'CreateTopics' };
  const problem = topicNameProblem(topic.topic);
  if (problem !== undefined) {
    return new InvalidTopicError({ ...where, reason: `createTopics: ${problem}` });
  }
  if (topic.assignments !== undefined && (topic.numPartitions !== undefined || topic.replicationFactor !== undefined)) {
    return new InvalidArgumentError(
      'createTopics: give either assignments or numPartitions/replicationFactor, not both',
      where,
    );
  }
  try {
    configPairs(topic.configs, `createTopics ${topic.topic}`);
  } catch (error) {
    return error as KafkaError;
  }
  return undefined;
}
