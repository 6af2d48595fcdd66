import type { ConsumerProcessPayload, ConsumerRecord } from '@vltava/core';
import { endProcess } from '@vltava/core/internal';
import type { PartitionAcks } from './partition-acks.js';

/**
 * A record as `fromConsumer` and `fromPartitions` emit it: the core's `ConsumerRecord`, unchanged, with the handle
 * that acknowledges it.
 *
 * Acknowledging says "this record is processed": it releases its place under the source's high-water mark, and
 * once every earlier record of its partition is acknowledged too, its offset may be committed (by
 * `commitOffsets`, before its partition is revoked, and when the source is unsubscribed). Acknowledge every record,
 * including those a `filter` drops: an unacknowledged record holds back its partition's commits and keeps its place
 * under the high-water mark.
 *
 * ```ts
 * fromConsumer(consumer, { topics: ['orders'] }).pipe(
 *   concatMap(async (message) => {
 *     await store(message.record.value);
 *     message.ack();
 *   }),
 * );
 * ```
 *
 * @typeParam K Type of record keys after the consumer's `keyDeserializer`.
 * @typeParam V Type of record values after the consumer's `valueDeserializer`.
 * @see fromConsumer
 * @see commitOffsets
 */
export class KafkaMessage<K = Buffer | null, V = Buffer | null> {
  /** The record, exactly as the consumer delivered it. */
  readonly record: ConsumerRecord<K, V>;
  /** @internal The acknowledgement state of the record's partition (for this assignment of it). */
  readonly partitionAcks: PartitionAcks;
  /** @internal Bytes the record counts for under `highWaterMarkBytes`. */
  readonly bytes: number;
  private acked = false;
  /** @internal The record's `vltava:consumer:process` trace, open from its emission to its acknowledgement. */
  processing: ConsumerProcessPayload | undefined;

  /** @internal Made by the source; applications receive messages, they do not build them. */
  constructor(record: ConsumerRecord<K, V>, partitionAcks: PartitionAcks, bytes: number) {
    this.record = record;
    this.partitionAcks = partitionAcks;
    this.bytes = bytes;
  }

  /**
   * Marks the record processed. Idempotent. Acknowledgements may come in any order: offsets are committed only up
   * to the first record of the partition that is not acknowledged. A record of a partition that was revoked (or
   * lost) since it was emitted belongs to an old assignment: acknowledging it changes nothing.
   */
  ack(): void {
    if (this.acked) return;
    this.acked = true;
    if (this.processing !== undefined) {
      endProcess(this.processing);
      this.processing = undefined;
    }
    this.partitionAcks.acknowledge(this);
  }

  /** True once {@link ack} was called. */
  get acknowledged(): boolean {
    return this.acked;
  }

  /** Topic of the record. */
  get topic(): string {
    return this.record.topic;
  }

  /** Partition of the record. */
  get partition(): number {
    return this.record.partition;
  }

  /** Offset of the record. */
  get offset(): bigint {
    return this.record.offset;
  }
}
