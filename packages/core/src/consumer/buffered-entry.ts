import type { KafkaError } from '../errors/kafka-error.js';
import type { DecodedRecord } from '../protocol/records/record.js';
import type { RecordBatch } from '../protocol/records/record-batch.js';

/**
 * One run of records waiting in the prefetch buffer: a batch, decoded lazily (uncompressed batches) or at arrival
 * (compressed ones, so that their decompressed size can be counted), or only a position to move to (batches with
 * nothing to deliver), or an error to raise when the application reaches it.
 */
export interface BufferedEntry {
  /** The batch, when its records are not decoded yet. */
  batch: RecordBatch | undefined;
  /** Decoded records, once decoded. */
  records: DecodedRecord[] | undefined;
  /** Next record to deliver in `records`. */
  index: number;
  /** Records below this offset are not delivered (the first batch of a fetch may start before the fetch offset). */
  readonly skipBelow: bigint;
  /** Where the position moves once this entry is delivered: the batch's next offset (past skipped batches too). */
  nextOffset: bigint;
  /** Leader epoch of the last batch of the entry, or undefined. */
  epoch: number | undefined;
  /** Bytes counted against the buffer bounds (after decompression). */
  readonly bytes: number;
  /** Records counted against the buffer bounds. */
  readonly count: number;
  /** Error to raise when this entry is reached. */
  error: KafkaError | undefined;
}

/** An entry that raises `error` when the application reaches it. */
export function errorEntry(error: KafkaError, offset: bigint): BufferedEntry {
  return entry(undefined, undefined, offset, offset, undefined, 0, 0, error);
}

/** Builds a buffer entry. */
export function entry(
  batch: RecordBatch | undefined,
  records: DecodedRecord[] | undefined,
  skipBelow: bigint,
  nextOffset: bigint,
  epoch: number | undefined,
  bytes: number,
  count: number,
  error?: KafkaError,
): BufferedEntry {
  return { batch, records, index: 0, skipBelow, nextOffset, epoch, bytes, count, error };
}
