import type { KafkaError } from '../errors/kafka-error.js';
import type { RecordMetadata } from '../producer/record-metadata.js';

/**
 * An input (an Rx emission, a stream chunk) whose records were all acknowledged: the input itself and each record's
 * metadata, in the order the target made them. What `@vltava/rx`'s `sendTo` emits, and what `@vltava/streams`'
 * send streams emit, so that a committer downstream finds the consumed record in `source`.
 */
export interface SendSuccess<T> {
  readonly ok: true;
  /** The input the records were made from. */
  readonly source: T;
  /** Metadata (topic, partition, offset, timestamp) of each record sent for it; empty when it made none. */
  readonly metadata: readonly RecordMetadata[];
}

/** An input with a record that failed (emitted only where failures are emitted rather than raised). */
export interface SendFailure<T> {
  readonly ok: false;
  /** The input the records were made from. */
  readonly source: T;
  /** The first failure among its records (the producer's typed error). */
  readonly error: KafkaError;
  /** Metadata of each record, `undefined` for those that failed. */
  readonly metadata: readonly (RecordMetadata | undefined)[];
}

/** The outcome of sending one input: {@link SendSuccess} or {@link SendFailure}. */
export type SendResult<T> = SendSuccess<T> | SendFailure<T>;
