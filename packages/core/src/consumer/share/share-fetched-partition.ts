import { isKafkaError, type KafkaError } from '../../errors/kafka-error.js';
import type { RecordBatchReaderOptions } from '../../protocol/records/reader-options.js';
import type { DecodedRecord } from '../../protocol/records/record.js';
import { RecordBatchReader } from '../../protocol/records/record-batch-reader.js';
import { decodedSize } from '../fetched-partition.js';

/** An acquired range of a ShareFetch response (inclusive), with its delivery count. */
export interface AcquiredRecordsRange {
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
  readonly deliveryCount: number;
}

/** What one partition of a ShareFetch response holds for this consumer. */
export interface ShareFetchedPartition {
  /** The acquired records, in offset order. */
  readonly records: DecodedRecord[];
  /** The delivery count of each record (parallel to `records`). */
  readonly deliveryCounts: number[];
  /**
   * Acquired offsets with no record to hand out: transaction markers, records removed by compaction, batches the
   * response left out. They are acknowledged as gaps at once.
   */
  readonly gaps: bigint[];
  /** Acquired offsets after a batch that could not be read: released, so that they are tried again. */
  readonly unreadable: bigint[];
  /** The error of a batch that could not be read (corrupt, bad CRC), raised after the records before it. */
  readonly error: KafkaError | undefined;
  /** Bytes of the records (after decompression), counted against the prefetch bound. */
  readonly bytes: number;
}

/**
 * Matches the record batches of one ShareFetch partition against the offsets the broker acquired for this
 * consumer (`acquiredRecords`), as the Java client's `ShareCompletedFetch` does:
 *
 * - a record whose offset is acquired is handed out, with its range's delivery count;
 * - a record whose offset is not acquired (another member holds it, or it was not offered) is skipped;
 * - an acquired offset with no data record (a control batch, a compacted offset) is a gap;
 * - a batch that cannot be read ends the partition: the acquired offsets from there on are released for another
 *   attempt (the broker archives a record past `share.delivery.count.limit`), and the error is raised in line.
 */
export function readShareFetchedPartition(
  data: Buffer | null,
  acquired: readonly AcquiredRecordsRange[],
  options: RecordBatchReaderOptions,
): ShareFetchedPartition {
  const records: DecodedRecord[] = [];
  const deliveryCounts: number[] = [];
  const gaps: bigint[] = [];
  const unreadable: bigint[] = [];
  let error: KafkaError | undefined;
  let bytes = 0;
  if (acquired.length === 0) return { records, deliveryCounts, gaps, unreadable, error, bytes };
  let rangeIndex = 0;
  let next = acquired[0]!.firstOffset;
  /** Marks acquired offsets below `offset` that were not matched as gaps; leaves `next` at `offset` or beyond. */
  const gapsBelow = (offset: bigint) => {
    while (rangeIndex < acquired.length) {
      const range = acquired[rangeIndex]!;
      if (next < range.firstOffset) next = range.firstOffset;
      while (next <= range.lastOffset && next < offset) gaps.push(next++);
      if (next <= range.lastOffset) return;
      rangeIndex++;
    }
  };
  const inAcquired = (offset: bigint): number => {
    // Ranges are sorted: move to the range that may hold `offset`.
    while (rangeIndex < acquired.length && acquired[rangeIndex]!.lastOffset < offset) rangeIndex++;
    const range = acquired[rangeIndex];
    return range !== undefined && offset >= range.firstOffset ? range.deliveryCount : -1;
  };
  if (data !== null && data.length > 0) {
    try {
      for (const batch of new RecordBatchReader(data, options)) {
        if (batch.isControl) continue; // its offsets become gaps
        for (const record of batch.records()) {
          const offset = record.offset;
          gapsBelow(offset);
          const deliveryCount = inAcquired(offset);
          if (deliveryCount < 0) continue;
          records.push(record);
          deliveryCounts.push(deliveryCount);
          bytes += decodedSize(record);
          next = offset + 1n;
        }
      }
    } catch (caught) {
      if (!isKafkaError(caught)) throw caught;
      error = caught;
      // Everything acquired from here on is released for another attempt.
      while (rangeIndex < acquired.length) {
        const range = acquired[rangeIndex]!;
        if (next < range.firstOffset) next = range.firstOffset;
        while (next <= range.lastOffset) unreadable.push(next++);
        rangeIndex++;
      }
      return { records, deliveryCounts, gaps, unreadable, error, bytes };
    }
  }
  gapsBelow(acquired[acquired.length - 1]!.lastOffset + 1n);
  return { records, deliveryCounts, gaps, unreadable, error, bytes };
}
