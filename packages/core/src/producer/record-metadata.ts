import type { KafkaError } from '../errors/kafka-error.js';

/** Where a record was written, as `send` reports it. Java: `RecordMetadata`. */
export interface RecordMetadata {
  /** Topic of the record. */
  readonly topic: string;
  /** Partition of the record. */
  readonly partition: number;
  /**
   * Offset of the record in its partition; `-1n` when it is unknown: with `acks: 0`, or when the broker
   * recognised a retried batch as a duplicate of one written earlier without remembering its offset.
   */
  readonly offset: bigint;
  /** The record's timestamp: its create time, or the broker's append time on `LogAppendTime` topics. */
  readonly timestamp: number;
  /** Bytes of the serialized key, -1 without a key. */
  readonly serializedKeySize: number;
  /** Bytes of the serialized value, -1 without a value (a tombstone). */
  readonly serializedValueSize: number;
}

/** The callback form of `send`: called once, with an error or with the record's metadata. */
export type SendCallback = (error: KafkaError | undefined, metadata: RecordMetadata | undefined) => void;
