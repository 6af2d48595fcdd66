import type { CompressionType } from './compression-type.js';

/** Synchronous compression into a caller's buffer, producing the same bytes as `CompressionCodec.compress`. */
export interface CompressInto {
  /** The most bytes `compress` can write for `length` bytes of input. */
  bound(length: number): number;
  /** Compresses `data` into `out` from `offset` (with at least `bound(data.length)` bytes of room); returns the end. */
  compress(data: Uint8Array, out: Buffer, offset: number): number;
}

/**
 * One compression codec of Kafka record batches, as the batch builder and reader use it.
 *
 * Implementations throw `CorruptRecordError` (without an offset; the batch reader adds it) when input cannot be
 * decompressed, and when the output would grow past `maxSize`.
 */
export interface CompressionCodec {
  /** The codec's name, as in the Java client's `compression.type`. */
  readonly type: CompressionType;
  /**
   * Compresses `data` into the byte layout Kafka expects inside a record batch (gzip member, xerial-framed snappy,
   * LZ4 frame, zstd frame). Returns synchronously where the native call is faster than a round trip through the
   * thread pool for batch-sized input; callers `await` the result either way.
   */
  compress(data: Uint8Array): Buffer | Promise<Buffer>;
  /**
   * Present where the codec can write its output into a caller's buffer synchronously: the batch builder then
   * compresses every batch into one reused buffer instead of a new worst-case-sized one per batch.
   */
  readonly compressInto?: CompressInto;
  /**
   * Decompresses `data`. Never produces more than `maxSize` bytes: input that would decompress to more is
   * rejected (a decompression bomb), as is malformed input.
   */
  decompress(data: Uint8Array, maxSize: number): Buffer;
}
