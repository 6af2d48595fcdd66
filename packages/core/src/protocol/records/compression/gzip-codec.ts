import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { CorruptRecordError } from '../../../errors/client-errors.js';
import type { CompressionCodec } from './compression-codec.js';
import { decompressionFailed, decompressionLimitError } from './decompression-limit-error.js';

const gzipAsync = promisify(zlib.gzip);

/**
 * Input at or above this size is compressed on the libuv thread pool instead of the event loop. Measured by
 * `bench/records/codecs.ts`: below it `gzipSync` is faster than the async call (16 KiB: about 2.5x); above it the
 * throughput is the same for one stream, the event loop stays free (1 MiB takes about 5 ms) and two batches
 * compress on two cores at once.
 */
export const GZIP_ASYNC_THRESHOLD = 256 * 1024;

/**
 * Creates the gzip codec (`compression.type=gzip`): a single gzip member, as the Java client writes it.
 * Decompression is always synchronous: `gunzipSync` is 3-8x faster than the async call for batch-sized input.
 *
 * @param level zlib level 1-9, or -1 for zlib's default (6). Java: `compression.gzip.level`, default -1.
 */
export function createGzipCodec(level = -1): CompressionCodec {
  const options: zlib.ZlibOptions = { level };
  return {
    type: 'gzip',
    compress(data) {
      return data.byteLength >= GZIP_ASYNC_THRESHOLD ? gzipAsync(data, options) : zlib.gzipSync(data, options);
    },
    decompress(data, maxSize) {
      try {
        const out = zlib.gunzipSync(data, { maxOutputLength: Math.max(1, maxSize) });
        if (out.length > maxSize) throw decompressionLimitError('gzip', maxSize);
        return out;
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
          throw decompressionLimitError('gzip', maxSize);
        if (error instanceof CorruptRecordError) throw error;
        throw decompressionFailed('gzip', error);
      }
    },
  };
}
