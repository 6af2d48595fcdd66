import { ErrorCodes as E } from './error-codes.generated.js';

/**
 * Codes that mean the client's metadata is out of date: refresh metadata, then retry (against the new leader).
 * Every code whose Java exception is an `InvalidMetadataException`, except the results of ElectLeaders
 * (PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE, ELECTION_NOT_NEEDED), which describe an election
 * rather than stale metadata; plus codes the Java clients also answer with a metadata refresh: UNKNOWN_LEADER_EPOCH
 * (our epoch is ahead of the broker's), BROKER_NOT_AVAILABLE and NOT_CONTROLLER (the admin client looks up the
 * controller again).
 */
export const STALE_METADATA_CODES: ReadonlySet<number> = new Set<number>([
  E.UNKNOWN_TOPIC_OR_PARTITION,
  E.LEADER_NOT_AVAILABLE,
  E.NOT_LEADER_OR_FOLLOWER,
  E.REPLICA_NOT_AVAILABLE,
  E.BROKER_NOT_AVAILABLE,
  E.NETWORK_EXCEPTION,
  E.NOT_CONTROLLER,
  E.KAFKA_STORAGE_ERROR,
  E.LISTENER_NOT_FOUND,
  E.FENCED_LEADER_EPOCH,
  E.UNKNOWN_LEADER_EPOCH,
  E.UNKNOWN_TOPIC_ID,
  E.INCONSISTENT_TOPIC_ID,
]);

/**
 * Codes that mean the request did not reach a working coordinator for its group or transactional id: find the
 * coordinator again (FindCoordinator), then retry. COORDINATOR_LOAD_IN_PROGRESS is included: the coordinator is
 * right but not ready, and a fresh lookup is cheap and also covers a coordinator that moves while loading.
 */
export const COORDINATOR_STALE_CODES: ReadonlySet<number> = new Set<number>([
  E.COORDINATOR_LOAD_IN_PROGRESS,
  E.COORDINATOR_NOT_AVAILABLE,
  E.NOT_COORDINATOR,
]);

/**
 * Codes that mean a group member must (re)join its group:
 * - classic protocol: UNKNOWN_MEMBER_ID and ILLEGAL_GENERATION (join again from scratch), REBALANCE_IN_PROGRESS
 *   (rejoin the rebalance), MEMBER_ID_REQUIRED (rejoin with the member id the JoinGroup response assigned);
 * - KIP-848 consumer groups: FENCED_MEMBER_EPOCH and UNKNOWN_MEMBER_ID (release partitions, rejoin with epoch 0).
 * Not included: UNRELEASED_INSTANCE_ID and FENCED_INSTANCE_ID (another member holds the static instance id; the
 * Java consumer treats them as fatal) and STALE_MEMBER_EPOCH (retry with the epoch from the next heartbeat).
 */
export const NEEDS_REJOIN_CODES: ReadonlySet<number> = new Set<number>([
  E.ILLEGAL_GENERATION,
  E.UNKNOWN_MEMBER_ID,
  E.REBALANCE_IN_PROGRESS,
  E.MEMBER_ID_REQUIRED,
  E.FENCED_MEMBER_EPOCH,
]);
