import type { TopicPartition } from '../../vocabulary/topic-partition.js';
import type { ConsumerRecord } from '../consumer-record.js';

/**
 * A record as a share consumer delivers it: a {@link ConsumerRecord} that this consumer holds under an acquisition
 * lock until it acknowledges it (or the lock expires), with the number of times it was delivered. Java:
 * `ConsumerRecord.deliveryCount()`.
 */
export interface ShareConsumerRecord<K = Buffer | null, V = Buffer | null> extends ConsumerRecord<K, V> {
  /**
   * How many times the record has been acquired by a member of the share group, this delivery included: 1 the
   * first time, more after a release, an expired lock or a member failure. The broker archives a record once it
   * reaches `share.delivery.count.limit` (group config; default 5).
   */
  readonly deliveryCount: number;
}

/** The records of one partition in a {@link ShareConsumerRecords} batch, in offset order. */
export interface SharePartitionRecords<K, V> extends TopicPartition {
  /** The partition's records, in offset order. */
  readonly records: readonly ShareConsumerRecord<K, V>[];
}

/** What {@link ShareConsumer.poll} returns: records grouped by partition. Java: `ConsumerRecords<K, V>`. */
export class ShareConsumerRecords<K = Buffer | null, V = Buffer | null> implements Iterable<ShareConsumerRecord<K, V>> {
  /** The records of each partition that has any. */
  readonly partitions: readonly SharePartitionRecords<K, V>[];
  /** Total number of records. */
  readonly count: number;

  /** Records grouped by partition, as the share consumer delivers them. */
  constructor(partitions: readonly SharePartitionRecords<K, V>[]) {
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
  records(topic: string, partition: number): readonly ShareConsumerRecord<K, V>[] {
    for (const p of this.partitions) if (p.topic === topic && p.partition === partition) return p.records;
    return [];
  }

  *[Symbol.iterator](): Iterator<ShareConsumerRecord<K, V>> {
    for (const p of this.partitions) yield* p.records;
  }
}
