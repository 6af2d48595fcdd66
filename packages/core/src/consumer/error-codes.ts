import { ErrorCodes } from '../errors/index.js';

/** The Kafka error codes by name, as the consumer branches on them. */
export const ErrorCode = ErrorCodes;

/** Errors that mean the coordinator moved or is not ready: look it up again and retry. */
export function isCoordinatorError(code: number): boolean {
  return (
    code === ErrorCode.NOT_COORDINATOR ||
    code === ErrorCode.COORDINATOR_NOT_AVAILABLE ||
    code === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS
  );
}

/** Partition errors of Fetch, ListOffsets and OffsetForLeaderEpoch that a metadata refresh (a new leader) fixes. */
export function isStaleMetadataError(code: number): boolean {
  return (
    code === ErrorCode.NOT_LEADER_OR_FOLLOWER ||
    code === ErrorCode.LEADER_NOT_AVAILABLE ||
    code === ErrorCode.REPLICA_NOT_AVAILABLE ||
    code === ErrorCode.FENCED_LEADER_EPOCH ||
    code === ErrorCode.UNKNOWN_LEADER_EPOCH ||
    code === ErrorCode.KAFKA_STORAGE_ERROR ||
    code === ErrorCode.OFFSET_NOT_AVAILABLE ||
    code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION ||
    code === ErrorCode.UNKNOWN_TOPIC_ID ||
    code === ErrorCode.INCONSISTENT_TOPIC_ID ||
    code === ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR
  );
}
