import { createBrokerError } from '../errors/broker-error-factory.js';
import { InvalidArgumentError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import type { Connection } from '../network/connection.js';
import { ConsumerGroupDescribe } from '../protocol/messages/generated/consumer-group-describe.js';
import { decodeConsumerProtocolAssignment } from '../protocol/messages/generated/consumer-protocol-assignment.js';
import { decodeConsumerProtocolSubscription } from '../protocol/messages/generated/consumer-protocol-subscription.js';
import { DeleteGroups } from '../protocol/messages/generated/delete-groups.js';
import { DescribeGroups } from '../protocol/messages/generated/describe-groups.js';
import { LeaveGroup } from '../protocol/messages/generated/leave-group.js';
import { ListGroups } from '../protocol/messages/generated/list-groups.js';
import { Reader } from '../protocol/primitives/reader.js';
import type { TopicPartition } from '../vocabulary/topic-partition.js';
import { type AclOperation, authorizedOperations } from './acl-codes.js';
import type { AdminCall } from './admin-call.js';
import { exchange } from './admin-exchange.js';
import type { AdminCallOptions } from './admin-options.js';
import { type AdminRouter, failure, type Outcomes, retryIfCoordinatorMoved, throwIfError } from './admin-request.js';
import type { ItemResult } from './admin-types.js';
import { listOnEveryBroker } from './every-broker-listing.js';
import { onGroupCoordinator, onGroupCoordinators } from './group-coordinator.js';
import { itemOutcomes } from './item-outcomes.js';
import { fromKafkaNames } from './kafka-names.js';

/**
 * The state of a group. Java: `GroupState` (`PREPARING_REBALANCE` is `'preparingRebalance'`). Classic groups are
 * `'preparingRebalance'`, `'completingRebalance'`, `'stable'`, `'dead'` or `'empty'`; consumer groups (KIP-848)
 * `'assigning'`, `'reconciling'`, `'stable'`, `'dead'`, `'empty'` or `'notReady'`.
 */
export type GroupState =
  | 'unknown'
  | 'preparingRebalance'
  | 'completingRebalance'
  | 'stable'
  | 'dead'
  | 'empty'
  | 'assigning'
  | 'reconciling'
  | 'notReady';

/**
 * The protocol of a group. Java: `GroupType`. `'classic'`: JoinGroup/SyncGroup (also Kafka Connect);
 * `'consumer'`: the KIP-848 consumer protocol; `'share'`: share groups (KIP-932); `'streams'`: KIP-1071.
 */
export type GroupType = 'unknown' | 'classic' | 'consumer' | 'share' | 'streams';

/** A group as `listGroups` lists it. Java: `GroupListing`. */
export interface GroupListing {
  /** Group id. */
  readonly groupId: string;
  /** The classic protocol type (`consumer`, `connect`, ...), `''` for simple groups; for other types the type. */
  readonly protocolType: string;
  /** The group's state (ListGroups v4+), else null. */
  readonly state: GroupState | null;
  /** The group's type (ListGroups v5+), else null. */
  readonly type: GroupType | null;
}

/** Options of `listGroups`. Java: `ListGroupsOptions` / `ListConsumerGroupsOptions`. */
export interface ListGroupsOptions extends AdminCallOptions {
  /** Only groups in these states (needs ListGroups v4, Kafka 2.6+). Java: `inGroupStates`. */
  readonly states?: readonly GroupState[];
  /** Only groups of these types (needs ListGroups v5, Kafka 3.8+). Java: `withTypes`. */
  readonly types?: readonly GroupType[];
}

/** A member of a classic group. Java: `MemberDescription`. */
export interface ClassicGroupMember {
  /** Member id. */
  readonly memberId: string;
  /** Static membership instance id (KIP-345), or null. */
  readonly groupInstanceId: string | null;
  /** Client id. */
  readonly clientId: string;
  /** Client host. */
  readonly clientHost: string;
  /** The partitions assigned to it (decoded for protocol type `consumer`; empty otherwise or while rebalancing). */
  readonly assignment: readonly TopicPartition[];
  /** The topics it subscribed to (decoded for protocol type `consumer`), else empty. */
  readonly subscribedTopics: readonly string[];
  /** The raw protocol metadata (the subscription), for protocol types other than `consumer`. */
  readonly metadata: Buffer;
  /** The raw assignment, for protocol types other than `consumer`. */
  readonly rawAssignment: Buffer;
}

/** A classic group (JoinGroup/SyncGroup). Java: `ConsumerGroupDescription` / `ClassicGroupDescription`. */
export interface ClassicGroupDescription {
  /** Group protocol. */
  readonly type: 'classic';
  /** State. */
  readonly state: GroupState;
  /** Protocol type (`consumer`, `connect`, ...; `''` for a group that only commits offsets). */
  readonly protocolType: string;
  /** The chosen protocol (for consumers the assignor, `range`, ...), or `''`. */
  readonly protocol: string;
  /** Members. */
  readonly members: readonly ClassicGroupMember[];
  /** Node id of the group coordinator. */
  readonly coordinator: number;
  /** Operations the client may perform on the group, with `includeAuthorizedOperations`. */
  readonly authorizedOperations?: readonly AclOperation[];
}

/** A member of a KIP-848 consumer group. Java: `MemberDescription`. */
export interface ConsumerGroupMember {
  /** Member id. */
  readonly memberId: string;
  /** Static membership instance id, or null. */
  readonly groupInstanceId: string | null;
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
  /** Subscribed topic regex (RE2/J), or null. */
  readonly subscribedTopicRegex: string | null;
  /** Partitions the member owns now. */
  readonly assignment: readonly TopicPartition[];
  /** Partitions the coordinator wants it to own. */
  readonly targetAssignment: readonly TopicPartition[];
  /** Whether the member speaks the consumer protocol or joined with the classic one (ConsumerGroupDescribe v1+). */
  readonly memberType: 'consumer' | 'classic' | 'unknown';
}

/** A KIP-848 consumer group. Java: `ConsumerGroupDescription`. */
export interface ConsumerGroupDescription {
  /** Group protocol. */
  readonly type: 'consumer';
  /** State. */
  readonly state: GroupState;
  /** Group epoch. */
  readonly groupEpoch: number;
  /** Epoch of the target assignment. Java: `targetAssignmentEpoch`. */
  readonly assignmentEpoch: number;
  /** The server-side assignor (`uniform`, `range`). */
  readonly assignor: string;
  /** Members. */
  readonly members: readonly ConsumerGroupMember[];
  /** Node id of the group coordinator. */
  readonly coordinator: number;
  /** Operations the client may perform on the group, with `includeAuthorizedOperations`. */
  readonly authorizedOperations?: readonly AclOperation[];
}

/** A described group: classic or consumer (KIP-848). Java: `ConsumerGroupDescription` / `ClassicGroupDescription`. */
export type GroupDescription = ClassicGroupDescription | ConsumerGroupDescription;

/** The result of `describeGroups` for one group. Java: `DescribeConsumerGroupsResult.describedGroups()`. */
export type DescribeGroupResult = ItemResult<{ readonly groupId: string }, GroupDescription>;

/** Options of `describeGroups`. Java: `DescribeConsumerGroupsOptions`. */
export interface DescribeGroupsOptions extends AdminCallOptions {
  /** Ask for the operations the client may perform on each group. Java: `includeAuthorizedOperations`. */
  readonly includeAuthorizedOperations?: boolean;
}

/** The result of `deleteGroups` for one group. Java: `DeleteConsumerGroupsResult.deletedGroups()`. */
export type DeleteGroupResult = ItemResult<{ readonly groupId: string }>;

/** A member to remove: by member id, by static instance id, or both. Java: `MemberToRemove`. */
export interface MemberToRemove {
  /** Member id (classic groups: as DescribeGroups lists it). */
  readonly memberId?: string;
  /** Static membership instance id (KIP-345). */
  readonly groupInstanceId?: string;
}

/** Options of `removeGroupMembers`. Java: `RemoveMembersFromConsumerGroupOptions`. */
export interface RemoveGroupMembersOptions extends AdminCallOptions {
  /** Why, recorded in the broker's log (LeaveGroup v5+). Java: `reason`. */
  readonly reason?: string;
}

/**
 * The result of `removeGroupMembers` for one member. Java: `RemoveMembersFromConsumerGroupResult.memberResult(member)`.
 */
export type RemoveMemberResult = ItemResult<{ readonly memberId: string; readonly groupInstanceId: string | null }>;

const KAFKA_STATES: Readonly<Record<GroupState, string>> = {
  unknown: 'Unknown',
  preparingRebalance: 'PreparingRebalance',
  completingRebalance: 'CompletingRebalance',
  stable: 'Stable',
  dead: 'Dead',
  empty: 'Empty',
  assigning: 'Assigning',
  reconciling: 'Reconciling',
  notReady: 'NotReady',
};
const stateFromKafkaName = fromKafkaNames(KAFKA_STATES);
const KAFKA_TYPES: Readonly<Record<GroupType, string>> = {
  unknown: 'Unknown',
  classic: 'Classic',
  consumer: 'Consumer',
  share: 'Share',
  streams: 'Streams',
};

/** A group state from Kafka's name (`Stable`, `PreparingRebalance`; any case). */
export function groupStateOf(name: string): GroupState {
  return stateFromKafkaName(name);
}

/** A group type from Kafka's name (`classic`, `Consumer`; any case). */
export function groupTypeOf(name: string): GroupType {
  const lower = name.toLowerCase();
  return lower in KAFKA_TYPES ? (lower as GroupType) : 'unknown';
}

/**
 * `listGroups`: ListGroups to every broker (each coordinates some groups), merged. Rejects when a broker cannot be
 * asked within the timeout, since the listing would be incomplete.
 */
export async function listGroups(router: AdminRouter, options: ListGroupsOptions = {}): Promise<GroupListing[]> {
  const call = router.call('listGroups', options);
  for (const state of options.states ?? []) {
    if (KAFKA_STATES[state] === undefined) throw new InvalidArgumentError(`listGroups: unknown group state '${state}'`);
  }
  for (const type of options.types ?? []) {
    if (KAFKA_TYPES[type] === undefined) throw new InvalidArgumentError(`listGroups: unknown group type '${type}'`);
  }
  await router.ready(call);
  const states = (options.states ?? []).map((s) => KAFKA_STATES[s]);
  const types = (options.types ?? []).map((t) => KAFKA_TYPES[t]);
  return listOnEveryBroker(
    router,
    call,
    (group) => group.groupId,
    async (connection) => {
      const version = router.negotiate(
        connection,
        ListGroups,
        types.length > 0
          ? { minVersion: 5, feature: 'listGroups with a type filter' }
          : states.length > 0
            ? { minVersion: 4, feature: 'listGroups with a state filter' }
            : {},
      );
      const response = await router.send(
        call,
        connection,
        ListGroups,
        version >= 5 ? { statesFilter: states, typesFilter: types } : version >= 4 ? { statesFilter: states } : {},
        version,
      );
      throwIfError(response.errorCode, null, { api: 'ListGroups' }, connection);
      return response.groups.map(
        (g): GroupListing => ({
          groupId: g.groupId,
          protocolType: g.protocolType,
          state: version >= 4 ? groupStateOf(g.groupState) : null,
          type: version >= 5 ? groupTypeOf(g.groupType) : null,
        }),
      );
    },
  );
}

/**
 * `describeGroups`: ConsumerGroupDescribe (KIP-848) where the broker has it; groups it does not know as consumer
 * groups are described with DescribeGroups (classic). A group that does not exist fails with
 * `GroupIdNotFoundError`.
 */
export async function describeGroups(
  router: AdminRouter,
  groupIds: readonly string[],
  options: DescribeGroupsOptions = {},
): Promise<DescribeGroupResult[]> {
  const call = router.call('describeGroups', options);
  checkGroupIds(groupIds, 'describeGroups');
  if (groupIds.length === 0) return [];
  await router.ready(call);
  return onGroupCoordinators(router, call, groupIds, (connection, keys) =>
    describeOnCoordinator(router, call, connection, keys, options),
  );
}

async function describeOnCoordinator(
  router: AdminRouter,
  call: AdminCall,
  connection: Connection,
  groupIds: string[],
  options: DescribeGroupsOptions,
): Promise<Outcomes<GroupDescription>> {
  const coordinator = connection.nodeId ?? -1;
  const includeOps = options.includeAuthorizedOperations === true;
  const answers: Outcomes<GroupDescription> = new Map();
  let classic = groupIds;
  if (connection.apiVersions.has(ConsumerGroupDescribe.apiKey)) {
    const response = await exchange(router, call, connection, {
      api: ConsumerGroupDescribe,
      request: () => ({ groupIds, includeAuthorizedOperations: includeOps }),
    });
    classic = [];
    for (const group of response.groups) {
      if (group.errorCode === ErrorCodes.GROUP_ID_NOT_FOUND) {
        classic.push(group.groupId); // not a consumer group: maybe a classic one
        continue;
      }
      if (group.errorCode !== ErrorCodes.NONE) {
        const context = { groupId: group.groupId, api: 'ConsumerGroupDescribe' };
        answers.set(
          group.groupId,
          failure(group.errorCode, group.errorMessage, context, connection, retryIfCoordinatorMoved),
        );
        continue;
      }
      const ops = includeOps ? authorizedOperations(group.authorizedOperations) : undefined;
      answers.set(group.groupId, {
        value: {
          type: 'consumer',
          state: groupStateOf(group.groupState),
          groupEpoch: group.groupEpoch,
          assignmentEpoch: group.assignmentEpoch,
          assignor: group.assignorName,
          members: group.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.instanceId,
            rack: m.rackId,
            memberEpoch: m.memberEpoch,
            clientId: m.clientId,
            clientHost: m.clientHost,
            subscribedTopicNames: m.subscribedTopicNames,
            subscribedTopicRegex: m.subscribedTopicRegex,
            assignment: flatten(m.assignment.topicPartitions),
            targetAssignment: flatten(m.targetAssignment.topicPartitions),
            memberType: m.memberType === 1 ? 'consumer' : m.memberType === 0 ? 'classic' : 'unknown',
          })),
          coordinator,
          ...(ops === undefined ? {} : { authorizedOperations: ops }),
        },
      });
    }
  }
  if (classic.length === 0) return answers;
  const response = await exchange(router, call, connection, {
    api: DescribeGroups,
    request: () => ({ groups: classic, includeAuthorizedOperations: includeOps }),
  });
  for (const group of response.groups) {
    const context = { groupId: group.groupId, api: 'DescribeGroups' };
    if (group.errorCode !== ErrorCodes.NONE) {
      answers.set(
        group.groupId,
        failure(group.errorCode, group.errorMessage, context, connection, retryIfCoordinatorMoved),
      );
      continue;
    }
    // Before DescribeGroups v6 (KIP-1043), an unknown group is described as Dead with no protocol type.
    if (group.groupState === 'Dead' && group.protocolType === '' && group.members.length === 0) {
      answers.set(group.groupId, {
        error: createBrokerError(ErrorCodes.GROUP_ID_NOT_FOUND, { ...context, broker: connection.label }),
      });
      continue;
    }
    const isConsumer = group.protocolType === 'consumer';
    const ops = includeOps ? authorizedOperations(group.authorizedOperations) : undefined;
    answers.set(group.groupId, {
      value: {
        type: 'classic',
        state: groupStateOf(group.groupState),
        protocolType: group.protocolType,
        protocol: group.protocolData,
        members: group.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          assignment: isConsumer ? decodeAssignment(m.memberAssignment) : [],
          subscribedTopics: isConsumer ? decodeSubscribedTopics(m.memberMetadata) : [],
          metadata: m.memberMetadata,
          rawAssignment: m.memberAssignment,
        })),
        coordinator,
        ...(ops === undefined ? {} : { authorizedOperations: ops }),
      },
    });
  }
  return answers;
}

/** `deleteGroups`: DeleteGroups to each coordinator; a group with members fails alone with NON_EMPTY_GROUP. */
export async function deleteGroups(
  router: AdminRouter,
  groupIds: readonly string[],
  options: AdminCallOptions = {},
): Promise<DeleteGroupResult[]> {
  const call = router.call('deleteGroups', options);
  checkGroupIds(groupIds, 'deleteGroups');
  if (groupIds.length === 0) return [];
  await router.ready(call);
  return onGroupCoordinators(router, call, groupIds, async (connection, keys) => {
    const response = await exchange(router, call, connection, {
      api: DeleteGroups,
      request: () => ({ groupsNames: keys }),
    });
    return itemOutcomes(response.results, connection, {
      key: (r) => r.groupId,
      context: (r) => ({ groupId: r.groupId, api: 'DeleteGroups' }),
      value: () => null,
      retryIf: retryIfCoordinatorMoved,
    });
  });
}

/**
 * `removeGroupMembers`: LeaveGroup (v3+) on the members' behalf, as if each left; `'all'` removes every current
 * member (found with `describeGroups`). Works for classic members and, with Kafka 4's coordinator, for KIP-848
 * members too (they are fenced and rejoin). Resolves with a result per member; rejects when the group itself
 * fails (unknown, not authorized).
 */
export async function removeGroupMembers(
  router: AdminRouter,
  groupId: string,
  members: readonly MemberToRemove[] | 'all',
  options: RemoveGroupMembersOptions = {},
): Promise<RemoveMemberResult[]> {
  const call = router.call('removeGroupMembers', options);
  checkGroupIds([groupId], 'removeGroupMembers');
  let targets: MemberToRemove[];
  if (members === 'all') {
    await router.ready(call);
    const [described] = await describeGroups(router, [groupId], { timeoutMs: call.remaining(), signal: call.signal });
    if (described === undefined) return [];
    if (described.error !== undefined) throw described.error;
    targets = described.members.map((m) => ({
      memberId: m.memberId,
      ...(m.groupInstanceId === null ? {} : { groupInstanceId: m.groupInstanceId }),
    }));
  } else {
    targets = [...members];
    for (const m of targets) {
      if ((m.memberId ?? '') === '' && (m.groupInstanceId ?? '') === '') {
        throw new InvalidArgumentError('removeGroupMembers: each member needs a memberId or a groupInstanceId');
      }
    }
  }
  if (targets.length === 0) return [];
  await router.ready(call);
  return onGroupCoordinator<RemoveMemberResult[]>(router, call, groupId, async (connection) => {
    const response = await exchange(router, call, connection, {
      api: LeaveGroup,
      needs: { minVersion: 3, feature: 'removeGroupMembers' },
      request: () => ({
        groupId,
        members: targets.map((m) => ({
          memberId: m.memberId ?? '',
          groupInstanceId: m.groupInstanceId ?? null,
          reason: options.reason ?? null,
        })),
      }),
    });
    const context = { groupId, api: 'LeaveGroup' };
    if (response.errorCode !== ErrorCodes.NONE) {
      return failure(response.errorCode, null, context, connection, retryIfCoordinatorMoved);
    }
    const results = targets.map((m): RemoveMemberResult => {
      const memberId = m.memberId ?? '';
      const groupInstanceId = m.groupInstanceId ?? null;
      const answer = response.members.find(
        (r) =>
          (groupInstanceId !== null && r.groupInstanceId === groupInstanceId) ||
          (memberId !== '' && r.memberId === memberId),
      );
      if (answer === undefined || answer.errorCode === ErrorCodes.NONE) return { memberId, groupInstanceId };
      return {
        memberId,
        groupInstanceId,
        error: createBrokerError(answer.errorCode, { ...context, broker: connection.label }),
      };
    });
    return { value: results };
  });
}

/** Throws `InvalidArgumentError` for a missing or empty group id. */
export function checkGroupIds(groupIds: readonly string[], method: string): void {
  if (!Array.isArray(groupIds)) throw new InvalidArgumentError(`${method}: expected an array of group ids`);
  for (const id of groupIds) {
    if (typeof id !== 'string' || id === '') {
      throw new InvalidArgumentError(`${method}: group ids must be non-empty strings, got ${String(id)}`);
    }
  }
}

function flatten(topics: ReadonlyArray<{ topicName: string; partitions: readonly number[] }>): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (const t of topics) for (const partition of t.partitions) out.push({ topic: t.topicName, partition });
  return out.sort(comparePartitions);
}

/** Orders partitions by topic, then index. */
export function comparePartitions(a: TopicPartition, b: TopicPartition): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}

/** Decodes a classic consumer's assignment (ConsumerProtocolAssignment with its version prefix). */
function decodeAssignment(bytes: Buffer): TopicPartition[] {
  if (bytes.length < 2) return [];
  try {
    const reader = new Reader(bytes);
    const version = Math.min(reader.readInt16('version'), 3);
    const decoded = decodeConsumerProtocolAssignment(reader, version);
    const out: TopicPartition[] = [];
    for (const t of decoded.assignedPartitions)
      for (const partition of t.partitions) out.push({ topic: t.topic, partition });
    return out.sort(comparePartitions);
  } catch {
    return [];
  }
}

/** Decodes a classic consumer's subscribed topics (ConsumerProtocolSubscription with its version prefix). */
function decodeSubscribedTopics(bytes: Buffer): string[] {
  if (bytes.length < 2) return [];
  try {
    const reader = new Reader(bytes);
    const version = Math.min(reader.readInt16('version'), 3);
    return [...decodeConsumerProtocolSubscription(reader, version).topics];
  } catch {
    return [];
  }
}
