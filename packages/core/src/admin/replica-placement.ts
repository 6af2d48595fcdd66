import { InvalidArgumentError } from '../errors/client-errors.js';
import { AlterPartitionReassignments } from '../protocol/messages/generated/alter-partition-reassignments.js';
import { ElectLeaders } from '../protocol/messages/generated/elect-leaders.js';
import { ListPartitionReassignments } from '../protocol/messages/generated/list-partition-reassignments.js';
import { partitionKey, type TopicPartition } from '../vocabulary/topic-partition.js';
import { exchange } from './admin-exchange.js';
import type { AdminCallOptions } from './admin-options.js';
import { type AdminRouter, type Outcomes, settle, throwIfError } from './admin-request.js';
import { byTopic, type ItemResult } from './admin-types.js';
import { comparePartitions } from './groups.js';
import { itemOutcomes, partitionEntries, partitionOutcomes } from './item-outcomes.js';
import { checkPartition } from './records-and-offsets.js';

/**
 * Which leader `electLeaders` elects. Java: `ElectionType`. `'preferred'`: the first replica, if in sync;
 * `'unclean'`: any live replica when none in sync is (may lose data).
 */
export type ElectionType = 'preferred' | 'unclean';

/**
 * The result of `electLeaders` (or `alterPartitionReassignments`) for one partition. Java:
 * `ElectLeadersResult.partitions()` / `AlterPartitionReassignmentsResult.values()`.
 */
export type PartitionResult = ItemResult<TopicPartition>;

/** A new replica set for a partition, or `null` to cancel its reassignment. Java: `NewPartitionReassignment`. */
export interface PartitionReassignmentRequest extends TopicPartition {
  /** The replicas after the move, preferred leader first; null cancels an ongoing reassignment. */
  readonly replicas: readonly number[] | null;
}

/** Options of `alterPartitionReassignments`. Java: `AlterPartitionReassignmentsOptions`. */
export interface AlterPartitionReassignmentsOptions extends AdminCallOptions {
  /** Allow a reassignment to change the replication factor (AlterPartitionReassignments v1+, KIP-860). Default true. */
  readonly allowReplicationFactorChange?: boolean;
}

/** An ongoing reassignment. Java: `PartitionReassignment`. */
export interface PartitionReassignment extends TopicPartition {
  /** The replicas now (the union of old and new during the move). */
  readonly replicas: readonly number[];
  /** Replicas being added. */
  readonly addingReplicas: readonly number[];
  /** Replicas being removed. */
  readonly removingReplicas: readonly number[];
}

/**
 * `electLeaders`: ElectLeaders to the controller, for some partitions or (`partitions` null) every partition that
 * needs it. One result per partition; a partition whose preferred leader already leads fails alone with
 * `ElectionNotNeededError`. With `partitions` null, only the partitions the controller elected or failed are listed.
 */
export async function electLeaders(
  router: AdminRouter,
  electionType: ElectionType,
  partitions: readonly TopicPartition[] | null,
  options: AdminCallOptions = {},
): Promise<PartitionResult[]> {
  const call = router.call('electLeaders', options);
  if (electionType !== 'preferred' && electionType !== 'unclean') {
    throw new InvalidArgumentError(
      `electLeaders: the election type is 'preferred' or 'unclean', got ${String(electionType)}`,
    );
  }
  for (const tp of partitions ?? []) checkPartition(tp, 'electLeaders');
  await router.ready(call);
  const elect = async (pending: readonly TopicPartition[] | null): Promise<Outcomes<null>> => {
    const connection = await router.controller(call);
    const response = await exchange(router, call, connection, {
      api: ElectLeaders,
      needs: electionType === 'unclean' ? { minVersion: 1, feature: 'unclean leader election' } : {},
      request: () => ({
        electionType: electionType === 'preferred' ? 0 : 1,
        topicPartitions:
          pending === null
            ? null
            : byTopic(pending, (tp) => tp.partition).map(([topic, ps]) => ({ topic, partitions: ps })),
        timeoutMs: call.serverTimeout(),
      }),
    });
    throwIfError(response.errorCode, null, { api: 'ElectLeaders' }, connection);
    const results = partitionEntries(response.replicaElectionResults, (t) => [t.topic, t.partitionResult]);
    return itemOutcomes(results, connection, {
      key: (p) => partitionKey(p.topic, p.partitionId),
      context: (p) => ({ topic: p.topic, partition: p.partitionId, api: 'ElectLeaders' }),
      value: () => null,
    });
  };
  if (partitions === null) {
    // Every partition that needs an election: one request; the answer lists the partitions it concerned.
    const answers = await router.retry(call, () => elect(null));
    return [...answers.keys()]
      .map((key) => {
        const at = key.lastIndexOf(':');
        return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
      })
      .sort(comparePartitions)
      .map((tp) => settle(answers.get(partitionKey(tp.topic, tp.partition)), tp));
  }
  const outcomes = await router.retryItems(
    call,
    partitions,
    (tp) => partitionKey(tp.topic, tp.partition),
    (pending) => elect(pending),
  );
  return partitions.map((tp) =>
    settle(outcomes.get(partitionKey(tp.topic, tp.partition)), { topic: tp.topic, partition: tp.partition }),
  );
}

/**
 * `alterPartitionReassignments`: starts (or, with `replicas: null`, cancels) replica moves
 * (AlterPartitionReassignments to the controller). One result per partition; the move itself runs on in the
 * background (see `listPartitionReassignments`).
 */
export async function alterPartitionReassignments(
  router: AdminRouter,
  reassignments: readonly PartitionReassignmentRequest[],
  options: AlterPartitionReassignmentsOptions = {},
): Promise<PartitionResult[]> {
  const call = router.call('alterPartitionReassignments', options);
  for (const r of reassignments) {
    checkPartition(r, 'alterPartitionReassignments');
    if (r.replicas !== null && (!Array.isArray(r.replicas) || r.replicas.some((id) => !Number.isInteger(id)))) {
      throw new InvalidArgumentError(
        'alterPartitionReassignments: replicas is an array of broker ids, or null to cancel',
      );
    }
  }
  if (reassignments.length === 0) return [];
  await router.ready(call);
  const outcomes = await router.controllerItems(
    call,
    reassignments,
    (tp) => partitionKey(tp.topic, tp.partition),
    async (connection, pending) => {
      const response = await exchange(router, call, connection, {
        api: AlterPartitionReassignments,
        needs:
          options.allowReplicationFactorChange === false
            ? { minVersion: 1, feature: 'allowReplicationFactorChange: false' }
            : {},
        request: (version) => ({
          timeoutMs: call.serverTimeout(),
          ...(version >= 1 ? { allowReplicationFactorChange: options.allowReplicationFactorChange ?? true } : {}),
          topics: byTopic(pending, (r) => ({ partitionIndex: r.partition, replicas: r.replicas })).map(
            ([name, partitions]) => ({ name, partitions }),
          ),
        }),
      });
      throwIfError(response.errorCode, response.errorMessage, { api: 'AlterPartitionReassignments' }, connection);
      return partitionOutcomes(response.responses, connection, {
        api: 'AlterPartitionReassignments',
        value: () => null,
      });
    },
  );
  return reassignments.map((r) =>
    settle(outcomes.get(partitionKey(r.topic, r.partition)), { topic: r.topic, partition: r.partition }),
  );
}

/**
 * `listPartitionReassignments`: the ongoing reassignments, of some partitions or of all (ListPartitionReassignments
 * to the controller).
 */
export async function listPartitionReassignments(
  router: AdminRouter,
  partitions?: readonly TopicPartition[],
  options: AdminCallOptions = {},
): Promise<PartitionReassignment[]> {
  const call = router.call('listPartitionReassignments', options);
  for (const tp of partitions ?? []) checkPartition(tp, 'listPartitionReassignments');
  await router.ready(call);
  let topics: Array<{ name: string; partitionIndexes: number[] }> | null = null;
  if (partitions !== undefined) {
    topics = byTopic(partitions, (tp) => tp.partition).map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
  }
  return router.retry(call, async () => {
    const connection = await router.controller(call);
    const response = await exchange(router, call, connection, {
      api: ListPartitionReassignments,
      request: () => ({ timeoutMs: call.serverTimeout(), topics }),
    });
    throwIfError(response.errorCode, response.errorMessage, { api: 'ListPartitionReassignments' }, connection);
    const out = partitionEntries(response.topics, (t) => [t.name, t.partitions]).map(
      (p): PartitionReassignment => ({
        topic: p.topic,
        partition: p.partitionIndex,
        replicas: p.replicas,
        addingReplicas: p.addingReplicas,
        removingReplicas: p.removingReplicas,
      }),
    );
    return out.sort(comparePartitions);
  });
}
