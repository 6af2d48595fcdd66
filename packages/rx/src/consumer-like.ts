import type {
  ConsumerBackpressure,
  ConsumerGroupMetadata,
  ConsumerRebalanceListener,
  ConsumerRecord,
  DeliveryMode,
  TopicPartition,
  TopicPartitionOffset,
} from '@vltava/core';

/**
 * The part of `@vltava/core`'s `Consumer` that the Rx layer uses. A `Consumer<K, V>` is one; the interface exists so
 * that the operators can be tested against a fake, and names exactly what they rely on.
 */
export interface ConsumerLike<K, V> {
  /** Subscribes with group management; the listener sees every rebalance. */
  subscribe(topics: string | readonly string[] | RegExp, listener?: ConsumerRebalanceListener): void;
  /** Revokes the partitions and leaves the group (the consumer stays open). */
  unsubscribe(): Promise<void>;
  /** The partitions assigned now. */
  assignment(): TopicPartition[];
  /** An async iterator of records; `fromConsumer` uses `mode: 'manual'`. */
  records(options?: {
    readonly mode?: DeliveryMode;
    readonly signal?: AbortSignal;
  }): AsyncIterator<ConsumerRecord<K, V>>;
  /** Marks a record (and the records of its partition before it) processed. */
  acknowledge(record: ConsumerRecord<K, V>): void;
  /** Commits exactly these offsets (next offset to read) under the current generation. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Ends reading, commits (with `enableAutoCommit`), leaves the group and closes the connections. */
  close(): Promise<void>;
  /** Fetch-level pauses kept apart from the application's `pause()`/`resume()`. */
  readonly backpressure: ConsumerBackpressure;
}

/** A consumer that can name its group position, for `sendOffsetsToTransaction` (KIP-447). */
export interface GroupConsumerLike {
  /** The group id, generation and member id current now. */
  groupMetadata(): ConsumerGroupMetadata;
}
