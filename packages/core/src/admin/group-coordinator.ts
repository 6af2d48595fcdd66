import { CoordinatorType } from '../cluster/cluster.js';
import { InvalidArgumentError } from '../errors/client-errors.js';
import type { Connection } from '../network/connection.js';
import type { AdminCall } from './admin-call.js';
import { type AdminRouter, type Outcome, type Outcomes, settle } from './admin-request.js';
import type { ItemResult } from './admin-types.js';

/**
 * Sends requests about groups to their coordinators, the groups one coordinator owns together in one request, and
 * settles one result per group in the order of `groupIds`: the recipe of the calls about many groups
 * (`describeGroups`, `deleteGroups`, `describeShareGroups`, `listShareGroupOffsets`). `send` gets a coordinator's
 * connection and its groups, and returns an outcome per group id (per-group errors as
 * `failure(..., retryIfCoordinatorMoved)`). The retries and the deadline are those of
 * {@link AdminRouter.coordinatorItems}; a group without an answer at the deadline fails with `KafkaTimeoutError`.
 */
export async function onGroupCoordinators<R>(
  router: AdminRouter,
  call: AdminCall,
  groupIds: readonly string[],
  send: (connection: Connection, groupIds: string[]) => Promise<Outcomes<R>>,
): Promise<Array<ItemResult<{ groupId: string }, R>>> {
  const outcomes = await router.coordinatorItems(call, CoordinatorType.group, groupIds, send, { batch: true });
  return groupIds.map((groupId) => settle(outcomes.get(groupId), { groupId }));
}

/**
 * Sends a request about one group to the group's coordinator and resolves with the group's value, or rejects with
 * its error: the recipe of the calls that act on a single group (`removeGroupMembers`, `alterGroupOffsets`,
 * `deleteGroupOffsets`, the share-group offset calls). `send` returns the group's outcome: a group-level error
 * code as a `failure(..., retryIfCoordinatorMoved)` (retried after a new coordinator lookup when the coordinator
 * moved), else the per-item results inside the value. The retries and the deadline are those of
 * {@link AdminRouter.coordinatorItems}.
 */
export async function onGroupCoordinator<R>(
  router: AdminRouter,
  call: AdminCall,
  groupId: string,
  send: (connection: Connection) => Promise<Outcome<R>>,
): Promise<R> {
  const outcomes = await router.coordinatorItems(
    call,
    CoordinatorType.group,
    [groupId],
    async (connection): Promise<Outcomes<R>> => new Map([[groupId, await send(connection)]]),
  );
  return singleGroup(outcomes, groupId);
}

/** The value of a single-group call, or its error thrown. */
export function singleGroup<R>(outcomes: Outcomes<R>, groupId: string): R {
  const outcome: Outcome<R> | undefined = outcomes.get(groupId);
  if (outcome === undefined) throw new InvalidArgumentError(`No answer for group ${groupId}`);
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
