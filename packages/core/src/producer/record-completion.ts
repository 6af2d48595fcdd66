import type { KafkaError } from '../errors/kafka-error.js';
import type { Logger } from '../utils/logger.js';
import type { RecordMetadata, SendCallback } from './record-metadata.js';

/** The records of a batch whose outcome is known: where a record's metadata comes from. */
export interface WrittenRecords {
  /** Metadata of record `index` of the batch, written at `offset` (`-1n` when unknown). */
  metadataAt(index: number, offset: bigint): RecordMetadata;
  /** Metadata of record `index` of a completed batch (offset from the batch's base offset). */
  metadata(index: number): RecordMetadata;
}

/**
 * Receives the outcomes of records sent as a group (`sendBatch`): one object for many records instead of a
 * Promise or closure each.
 */
export interface CompletionGroup {
  /**
   * Record number `index` of the group settled: written as record `indexInBatch` of `batch`, or failed with
   * `error` (then `batch` is undefined).
   */
  settle(index: number, batch: WrittenRecords | undefined, indexInBatch: number, error: KafkaError | undefined): void;
}

/** The marker that makes a completion's first half a {@link SendCallback}. */
export const CALLBACK: unique symbol = Symbol('callback');

/**
 * How one record's outcome is delivered, as two values, so that no object is made per record:
 * - `send(record)`: the `resolve` and `reject` of its Promise;
 * - `send(record, callback)`: the callback and {@link CALLBACK};
 * - `sendBatch(records)`: the group and the record's index in it.
 *
 * The pair travels as two arguments (`target`, `tag`) from `send` to the record's batch, which keeps them in two
 * parallel arrays; {@link settleRecord} is the one place that reads a pair back.
 */
export type Completion =
  | readonly [resolve: (metadata: RecordMetadata) => void, reject: (error: KafkaError) => void]
  | readonly [callback: SendCallback, marker: typeof CALLBACK]
  | readonly [group: CompletionGroup, index: number];

/** The first half of a {@link Completion}. */
export type CompletionTarget = Completion[0];

/** The second half of a {@link Completion}: it says which form the pair has. */
export type CompletionTag = Completion[1];

/**
 * Delivers one record's outcome: its metadata (record `index` of `batch`, at `offset`) when `error` is undefined,
 * else the error. Throws what a user's callback throws.
 */
export function settleRecord(
  target: CompletionTarget,
  tag: CompletionTag,
  error: KafkaError | undefined,
  batch: WrittenRecords | undefined,
  index: number,
  offset: bigint,
): void {
  // The tag tells the form; every pair was made as one of the forms of `Completion` (the producer's `send` and
  // `sendBatch` are the only writers, and are typed by it), so the target has the type that form gives it.
  if (typeof tag === 'number') {
    (target as CompletionGroup).settle(tag, error === undefined ? batch : undefined, index, error);
  } else if (tag === CALLBACK) {
    const callback = target as SendCallback;
    if (error === undefined) callback(undefined, batch!.metadataAt(index, offset));
    else callback(error, undefined);
  } else if (error === undefined) {
    (target as (metadata: RecordMetadata) => void)(batch!.metadataAt(index, offset));
  } else {
    tag(error);
  }
}

/** Fails a record that never joined a batch; a callback that throws is logged, never rethrown. */
export function failRecord(target: CompletionTarget, tag: CompletionTag, error: KafkaError, logger: Logger): void {
  try {
    settleRecord(target, tag, error, undefined, 0, -1n);
  } catch (thrown) {
    logger.error('a send callback threw; the producer carries on', { error: thrown });
  }
}
