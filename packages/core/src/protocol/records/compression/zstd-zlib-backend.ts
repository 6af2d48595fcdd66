import * as zlib from 'node:zlib';
import { CorruptRecordError } from '../../../errors/client-errors.js';
import { decompressionFailed, decompressionLimitError } from './decompression-limit-error.js';
import type { ZstdBackend } from './zstd-backend.js';

interface ZlibWithZstd {
  zstdCompressSync(data: Uint8Array, options: { params: Record<number, number> }): Buffer;
  zstdDecompressSync(data: Uint8Array, options: { maxOutputLength: number }): Buffer;
  constants: { ZSTD_c_compressionLevel: number };
}

/** The zstd backend built into Node.js 22.15+ (`zlib.zstdCompressSync`), or `undefined` on older versions. */
export function zlibZstdBackend(): ZstdBackend | undefined {
  const z = zlib as unknown as Partial<ZlibWithZstd>;
  if (typeof z.zstdCompressSync !== 'function' || typeof z.zstdDecompressSync !== 'function') return undefined;
  const impl = z as ZlibWithZstd;
  const levelParam = impl.constants.ZSTD_c_compressionLevel;
  return {
    name: 'node:zlib',
    compress: (data, level) => impl.zstdCompressSync(data, { params: { [levelParam]: level } }),
    decompress(data, maxSize) {
      try {
        const out = impl.zstdDecompressSync(data, { maxOutputLength: Math.max(1, maxSize) });
        if (out.length > maxSize) throw decompressionLimitError('zstd', maxSize);
        return out;
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
          throw decompressionLimitError('zstd', maxSize);
        if (error instanceof CorruptRecordError) throw error;
        throw decompressionFailed('zstd', error);
      }
    },
  };
}
