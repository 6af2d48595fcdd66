import type { CompressionCodec } from './compression-codec.js';
import { COMPRESSION_WORKER_MIN_BYTES, type CompressionWorkers } from './compression-workers.js';

/**
 * The zstd `codec` with its compression moved to `workers` for input of {@link COMPRESSION_WORKER_MIN_BYTES} and
 * more. Smaller input, and any input a worker fails on (a worker that died, a pool that broke), is compressed by
 * `codec` itself on the event loop, so a batch never fails for the workers' sake. Decompression stays on the event
 * loop.
 *
 * Only zstd goes to the workers: LZ4 compresses so fast that the copies and messages of a round trip cost the
 * client as much CPU as they spare the event loop (200,000 x 1 KiB, 200 KB batches: 0.53 CPU s and 393,000
 * records/s on the event loop, 0.68 CPU s and 376,000 records/s with two workers).
 *
 * @param level the level the workers compress at, the same as `codec`'s.
 */
export function zstdWorkerCodec(codec: CompressionCodec, workers: CompressionWorkers, level: number): CompressionCodec {
  return {
    type: 'zstd',
    compress(data) {
      if (data.byteLength < COMPRESSION_WORKER_MIN_BYTES || !workers.available) return codec.compress(data);
      return workers.compress(level, data).catch(() => codec.compress(data));
    },
    decompress: (data, maxSize) => codec.decompress(data, maxSize),
  };
}
