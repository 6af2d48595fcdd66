import type { Connection } from '../network/connection.js';
import type { ApiDefinition } from '../protocol/messages/api-definition.js';
import type { AdminCall } from './admin-call.js';
import type { AdminRouter, VersionNeeds } from './admin-request.js';

/**
 * One request of an admin call, described as data: which API, what version it needs, and how the request reads in
 * the version the broker and this client agree on. Where it goes (controller, coordinator, leader, any broker) and
 * how its answer maps to per-item results stay with the caller.
 *
 * @example
 * ```ts
 * const response = await exchange(router, call, connection, {
 *   api: DeleteGroups,
 *   request: () => ({ groupsNames: keys }),
 * });
 * ```
 */
export interface AdminExchange<Req, Res> {
  /** The API to send. */
  readonly api: ApiDefinition<Req, Res>;
  /** The lowest or highest version the call can use (see {@link AdminRouter.negotiate}); default: any. */
  readonly needs?: VersionNeeds;
  /** The request for the negotiated `version` (fields that only some versions have are set here). */
  request(version: number): Req;
}

/**
 * Sends one {@link AdminExchange} on `connection`: negotiates the version (throwing `UnsupportedVersionError` when
 * the broker lacks what `needs` asks for), builds the request for it and sends it within the call's request
 * timeout and abort signal. Resolves with the response; retries are the caller's (its router recipe).
 *
 * @see AdminRouter.negotiate
 * @see AdminRouter.send
 */
export function exchange<Req, Res>(
  router: Pick<AdminRouter, 'negotiate' | 'send'>,
  call: AdminCall,
  connection: Connection,
  description: AdminExchange<Req, Res>,
): Promise<Res> {
  const version = router.negotiate(connection, description.api, description.needs);
  return router.send(call, connection, description.api, description.request(version), version);
}

/**
 * Sends one {@link AdminExchange} to any broker (the least busy, chosen again for each attempt), retrying what is
 * retriable until the call's deadline (see {@link AdminRouter.retryOnAnyBroker}). Resolves with the response and
 * the connection that answered it, for the context of the per-item errors read from it.
 */
export function exchangeWithAnyBroker<Req, Res>(
  router: Pick<AdminRouter, 'negotiate' | 'send' | 'retryOnAnyBroker'>,
  call: AdminCall,
  description: AdminExchange<Req, Res>,
): Promise<{ response: Res; connection: Connection }> {
  return router.retryOnAnyBroker(call, async (connection) => ({
    response: await exchange(router, call, connection, description),
    connection,
  }));
}
