import { CoordinatorType } from '../cluster/cluster.js';
import { InvalidArgumentError } from '../errors/client-errors.js';
import type { Connection } from '../network/connection.js';
import type { AdminCall } from './admin-call.js';
import type { AdminRouter, Outcome, Outcomes } from './admin-request.js';

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
