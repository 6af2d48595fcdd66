import { RecordTooLargeError } from '../errors/client-errors.js';
import { isKafkaError } from '../errors/kafka-error.js';
import type { RecordBatchReaderOptions } from '../protocol/records/reader-options.js';
import type { DecodedRecord } from '../protocol/records/record.js';
import type { RecordBatch } from '../protocol/records/record-batch.js';
import { RecordBatchReader } from '../protocol/records/record-batch-reader.js';
import { type BufferedEntry, entry, errorEntry } from './buffered-entry.js';

/** An aborted transaction as a read_committed Fetch response lists it. */
export interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

/** What one partition of a fetch response turned into. */
export interface FetchedPartition {
  /** Entries in offset order, possibly ending with an error entry. */
  readonly entries: BufferedEntry[];
  /** Next offset to fetch: past every complete batch read (or the fetch offset when none was). */
  readonly nextFetchOffset: bigint;
  /** Leader epoch of the last complete batch read, or -1. */
  readonly lastEpoch: number;
  /** Total bytes counted. */
  readonly bytes: number;
  /** Total records counted. */
  readonly count: number;
}

/** Settings of {@link readFetchedPartition}. */
export interface FetchedPartitionOptions extends RecordBatchReaderOptions {
  readonly topic: string;
  readonly partition: number;
  /** Drop aborted transactional batches (read_committed). */
  readonly readCommitted: boolean;
}

/** Per-record overhead counted for decompressed records besides their key, value and header bytes. */
const RECORD_OVERHEAD_BYTES = 16;

/**
 * Reads the batches of one partition of a fetch response into buffer entries.
 *
 * - Batches wholly below `fetchOffset` are skipped; the first one that straddles it delivers only from it on.
 * - Control batches (transaction markers) never surface; with `readCommitted`, batches of aborted transactions are
 *   dropped, using the response's aborted-transaction list as the Java client does.
 * - A partial batch at the end (the broker cuts responses at the size limit) is left for the next fetch.
 * - A corrupt batch (bad CRC, undecodable) ends the entries with an error entry at its offset: records before it
 *   are delivered, then the error is raised. Nothing is skipped silently.
 */
export function readFetchedPartition(
  data: Buffer | null,
  fetchOffset: bigint,
  aborted: readonly AbortedTransaction[] | null,
  options: FetchedPartitionOptions,
): FetchedPartition {
  const entries: BufferedEntry[] = [];
  let nextFetchOffset = fetchOffset;
  let lastEpoch = -1;
  let bytes = 0;
  let count = 0;
  if (data === null || data.length === 0) return { entries, nextFetchOffset, lastEpoch, bytes, count };

  const abortedQueue =
    options.readCommitted && aborted !== null && aborted.length > 0
      ? [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0))
      : undefined;
  let abortedHead = 0;
  const abortedProducers = new Set<bigint>();

  const reader = new RecordBatchReader(data, options);
  let sawBatch = false;
  /** Extends the position of the last entry past a batch with nothing to deliver. */
  const skip = (batch: RecordBatch) => {
    const last = entries[entries.length - 1];
    if (last !== undefined && last.error === undefined) {
      last.nextOffset = batch.nextOffset;
      last.epoch = epochOf(batch);
    } else {
      entries.push(entry(undefined, undefined, fetchOffset, batch.nextOffset, epochOf(batch), 0, 0));
    }
  };
  try {
    for (const batch of reader) {
      sawBatch = true;
      const next = batch.nextOffset;
      if (next <= fetchOffset) continue; // entirely before the position: already consumed
      nextFetchOffset = next;
      lastEpoch = batch.partitionLeaderEpoch;
      if (abortedQueue !== undefined) {
        while (abortedHead < abortedQueue.length && abortedQueue[abortedHead]!.firstOffset <= batch.lastOffset) {
          abortedProducers.add(abortedQueue[abortedHead++]!.producerId);
        }
      }
      if (batch.isControl) {
        if (abortedQueue !== undefined && batch.controlType() === 'ABORT') abortedProducers.delete(batch.producerId);
        skip(batch);
        continue;
      }
      if (abortedQueue !== undefined && batch.isTransactional && abortedProducers.has(batch.producerId)) {
        skip(batch);
        continue;
      }
      if (batch.compression === 'none') {
        entries.push(entry(batch, undefined, fetchOffset, next, epochOf(batch), batch.sizeInBytes, batch.recordCount));
        bytes += batch.sizeInBytes;
        count += batch.recordCount;
      } else {
        const records = batch.records();
        let size = 0;
        for (let i = 0; i < records.length; i++) size += decodedSize(records[i]!);
        entries.push(entry(undefined, records, fetchOffset, next, epochOf(batch), size, records.length));
        bytes += size;
        count += records.length;
      }
    }
  } catch (error) {
    if (!isKafkaError(error)) throw error;
    entries.push(errorEntry(error, fetchOffset));
    return { entries, nextFetchOffset, lastEpoch, bytes, count };
  }
  if (!sawBatch && reader.remainingBytes > 0) {
    // Not even one complete batch: the first batch is larger than the fetch limits allowed. Brokers since KIP-74
    // always return the first batch whole, so this only happens with very old brokers.
    entries.push(
      errorEntry(
        new RecordTooLargeError(
          `The batch at offset ${fetchOffset} is larger than the fetch size (${data.length} bytes returned); ` +
            'raise maxPartitionFetchBytes and fetchMaxBytes',
          { topic: options.topic, partition: options.partition },
        ),
        fetchOffset,
      ),
    );
  }
  return { entries, nextFetchOffset, lastEpoch, bytes, count };
}

function epochOf(batch: RecordBatch): number | undefined {
  return batch.partitionLeaderEpoch < 0 ? undefined : batch.partitionLeaderEpoch;
}

/** Bytes a decoded record holds: key, value and headers, plus a fixed overhead. */
export function decodedSize(record: DecodedRecord): number {
  let size = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  const headers = record.headers;
  for (let h = 0; h < headers.length; h++) size += headers[h]!.key.length + (headers[h]!.value?.length ?? 0);
  return size;
}
