import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { packageRequire } from '../../../utils/package-require.js';
import type { CompressionCodec } from './compression-codec.js';
import { compressionWorkerModules, getCompressionCodec, loadCompressionCodecs } from './compression-codecs.js';
import { COMPRESSION_WORKER_MIN_BYTES, CompressionWorkers } from './compression-workers.js';
import { zstdWorkerCodec } from './worker-codec.js';

const run = promisify(execFile);

/** Record-like text that compresses about 3x. */
function records(size: number, seed = 7): Buffer {
  const words = ['"order":', '"status":"shipped",', '"amount":', '"currency":"EUR",', '{', '},'];
  const out = Buffer.allocUnsafe(size);
  let s = seed;
  for (let i = 0; i < size; ) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    i += out.write(`${words[s % words.length]}${s % 100_000}`, i);
  }
  return out;
}

const pools: CompressionWorkers[] = [];
/** zstd-napi's file, for workers told where to find it. */
let zstdNapi: string | undefined;
let zstd: CompressionCodec;

function pool(
  size: number,
  modules = compressionWorkerModules,
  onFailure?: (error: Error) => void,
): CompressionWorkers {
  const workers = new CompressionWorkers(size, modules, onFailure);
  pools.push(workers);
  return workers;
}

beforeAll(async () => {
  await loadCompressionCodecs();
  zstdNapi = compressionWorkerModules()?.zstdNapi;
  zstd = getCompressionCodec('zstd');
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((workers) => workers.close()));
});

describe('CompressionWorkers', () => {
  it('compresses on a worker into the bytes the event loop would write, at the level asked', async () => {
    expect(zstdNapi).toMatch(/zstd-napi/); // the repository installs it: the workers load it by path
    const workers = pool(1);
    expect(workers.available).toBe(true);
    const data = records(200_000);
    for (const level of [1, 3, 9]) {
      const frame = await workers.compress(level, data);
      expect(frame.equals(getCompressionCodec('zstd', level).compress(data) as Buffer)).toBe(true);
      expect(zstd.decompress(frame, data.length).equals(data)).toBe(true);
    }
    expect(workers.threads).toBe(1);
  });

  it('reuses its buffers across jobs of other sizes without mixing their bytes', async () => {
    const workers = pool(1);
    for (const [i, size] of [200_000, 40_000, 120_000, 33_000, 200_000, 65_536].entries()) {
      const data = records(size, i + 11);
      const frame = await workers.compress(3, data);
      expect(frame.equals(zstd.compress(data) as Buffer)).toBe(true);
    }
  });

  it('allocates no transfer buffers once warm: the same ones go back and forth', async () => {
    const workers = pool(1);
    const data = records(150_000);
    await workers.compress(3, data);
    const allocations = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      for (let i = 0; i < 5; i++) await workers.compress(3, data);
      expect(allocations).not.toHaveBeenCalled();
    } finally {
      allocations.mockRestore();
    }
  });

  it('copies its input: the caller may overwrite it as soon as the call returns', async () => {
    const workers = pool(1);
    const data = records(64 * 1024);
    const expected = Buffer.from(data);
    const pending = workers.compress(3, data);
    data.fill(0);
    expect(zstd.decompress(await pending, expected.length).equals(expected)).toBe(true);
  });

  it('starts a worker per busy worker up to its size, and spreads jobs over them', async () => {
    const workers = pool(3);
    const inputs = Array.from({ length: 12 }, (_, i) => records(100_000, i + 1));
    const frames = await Promise.all(inputs.map((data) => workers.compress(3, data)));
    expect(workers.threads).toBe(3);
    frames.forEach((frame, i) => {
      expect(zstd.decompress(frame, inputs[i]!.length).equals(inputs[i]!)).toBe(true);
    });
  });

  it('compresses with node:zlib when not given zstd-napi, and breaks at once where Node.js has no zstd', async () => {
    const onFailure = vi.fn();
    const workers = pool(1, () => ({ zstdNapi: undefined }), onFailure);
    const data = records(50_000);
    const outcome = await workers.compress(3, data).then(
      (frame) => zstd.decompress(frame, data.length).equals(data),
      (error: Error) => error.message,
    );
    // Node.js 22.15+ has zstd in node:zlib; on older lines the worker fails to start and the pool breaks once.
    const nodeHasZstd = typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';
    if (nodeHasZstd) {
      expect(outcome).toBe(true);
      expect(workers.available).toBe(true);
    } else {
      expect(outcome).toMatch(/zstd is unavailable in this worker/);
      expect(workers.available).toBe(false);
      expect(onFailure).toHaveBeenCalledTimes(1);
    }
  });

  it('breaks when a worker cannot start: its jobs reject, later ones too, and onFailure is told once', async () => {
    const onFailure = vi.fn();
    const workers = pool(2, () => ({ zstdNapi: '/nonexistent/zstd-napi/binding.js' }), onFailure);
    const jobs = await Promise.allSettled([workers.compress(3, records(40_000)), workers.compress(3, records(40_000))]);
    for (const job of jobs) expect(job.status === 'rejected' && String(job.reason)).toMatch(/nonexistent/);
    await expect(workers.compress(3, records(40_000))).rejects.toThrow(/nonexistent/);
    expect(workers.available).toBe(false);
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(workers.threads).toBe(0);
  });

  it('rejects the jobs still running when closed, and every job after', async () => {
    const workers = pool(1);
    const running = expect(workers.compress(19, records(400_000))).rejects.toThrow(/closed/);
    await workers.close();
    await running;
    await expect(workers.compress(3, records(40_000))).rejects.toThrow(/closed/);
    expect(workers.available).toBe(false);
  });

  it('takes no job before the codecs it would load are known, and works once they are', async () => {
    let modules: ReturnType<typeof compressionWorkerModules>;
    const workers = pool(1, () => modules);
    expect(workers.available).toBe(false);
    await expect(workers.compress(3, records(40_000))).rejects.toThrow(/not loaded yet/);
    modules = compressionWorkerModules();
    const data = records(40_000);
    expect(zstd.decompress(await workers.compress(3, data), data.length).equals(data)).toBe(true);
  });
});

describe('zstdWorkerCodec', () => {
  it('sends input of COMPRESSION_WORKER_MIN_BYTES and more to the workers, and compresses less itself', async () => {
    const workers = pool(1);
    const compress = vi.spyOn(workers, 'compress');
    const codec = zstdWorkerCodec(zstd, workers, 3);
    expect(Buffer.isBuffer(codec.compress(records(COMPRESSION_WORKER_MIN_BYTES - 1)))).toBe(true);
    expect(compress).not.toHaveBeenCalled();
    const large = records(COMPRESSION_WORKER_MIN_BYTES);
    const frame = codec.compress(large);
    expect(frame).toBeInstanceOf(Promise);
    expect(zstd.decompress(await frame, large.length).equals(large)).toBe(true);
    expect(compress).toHaveBeenCalledTimes(1);
  });

  it('compresses on the event loop when the workers fail, so that no batch is lost', async () => {
    const workers = pool(1, () => ({ zstdNapi: '/nonexistent/zstd-napi/binding.js' }));
    const codec = zstdWorkerCodec(zstd, workers, 3);
    const data = records(100_000);
    const frame = await codec.compress(data);
    expect(frame.equals(zstd.compress(data) as Buffer)).toBe(true);
    // The pool is broken now: later batches compress on the event loop at once.
    expect(Buffer.isBuffer(codec.compress(data))).toBe(true);
  });
});

describe('compression workers and the process', () => {
  const script = fileURLToPath(new URL('./fixtures/worker-lifetime.ts', import.meta.url));
  const tsx = packageRequire.resolve('tsx');

  it('keep a process alive while they compress, and let it exit once idle (under tsx, as `npm start` runs)', async () => {
    const { stdout } = await run(process.execPath, ['--import', tsx, '--conditions=@vltava/source', script], {
      timeout: 20_000,
    });
    // The script compresses without awaiting anything else: the result arriving proves the worker held the process
    // open; the process ending (execFile resolves) proves the idle workers did not.
    expect(stdout.trim()).toBe('compressed 2 frames on 2 threads, round trip ok');
  });
});
