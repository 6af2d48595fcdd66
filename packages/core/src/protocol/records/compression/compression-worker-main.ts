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

/**
 * A job sent to a compression worker: compress the first `length` bytes of `input` into `output`. Both buffers are
 * transferred (not copied) and come back with the result, so that the pool can use them again.
 */
export interface CompressionJob {
  readonly id: number;
  readonly codec: WorkerCodecType;
  readonly level: number;
  readonly input: ArrayBuffer;
  readonly length: number;
  readonly output: ArrayBuffer;
}

/**
 * A compression worker's answer: the compressed bytes as the first `length` bytes of `output` (the job's, or a
 * larger one when the job's was too small), with the job's `input` back; or why it failed.
 */
export interface CompressionJobResult {
  readonly id: number;
  readonly input: ArrayBuffer;
  readonly output: ArrayBuffer;
  readonly length: number;
  readonly error?: string;
}

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
    const src = new Uint8Array(job.input, 0, job.length);
    let out = Buffer.from(job.output);
    let length = 0;
    let error: string | undefined;
    try {
      if (job.codec === 'lz4') {
        if (lz4 === undefined) throw new Error('the native lz4 package is not loaded in this worker');
        const frame = writeFrame(
          src,
          (size) => lz4.encodeBound(size),
          (block, dst, dstStart) => lz4.encodeBlock(block, dst, dstStart),
          out,
        );
        if (frame.buffer !== out.buffer) {
          out = Buffer.allocUnsafeSlow(frame.length); // the job's output was too small: a buffer of its own
          frame.copy(out);
        }
        length = frame.length;
      } else if (cctx !== undefined) {
        const bound = zstd.compressBound(src.length);
        if (out.length < bound) out = Buffer.allocUnsafeSlow(bound);
        length = cctx.compress(out, src, job.level);
      } else if (typeof zlib.zstdCompressSync === 'function') {
        const levelParameter = zlib.constants.ZSTD_c_compressionLevel!;
        const frame = zlib.zstdCompressSync(src, { params: { [levelParameter]: job.level } });
        if (frame.length > out.length) out = Buffer.allocUnsafeSlow(frame.length);
        length = frame.copy(out);
      } else {
        throw new Error('zstd is unavailable in this worker');
      }
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const output = out.buffer as ArrayBuffer;
    const result: CompressionJobResult = { id: job.id, input: job.input, output, length, error };
    parentPort!.postMessage(result, [job.input, output]);
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
