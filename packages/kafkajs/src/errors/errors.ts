import { ErrorCodes } from '../core.js';

/**
 * The error classes of KafkaJS, with the names, fields and `retriable` flags KafkaJS gives them, so that code which
 * branches on `error.name`, `instanceof`, `error.retriable` or a protocol error's `type` keeps working. Every error
 * this package raises for a failure of the engine keeps the engine's error as `cause` (a `KafkaError` of
 * `@vltava/core`, with its stable `code`).
 *
 * @module
 */

const BRAND = Symbol.for('vltava.KafkaJSError');

/** Fields KafkaJS error constructors accept besides the message. */
export interface KafkaJSErrorMetadata {
  retriable?: boolean;
  topic?: string;
  partitionId?: number;
  cause?: unknown;
}

function messageOf(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e !== null && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') {
    return (e as { message: string }).message;
  }
  return String(e);
}

/** Base class of the KafkaJS errors. `retriable` defaults to true, as in KafkaJS. */
export class KafkaJSError extends Error {
  override readonly name: string = 'KafkaJSError';
  readonly retriable: boolean;
  readonly helpUrl?: string;
  declare readonly cause?: Error;

  constructor(e: Error | string, metadata: KafkaJSErrorMetadata = {}) {
    super(messageOf(e), metadata.cause === undefined ? undefined : { cause: metadata.cause });
    this.retriable = metadata.retriable ?? true;
    const helpUrl = typeof e === 'object' && e !== null ? (e as { helpUrl?: unknown }).helpUrl : undefined;
    if (typeof helpUrl === 'string') this.helpUrl = helpUrl;
    Object.defineProperty(this, BRAND, { value: true });
    Error.captureStackTrace?.(this, new.target);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === KafkaJSError) {
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
    }
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** An error that retrying cannot fix (`retriable` false). */
export class KafkaJSNonRetriableError extends KafkaJSError {
  override readonly name: string = 'KafkaJSNonRetriableError';
  constructor(e: Error | string, metadata: { cause?: unknown } = {}) {
    super(e, { retriable: false, cause: metadata.cause });
  }
}

/** What a Kafka protocol error code is: its KafkaJS `type` (name), number, retriability and message. */
export interface ProtocolErrorInfo {
  readonly type: string;
  readonly code: number;
  readonly retriable: boolean;
  readonly message: string;
}

/** An error code returned by a broker. `type` is the name KafkaJS uses for the code, `code` its number. */
export class KafkaJSProtocolError extends KafkaJSError {
  override readonly name: string = 'KafkaJSProtocolError';
  readonly code: number;
  readonly type: string;
  constructor(e: Error | string | ProtocolErrorInfo, metadata: { retriable?: boolean; cause?: unknown } = {}) {
    const info = typeof e === 'object' && e !== null ? (e as Partial<ProtocolErrorInfo>) : {};
    super(e as Error | string, { retriable: metadata.retriable ?? info.retriable ?? true, cause: metadata.cause });
    this.type = info.type ?? 'UNKNOWN';
    this.code = info.code ?? ErrorCodes.UNKNOWN_SERVER_ERROR;
  }
}

/** OFFSET_OUT_OF_RANGE for one partition. */
export class KafkaJSOffsetOutOfRange extends KafkaJSProtocolError {
  override readonly name: string = 'KafkaJSOffsetOutOfRange';
  readonly topic: string;
  readonly partition: number;
  constructor(
    e: Error | string | ProtocolErrorInfo,
    metadata: { topic?: string; partition?: number; cause?: unknown } = {},
  ) {
    super(e, { cause: metadata.cause });
    this.topic = metadata.topic ?? '';
    this.partition = metadata.partition ?? -1;
  }
}

/** MEMBER_ID_REQUIRED: the coordinator assigned a member id (KIP-394). */
export class KafkaJSMemberIdRequired extends KafkaJSProtocolError {
  override readonly name: string = 'KafkaJSMemberIdRequired';
  readonly memberId: string;
  constructor(e: Error | string | ProtocolErrorInfo, metadata: { memberId?: string } = {}) {
    super(e);
    this.memberId = metadata.memberId ?? '';
  }
}

/** A retriable operation failed every retry `retry.retries` allowed; `cause` is the last failure. */
export class KafkaJSNumberOfRetriesExceeded extends KafkaJSNonRetriableError {
  override readonly name: string = 'KafkaJSNumberOfRetriesExceeded';
  declare stack: string;
  readonly retryCount: number;
  readonly retryTime: number;
  constructor(e: Error | string, metadata: { retryCount?: number; retryTime?: number; cause?: unknown } = {}) {
    super(e, { cause: metadata.cause ?? (typeof e === 'object' ? e : undefined) });
    this.retryCount = metadata.retryCount ?? 0;
    this.retryTime = metadata.retryTime ?? 0;
    const causeStack = typeof e === 'object' && e !== null ? (e as Error).stack : undefined;
    if (causeStack !== undefined) this.stack = `${this.name}\n  Caused by: ${causeStack}`;
  }
}

/** A connection to a broker could not be made or broke. `code` is the socket error code when there is one. */
export class KafkaJSConnectionError extends KafkaJSError {
  override readonly name: string = 'KafkaJSConnectionError';
  readonly broker: string;
  readonly code: string | undefined;
  constructor(e: Error | string, metadata: { broker?: string; code?: string; cause?: unknown } = {}) {
    super(e, { cause: metadata.cause });
    this.broker = metadata.broker ?? '';
    this.code = metadata.code;
  }
}

/** The broker closed the connection. */
export class KafkaJSConnectionClosedError extends KafkaJSConnectionError {
  override readonly name: string = 'KafkaJSConnectionClosedError';
  readonly host: string | undefined;
  readonly port: number | undefined;
  constructor(e: Error | string, metadata: { host?: string; port?: number; cause?: unknown } = {}) {
    super(e, { broker: `${metadata.host}:${metadata.port}`, cause: metadata.cause });
    this.host = metadata.host;
    this.port = metadata.port;
  }
}

/** A request got no response within `requestTimeout`. */
export class KafkaJSRequestTimeoutError extends KafkaJSError {
  override readonly name: string = 'KafkaJSRequestTimeoutError';
  readonly broker: string;
  readonly correlationId: number;
  readonly createdAt: number;
  readonly sentAt: number;
  readonly pendingDuration: number;
  constructor(
    e: Error | string,
    metadata: {
      broker?: string;
      correlationId?: number;
      createdAt?: number;
      sentAt?: number;
      pendingDuration?: number;
      cause?: unknown;
    } = {},
  ) {
    super(e, { cause: metadata.cause });
    this.broker = metadata.broker ?? '';
    this.correlationId = metadata.correlationId ?? -1;
    this.createdAt = metadata.createdAt ?? 0;
    this.sentAt = metadata.sentAt ?? 0;
    this.pendingDuration = metadata.pendingDuration ?? 0;
  }
}

/** Metadata needed for the operation is not known (yet). */
export class KafkaJSMetadataNotLoaded extends KafkaJSError {
  override readonly name: string = 'KafkaJSMetadataNotLoaded';
}

/** A topic's metadata is not known (yet). */
export class KafkaJSTopicMetadataNotLoaded extends KafkaJSMetadataNotLoaded {
  override readonly name: string = 'KafkaJSTopicMetadataNotLoaded';
  readonly topic: string;
  constructor(e: Error | string, metadata: { topic?: string; cause?: unknown } = {}) {
    super(e, { cause: metadata.cause });
    this.topic = metadata.topic ?? '';
  }
}

/** The group assigned partitions this member's metadata does not know. */
export class KafkaJSStaleTopicMetadataAssignment extends KafkaJSError {
  override readonly name: string = 'KafkaJSStaleTopicMetadataAssignment';
  readonly topic: string;
  readonly unknownPartitions: unknown;
  constructor(e: Error | string, metadata: { topic?: string; unknownPartitions?: unknown } = {}) {
    super(e);
    this.topic = metadata.topic ?? '';
    this.unknownPartitions = metadata.unknownPartitions;
  }
}

/** A group of `admin.deleteGroups` failed; `groups` lists each failure. */
export class KafkaJSDeleteGroupsError extends KafkaJSError {
  override readonly name: string = 'KafkaJSDeleteGroupsError';
  readonly groups: Array<{ groupId: string; errorCode: number; error: KafkaJSError }>;
  constructor(e: Error | string, groups: Array<{ groupId: string; errorCode: number; error: KafkaJSError }> = []) {
    super(e);
    this.groups = groups;
  }
}

/** The broker does not support an API the operation needs. */
export class KafkaJSServerDoesNotSupportApiKey extends KafkaJSNonRetriableError {
  override readonly name: string = 'KafkaJSServerDoesNotSupportApiKey';
  readonly apiKey: number | undefined;
  readonly apiName: string | undefined;
  constructor(e: Error | string, metadata: { apiKey?: number; apiName?: string; cause?: unknown } = {}) {
    super(e, { cause: metadata.cause });
    this.apiKey = metadata.apiKey;
    this.apiName = metadata.apiName;
  }
}

/** No broker with the wanted node id (or leading the wanted partition) is known. */
export class KafkaJSBrokerNotFound extends KafkaJSError {
  override readonly name: string = 'KafkaJSBrokerNotFound';
}

/** A response was cut short. */
export class KafkaJSPartialMessageError extends KafkaJSNonRetriableError {
  override readonly name: string = 'KafkaJSPartialMessageError';
}

/** SASL authentication failed. */
export class KafkaJSSASLAuthenticationError extends KafkaJSNonRetriableError {
  override readonly name: string = 'KafkaJSSASLAuthenticationError';
}

/** The coordinator of a group could not be found. */
export class KafkaJSGroupCoordinatorNotFound extends KafkaJSNonRetriableError {
  override readonly name: string = 'KafkaJSGroupCoordinatorNotFound';
}

/** The operation is not implemented (here: a KafkaJS internal this package does not offer). */
export class KafkaJSNotImplemented extends KafkaJSNonRetriableError {
  override readonly name: string = 'KafkaJSNotImplemented';
}

/** An operation did not finish within its time limit. */
export class KafkaJSTimeout extends KafkaJSNonRetriableError {
  override readonly name: string = 'KafkaJSTimeout';
}

/** A lock could not be taken in time. */
export class KafkaJSLockTimeout extends KafkaJSTimeout {
  override readonly name: string = 'KafkaJSLockTimeout';
}

/** A message set had a magic byte this client does not read. */
export class KafkaJSUnsupportedMagicByteInMessageSet extends KafkaJSNonRetriableError {
  override readonly name: string = 'KafkaJSUnsupportedMagicByteInMessageSet';
}

/** One partition of `admin.deleteTopicRecords` that failed. */
export interface KafkaJSDeleteTopicRecordsErrorPartition {
  partition: number;
  offset: string;
  error: KafkaJSError;
}

/** `admin.deleteTopicRecords` failed for some partitions; retriable when every failure is. */
export class KafkaJSDeleteTopicRecordsError extends KafkaJSError {
  override readonly name: string = 'KafkaJSDeleteTopicRecordsError';
  readonly topic: string;
  readonly partitions: KafkaJSDeleteTopicRecordsErrorPartition[];
  constructor(metadata: { topic: string; partitions: KafkaJSDeleteTopicRecordsErrorPartition[] }) {
    super('Error while deleting records', { retriable: metadata.partitions.every((p) => p.error.retriable) });
    this.topic = metadata.topic;
    this.partitions = metadata.partitions;
  }
}

/** An internal invariant was violated: a bug to report. */
export class KafkaJSInvariantViolation extends KafkaJSNonRetriableError {
  override readonly name: string = 'KafkaJSInvariantViolation';
  constructor(e: Error | string) {
    super(`Invariant violated: ${messageOf(e)}. This is likely a bug and should be reported.`);
  }
}

/** A varint could not be decoded. */
export class KafkaJSInvalidVarIntError extends KafkaJSNonRetriableError {
  override readonly name: string = 'KafkaJSNonRetriableError';
}

/** A 64-bit integer could not be decoded. */
export class KafkaJSInvalidLongError extends KafkaJSNonRetriableError {
  override readonly name: string = 'KafkaJSNonRetriableError';
}

/** Creating one topic failed. */
export class KafkaJSCreateTopicError extends KafkaJSProtocolError {
  override readonly name: string = 'KafkaJSCreateTopicError';
  readonly topic: string;
  constructor(e: Error | string | ProtocolErrorInfo, topic: string, metadata: { cause?: unknown } = {}) {
    super(e, metadata);
    this.topic = topic;
  }
}

/** Reassigning one partition failed. */
export class KafkaJSAlterPartitionReassignmentsError extends KafkaJSProtocolError {
  override readonly name: string = 'KafkaJSAlterPartitionReassignmentsError';
  readonly topic?: string;
  readonly partition?: number;
  constructor(e: Error | string | ProtocolErrorInfo, topic?: string, partition?: number) {
    super(e);
    if (topic !== undefined) this.topic = topic;
    if (partition !== undefined) this.partition = partition;
  }
}

/** Several errors at once (one per item of a batch call). */
export class KafkaJSAggregateError extends Error {
  override readonly name: string = 'KafkaJSAggregateError';
  readonly errors: (Error | string)[];
  constructor(message: Error | string, errors: (Error | string)[]) {
    super(messageOf(message));
    this.errors = errors;
  }
}

/** Raised inside KafkaJS's fetcher when a rebalance interrupts it; exported for compatibility. */
export class KafkaJSFetcherRebalanceError extends Error {}

/** No broker could be reached. */
export class KafkaJSNoBrokerAvailableError extends KafkaJSError {
  override readonly name: string = 'KafkaJSNoBrokerAvailableError';
  constructor() {
    super('No broker available');
  }
}

/** True for the errors of this module, from any copy of the package. */
export function isKafkaJSError(e: unknown): e is KafkaJSError {
  return e instanceof KafkaJSError;
}

/** KafkaJS's test for errors meaning the group is rebalancing. */
export function isRebalancing(e: unknown): boolean {
  const type = (e as { type?: unknown } | null)?.type;
  return type === 'REBALANCE_IN_PROGRESS' || type === 'NOT_COORDINATOR_FOR_GROUP' || type === 'ILLEGAL_GENERATION';
}
