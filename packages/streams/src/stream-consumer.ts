import type {
  ConsumerBackpressure,
  ConsumerRecord,
  DeliveryMode,
  TopicPartition,
  TopicPartitionOffset,
} from '@vltava/core';

/** A batch of records as `consumer.batches()` yields it: records grouped by partition, in offset order. */
export interface StreamRecordBatch<K, V> {
  /** The records of each partition that has any, one entry per partition. */
  readonly partitions: ReadonlyArray<{ readonly records: readonly ConsumerRecord<K, V>[] }>;
}

/**
 * What the stream adapters use of a consumer: a `Consumer` from `@vltava/core` is one. Written as an interface so
 * that anything with the consumer's contract (a wrapper, a test double) fits.
 */
export interface StreamConsumer<K = Buffer | null, V = Buffer | null> {
  /**
   * An iterator of record batches; the streams read in `manual` mode (records count as processed only when
   * acknowledged) and acknowledge what reached the committer.
   */
  batches(options: {
    readonly signal?: AbortSignal;
    readonly mode?: DeliveryMode;
    readonly maxRecords?: number;
  }): AsyncIterator<StreamRecordBatch<K, V>, undefined>;
  /** Marks a record (and the earlier records of its partition) processed. */
  acknowledge(record: Pick<ConsumerRecord<unknown, unknown>, 'topic' | 'partition' | 'offset' | 'leaderEpoch'>): void;
  /** The partitions assigned now (by the group or `assign()`); only their offsets are committed. */
  assignment(): TopicPartition[];
  /** Commits exactly these offsets. */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Commits the acknowledged offsets (with auto-commit), leaves the group and closes the connections. */
  close(): Promise<void>;
  /** Fetch-level pauses for layers that buffer records. */
  readonly backpressure: ConsumerBackpressure;
}
