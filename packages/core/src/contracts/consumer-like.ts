import type { ConsumerBackpressure, ConsumerGroupMetadata } from '../consumer/consumer.js';
import type { ConsumerRebalanceListener, ConsumerRecord, PartitionRecords } from '../consumer/consumer-record.js';
import type { DeliveryMode } from '../consumer/record-iterator.js';
import type { TopicPartition, TopicPartitionOffset } from '../vocabulary/topic-partition.js';

/** A batch of records as {@link ConsumerLike.batches} yields it: grouped by partition, in offset order. */
export interface RecordBatch<K, V> {
  /** The records of each partition that has any in the batch, one entry per partition. */
  readonly partitions: readonly PartitionRecords<K, V>[];
}

/** Options of {@link ConsumerLike.batches}. */
export interface ConsumerBatchOptions {
  /** When a record counts as processed; the adapters read in `manual` mode and acknowledge. */
  readonly mode?: DeliveryMode;
  /** Ends the iteration when aborted, even while no record is arriving. */
  readonly signal?: AbortSignal;
  /** Most records per batch. */
  readonly maxRecords?: number;
  /** The adapter traces each record's processing itself (`vltava:consumer:process`); see `BatchIteratorOptions`. */
  readonly pushed?: boolean;
}

/**
 * The consumer contract that `@vltava/rx` and `@vltava/streams` build on: exactly the part of {@link Consumer} they
 * use, so that both adapters depend on one narrow interface (and are tested against one fake). A
 * `Consumer<K, V>` is one; so is anything with the same contract (a wrapper, a test double).
 *
 * The adapters read with `batches({ mode: 'manual' })` (one Promise per batch, not per record), acknowledge what
 * the application processed, commit exactly the offsets below which everything is processed, and pause fetching
 * through `backpressure` (never through the application's own `pause()`).
 *
 * @typeParam K Type of record keys after the consumer's key deserializer.
 * @typeParam V Type of record values after the consumer's value deserializer.
 */
export interface ConsumerLike<K = Buffer | null, V = Buffer | null> {
  /** Subscribes with group management; the listener sees every rebalance. */
  subscribe(topics: string | readonly string[] | RegExp, listener?: ConsumerRebalanceListener): void;
  /** Revokes the partitions and leaves the group (the consumer stays open). */
  unsubscribe(): Promise<void>;
  /** The partitions assigned now (by the group or `assign()`). */
  assignment(): TopicPartition[];
  /** An async iterator of record batches, grouped by partition (see {@link ConsumerBatchOptions}). */
  batches(options?: ConsumerBatchOptions): AsyncIterator<RecordBatch<K, V>, undefined>;
  /** Marks a record (and the earlier records of its partition) processed. */
  acknowledge(record: Pick<ConsumerRecord<unknown, unknown>, 'topic' | 'partition' | 'offset' | 'leaderEpoch'>): void;
  /** Commits exactly these offsets (each the next offset to read) under the current generation. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Ends reading, commits (with `enableAutoCommit`), leaves the group and closes the connections. */
  close(): Promise<void>;
  /** Fetch-level pauses kept apart from the application's `pause()`/`resume()`. */
  readonly backpressure: ConsumerBackpressure;
  /** The group id, generation and member id current now (for transactions, and to label metrics). */
  groupMetadata(): ConsumerGroupMetadata;
  /** `client.id`, for the diagnostics channels' payloads (optional: a test double may have none). */
  readonly clientId?: string;
}
