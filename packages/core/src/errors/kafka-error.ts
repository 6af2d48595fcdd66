import {
  type ErrorRecovery,
  errorRecovery,
  isCoordinatorMoved,
  isRejoinNeeded,
  isStaleMetadata,
} from './error-classification.js';

/**
 * Where an error happened, so that its message can say it and handlers can branch on it.
 * Every field is optional: fill in what is known.
 */
export interface ErrorContext {
  /** The broker involved, as `nodeId@host:port` or `host:port`. */
  readonly broker?: string;
  /** The topic involved. */
  readonly topic?: string;
  /** The partition involved. */
  readonly partition?: number;
  /** The consumer group or transactional id involved. */
  readonly groupId?: string;
  /** The API the request belonged to, for example `Produce`. */
  readonly api?: string;
}

/** Options accepted by every {@link KafkaError} constructor. */
export interface KafkaErrorOptions extends ErrorContext {
  /** The underlying error, kept as the standard `cause`. */
  readonly cause?: unknown;
  /** Overrides the class default for {@link KafkaError.retriable}. */
  readonly retriable?: boolean;
}

const BRAND = Symbol.for('vltava.KafkaError');

/**
 * Base class of every error Vltava raises.
 *
 * - `code` is stable and machine-readable: the Kafka error name for errors the broker returned
 *   (`NOT_LEADER_OR_FOLLOWER`), an `ERR_*` code for errors raised by the client (`ERR_CONNECTION`).
 * - `retriable` says whether the same operation may succeed if tried again (after a metadata refresh, a
 *   reconnect or a backoff). The producer and consumer already retry what is retriable within their timeouts;
 *   an error that reaches application code has exhausted those retries or is not retriable.
 * - `kafkaErrorName` and `kafkaErrorCode` name the protocol error code where there is one.
 *
 * `instanceof` works across copies of the package thanks to a `Symbol.for` brand (see {@link isKafkaError}).
 */
export class KafkaError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;
  /** Whether retrying the operation may succeed. */
  readonly retriable: boolean;
  /** Kafka's name for the protocol error code, when the error has one. */
  readonly kafkaErrorName: string | undefined;
  /** Kafka's numeric protocol error code, when the error has one. */
  readonly kafkaErrorCode: number | undefined;
  /** Broker involved, if known. */
  readonly broker: string | undefined;
  /** Topic involved, if known. */
  readonly topic: string | undefined;
  /** Partition involved, if known. */
  readonly partition: number | undefined;
  /** Group or transactional id involved, if known. */
  readonly groupId: string | undefined;
  /** API involved, if known. */
  readonly api: string | undefined;

  constructor(
    message: string,
    code: string,
    retriable: boolean,
    options: KafkaErrorOptions & { kafkaErrorName?: string; kafkaErrorCode?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? retriable;
    this.kafkaErrorName = options.kafkaErrorName;
    this.kafkaErrorCode = options.kafkaErrorCode;
    this.broker = options.broker;
    this.topic = options.topic;
    this.partition = options.partition;
    this.groupId = options.groupId;
    this.api = options.api;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * What the client does about this error (see {@link ErrorRecovery}): from the Kafka error code where there is
   * one, else `retry` for a retriable client error and `fail-call` for any other.
   */
  get recovery(): ErrorRecovery {
    const code = this.kafkaErrorCode;
    if (code === undefined) return this.retriable ? 'retry' : 'fail-call';
    const recovery = errorRecovery(code);
    // A client error that carries a code (UnsupportedVersionError raised before sending) may not be retriable.
    return recovery === 'retry' && !this.retriable ? 'fail-call' : recovery;
  }

  /**
   * The client's metadata is out of date: refresh it and retry (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION,
   * FENCED_LEADER_EPOCH, ...; see `isStaleMetadata`).
   */
  get staleMetadata(): boolean {
    return this.kafkaErrorCode !== undefined && isStaleMetadata(this.kafkaErrorCode);
  }

  /**
   * The coordinator of the group or transaction must be looked up again (NOT_COORDINATOR,
   * COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS; see `isCoordinatorMoved`).
   */
  get coordinatorMoved(): boolean {
    return this.kafkaErrorCode !== undefined && isCoordinatorMoved(this.kafkaErrorCode);
  }

  /**
   * The group member must rejoin its group (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS,
   * FENCED_MEMBER_EPOCH, ...; see `isRejoinNeeded`).
   */
  get needsRejoin(): boolean {
    return this.kafkaErrorCode !== undefined && isRejoinNeeded(this.kafkaErrorCode);
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === KafkaError) return isKafkaError(value);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/** True for any error raised by Vltava, even from another copy of the package. */
export function isKafkaError(value: unknown): value is KafkaError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Formats "where" for messages: `(broker 1@127.0.0.1:9092, topic orders, partition 3)`.
 * Returns an empty string when nothing is known.
 */
export function describeContext(context: ErrorContext): string {
  const parts: string[] = [];
  if (context.api !== undefined) parts.push(`api ${context.api}`);
  if (context.broker !== undefined) parts.push(`broker ${context.broker}`);
  if (context.groupId !== undefined) parts.push(`group ${context.groupId}`);
  if (context.topic !== undefined) parts.push(`topic ${context.topic}`);
  if (context.partition !== undefined) parts.push(`partition ${context.partition}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
