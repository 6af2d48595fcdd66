import * as zlib from 'node:zlib';
import { CorruptRecordError } from '../../../errors/client-errors.js';
import { decompressionFailed, decompressionLimitError } from './decompression-limit-error.js';
import type { ZstdBackend } from './zstd-backend.js';
import { zstdFrameEnds } from './zstd-frames.js';

interface ZlibWithZstd {
  zstdCompressSync(data: Uint8Array, options: { params: Record<number, number> }): Buffer;
  zstdDecompressSync(data: Uint8Array, options: { maxOutputLength: number }): Buffer;
  constants: { ZSTD_c_compressionLevel: number };
}

/**
 * The zstd backend built into Node.js 22.15+ (`zlib.zstdCompressSync`), or `undefined` on older versions.
 *
 * `zlib.zstdDecompressSync` decodes only the first frame and returns partial output for truncated input without
 * an error, so this backend splits the input into whole frames first ({@link zstdFrameEnds}) and decodes them one
 * by one. It is the fallback: `zstd-napi`, when installed, is 2-3x faster here (`bench/records/codecs.ts`).
 */
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
        const frames = zstdFrameEnds(data);
        const parts: Buffer[] = [];
        let total = 0;
        for (const { start, end } of frames) {
          const room = maxSize - total;
          const out = impl.zstdDecompressSync(data.subarray(start, end), { maxOutputLength: Math.max(1, room) });
          if (out.length > room) throw decompressionLimitError('zstd', maxSize);
          parts.push(out);
          total += out.length;
        }
        return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
          throw decompressionLimitError('zstd', maxSize);
        if (error instanceof CorruptRecordError) throw error;
        throw decompressionFailed('zstd', error);
      }
    },
  };
}
