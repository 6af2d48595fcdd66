import { corruptBatch } from './corrupt-batch.js';
import { DefaultRecordBatch } from './default-record-batch.js';
import { LegacyRecordBatch, MIN_LEGACY_MESSAGE_SIZE } from './legacy-record-batch.js';
import { type RecordBatchReaderOptions, type ResolvedReaderOptions, resolveReaderOptions } from './reader-options.js';
import type { RecordBatch } from './record-batch.js';
import { BATCH_LENGTH, HEADER_SIZE_UP_TO_MAGIC, LOG_OVERHEAD, MAGIC, MAGIC_V2 } from './record-batch-format.js';

/**
 * Iterates the batches in the `records` bytes of one partition of a Fetch response: record batches v2 and legacy
 * messages (magic 0 and 1), in any mix.
 *
 * A batch the broker cut off at the end of the response (it sends whole batches up to the size limit, then part
 * of the next) is not an error: iteration stops before it and {@link RecordBatchReader.remainingBytes} tells how
 * many bytes were left. Everything else that does not decode, inside a complete batch, throws
 * `CorruptRecordError` with the batch's base offset.
 *
 * ```ts
 * for (const batch of new RecordBatchReader(partition.records, { topic, partition: id })) {
 *   if (batch.isControl) continue;
 *   for (const record of batch.records()) handle(record);
 * }
 * ```
 */
export class RecordBatchReader implements IterableIterator<RecordBatch> {
  private readonly data: Buffer;
  private readonly options: ResolvedReaderOptions;
  private pos = 0;
  private done = false;

  constructor(data: Buffer, options?: RecordBatchReaderOptions) {
    this.data = data;
    this.options = resolveReaderOptions(options);
  }

  /** Bytes from the current position to the end: after iteration, the size of a trailing partial batch. */
  get remainingBytes(): number {
    return this.data.length - this.pos;
  }

  /** Reads the next complete batch, or ends the iteration at the end of the data or before a partial batch. */
  next(): IteratorResult<RecordBatch, undefined> {
    const batch = this.done ? undefined : this.read();
    if (batch === undefined) {
      this.done = true;
      return { done: true, value: undefined };
    }
    return { done: false, value: batch };
  }

  [Symbol.iterator](): this {
    return this;
  }

  private read(): RecordBatch | undefined {
    const data = this.data;
    const start = this.pos;
    const remaining = data.length - start;
    if (remaining < HEADER_SIZE_UP_TO_MAGIC) return undefined;
    const size = data.readInt32BE(start + BATCH_LENGTH);
    if (size < MIN_LEGACY_MESSAGE_SIZE) {
      throw corruptBatch(
        data.readBigInt64BE(start),
        this.options.context,
        `size ${size} is smaller than the smallest message (${MIN_LEGACY_MESSAGE_SIZE})`,
      );
    }
    if (remaining - LOG_OVERHEAD < size) return undefined;
    const end = start + LOG_OVERHEAD + size;
    const magic = data.readInt8(start + MAGIC);
    let batch: RecordBatch;
    if (magic === MAGIC_V2) batch = new DefaultRecordBatch(data, start, end, this.options);
    else if (magic === 0 || magic === 1) batch = new LegacyRecordBatch(data, start, end, this.options);
    else throw corruptBatch(data.readBigInt64BE(start), this.options.context, `unknown magic byte ${magic}`);
    this.pos = end;
    return batch;
  }
}

/** Reads every complete batch of `data` into an array; see {@link RecordBatchReader}. */
export function readRecordBatches(data: Buffer, options?: RecordBatchReaderOptions): RecordBatch[] {
  return Array.from(new RecordBatchReader(data, options));
}
