/**
 * A zstd implementation the zstd codec can run on: Node's own (`node:zlib`, Node 22.15+) or the `zstd-napi`
 * package. Both are synchronous: zstd at level 3 compresses a 1 MiB batch in about 1 ms here, less than a round
 * trip through the thread pool would save.
 */
export interface ZstdBackend {
  /** Where the implementation comes from. */
  readonly name: 'node:zlib' | 'zstd-napi';
  /** Compresses `data` into one zstd frame at `level`. */
  compress(data: Uint8Array, level: number): Buffer;
  /** Where the implementation can write into a caller's buffer: the most bytes a frame of `length` bytes takes. */
  compressBound?(length: number): number;
  /** Compresses `data` at `level` into `out` from `offset` (room: `compressBound`); returns the end. */
  compressInto?(data: Uint8Array, level: number, out: Buffer, offset: number): number;
  /**
   * Decompresses one or more concatenated zstd frames, producing at most `maxSize` bytes. Throws
   * `CorruptRecordError` on malformed input and when the output would exceed `maxSize`.
   */
  decompress(data: Uint8Array, maxSize: number): Buffer;
}
