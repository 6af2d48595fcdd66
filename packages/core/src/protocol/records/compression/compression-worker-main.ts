/** What a compression worker is started with (its `workerData`). */
export interface CompressionWorkerData {
  /** File of `zstd-napi/binding.js`; without it zstd comes from `node:zlib` (Node.js 22.15+). */
  readonly zstdNapi?: string | undefined;
}

/**
 * A job sent to a compression worker: compress the first `length` bytes of `input` with zstd at `level` into
 * `output`. Both buffers are transferred (not copied) and come back with the result, so that the pool can use them
 * again.
 */
export interface CompressionJob {
  readonly id: number;
  readonly level: number;
  readonly input: ArrayBuffer;
  readonly length: number;
  readonly output: ArrayBuffer;
}

/**
 * A compression worker's answer: the zstd frame as the first `length` bytes of `output` (the job's, or a larger
 * one when the job's was too small), with the job's `input` back; or why it failed.
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
 * uses nothing from outside but `require` and Node's globals. It loads zstd from the file in `workerData` (or uses
 * `node:zlib`'s), answers every job with one message, and never throws past a job.
 */
function compressionWorkerMain(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const zlib = require('node:zlib') as typeof import('node:zlib') & {
    zstdCompressSync?: (data: Uint8Array, options: { params: Record<number, number> }) => Buffer;
    constants: { ZSTD_c_compressionLevel?: number };
  };
  const modules = workerData as CompressionWorkerData;
  const zstd = modules.zstdNapi === undefined ? undefined : require(modules.zstdNapi);
  const cctx = zstd === undefined ? undefined : new zstd.CCtx();
  // A worker that could only fail every job fails to start instead: the pool then breaks once and leaves every batch
  // to the event loop, rather than sending each one on a round trip that ends in an error.
  if (cctx === undefined && typeof zlib.zstdCompressSync !== 'function') {
    throw new Error('zstd is unavailable in this worker: zstd-napi was not found and node:zlib has no zstd');
  }
  parentPort!.on('message', (job: CompressionJob) => {
    const src = new Uint8Array(job.input, 0, job.length);
    let out = Buffer.from(job.output);
    let length = 0;
    let error: string | undefined;
    try {
      if (cctx !== undefined) {
        const bound = zstd.compressBound(src.length);
        if (out.length < bound) out = Buffer.allocUnsafeSlow(bound);
        length = cctx.compress(out, src, job.level);
      } else {
        const levelParameter = zlib.constants.ZSTD_c_compressionLevel!;
        const frame = zlib.zstdCompressSync!(src, { params: { [levelParameter]: job.level } });
        if (frame.length > out.length) out = Buffer.allocUnsafeSlow(frame.length);
        length = frame.copy(out);
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
 * The source text of a compression worker: {@link compressionWorkerMain}, from its own source. Started with
 * `new Worker(source, { eval: true })`, which needs no file on disk: the same source works from the ES module and
 * CommonJS builds and from the TypeScript sources under a test runner or `tsx`.
 */
export function compressionWorkerSource(): string {
  return `'use strict';\n(${compressionWorkerMain.toString()})();\n`;
}
