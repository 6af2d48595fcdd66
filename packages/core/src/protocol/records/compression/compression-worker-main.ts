import { writeLz4Frame } from './lz4-frame-writer.js';

/** Codecs a compression worker runs. */
export type WorkerCodecType = 'lz4' | 'zstd';

/** What a compression worker is started with (its `workerData`). */
export interface CompressionWorkerData {
  /** File of the `lz4` package's entry, to load its native block compressor; LZ4 jobs fail without it. */
  readonly lz4?: string | undefined;
  /** File of `zstd-napi/binding.js`; without it zstd comes from `node:zlib` (Node.js 22.15+). */
  readonly zstdNapi?: string | undefined;
}

/** A job sent to a compression worker. `data` is transferred, not copied. */
export interface CompressionJob {
  readonly id: number;
  readonly codec: WorkerCodecType;
  readonly level: number;
  readonly data: Uint8Array;
}

/** A compression worker's answer: the compressed bytes (transferred), or why it failed. */
export type CompressionJobResult =
  | { readonly id: number; readonly data: Uint8Array; readonly error?: undefined }
  | { readonly id: number; readonly error: string; readonly data?: undefined };

/**
 * The body of a compression worker thread. It runs from its source text (see {@link compressionWorkerSource}), so it
 * uses nothing from outside but its argument, `require` and Node's globals. It loads the native compressors from
 * the files in `workerData`, answers every job with one message, and never throws past a job.
 */
function compressionWorkerMain(writeFrame: typeof writeLz4Frame): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const zlib = require('node:zlib') as typeof import('node:zlib') & {
    zstdCompressSync?: (data: Uint8Array, options: { params: Record<number, number> }) => Buffer;
    constants: { ZSTD_c_compressionLevel?: number };
  };
  const modules = workerData as CompressionWorkerData;
  const lz4 = modules.lz4 === undefined ? undefined : require(modules.lz4);
  const zstd = modules.zstdNapi === undefined ? undefined : require(modules.zstdNapi);
  const cctx = zstd === undefined ? undefined : new zstd.CCtx();
  parentPort!.on('message', (job: CompressionJob) => {
    let out: Uint8Array;
    try {
      if (job.codec === 'lz4') {
        if (lz4 === undefined) throw new Error('the native lz4 package is not loaded in this worker');
        out = writeFrame(
          job.data,
          (length) => lz4.encodeBound(length),
          (src, dst, dstStart) => lz4.encodeBlock(src, dst, dstStart),
        );
      } else if (cctx !== undefined) {
        const room = Buffer.allocUnsafeSlow(zstd.compressBound(job.data.length));
        out = room.subarray(0, cctx.compress(room, job.data, job.level));
      } else if (typeof zlib.zstdCompressSync === 'function') {
        const level = zlib.constants.ZSTD_c_compressionLevel!;
        out = zlib.zstdCompressSync(job.data, { params: { [level]: job.level } });
      } else {
        throw new Error('zstd is unavailable in this worker');
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      parentPort!.postMessage({ id: job.id, error: message } satisfies CompressionJobResult);
      return;
    }
    // Small outputs may sit in Buffer's shared pool, which cannot be transferred: those are copied.
    if (out.byteLength < 4096) out = new Uint8Array(out);
    parentPort!.postMessage({ id: job.id, data: out } satisfies CompressionJobResult, [out.buffer as ArrayBuffer]);
  });
}

/**
 * The source text of a compression worker: {@link compressionWorkerMain} called with {@link writeLz4Frame}, both
 * from their own source so that the worker runs exactly the code the event loop would. Started with
 * `new Worker(source, { eval: true })`, which needs no file on disk: the same source works from the ES module and
 * CommonJS builds and from the TypeScript sources under a test runner.
 */
export function compressionWorkerSource(): string {
  return `'use strict';\n(${compressionWorkerMain.toString()})(${writeLz4Frame.toString()});\n`;
}
