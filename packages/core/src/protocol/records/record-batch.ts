import type { CompressionType } from './compression/compression-type.js';
import type { ControlRecordType, DecodedRecord, TimestampType } from './record.js';

/**
 * One batch of a fetched partition, as `RecordBatchReader` yields it: the header is decoded (and the CRC checked)
 * up front; records are decompressed and decoded only when {@link RecordBatch.records} is called, so the fetcher
 * can skip aborted or already-consumed batches for the price of their header.
 *
 * Legacy message sets (magic 0 and 1) are yielded as batches too: one per uncompressed message, one per
 * compressed wrapper message. Their producer fields read -1 and their flags false.
 */
export interface RecordBatch {
  /** 2 for record batches; 0 or 1 for legacy messages. */
  readonly magic: number;
  /** Offset of the first record. (For a compressed legacy wrapper this decompresses it on first access.) */
  readonly baseOffset: bigint;
  /** Offset of the last record the batch was written with (it may have been compacted away since). */
  readonly lastOffset: bigint;
  /** `lastOffset + 1`: where the next fetch of this partition starts once this batch is consumed. */
  readonly nextOffset: bigint;
  /** Bytes the batch takes in the fetch response, headers included. */
  readonly sizeInBytes: number;
  /** Leader epoch stamped by the broker, or -1 (always -1 for legacy messages). */
  readonly partitionLeaderEpoch: number;
  /** Compression codec of the records. */
  readonly compression: CompressionType;
  /** How the records' timestamps were set. */
  readonly timestampType: TimestampType;
  /** True when the batch belongs to a transaction (read_committed consumers filter aborted ones). */
  readonly isTransactional: boolean;
  /** True for control batches (transaction markers); their records are not user data. */
  readonly isControl: boolean;
  /** The delete horizon the log cleaner set on the batch (KIP-534), or `undefined`. */
  readonly deleteHorizonMs: number | undefined;
  /** Timestamp of the first record, or -1 (legacy). */
  readonly baseTimestamp: number;
  /** Largest timestamp in the batch, or -1 (magic 0). */
  readonly maxTimestamp: number;
  /** Producer id (-1 without idempotence). */
  readonly producerId: bigint;
  /** Producer epoch (-1 without idempotence). */
  readonly producerEpoch: number;
  /** Sequence number of the first record (-1 without idempotence). */
  readonly baseSequence: number;
  /** Number of records the batch header declares (legacy: 1 for an uncompressed message; wrappers decompress). */
  readonly recordCount: number;
  /** The CRC stored in the batch (CRC-32C for magic 2, CRC-32 of the outer message for legacy). */
  readonly crc: number;
  /**
   * Decompresses (if needed) and decodes the records into a new array. Each call decodes again.
   *
   * @throws CorruptRecordError when the records do not decode, or decompress past the size limit.
   * @throws CodecUnavailableError when the batch's codec is unavailable (zstd without support).
   */
  records(): DecodedRecord[];
  /**
   * The type of a control batch's marker (`COMMIT` or `ABORT` for transactions), or `undefined` for data batches.
   *
   * @throws CorruptRecordError when a control record key is malformed.
   */
  controlType(): ControlRecordType | undefined;
}
