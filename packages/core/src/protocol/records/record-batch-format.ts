/**
 * Byte layout of a record batch v2 (magic 2), as in the Kafka protocol guide and KIP-98. Positions are from the
 * start of the batch. The CRC-32C covers everything from `ATTRIBUTES` to the end of the batch.
 */

/** int64 baseOffset. */
export const BASE_OFFSET = 0;
/** int32 batchLength: bytes after this field (the whole batch minus {@link LOG_OVERHEAD}). */
export const BATCH_LENGTH = 8;
/** int32 partitionLeaderEpoch (not covered by the CRC: the broker sets it). */
export const PARTITION_LEADER_EPOCH = 12;
/** int8 magic. */
export const MAGIC = 16;
/** uint32 CRC-32C of `[ATTRIBUTES, end)`. */
export const CRC = 17;
/** int16 attributes. */
export const ATTRIBUTES = 21;
/** int32 lastOffsetDelta. */
export const LAST_OFFSET_DELTA = 23;
/** int64 baseTimestamp (the delete horizon when {@link DELETE_HORIZON_FLAG} is set). */
export const BASE_TIMESTAMP = 27;
/** int64 maxTimestamp. */
export const MAX_TIMESTAMP = 35;
/** int64 producerId. */
export const PRODUCER_ID = 43;
/** int16 producerEpoch. */
export const PRODUCER_EPOCH = 51;
/** int32 baseSequence. */
export const BASE_SEQUENCE = 53;
/** int32 number of records. */
export const RECORDS_COUNT = 57;
/** Where the records (or the compressed records) start: the size of the batch header. */
export const RECORD_BATCH_OVERHEAD = 61;
/** The baseOffset and batchLength fields that precede every batch and legacy message: 12 bytes. */
export const LOG_OVERHEAD = 12;
/** Bytes needed to read up to and including the magic byte of a batch or legacy message. */
export const HEADER_SIZE_UP_TO_MAGIC = 17;

/** Magic byte of record batches v2. */
export const MAGIC_V2 = 2;

/** Attribute bits 0-2: compression codec id. */
export const COMPRESSION_MASK = 0x07;
/** Attribute bit 3: timestamps are LogAppendTime. */
export const TIMESTAMP_TYPE_FLAG = 0x08;
/** Attribute bit 4: the batch belongs to a transaction. */
export const TRANSACTIONAL_FLAG = 0x10;
/** Attribute bit 5: the batch holds control records. */
export const CONTROL_FLAG = 0x20;
/** Attribute bit 6: `baseTimestamp` holds the delete horizon set by the log cleaner (KIP-534). */
export const DELETE_HORIZON_FLAG = 0x40;

/** producerId of a batch written without idempotence. */
export const NO_PRODUCER_ID = -1n;
/** producerEpoch of a batch written without idempotence. */
export const NO_PRODUCER_EPOCH = -1;
/** baseSequence of a batch written without idempotence. */
export const NO_SEQUENCE = -1;
/** partitionLeaderEpoch when unknown. */
export const NO_PARTITION_LEADER_EPOCH = -1;
