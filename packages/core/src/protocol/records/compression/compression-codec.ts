import type { CompressionType } from './compression-type.js';

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
   * Decompresses `data`. Never produces more than `maxSize` bytes: input that would decompress to more is
   * rejected (a decompression bomb), as is malformed input.
   */
  decompress(data: Uint8Array, maxSize: number): Buffer;
}
