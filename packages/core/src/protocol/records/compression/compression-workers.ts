import { Worker } from 'node:worker_threads';
import {
  type CompressionJob,
  type CompressionJobResult,
  type CompressionWorkerData,
  compressionWorkerSource,
} from './compression-worker-main.js';

/**
 * Smallest input (bytes of records, uncompressed) compressed on a worker. Below it the event loop compresses
 * faster than a round trip to a worker costs; at and above it the event loop is spared the compression and batches
 * compress side by side on as many cores as there are workers.
 */
export const COMPRESSION_WORKER_MIN_BYTES = 32 * 1024;

/** Spare buffers kept per worker: an input and an output for each of two jobs in flight. */
const SPARES_PER_WORKER = 4;
/** Spare buffers are allocated in multiples of this, so that batches of about the same size share them. */
const SPARE_ROUNDING = 16 * 1024;

/**
 * Room for the zstd frame of `length` bytes: zstd's bound (`length + length / 256`, plus at most 64 bytes below
 * 128 KiB), rounded up. A worker that still needs more allocates it.
 */
function outputBound(length: number): number {
  return length + (length >>> 8) + 1024;
}

interface PendingJob {
  resolve(data: Buffer): void;
  reject(error: Error): void;
}

interface WorkerSlot {
  readonly worker: Worker;
  readonly pending: Map<number, PendingJob>;
}

/**
 * A small pool of worker threads that compress zstd record batches off the event loop, as librdkafka compresses on
 * its own threads. Workers start on first use, up to `size`, one more each time every running worker
 * is busy; a job goes to the worker with the fewest jobs. A worker keeps the process alive only while it has
 * jobs. The pool never loses input: when a worker cannot start or dies, every job it held rejects (its caller
 * compresses on the event loop instead) and the pool stops taking jobs.
 *
 * ```ts
 * const workers = new CompressionWorkers(2, () => ({ zstdNapi: require.resolve('zstd-napi/binding.js') }));
 * const frame = await workers.compress(3, records);
 * await workers.close();
 * ```
 */
export class CompressionWorkers {
  private readonly slots: WorkerSlot[] = [];
  /** Buffers back from finished jobs, for the next jobs' input and output (no allocation per batch). */
  private readonly spare: ArrayBuffer[] = [];
  private nextId = 0;
  private broken: Error | undefined;
  private closed = false;
  private data: CompressionWorkerData | undefined;

  /**
   * @param size most worker threads (at least 1).
   * @param modules where the workers load the native compressors from, or `undefined` while the codecs are still
   *   loading (no job goes to a worker until then); asked until it answers.
   * @param onFailure called once if the pool breaks (a worker failed to start or died).
   */
  constructor(
    readonly size: number,
    private readonly modules: () => CompressionWorkerData | undefined,
    private readonly onFailure: (error: Error) => void = () => undefined,
  ) {}

  /** Whether jobs go to the workers now: the codecs are loaded, and the pool is neither broken nor closed. */
  get available(): boolean {
    if (this.broken !== undefined || this.closed) return false;
    this.data ??= this.modules();
    return this.data !== undefined;
  }

  /** Worker threads started so far. */
  get threads(): number {
    return this.slots.length;
  }

  /**
   * Compresses `data` (copied; the caller may reuse it at once) into one zstd frame at `level` on a worker. Rejects
   * when the worker reports an error, dies, or the pool is broken or closed; the caller then compresses on the
   * event loop.
   */
  compress(level: number, data: Uint8Array): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('the compression workers are closed'));
    if (this.broken !== undefined) return Promise.reject(this.broken);
    if (!this.available) return Promise.reject(new Error('the compression codecs are not loaded yet'));
    let slot: WorkerSlot;
    try {
      slot = this.pick(); // throws only if a worker cannot be created
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return Promise.reject(this.broken!);
    }
    const id = this.nextId++;
    const input = this.takeSpare(data.byteLength);
    new Uint8Array(input).set(data);
    const output = this.takeSpare(outputBound(data.byteLength));
    return new Promise<Buffer>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve, reject });
      const job: CompressionJob = { id, level, input, length: data.byteLength, output };
      slot.worker.postMessage(job, [input, output]);
    });
  }

  /** Stops the workers. Jobs still running reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.spare.length = 0;
    const slots = this.slots.splice(0);
    for (const slot of slots) this.rejectAll(slot, new Error('the compression workers are closed'));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private pick(): WorkerSlot {
    let best: WorkerSlot | undefined;
    for (const slot of this.slots) {
      if (best === undefined || slot.pending.size < best.pending.size) best = slot;
    }
    if (best !== undefined && (best.pending.size === 0 || this.slots.length >= this.size)) return best;
    return this.start();
  }

  private start(): WorkerSlot {
    const worker = new Worker(compressionWorkerSource(), {
      eval: true,
      workerData: this.data,
      // The workers run only their own source: no loaders or flags of the main thread (a TypeScript loader,
      // a profiler) to start with them.
      execArgv: [],
    });
    const slot: WorkerSlot = { worker, pending: new Map() };
    worker.on('message', (result: CompressionJobResult) => this.settle(slot, result));
    worker.on('error', (error: Error) => this.fail(error));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`a compression worker exited with code ${code}`));
    });
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private settle(slot: WorkerSlot, result: CompressionJobResult): void {
    const job = slot.pending.get(result.id);
    if (job === undefined) return;
    slot.pending.delete(result.id);
    if (slot.pending.size === 0) slot.worker.unref();
    if (result.error !== undefined) {
      this.giveSpare(result.input);
      this.giveSpare(result.output);
      job.reject(new Error(result.error));
      return;
    }
    // An exact-size copy: the output buffer goes back to the spares at once.
    const compressed = Buffer.allocUnsafe(result.length);
    compressed.set(new Uint8Array(result.output, 0, result.length));
    this.giveSpare(result.input);
    this.giveSpare(result.output);
    job.resolve(compressed);
  }

  /** A spare buffer of at least `size` bytes (the smallest that fits), or a new one. */
  private takeSpare(size: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.spare.length; i++) {
      const length = this.spare[i]!.byteLength;
      if (length >= size && (best < 0 || length < this.spare[best]!.byteLength)) best = i;
    }
    if (best >= 0) return this.spare.splice(best, 1)[0]!;
    // Rounded up so that batches of about the same size share buffers; not zero-filled (it is written before use).
    return Buffer.allocUnsafeSlow(Math.ceil(size / SPARE_ROUNDING) * SPARE_ROUNDING).buffer as ArrayBuffer;
  }

  /** Keeps `buffer` for a later job, up to a few per worker; the smallest goes when there are too many. */
  private giveSpare(buffer: ArrayBuffer): void {
    if (this.closed || this.broken !== undefined) return;
    this.spare.push(buffer);
    if (this.spare.length > SPARES_PER_WORKER * this.size) {
      let smallest = 0;
      for (let i = 1; i < this.spare.length; i++) {
        if (this.spare[i]!.byteLength < this.spare[smallest]!.byteLength) smallest = i;
      }
      this.spare.splice(smallest, 1);
    }
  }

  private fail(error: Error): void {
    if (this.broken !== undefined || this.closed) return;
    this.broken = error;
    this.spare.length = 0;
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      this.rejectAll(slot, error);
      void slot.worker.terminate();
    }
    this.onFailure(error);
  }

  private rejectAll(slot: WorkerSlot, error: Error): void {
    const jobs = [...slot.pending.values()];
    slot.pending.clear();
    slot.worker.unref();
    for (const job of jobs) job.reject(error);
  }
}
