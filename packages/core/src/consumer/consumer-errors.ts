import { type BrokerErrorOptions, OffsetOutOfRangeError } from '../errors/index.js';
import { describeContext, KafkaError, type KafkaErrorOptions } from '../errors/kafka-error.js';

/**
 * The application took longer than `maxPollIntervalMs` between two requests for records (two `poll()` calls, or
 * two steps of a `for await` loop), so the consumer left its group, as the Java client does. Its partitions were
 * revoked (or lost) and may already be consumed by another member.
 *
 * Raised once, by the next `poll()` or iterator step; the call after that rejoins the group. Records handed out
 * before the timeout and not yet committed will be read again by whichever member gets their partition.
 * Raise `maxPollIntervalMs`, or process records faster (smaller `maxPollRecords`, or hand work off).
 */
export class MaxPollIntervalExceededError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_MAX_POLL_INTERVAL_EXCEEDED', true, options);
  }
}

/**
 * A commit was rejected because the consumer's group generation (classic protocol) or member epoch (KIP-848) is
 * no longer current: a rebalance happened, and the partitions may belong to another member now. The commit is
 * dropped, never retried with a newer generation, because another member may have processed past it. Java:
 * `CommitFailedException`.
 */
export class CommitFailedError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions & { kafkaErrorName?: string; kafkaErrorCode?: number } = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_COMMIT_FAILED', false, options);
  }
}

/**
 * A partition has no committed offset and `autoOffsetReset` is `'none'`, so the consumer does not know where to
 * start. Seek the partition (`seek`, `seekToBeginning`, `seekToEnd`) to continue. Java:
 * `NoOffsetForPartitionException`.
 */
export class NoOffsetForPartitionError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_NO_OFFSET_FOR_PARTITION', false, options);
  }
}

/**
 * The fetch position is outside the partition's log (records were deleted by retention, or the position was
 * sought past the end) and `autoOffsetReset` is `'none'`. Seek the partition to continue. A subclass of the
 * broker error class of OFFSET_OUT_OF_RANGE, with the offset. Java: `OffsetOutOfRangeException`.
 */
export class FetchOffsetOutOfRangeError extends OffsetOutOfRangeError {
  /** The offset that was out of range. */
  readonly offset: bigint;

  constructor(detail: string, options: BrokerErrorOptions & { offset: bigint }) {
    super({ ...options, serverMessage: detail });
    this.offset = options.offset;
  }
}

/**
 * The partition's log was truncated below the consumer's position (an unclean leader election lost records the
 * consumer had already read; KIP-320) and `autoOffsetReset` is `'none'`. `divergentOffset` is the first offset
 * known to differ; seek there (or elsewhere) to continue. Java: `LogTruncationException`.
 */
export class LogTruncationError extends KafkaError {
  /** The consumer's position when the truncation was detected. */
  readonly offset: bigint;
  /** The end offset of the last epoch both logs share: the first offset that may differ. */
  readonly divergentOffset: bigint;

  constructor(message: string, options: KafkaErrorOptions & { offset: bigint; divergentOffset: bigint }) {
    super(`${message}${describeContext(options)}`, 'ERR_LOG_TRUNCATION', false, options);
    this.offset = options.offset;
    this.divergentOffset = options.divergentOffset;
  }
}

/**
 * A key or value deserializer threw for one record. The consumer stops at that record (its position stays on it,
 * nothing after it is delivered); `seek` past `offset` to skip it. `cause` holds the deserializer's error. Java:
 * `RecordDeserializationException`.
 */
export class RecordDeserializationError extends KafkaError {
  /** Offset of the record that could not be deserialized. */
  readonly offset: bigint;
  /** Which part failed. */
  readonly part: 'key' | 'value';

  constructor(message: string, options: KafkaErrorOptions & { offset: bigint; part: 'key' | 'value' }) {
    super(`${message}${describeContext(options)}`, 'ERR_RECORD_DESERIALIZATION', false, options);
    this.offset = options.offset;
    this.part = options.part;
  }
}

/** An operation needs group membership or a `groupId` the consumer does not have (commit without `groupId`, ...). */
export class InvalidGroupStateError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_INVALID_GROUP_STATE', false, options);
  }
}

/**
 * The consumer lost its group membership or its partitions in a way the application must know about: fenced by a
 * newer static member with the same `groupInstanceId`, the group is full, the broker rejected the assignor. The
 * message says which; `kafkaErrorName` names the broker's code.
 */
export class GroupMembershipError extends KafkaError {
  constructor(
    message: string,
    options: KafkaErrorOptions & { kafkaErrorName?: string; kafkaErrorCode?: number; retriable?: boolean } = {},
  ) {
    super(`${message}${describeContext(options)}`, 'ERR_GROUP_MEMBERSHIP', false, options);
  }
}

/** A rebalance listener callback threw or rejected. `cause` holds its error. */
export class RebalanceListenerError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_REBALANCE_LISTENER', false, options);
  }
}
