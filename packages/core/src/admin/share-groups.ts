import { InvalidArgumentError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { AlterShareGroupOffsets } from '../protocol/messages/generated/alter-share-group-offsets.js';
import { DeleteShareGroupOffsets } from '../protocol/messages/generated/delete-share-group-offsets.js';
import { DescribeShareGroupOffsets } from '../protocol/messages/generated/describe-share-group-offsets.js';
import { ShareGroupDescribe } from '../protocol/messages/generated/share-group-describe.js';
import type { TopicPartition } from '../vocabulary/topic-partition.js';
import { type AclOperation, authorizedOperations } from './acl-codes.js';
import { exchange } from './admin-exchange.js';
import type { AdminCallOptions } from './admin-options.js';
import { type AdminRouter, brokerError, failure, retryIfCoordinatorMoved } from './admin-request.js';
import type { ItemResult } from './admin-types.js';
import { onGroupCoordinator, onGroupCoordinators } from './group-coordinator.js';
import { checkGroupIds, comparePartitions, deleteGroups, type GroupState, groupStateOf } from './groups.js';
import { itemOutcomes } from './item-outcomes.js';

/** A member of a share group. Java: `ShareMemberDescription`. */
export interface ShareGroupMember {
  /** Member id (the UUID the share consumer generated). */
  readonly memberId: string;
  /** Rack, or null. */
  readonly rack: string | null;
  /** Member epoch. */
  readonly memberEpoch: number;
  /** Client id. */
  readonly clientId: string;
  /** Client host. */
  readonly clientHost: string;
  /** Subscribed topic names. */
  readonly subscribedTopicNames: readonly string[];
  /** The partitions assigned to it (other members may share them). */
  readonly assignment: readonly TopicPartition[];
}

/** A share group (KIP-932). Java: `ShareGroupDescription`. */
export interface ShareGroupDescription {
  /** Group type. */
  readonly type: 'share';
  /** State: `'empty'`, `'stable'`, `'dead'` or `'unknown'`. */
  readonly state: GroupState;
  /** Group epoch. */
  readonly groupEpoch: number;
  /** Epoch of the target assignment. */
  readonly assignmentEpoch: number;
  /** The server-side assignor (`simple`). */
  readonly assignor: string;
  /** Members. */
  readonly members: readonly ShareGroupMember[];
  /** Node id of the group coordinator. */
  readonly coordinator: number;
  /** Operations the client may perform on the group, with `includeAuthorizedOperations`. */
  readonly authorizedOperations?: readonly AclOperation[];
}

/** The result of `describeShareGroups` for one group. Java: `DescribeShareGroupsResult.describedGroups()`. */
export type DescribeShareGroupResult = ItemResult<{ readonly groupId: string }, ShareGroupDescription>;

/** Options of `describeShareGroups`. Java: `DescribeShareGroupsOptions`. */
export interface DescribeShareGroupsOptions extends AdminCallOptions {
  /** Ask for the operations the client may perform on each group. */
  readonly includeAuthorizedOperations?: boolean;
}

/**
 * A share group whose offsets to list: its id (every partition it has state for), or its id and the partitions.
 * Java: `ListShareGroupOffsetsSpec`.
 */
export type ShareGroupOffsetsSpec =
  | string
  | { readonly groupId: string; readonly partitions?: readonly TopicPartition[] };

/** A share-partition's position. Java: `SharePartitionOffsetInfo`. */
export interface ShareGroupOffset {
  /**
   * The share-partition start offset (SPSO): every record below it is settled (accepted, rejected or archived);
   * null when the group has no state for the partition.
   */
  readonly startOffset: bigint | null;
  /** Leader epoch of the partition when the state was written, or null. */
  readonly leaderEpoch: number | null;
  /** Records from the start offset to the end not yet settled (DescribeShareGroupOffsets v1+), or null. */
  readonly lag: bigint | null;
}

/** One partition of `listShareGroupOffsets`. */
export type ShareGroupOffsetResult = ItemResult<TopicPartition, ShareGroupOffset>;

/** The result of `listShareGroupOffsets` for one group. Java: `ListShareGroupOffsetsResult.partitionsToOffsetInfo`. */
export type ShareGroupOffsetsResult = ItemResult<
  { readonly groupId: string },
  { readonly offsets: readonly ShareGroupOffsetResult[] }
>;

/** A start offset to set for `alterShareGroupOffsets`. */
export interface ShareOffsetToSet extends TopicPartition {
  /** The new share-partition start offset: records below it will not be delivered. */
  readonly offset: bigint;
}

/** The result of `alterShareGroupOffsets` for one partition. Java: `AlterShareGroupOffsetsResult.partitionResult`. */
export type ShareGroupPartitionResult = ItemResult<TopicPartition>;

/** The result of `deleteShareGroupOffsets` for one topic. Java: `DeleteShareGroupOffsetsResult.topicResult`. */
export type ShareGroupTopicResult = ItemResult<{ readonly topic: string }>;

/**
 * `describeShareGroups`: ShareGroupDescribe to each coordinator (groups batched). A group that does not exist, or
 * that is not a share group, fails alone (`GroupIdNotFoundError`).
 */
export async function describeShareGroups(
  router: AdminRouter,
  groupIds: readonly string[],
  options: DescribeShareGroupsOptions = {},
): Promise<DescribeShareGroupResult[]> {
  const call = router.call('describeShareGroups', options);
  checkGroupIds(groupIds, 'describeShareGroups');
  if (groupIds.length === 0) return [];
  await router.ready(call);
  const includeOps = options.includeAuthorizedOperations === true;
  return onGroupCoordinators(router, call, groupIds, async (connection, keys) => {
    const response = await exchange(router, call, connection, {
      api: ShareGroupDescribe,
      needs: { feature: 'describeShareGroups' },
      request: () => ({ groupIds: keys, includeAuthorizedOperations: includeOps }),
    });
    return itemOutcomes(response.groups, connection, {
      key: (group) => group.groupId,
      context: (group) => ({ groupId: group.groupId, api: 'ShareGroupDescribe' }),
      value: (group): ShareGroupDescription => {
        const ops = includeOps ? authorizedOperations(group.authorizedOperations) : undefined;
        return {
          type: 'share',
          state: groupStateOf(group.groupState),
          groupEpoch: group.groupEpoch,
          assignmentEpoch: group.assignmentEpoch,
          assignor: group.assignorName,
          members: group.members.map((m) => ({
            memberId: m.memberId,
            rack: m.rackId,
            memberEpoch: m.memberEpoch,
            clientId: m.clientId,
            clientHost: m.clientHost,
            subscribedTopicNames: m.subscribedTopicNames,
            assignment: m.assignment.topicPartitions
              .flatMap((t) => t.partitions.map((partition) => ({ topic: t.topicName, partition })))
              .sort(comparePartitions),
          })),
          coordinator: connection.nodeId ?? -1,
          ...(ops === undefined ? {} : { authorizedOperations: ops }),
        };
      },
      retryIf: retryIfCoordinatorMoved,
    });
  });
}

/**
 * `listShareGroupOffsets`: DescribeShareGroupOffsets (groups batched per coordinator): each share-partition's
 * start offset and lag. One result per group; per-partition errors inside.
 */
export async function listShareGroupOffsets(
  router: AdminRouter,
  groups: readonly ShareGroupOffsetsSpec[],
  options: AdminCallOptions = {},
): Promise<ShareGroupOffsetsResult[]> {
  const call = router.call('listShareGroupOffsets', options);
  const specs = new Map<string, readonly TopicPartition[] | null>();
  for (const spec of groups) {
    const groupId = typeof spec === 'string' ? spec : spec?.groupId;
    checkGroupIds([groupId], 'listShareGroupOffsets');
    if (specs.has(groupId)) {
      throw new InvalidArgumentError(`listShareGroupOffsets: group ${groupId} appears twice; list it once per call`);
    }
    specs.set(groupId, typeof spec === 'string' ? null : (spec.partitions ?? null));
  }
  if (specs.size === 0) return [];
  await router.ready(call);
  return onGroupCoordinators(router, call, [...specs.keys()], async (connection, keys) => {
    const response = await exchange(router, call, connection, {
      api: DescribeShareGroupOffsets,
      needs: { feature: 'listShareGroupOffsets' },
      request: () => ({
        groups: keys.map((groupId) => {
          const partitions = specs.get(groupId) ?? null;
          return {
            groupId,
            topics:
              partitions === null
                ? null
                : [...groupPartitions(partitions)].map(([topicName, list]) => ({ topicName, partitions: list })),
          };
        }),
      }),
    });
    const contextOf = (groupId: string) => ({ groupId, api: 'DescribeShareGroupOffsets' });
    return itemOutcomes(response.groups, connection, {
      key: (group) => group.groupId,
      context: (group) => contextOf(group.groupId),
      value: (group) => {
        const offsets: ShareGroupOffsetResult[] = [];
        for (const topic of group.topics) {
          for (const p of topic.partitions) {
            const tp = { topic: topic.topicName, partition: p.partitionIndex };
            if (p.errorCode !== ErrorCodes.NONE) {
              const context = { ...contextOf(group.groupId), ...tp };
              offsets.push({ ...tp, error: brokerError(p.errorCode, p.errorMessage, context, connection) });
              continue;
            }
            offsets.push({
              ...tp,
              startOffset: p.startOffset < 0n ? null : p.startOffset,
              leaderEpoch: p.leaderEpoch < 0 ? null : p.leaderEpoch,
              lag: p.lag < 0n ? null : p.lag,
            });
          }
        }
        return { offsets: offsets.sort(comparePartitions) };
      },
      retryIf: retryIfCoordinatorMoved,
    });
  });
}

/**
 * `alterShareGroupOffsets`: AlterShareGroupOffsets: sets share-partition start offsets of a group that has no
 * active members. One result per partition; a group-level failure rejects (`NonEmptyGroupError` while members
 * are connected).
 */
export async function alterShareGroupOffsets(
  router: AdminRouter,
  groupId: string,
  offsets: readonly ShareOffsetToSet[],
  options: AdminCallOptions = {},
): Promise<ShareGroupPartitionResult[]> {
  const call = router.call('alterShareGroupOffsets', options);
  checkGroupIds([groupId], 'alterShareGroupOffsets');
  for (const o of offsets) {
    if (
      typeof o?.topic !== 'string' ||
      !Number.isInteger(o.partition) ||
      typeof o.offset !== 'bigint' ||
      o.offset < 0n
    ) {
      throw new InvalidArgumentError(
        'alterShareGroupOffsets: each offset needs { topic, partition, offset: bigint >= 0 }, got ' +
          `${String(o?.topic)}-${String(o?.partition)}@${String(o?.offset)}`,
      );
    }
  }
  if (offsets.length === 0) return [];
  await router.ready(call);
  const byTopic = new Map<string, Array<{ partitionIndex: number; startOffset: bigint }>>();
  for (const o of offsets) {
    const list = byTopic.get(o.topic) ?? [];
    list.push({ partitionIndex: o.partition, startOffset: o.offset });
    byTopic.set(o.topic, list);
  }
  return onGroupCoordinator<ShareGroupPartitionResult[]>(router, call, groupId, async (connection) => {
    const response = await exchange(router, call, connection, {
      api: AlterShareGroupOffsets,
      needs: { feature: 'alterShareGroupOffsets' },
      request: () => ({ groupId, topics: [...byTopic].map(([topicName, partitions]) => ({ topicName, partitions })) }),
    });
    const context = { groupId, api: 'AlterShareGroupOffsets' };
    if (response.errorCode !== ErrorCodes.NONE) {
      return failure(response.errorCode, response.errorMessage, context, connection, retryIfCoordinatorMoved);
    }
    const codes = new Map<string, { code: number; message: string | null }>();
    for (const t of response.responses) {
      for (const p of t.partitions) {
        codes.set(`${t.topicName}:${p.partitionIndex}`, { code: p.errorCode, message: p.errorMessage });
      }
    }
    const results = offsets.map((o): ShareGroupPartitionResult => {
      const tp = { topic: o.topic, partition: o.partition };
      const answer = codes.get(`${o.topic}:${o.partition}`);
      if (answer === undefined || answer.code === ErrorCodes.NONE) return tp;
      return { ...tp, error: brokerError(answer.code, answer.message, { ...context, ...tp }, connection) };
    });
    return { value: results };
  });
}

/**
 * `deleteShareGroupOffsets`: DeleteShareGroupOffsets: drops a group's state for whole topics (the group starts
 * them again by `share.auto.offset.reset`). The group must have no active members. One result per topic; a
 * group-level failure rejects.
 */
export async function deleteShareGroupOffsets(
  router: AdminRouter,
  groupId: string,
  topics: readonly string[],
  options: AdminCallOptions = {},
): Promise<ShareGroupTopicResult[]> {
  const call = router.call('deleteShareGroupOffsets', options);
  checkGroupIds([groupId], 'deleteShareGroupOffsets');
  for (const topic of topics) {
    if (typeof topic !== 'string' || topic === '') {
      throw new InvalidArgumentError(`deleteShareGroupOffsets: topics must be non-empty strings, got ${String(topic)}`);
    }
  }
  if (topics.length === 0) return [];
  await router.ready(call);
  return onGroupCoordinator<ShareGroupTopicResult[]>(router, call, groupId, async (connection) => {
    const response = await exchange(router, call, connection, {
      api: DeleteShareGroupOffsets,
      needs: { feature: 'deleteShareGroupOffsets' },
      request: () => ({ groupId, topics: topics.map((topicName) => ({ topicName })) }),
    });
    const context = { groupId, api: 'DeleteShareGroupOffsets' };
    if (response.errorCode !== ErrorCodes.NONE) {
      return failure(response.errorCode, response.errorMessage, context, connection, retryIfCoordinatorMoved);
    }
    const byTopic = new Map(response.responses.map((r) => [r.topicName, r]));
    const results = topics.map((topic): ShareGroupTopicResult => {
      const answer = byTopic.get(topic);
      if (answer === undefined || answer.errorCode === ErrorCodes.NONE) return { topic };
      return { topic, error: brokerError(answer.errorCode, answer.errorMessage, { ...context, topic }, connection) };
    });
    return { value: results };
  });
}

/** `deleteShareGroups`: DeleteGroups, as for any group type; a group with members fails alone. */
export function deleteShareGroups(
  router: AdminRouter,
  groupIds: readonly string[],
  options: AdminCallOptions = {},
): ReturnType<typeof deleteGroups> {
  return deleteGroups(router, groupIds, options);
}

function groupPartitions(partitions: readonly TopicPartition[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const tp of partitions) {
    const list = map.get(tp.topic) ?? [];
    list.push(tp.partition);
    map.set(tp.topic, list);
  }
  return map;
}
