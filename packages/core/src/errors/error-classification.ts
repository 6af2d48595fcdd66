import { ErrorCodes as E, ERROR_CODES } from './error-codes.generated.js';

/**
 * What a client does about a Kafka error code: the one classification every layer (network, cluster, producer,
 * consumer, admin, and the Rx and stream adapters above them) consults. Derived from Kafka's own `Errors` table
 * (retriable, `InvalidMetadataException`) plus the few decisions the Java clients make on top of it.
 *
 * - `none`: NONE, not an error.
 * - `refresh-metadata`: the client's metadata is out of date; refresh it, then retry (against the new leader).
 * - `find-coordinator`: the group or transaction coordinator moved or is not ready; look it up again, then retry.
 * - `rejoin`: a group member must (re)join its group.
 * - `retry`: transient; back off and retry within the call's deadline.
 * - `fail-call`: fatal for the call that got it (an authorization failure, an invalid name, a record the broker
 *   refuses); the call fails at once with the typed error and the client goes on.
 * - `fail-client`: the client cannot go on (fenced by a newer instance, credentials refused); every pending and
 *   later call fails with it.
 *
 * A few codes are fatal for one client and not for another (CLUSTER_AUTHORIZATION_FAILED ends an idempotent
 * producer, but only the call of an admin client); those clients widen `fail-call` to `fail-client` where they
 * handle the code, and say so there.
 */
export type ErrorRecovery =
  | 'none'
  | 'refresh-metadata'
  | 'find-coordinator'
  | 'rejoin'
  | 'retry'
  | 'fail-call'
  | 'fail-client';

/**
 * Stale metadata: every code whose Java exception is an `InvalidMetadataException`, except the results of
 * ElectLeaders (PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE, ELECTION_NOT_NEEDED), which describe
 * an election rather than stale metadata; plus the codes the Java clients also answer with a metadata refresh:
 * UNKNOWN_LEADER_EPOCH (our epoch is ahead of the broker's), BROKER_NOT_AVAILABLE and NOT_CONTROLLER (look up the
 * broker or controller again), OFFSET_NOT_AVAILABLE (ListOffsets on a leader that is not caught up yet) and
 * FETCH_SESSION_TOPIC_ID_ERROR (a topic id changed under a fetch session).
 */
const ELECTION_RESULTS: readonly number[] = [
  E.PREFERRED_LEADER_NOT_AVAILABLE,
  E.ELIGIBLE_LEADERS_NOT_AVAILABLE,
  E.ELECTION_NOT_NEEDED,
];
const STALE_METADATA = codes(
  ...ERROR_CODES.filter((e) => e.invalidMetadata === true && !ELECTION_RESULTS.includes(e.code)).map((e) => e.code),
  E.UNKNOWN_LEADER_EPOCH,
  E.BROKER_NOT_AVAILABLE,
  E.NOT_CONTROLLER,
  E.OFFSET_NOT_AVAILABLE,
  E.FETCH_SESSION_TOPIC_ID_ERROR,
);

/**
 * The coordinator moved or is not ready: find it again (FindCoordinator), then retry. COORDINATOR_LOAD_IN_PROGRESS
 * is included: the coordinator is right but not ready, and a fresh lookup is cheap and also covers a coordinator
 * that moves while loading.
 */
const COORDINATOR_MOVED = codes(E.COORDINATOR_LOAD_IN_PROGRESS, E.COORDINATOR_NOT_AVAILABLE, E.NOT_COORDINATOR);

/**
 * A group member must (re)join:
 * - classic protocol: UNKNOWN_MEMBER_ID and ILLEGAL_GENERATION (join again from scratch), REBALANCE_IN_PROGRESS
 *   (rejoin the rebalance), MEMBER_ID_REQUIRED (rejoin with the member id the JoinGroup response assigned);
 * - KIP-848 consumer and share groups: FENCED_MEMBER_EPOCH and UNKNOWN_MEMBER_ID (release partitions, rejoin with
 *   epoch 0).
 * Not included: UNRELEASED_INSTANCE_ID and FENCED_INSTANCE_ID (another member holds the static instance id; fatal
 * for the client, as in Java) and STALE_MEMBER_EPOCH (retry with the epoch from the next heartbeat).
 */
const NEEDS_REJOIN = codes(
  E.ILLEGAL_GENERATION,
  E.UNKNOWN_MEMBER_ID,
  E.REBALANCE_IN_PROGRESS,
  E.MEMBER_ID_REQUIRED,
  E.FENCED_MEMBER_EPOCH,
);

/**
 * Fatal for the client: retrying with the same identity or credentials can never succeed.
 * - fenced by a newer instance: PRODUCER_FENCED, TRANSACTION_COORDINATOR_FENCED, FENCED_INSTANCE_ID,
 *   UNRELEASED_INSTANCE_ID (another member holds the static group instance id);
 * - identity refused: TRANSACTIONAL_ID_AUTHORIZATION_FAILED, SASL_AUTHENTICATION_FAILED,
 *   UNSUPPORTED_SASL_MECHANISM, ILLEGAL_SASL_STATE, DELEGATION_TOKEN_EXPIRED.
 */
const FATAL_FOR_CLIENT = codes(
  E.PRODUCER_FENCED,
  E.TRANSACTION_COORDINATOR_FENCED,
  E.FENCED_INSTANCE_ID,
  E.UNRELEASED_INSTANCE_ID,
  E.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  E.SASL_AUTHENTICATION_FAILED,
  E.UNSUPPORTED_SASL_MECHANISM,
  E.ILLEGAL_SASL_STATE,
  E.DELEGATION_TOKEN_EXPIRED,
);

/** The `*_AUTHORIZATION_FAILED` codes: the principal lacks an ACL. Never retried; the message says which. */
const AUTHORIZATION_FAILED = codes(
  ...ERROR_CODES.filter((e) => e.name.endsWith('_AUTHORIZATION_FAILED')).map((e) => e.code),
);

const RETRIABLE = codes(...ERROR_CODES.filter((e) => e.retriable).map((e) => e.code));

/** The recovery of a code; codes unknown to this client (a newer broker) fail the call. */
export function errorRecovery(code: number): ErrorRecovery {
  if (code === E.NONE) return 'none';
  if (STALE_METADATA.has(code)) return 'refresh-metadata';
  if (COORDINATOR_MOVED.has(code)) return 'find-coordinator';
  if (NEEDS_REJOIN.has(code)) return 'rejoin';
  if (FATAL_FOR_CLIENT.has(code)) return 'fail-client';
  if (RETRIABLE.has(code)) return 'retry';
  return 'fail-call';
}

/** The client's metadata is out of date: refresh it and retry. See {@link ErrorRecovery}. */
export function isStaleMetadata(code: number): boolean {
  return STALE_METADATA.has(code);
}

/** The coordinator of a group or transaction must be looked up again. See {@link ErrorRecovery}. */
export function isCoordinatorMoved(code: number): boolean {
  return COORDINATOR_MOVED.has(code);
}

/** A group member must rejoin its group. See {@link ErrorRecovery}. */
export function isRejoinNeeded(code: number): boolean {
  return NEEDS_REJOIN.has(code);
}

/** Kafka's own retriability of a code (its exception is a `RetriableException`). */
export function isRetriableCode(code: number): boolean {
  return RETRIABLE.has(code);
}

/** The client cannot go on after this code. See {@link ErrorRecovery}. */
export function isFatalForClient(code: number): boolean {
  return FATAL_FOR_CLIENT.has(code);
}

/** One of the `*_AUTHORIZATION_FAILED` codes. */
export function isAuthorizationFailure(code: number): boolean {
  return AUTHORIZATION_FAILED.has(code);
}

/** Retrying the call cannot succeed: the recovery is `fail-call` or `fail-client`. */
export function isFatal(code: number): boolean {
  const recovery = errorRecovery(code);
  return recovery === 'fail-call' || recovery === 'fail-client';
}

/** True for a code that is an error (anything but NONE). */
export function isErrorCode(code: number): boolean {
  return code !== E.NONE;
}

function codes(...list: number[]): ReadonlySet<number> {
  return new Set(list);
}
