import type { RecordHeader, TimestampType } from '../protocol/records/record.js';
import type { TopicPartition } from '../vocabulary/topic-partition.js';

/**
 * A record as the consumer delivers it. Java: `ConsumerRecord<K, V>`.
 *
 * `key` and `value` are what the configured deserializers made of the bytes (by default the bytes themselves: a
 * view into the fetched data, not a copy; copy with `Buffer.from(value)` to keep a value long after the record).
 */
export interface ConsumerRecord<K = Buffer | null, V = Buffer | null> {
  /** Topic the record was read from. */
  readonly topic: string;
  /** Partition the record was read from. */
  readonly partition: number;
  /** The record's offset: exact 64-bit. Commit `offset + 1n` to mark the record processed. */
  readonly offset: bigint;
  /** Milliseconds since the epoch; -1 for legacy messages without a timestamp. */
  readonly timestamp: number;
  /** How `timestamp` was set: by the producer (`CreateTime`) or the broker (`LogAppendTime`). */
  readonly timestampType: TimestampType;
  /** The deserialized key. */
  readonly key: K;
  /** The deserialized value. */
  readonly value: V;
  /** Headers in the order they were written; keys may repeat. */
  readonly headers: readonly RecordHeader[];
  /** Leader epoch of the partition when the record was written (KIP-320), or `undefined` when unknown. */
  readonly leaderEpoch: number | undefined;
  /** Size of the key in bytes before deserialization, or -1 for a null key. */
  readonly serializedKeySize: number;
  /** Size of the value in bytes before deserialization, or -1 for a null value. */
  readonly serializedValueSize: number;
}

/** The records of one partition in a {@link ConsumerRecords} batch, in offset order. */
export interface PartitionRecords<K, V> extends TopicPartition {
  /** The records, in offset order. */
  readonly records: readonly ConsumerRecord<K, V>[];
}

/**
 * What `poll()` returns: records grouped by partition (in offset order within each partition). Iterable over all
 * records. Java: `ConsumerRecords<K, V>`.
 */
export class ConsumerRecords<K = Buffer | null, V = Buffer | null> implements Iterable<ConsumerRecord<K, V>> {
  /** An empty result, shared. */
  static empty<K, V>(): ConsumerRecords<K, V> {
    return EMPTY as ConsumerRecords<K, V>;
  }

  /** The records of each partition that has any, one entry per partition. */
  readonly partitions: readonly PartitionRecords<K, V>[];
  /** Total number of records. */
  readonly count: number;

  /** Records grouped by partition, as the consumer delivers them. */
  constructor(partitions: readonly PartitionRecords<K, V>[]) {
    this.partitions = partitions;
    let count = 0;
    for (const p of partitions) count += p.records.length;
    this.count = count;
  }

  /** True when there are no records. */
  get isEmpty(): boolean {
    return this.count === 0;
  }

  /** The records of one partition (empty when it has none in this batch). */
  records(topic: string, partition: number): readonly ConsumerRecord<K, V>[] {
    for (const p of this.partitions) if (p.topic === topic && p.partition === partition) return p.records;
    return [];
  }

  *[Symbol.iterator](): Iterator<ConsumerRecord<K, V>> {
    for (const p of this.partitions) yield* p.records;
  }
}

const EMPTY = new ConsumerRecords<unknown, unknown>([]);

/**
 * Callbacks for rebalances. Each may be async; the consumer awaits it before the rebalance proceeds, so
 * `onPartitionsRevoked` can commit or flush state before another member takes the partitions over. Java:
 * `ConsumerRebalanceListener`.
 *
 * Under the eager classic protocol every partition is revoked before a rebalance and the new assignment is handed
 * to `onPartitionsAssigned`; under cooperative rebalancing (`cooperative-sticky`) and the KIP-848 consumer
 * protocol only the partitions that move are revoked, and `onPartitionsAssigned` receives only the added ones
 * (possibly none: it is still called after every rebalance, as in Java).
 */
export interface ConsumerRebalanceListener {
  /**
   * Partitions were taken away in an orderly rebalance. The consumer has committed the processed offsets of these
   * partitions (with `enableAutoCommit`) before this call; commit here yourself otherwise.
   */
  onPartitionsRevoked?(partitions: TopicPartition[]): void | Promise<void>;
  /** Partitions were added to the assignment. Seek here to start somewhere other than the committed offset. */
  onPartitionsAssigned?(partitions: TopicPartition[]): void | Promise<void>;
  /**
   * Partitions were lost without an orderly rebalance (the session expired, the member was fenced): another member
   * may own them already, so committing is not possible. Default: calls `onPartitionsRevoked`, as Java does.
   */
  onPartitionsLost?(partitions: TopicPartition[]): void | Promise<void>;
}
