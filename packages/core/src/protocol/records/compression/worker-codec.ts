import type { CompressionCodec } from './compression-codec.js';
import type { WorkerCodecType } from './compression-worker-main.js';
import { COMPRESSION_WORKER_MIN_BYTES, type CompressionWorkers } from './compression-workers.js';

/**
 * `codec` (of `type`) with its compression moved to `workers` for input of {@link COMPRESSION_WORKER_MIN_BYTES} and more.
 * Smaller input, and any input a worker fails on (a worker that died, a pool that broke), is compressed by `codec`
 * itself on the event loop, so a batch never fails for the workers' sake. Decompression stays on the event loop.
 *
 * @param level the level the workers compress at (zstd; ignored for LZ4), the same as `codec`'s.
 */
export function workerCodec(
  type: WorkerCodecType,
  codec: CompressionCodec,
  workers: CompressionWorkers,
  level: number,
): CompressionCodec {
  return {
    type,
    compress(data) {
      if (data.byteLength < COMPRESSION_WORKER_MIN_BYTES || !workers.supports(type)) return codec.compress(data);
      return workers.compress(type, level, data).catch(() => codec.compress(data));
    },
    decompress: (data, maxSize) => codec.decompress(data, maxSize),
  };
}
