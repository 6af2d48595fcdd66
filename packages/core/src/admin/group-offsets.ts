import { CoordinatorType } from '../cluster/cluster.js';
import { createBrokerError } from '../errors/broker-error-factory.js';
import { InvalidArgumentError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import type { KafkaError } from '../errors/kafka-error.js';
import type { Connection } from '../network/connection.js';
import { OffsetCommit } from '../protocol/messages/generated/offset-commit.js';
import { OffsetDelete } from '../protocol/messages/generated/offset-delete.js';
import { OffsetFetch } from '../protocol/messages/generated/offset-fetch.js';
import type { IsolationLevel } from '../vocabulary/isolation-level.js';
import { partitionKey, type TopicPartition } from '../vocabulary/topic-partition.js';
import type { AdminCall } from './admin-call.js';
import { exchange } from './admin-exchange.js';
import type { AdminCallOptions } from './admin-options.js';
import {
  type AdminRouter,
  brokerError,
  failure,
  type Outcome,
  type Outcomes,
  retryIfCoordinatorMoved,
  settle,
} from './admin-request.js';
import { byTopic, epochOrNull, type ItemResult } from './admin-types.js';
import { onGroupCoordinator, singleGroup } from './group-coordinator.js';
import { checkGroupIds, comparePartitions } from './groups.js';
import { checkPartition, lookUpOffsets, type OffsetInfo, specOf } from './records-and-offsets.js';

/**
 * Versions of OffsetFetch and OffsetCommit used here: v10 names topics by id only (KIP-848 follow-up), which would
 * need an id lookup per call; v9 names them and every broker that has v10 still speaks v9.
 */
const OFFSET_API_MAX_VERSION = 9;

/**
 * A group whose offsets to list: its id, or its id and the partitions to list (default: every committed one). Java:
 * `ListConsumerGroupOffsetsSpec`.
 */
export type GroupOffsetsSpec = string | { readonly groupId: string; readonly partitions?: readonly TopicPartition[] };

/** Options of `listGroupOffsets`. Java: `ListConsumerGroupOffsetsOptions`. */
export interface ListGroupOffsetsOptions extends AdminCallOptions {
  /** Wait for pending transactional commits instead of answering with them unresolved (OffsetFetch v7+). */
  readonly requireStable?: boolean;
  /** Also look up each partition's end offset and compute the lag, as `kafka-consumer-groups --describe` does. */
  readonly includeLag?: boolean;
  /** Isolation level of the end offsets for `includeLag` (`'read_committed'`: the last stable offset). */
  readonly isolationLevel?: IsolationLevel;
}

/** A committed offset. Java: `OffsetAndMetadata`. */
export interface CommittedOffset {
  /** The committed offset (the next record to consume), or null when the partition has none. */
  readonly offset: bigint | null;
  /** The leader epoch of the committed record, or null. */
  readonly leaderEpoch: number | null;
  /** The metadata committed with it, or null. */
  readonly metadata: string | null;
  /** With `includeLag`: the partition's end offset, or null when it could not be looked up. */
  readonly endOffset?: bigint | null;
  /** With `includeLag`: `endOffset - offset`, or null when either is unknown. */
  readonly lag?: bigint | null;
}

/** One partition of `listGroupOffsets`. Java: `Map<TopicPartition, OffsetAndMetadata>` entry. */
export type PartitionOffsetResult = ItemResult<TopicPartition, CommittedOffset>;

/**
 * The result of `listGroupOffsets` for one group: its partitions, by topic and index. Java:
 * `ListConsumerGroupOffsetsResult.partitionsToOffsetAndMetadata(groupId)`.
 */
export type GroupOffsetsResult = ItemResult<
  { readonly groupId: string },
  { readonly offsets: readonly PartitionOffsetResult[] }
>;

/** An offset to commit for `alterGroupOffsets`. Java: `Map<TopicPartition, OffsetAndMetadata>` entry. */
export interface OffsetToCommit extends TopicPartition {
  /** The offset (the next record the group will consume). */
  readonly offset: bigint;
  /** The leader epoch of the record before `offset`, if known. */
  readonly leaderEpoch?: number;
  /** Metadata to store with it. */
  readonly metadata?: string | null;
}

/**
 * The result of `alterGroupOffsets` or `deleteGroupOffsets` for one partition. Java:
 * `AlterConsumerGroupOffsetsResult.partitionResult(tp)` / `DeleteConsumerGroupOffsetsResult.partitionResult(tp)`.
 */
export type GroupPartitionResult = ItemResult<TopicPartition>;

/**
 * Where `resetGroupOffsets` moves the group, as `kafka-consumer-groups --reset-offsets` does: `'earliest'`,
 * `'latest'`, `{ timestamp }` (the first offset at or after it; the end offset when there is none),
 * `{ shiftBy }` (the committed offset plus or minus, kept within the log), or `{ offset }` (kept within the log).
 * Java: `kafka-consumer-groups` `--to-earliest`, `--to-latest`, `--to-datetime`, `--shift-by`, `--to-offset`.
 */
export type ResetTarget =
  | 'earliest'
  | 'latest'
  | { readonly timestamp: number }
  | { readonly shiftBy: bigint }
  | { readonly offset: bigint };

/** Options of `resetGroupOffsets`. Java: the `--reset-offsets` options of `kafka-consumer-groups`. */
export interface ResetGroupOffsetsOptions extends AdminCallOptions {
  /** Where to move the offsets. */
  readonly to: ResetTarget;
  /** Only these partitions. */
  readonly partitions?: readonly TopicPartition[];
  /** Every partition of these topics. Default (with no `partitions`): the partitions the group has offsets for. */
  readonly topics?: readonly string[];
  /** Compute the new offsets without committing them (`--dry-run`). Default false. */
  readonly dryRun?: boolean;
  /** Isolation level of `'latest'` (`'read_committed'`: the last stable offset). Default `'read_uncommitted'`. */
  readonly isolationLevel?: IsolationLevel;
}

/** The result of `resetGroupOffsets` for one partition. Java: a row of `kafka-consumer-groups --reset-offsets`. */
export type ResetOffsetResult = ItemResult<
  TopicPartition,
  { readonly offset: bigint; readonly previousOffset: bigint | null }
>;

type GroupPartitions = Map<string, readonly TopicPartition[] | null>;

/**
 * `listGroupOffsets`: OffsetFetch (v8+ batches groups per coordinator), optionally with end offsets and lag.
 * One result per group; per-partition errors inside.
 */
export async function listGroupOffsets(
  router: AdminRouter,
  groups: readonly GroupOffsetsSpec[],
  options: ListGroupOffsetsOptions = {},
): Promise<GroupOffsetsResult[]> {
  const call = router.call('listGroupOffsets', options);
  const specs: GroupPartitions = new Map();
  for (const spec of groups) {
    const groupId = typeof spec === 'string' ? spec : spec?.groupId;
    checkGroupIds([groupId], 'listGroupOffsets');
    if (specs.has(groupId)) {
      throw new InvalidArgumentError(`listGroupOffsets: group ${groupId} appears twice; list it once per call`);
    }
    const partitions = typeof spec === 'string' ? null : (spec.partitions ?? null);
    for (const tp of partitions ?? []) checkPartition(tp, 'listGroupOffsets');
    specs.set(groupId, partitions);
  }
  if (specs.size === 0) return [];
  await router.ready(call);
  const outcomes = await fetchGroupOffsets(router, call, specs, options.requireStable ?? false);
  if (options.includeLag === true) await addLag(router, call, outcomes, options.isolationLevel);
  return [...specs.keys()].map((groupId) => settle(outcomes.get(groupId), { groupId }));
}

async function fetchGroupOffsets(
  router: AdminRouter,
  call: AdminCall,
  specs: GroupPartitions,
  requireStable: boolean,
): Promise<Outcomes<{ offsets: PartitionOffsetResult[] }>> {
  return router.coordinatorItems(
    call,
    CoordinatorType.group,
    [...specs.keys()],
    async (connection, keys) => {
      const version = router.negotiate(connection, OffsetFetch, {
        maxVersion: OFFSET_API_MAX_VERSION,
        ...(requireStable ? { minVersion: 7, feature: 'listGroupOffsets with requireStable' } : {}),
      });
      const answers: Outcomes<{ offsets: PartitionOffsetResult[] }> = new Map();
      if (version >= 8) {
        const response = await router.send(
          call,
          connection,
          OffsetFetch,
          {
            groups: keys.map((groupId) => ({ groupId, topics: topicsOf(specs.get(groupId) ?? null) })),
            requireStable,
          },
          version,
        );
        for (const group of response.groups) {
          answers.set(group.groupId, groupOffsets(group.groupId, group.errorCode, group.topics, connection));
        }
        return answers;
      }
      for (const groupId of keys) {
        const response = await router.send(
          call,
          connection,
          OffsetFetch,
          { groupId, topics: topicsOf(specs.get(groupId) ?? null), ...(version >= 7 ? { requireStable } : {}) },
          version,
        );
        answers.set(groupId, groupOffsets(groupId, response.errorCode, response.topics, connection));
      }
      return answers;
    },
    { batch: true },
  );
}

function topicsOf(
  partitions: readonly TopicPartition[] | null,
): Array<{ name: string; partitionIndexes: number[] }> | null {
  if (partitions === null) return null;
  return byTopic(partitions, (tp) => tp.partition).map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
}

function groupOffsets(
  groupId: string,
  errorCode: number,
  topics: ReadonlyArray<{
    name: string;
    partitions: ReadonlyArray<{
      partitionIndex: number;
      committedOffset: bigint;
      committedLeaderEpoch: number;
      metadata: string | null;
      errorCode: number;
    }>;
  }>,
  connection: Connection,
): Outcome<{ offsets: PartitionOffsetResult[] }> {
  const context = { groupId, api: 'OffsetFetch' };
  if (errorCode !== ErrorCodes.NONE) return failure(errorCode, null, context, connection, retryIfCoordinatorMoved);
  const offsets: PartitionOffsetResult[] = [];
  for (const topic of topics) {
    for (const p of topic.partitions) {
      const tp = { topic: topic.name, partition: p.partitionIndex };
      if (
        p.errorCode === ErrorCodes.UNSTABLE_OFFSET_COMMIT ||
        p.errorCode === ErrorCodes.COORDINATOR_LOAD_IN_PROGRESS
      ) {
        // A transactional commit is pending (requireStable) or the coordinator is loading: retry the group.
        return { error: brokerError(p.errorCode, null, { ...context, ...tp }, connection) };
      }
      if (p.errorCode !== ErrorCodes.NONE) {
        offsets.push({ ...tp, error: brokerError(p.errorCode, null, { ...context, ...tp }, connection) });
        continue;
      }
      offsets.push({
        ...tp,
        offset: p.committedOffset < 0n ? null : p.committedOffset,
        leaderEpoch: epochOrNull(p.committedLeaderEpoch),
        metadata: p.metadata,
      });
    }
  }
  return { value: { offsets: offsets.sort(comparePartitions) } };
}

async function addLag(
  router: AdminRouter,
  call: AdminCall,
  outcomes: Outcomes<{ offsets: PartitionOffsetResult[] }>,
  isolationLevel: IsolationLevel | undefined,
): Promise<void> {
  const partitions = new Map<string, TopicPartition>();
  for (const outcome of outcomes.values()) {
    if ('error' in outcome) continue;
    for (const o of outcome.value.offsets) {
      if (o.error === undefined)
        partitions.set(partitionKey(o.topic, o.partition), { topic: o.topic, partition: o.partition });
    }
  }
  if (partitions.size === 0) return;
  const latest = specOf('latest');
  const ends = await lookUpOffsets(
    router,
    call,
    [...partitions.values()],
    new Map([...partitions.keys()].map((key) => [key, latest])),
    isolationLevel,
  );
  for (const [groupId, outcome] of outcomes) {
    if ('error' in outcome) continue;
    const offsets = outcome.value.offsets.map((o): PartitionOffsetResult => {
      if (o.error !== undefined) return o;
      const end = ends.get(partitionKey(o.topic, o.partition));
      const endOffset = end !== undefined && 'value' in end ? end.value.offset : null;
      const lag = endOffset !== null && o.offset !== null ? maxBigint(0n, endOffset - o.offset) : null;
      return { ...o, endOffset, lag };
    });
    outcomes.set(groupId, { value: { offsets } });
  }
}

/**
 * `alterGroupOffsets`: commits offsets for a group as an administrator (OffsetCommit with no member). The group
 * must have no active members (classic groups answer UNKNOWN_MEMBER_ID otherwise). One result per partition.
 */
export async function alterGroupOffsets(
  router: AdminRouter,
  groupId: string,
  offsets: readonly OffsetToCommit[],
  options: AdminCallOptions = {},
): Promise<GroupPartitionResult[]> {
  const call = router.call('alterGroupOffsets', options);
  checkGroupIds([groupId], 'alterGroupOffsets');
  for (const o of offsets) {
    checkPartition(o, 'alterGroupOffsets');
    if (typeof o.offset !== 'bigint' || o.offset < 0n) {
      throw new InvalidArgumentError(
        `alterGroupOffsets: the offset of ${partitionKey(o.topic, o.partition)} must be a bigint ≥ 0n`,
      );
    }
  }
  if (offsets.length === 0) return [];
  await router.ready(call);
  return commitGroupOffsets(router, call, groupId, offsets);
}

async function commitGroupOffsets(
  router: AdminRouter,
  call: AdminCall,
  groupId: string,
  offsets: readonly OffsetToCommit[],
): Promise<GroupPartitionResult[]> {
  const results = await onGroupCoordinator<Map<string, KafkaError | null>>(
    router,
    call,
    groupId,
    async (connection) => {
      const response = await exchange(router, call, connection, {
        api: OffsetCommit,
        needs: { maxVersion: OFFSET_API_MAX_VERSION },
        request: () => ({
          groupId,
          generationIdOrMemberEpoch: -1,
          memberId: '',
          groupInstanceId: null,
          topics: byTopic(offsets, (o) => ({
            partitionIndex: o.partition,
            committedOffset: o.offset,
            committedLeaderEpoch: o.leaderEpoch ?? -1,
            committedMetadata: o.metadata ?? null,
          })).map(([name, partitions]) => ({ name, partitions })),
        }),
      });
      const results = new Map<string, KafkaError | null>();
      for (const topic of response.topics) {
        for (const p of topic.partitions) {
          const tp = { topic: topic.name, partition: p.partitionIndex };
          const error =
            p.errorCode === ErrorCodes.NONE
              ? null
              : brokerError(p.errorCode, null, { groupId, ...tp, api: 'OffsetCommit' }, connection);
          if (error?.coordinatorMoved) return { error };
          results.set(partitionKey(tp.topic, tp.partition), error);
        }
      }
      return { value: results };
    },
  );
  return offsets.map((o): GroupPartitionResult => {
    const error = results.get(partitionKey(o.topic, o.partition));
    const tp = { topic: o.topic, partition: o.partition };
    if (error === undefined) {
      return {
        ...tp,
        error: createBrokerError(ErrorCodes.UNKNOWN_SERVER_ERROR, { groupId, ...tp, api: 'OffsetCommit' }),
      };
    }
    return error === null ? tp : { ...tp, error };
  });
}

/**
 * `resetGroupOffsets`: computes new offsets (ListOffsets against each leader, or the committed offsets shifted)
 * and commits them, unless `dryRun`. The group must have no active members. One result per partition, with the
 * new and the previous offset.
 */
export async function resetGroupOffsets(
  router: AdminRouter,
  groupId: string,
  options: ResetGroupOffsetsOptions,
): Promise<ResetOffsetResult[]> {
  const call = router.call('resetGroupOffsets', options);
  checkGroupIds([groupId], 'resetGroupOffsets');
  const target = checkTarget(options?.to);
  for (const tp of options.partitions ?? []) checkPartition(tp, 'resetGroupOffsets');
  await router.ready(call);

  // Which partitions: given, every partition of the given topics, or every partition the group committed.
  let partitions: TopicPartition[];
  if (options.partitions !== undefined) {
    partitions = [...options.partitions];
  } else if (options.topics !== undefined) {
    const metadata = await router.retry(call, () => router.metadata(call, options.topics ?? []));
    partitions = [];
    for (const topic of metadata.topics) {
      if (topic.errorCode !== ErrorCodes.NONE) {
        throw createBrokerError(topic.errorCode, { topic: topic.name ?? undefined, api: 'Metadata' });
      }
      for (const p of topic.partitions) partitions.push({ topic: topic.name!, partition: p.partitionIndex });
    }
  } else {
    partitions = [];
  }
  const committed = singleGroup(
    await fetchGroupOffsets(
      router,
      call,
      new Map([[groupId, options.partitions === undefined && options.topics === undefined ? null : partitions]]),
      false,
    ),
    groupId,
  ).offsets;
  if (options.partitions === undefined && options.topics === undefined) {
    partitions = committed.map((o) => ({ topic: o.topic, partition: o.partition }));
  }
  partitions.sort(comparePartitions);
  if (partitions.length === 0) return [];
  const previous = new Map<string, bigint | null>();
  for (const o of committed) previous.set(partitionKey(o.topic, o.partition), o.error === undefined ? o.offset : null);

  // Look up what the target needs: the bounds of the log (for every target but a timestamp), or the timestamp.
  const lookups = async (spec: 'earliest' | 'latest' | { timestamp: number }) =>
    lookUpOffsets(
      router,
      call,
      partitions,
      new Map(partitions.map((tp) => [partitionKey(tp.topic, tp.partition), specOf(spec)])),
      options.isolationLevel,
    );
  const isTimestamp = typeof target === 'object' && 'timestamp' in target;
  const needsEarliest = target !== 'latest' && !isTimestamp;
  const earliest = needsEarliest ? await lookups('earliest') : undefined;
  const latest = await lookups('latest');
  const byTime = typeof target === 'object' && 'timestamp' in target ? await lookups(target) : undefined;

  const planned: OffsetToCommit[] = [];
  const results = new Map<string, ResetOffsetResult>();
  for (const tp of partitions) {
    const key = partitionKey(tp.topic, tp.partition);
    const prior = previous.get(key) ?? null;
    const low = earliest === undefined ? undefined : offsetValue(earliest.get(key));
    const high = offsetValue(latest.get(key));
    const lookupError = errorOf(latest.get(key)) ?? (earliest === undefined ? undefined : errorOf(earliest.get(key)));
    if (lookupError !== undefined || high === undefined) {
      results.set(key, { ...tp, error: lookupError ?? missing(tp) });
      continue;
    }
    let offset: bigint;
    if (target === 'earliest') offset = low ?? 0n;
    else if (target === 'latest') offset = high;
    else if ('timestamp' in target) {
      const found = byTime?.get(key);
      const error = errorOf(found);
      if (error !== undefined) {
        results.set(key, { ...tp, error });
        continue;
      }
      offset = offsetValue(found) ?? high; // no record at or after the timestamp: the end
    } else if ('shiftBy' in target) {
      if (prior === null) {
        results.set(key, {
          ...tp,
          error: new InvalidArgumentError('resetGroupOffsets: the group has no committed offset to shift', {
            groupId,
            ...tp,
          }),
        });
        continue;
      }
      offset = clamp(prior + target.shiftBy, low ?? 0n, high);
    } else {
      offset = clamp(target.offset, low ?? 0n, high);
    }
    planned.push({ ...tp, offset });
    results.set(key, { ...tp, offset, previousOffset: prior });
  }
  if (options.dryRun !== true && planned.length > 0) {
    for (const result of await commitGroupOffsets(router, call, groupId, planned)) {
      if (result.error !== undefined)
        results.set(partitionKey(result.topic, result.partition), { ...result, error: result.error });
    }
  }
  return partitions.map((tp) => results.get(partitionKey(tp.topic, tp.partition)) ?? { ...tp, error: missing(tp) });
}

/**
 * `deleteGroupOffsets`: OffsetDelete for some partitions of a group. A partition the group still consumes fails
 * alone (GROUP_SUBSCRIBED_TO_TOPIC); a group-level failure (unknown group, not authorized) rejects.
 */
export async function deleteGroupOffsets(
  router: AdminRouter,
  groupId: string,
  partitions: readonly TopicPartition[],
  options: AdminCallOptions = {},
): Promise<GroupPartitionResult[]> {
  const call = router.call('deleteGroupOffsets', options);
  checkGroupIds([groupId], 'deleteGroupOffsets');
  for (const tp of partitions) checkPartition(tp, 'deleteGroupOffsets');
  if (partitions.length === 0) return [];
  await router.ready(call);
  const results = await onGroupCoordinator<Map<string, KafkaError | null>>(
    router,
    call,
    groupId,
    async (connection) => {
      const response = await exchange(router, call, connection, {
        api: OffsetDelete,
        request: () => ({
          groupId,
          topics: byTopic(partitions, (tp) => ({ partitionIndex: tp.partition })).map(([name, ps]) => ({
            name,
            partitions: ps,
          })),
        }),
      });
      if (response.errorCode !== ErrorCodes.NONE) {
        return failure(response.errorCode, null, { groupId, api: 'OffsetDelete' }, connection, retryIfCoordinatorMoved);
      }
      const results = new Map<string, KafkaError | null>();
      for (const topic of response.topics) {
        for (const p of topic.partitions) {
          const tp = { topic: topic.name, partition: p.partitionIndex };
          results.set(
            partitionKey(tp.topic, tp.partition),
            p.errorCode === ErrorCodes.NONE
              ? null
              : brokerError(p.errorCode, null, { groupId, ...tp, api: 'OffsetDelete' }, connection),
          );
        }
      }
      return { value: results };
    },
  );
  return partitions.map((tp): GroupPartitionResult => {
    const error = results.get(partitionKey(tp.topic, tp.partition));
    const key = { topic: tp.topic, partition: tp.partition };
    if (error === undefined) return { ...key, error: missing(tp) };
    return error === null ? key : { ...key, error };
  });
}

function checkTarget(to: ResetTarget | undefined): ResetTarget {
  if (to === 'earliest' || to === 'latest') return to;
  if (to !== null && typeof to === 'object') {
    if ('timestamp' in to && Number.isInteger(to.timestamp) && to.timestamp >= 0) return to;
    if ('shiftBy' in to && typeof to.shiftBy === 'bigint') return to;
    if ('offset' in to && typeof to.offset === 'bigint' && to.offset >= 0n) return to;
  }
  throw new InvalidArgumentError(
    "resetGroupOffsets: `to` is 'earliest', 'latest', { timestamp }, { shiftBy: bigint } or { offset: bigint }",
  );
}

function offsetValue(outcome: Outcome<OffsetInfo> | undefined): bigint | undefined {
  return outcome !== undefined && 'value' in outcome ? (outcome.value.offset ?? undefined) : undefined;
}

function errorOf(outcome: Outcome<OffsetInfo> | undefined): KafkaError | undefined {
  return outcome !== undefined && 'error' in outcome ? outcome.error : undefined;
}

function missing(tp: TopicPartition): KafkaError {
  return createBrokerError(ErrorCodes.UNKNOWN_SERVER_ERROR, { ...tp, serverMessage: 'no answer for this partition' });
}

function clamp(value: bigint, low: bigint, high: bigint): bigint {
  return value < low ? low : value > high ? high : value;
}

function maxBigint(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
