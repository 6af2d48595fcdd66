import type { CompressionCodec } from './compression-codec.js';
import type { ZstdBackend } from './zstd-backend.js';

/** zstd level the Java client uses by default (`compression.zstd.level`). */
export const DEFAULT_ZSTD_LEVEL = 3;

/**
 * Creates the zstd codec (`compression.type=zstd`) on `backend`.
 *
 * @param level zstd level. Java: `compression.zstd.level`, default 3.
 */
export function createZstdCodec(backend: ZstdBackend, level = DEFAULT_ZSTD_LEVEL): CompressionCodec {
  return {
    type: 'zstd',
    compress: (data) => backend.compress(data, level),
    decompress: (data, maxSize) => backend.decompress(data, maxSize),
  };
}
