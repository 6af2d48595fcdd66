/**
 * Kafka record formats: record batches v2 (encode and decode), legacy message sets (decode), CRC-32C and CRC-32,
 * and the compression codecs. Self-contained: the hot path needs nothing from the generic protocol primitives.
 *
 * @module
 */
export { CodecUnavailableError } from './compression/codec-unavailable-error.js';
export type { CompressionCodec } from './compression/compression-codec.js';
export {
  getCompressionCodec,
  loadCompressionCodecs,
  zstdBackendName,
} from './compression/compression-codecs.js';
export {
  COMPRESSION_TYPES,
  type CompressionType,
  compressionTypeFromId,
  compressionTypeId,
  isCompressionType,
} from './compression/compression-type.js';
export { controlRecordKey, parseControlRecordKey } from './control-record.js';
export { crc32 } from './crc32.js';
export { crc32c, crc32cUpdate, hasNativeCrc32c } from './crc32c.js';
export { loadNativeCrc32c } from './crc32c-native.js';
export {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  MIN_MAX_DECOMPRESSED_BYTES,
  maxDecompressedBytesFor,
} from './decompression-limit.js';
export { loadRecordCodecs } from './load-record-codecs.js';
export type { RecordBatchReaderOptions } from './reader-options.js';
export type {
  ControlRecordType,
  DecodedRecord,
  RecordHeader,
  RecordHeaderInput,
  TimestampType,
} from './record.js';
export { NO_HEADERS } from './record.js';
export type { RecordBatch } from './record-batch.js';
export {
  type BatchProducerFields,
  RecordBatchBuilder,
  type RecordBatchBuilderOptions,
  rewriteProducerState,
} from './record-batch-builder.js';
export {
  LOG_OVERHEAD,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  RECORD_BATCH_OVERHEAD,
} from './record-batch-format.js';
export { RecordBatchReader, readRecordBatches } from './record-batch-reader.js';
export {
  estimateBatchSizeUpperBound,
  estimateRecordSizeUpperBound,
  recordSizeInBytes,
} from './record-size.js';
