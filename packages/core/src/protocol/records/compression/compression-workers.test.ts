import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { packageRequire } from '../../../utils/package-require.js';
import { compressionWorkerModules, getCompressionCodec, loadCompressionCodecs } from './compression-codecs.js';
import { COMPRESSION_WORKER_MIN_BYTES, CompressionWorkers } from './compression-workers.js';
import { compressLz4Frame, decompressLz4Frame } from './lz4-codec.js';
import { workerCodec } from './worker-codec.js';

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
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((workers) => workers.close()));
});

describe('CompressionWorkers', () => {
  it('compresses LZ4 and zstd on a worker into the bytes the event loop would write', async () => {
    const workers = pool(1);
    const data = records(200_000);
    expect(workers.supports('lz4')).toBe(true);
    const lz4 = await workers.compress('lz4', 0, data);
    expect(lz4.equals(compressLz4Frame(data))).toBe(true);
    expect(decompressLz4Frame(lz4, data.length).equals(data)).toBe(true);

    const zstd = getCompressionCodec('zstd', 3);
    for (const level of [1, 3, 9]) {
      const frame = await workers.compress('zstd', level, data);
      expect(frame.equals(getCompressionCodec('zstd', level).compress(data) as Buffer)).toBe(true);
      expect(zstd.decompress(frame, data.length).equals(data)).toBe(true);
    }
    expect(workers.threads).toBe(1);
  });

  it('reuses its buffers across jobs of other sizes without mixing their bytes', async () => {
    const workers = pool(1);
    const zstd = getCompressionCodec('zstd', 3);
    for (const [i, size] of [200_000, 40_000, 120_000, 33_000, 200_000, 65_536].entries()) {
      const data = records(size, i + 11);
      const lz4 = await workers.compress('lz4', 0, data);
      expect(lz4.equals(compressLz4Frame(data))).toBe(true);
      const frame = await workers.compress('zstd', 3, data);
      expect(frame.equals(zstd.compress(data) as Buffer)).toBe(true);
    }
  });

  it('allocates no transfer buffers once warm: the same ones go back and forth', async () => {
    const workers = pool(1);
    const data = records(150_000);
    await workers.compress('zstd', 3, data);
    const allocations = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      for (let i = 0; i < 5; i++) await workers.compress(i % 2 === 0 ? 'zstd' : 'lz4', 3, data);
      expect(allocations).not.toHaveBeenCalled();
    } finally {
      allocations.mockRestore();
    }
  });

  it('copies its input: the caller may overwrite it as soon as the call returns', async () => {
    const workers = pool(1);
    const data = records(64 * 1024);
    const expected = Buffer.from(data);
    const pending = workers.compress('zstd', 3, data);
    data.fill(0);
    const frame = await pending;
    expect(getCompressionCodec('zstd').decompress(frame, expected.length).equals(expected)).toBe(true);
  });

  it('starts a worker per busy worker up to its size, and spreads jobs over them', async () => {
    const workers = pool(3);
    const inputs = Array.from({ length: 12 }, (_, i) => records(100_000, i + 1));
    const frames = await Promise.all(inputs.map((data) => workers.compress('lz4', 0, data)));
    expect(workers.threads).toBe(3);
    frames.forEach((frame, i) => {
      expect(decompressLz4Frame(frame, inputs[i]!.length).equals(inputs[i]!)).toBe(true);
    });
  });

  it('rejects a job its worker fails on, and keeps working', async () => {
    const workers = pool(1, () => ({ lz4: undefined, zstdNapi: compressionWorkerModules()?.zstdNapi }));
    expect(workers.supports('lz4')).toBe(false);
    await expect(workers.compress('lz4', 0, records(40_000))).rejects.toThrow(/lz4 package is not loaded/);
    const data = records(40_000);
    const frame = await workers.compress('zstd', 3, data);
    expect(getCompressionCodec('zstd').decompress(frame, data.length).equals(data)).toBe(true);
    expect(workers.supports('zstd')).toBe(true);
  });

  it('breaks when a worker cannot start: its jobs reject, later ones too, and onFailure is told once', async () => {
    const onFailure = vi.fn();
    const workers = pool(2, () => ({ lz4: '/nonexistent/lz4/index.js', zstdNapi: undefined }), onFailure);
    const jobs = await Promise.allSettled([
      workers.compress('lz4', 0, records(40_000)),
      workers.compress('lz4', 0, records(40_000)),
    ]);
    for (const job of jobs) expect(job.status === 'rejected' && String(job.reason)).toMatch(/nonexistent/);
    await expect(workers.compress('zstd', 3, records(40_000))).rejects.toThrow(/nonexistent/);
    expect(workers.supports('zstd')).toBe(false);
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(workers.threads).toBe(0);
  });

  it('rejects the jobs still running when closed, and every job after', async () => {
    const workers = pool(1);
    const running = expect(workers.compress('zstd', 19, records(400_000))).rejects.toThrow(/closed/);
    await workers.close();
    await running;
    await expect(workers.compress('zstd', 3, records(40_000))).rejects.toThrow(/closed/);
    expect(workers.supports('zstd')).toBe(false);
  });

  it('takes no job before the codecs it would load are known', () => {
    const workers = pool(1, () => undefined);
    expect(workers.supports('zstd')).toBe(false);
  });
});

describe('workerCodec', () => {
  it('sends input of COMPRESSION_WORKER_MIN_BYTES and more to the workers, and compresses less itself', async () => {
    const workers = pool(1);
    const compress = vi.spyOn(workers, 'compress');
    const codec = workerCodec('lz4', getCompressionCodec('lz4'), workers, 0);
    const small = records(COMPRESSION_WORKER_MIN_BYTES - 1);
    expect(Buffer.isBuffer(codec.compress(small))).toBe(true);
    expect(compress).not.toHaveBeenCalled();
    const large = records(COMPRESSION_WORKER_MIN_BYTES);
    const frame = codec.compress(large);
    expect(frame).toBeInstanceOf(Promise);
    expect(decompressLz4Frame(await frame, large.length).equals(large)).toBe(true);
    expect(compress).toHaveBeenCalledTimes(1);
  });

  it('compresses on the event loop when the workers fail, so that no batch is lost', async () => {
    const workers = pool(1, () => ({ lz4: '/nonexistent/lz4/index.js', zstdNapi: undefined }));
    const codec = workerCodec('lz4', getCompressionCodec('lz4'), workers, 0);
    const data = records(100_000);
    const frame = await codec.compress(data);
    expect(frame.equals(compressLz4Frame(data))).toBe(true);
    // The pool is broken now: later batches compress on the event loop at once.
    expect(Buffer.isBuffer(codec.compress(data))).toBe(true);
  });
});

describe('compression workers and the process', () => {
  const script = fileURLToPath(new URL('./fixtures/worker-lifetime.ts', import.meta.url));
  const tsx = packageRequire.resolve('tsx');

  it('keep a process alive while they compress, and let it exit once idle (under tsx, as `npm start` runs)', async () => {
    const { stdout } = await run(process.execPath, ['--import', tsx, '--conditions=source', script], {
      timeout: 20_000,
    });
    // The script compresses without awaiting anything else: the result arriving proves the worker held the process
    // open; the process ending (execFile resolves) proves the idle workers did not.
    expect(stdout.trim()).toBe('compressed 2 frames on 2 threads, round trip ok');
  });
});
