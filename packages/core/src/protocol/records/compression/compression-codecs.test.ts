import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CorruptRecordError } from '../../../errors/client-errors.js';
import { CodecUnavailableError } from './codec-unavailable-error.js';
import { getCompressionCodec, loadCompressionCodecs, zstdBackendName } from './compression-codecs.js';
import { COMPRESSION_TYPES, compressionTypeFromId, compressionTypeId, isCompressionType } from './compression-type.js';
import { GZIP_ASYNC_THRESHOLD } from './gzip-codec.js';

/** Text-like data that compresses well, as record batches usually do. */
function text(size: number, seed = 1): Buffer {
  const words = ['kafka', 'record', 'batch', 'offset', 'partition', 'leader', 'epoch', '{"id":', '}', '\n'];
  const out = Buffer.allocUnsafe(size);
  let s = seed;
  for (let i = 0; i < size; ) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const word = words[s % words.length]!;
    i += out.write(word, i);
  }
  return out;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('compression types', () => {
  it('map names to attribute ids and back', () => {
    expect(COMPRESSION_TYPES.map(compressionTypeId)).toEqual([0, 1, 2, 3, 4]);
    expect([0, 1, 2, 3, 4, 5, 7].map(compressionTypeFromId)).toEqual([
      'none',
      'gzip',
      'snappy',
      'lz4',
      'zstd',
      undefined,
      undefined,
    ]);
    expect(isCompressionType('lz4')).toBe(true);
    expect(isCompressionType('LZ4')).toBe(false);
    expect(isCompressionType(3)).toBe(false);
  });
});

describe('zstd before loadCompressionCodecs', () => {
  it('is either built into Node or fails with CodecUnavailableError saying to load it', () => {
    if (zstdBackendName() === 'node:zlib') {
      expect(getCompressionCodec('zstd').type).toBe('zstd');
    } else {
      const error = thrown(() => getCompressionCodec('zstd'));
      expect(error).toBeInstanceOf(CodecUnavailableError);
      expect((error as CodecUnavailableError).code).toBe('ERR_CODEC_UNAVAILABLE');
      expect((error as Error).message).toContain('loadCompressionCodecs');
    }
  });
});

describe('every codec', () => {
  beforeAll(async () => {
    await loadCompressionCodecs();
    expect(zstdBackendName()).toBeDefined();
  });

  for (const type of COMPRESSION_TYPES) {
    describe(type, () => {
      it('round-trips empty, tiny, block-crossing and large inputs, compressible or not', async () => {
        const codec = getCompressionCodec(type);
        expect(codec.type).toBe(type);
        for (const input of [
          Buffer.alloc(0),
          Buffer.from('x'),
          text(100),
          text(70_000),
          randomBytes(70_000),
          text(1_500_000),
        ]) {
          const compressed = await codec.compress(input);
          const output = codec.decompress(compressed, input.length);
          expect(output.equals(input)).toBe(true);
          if (type !== 'none' && input.length > 10_000 && input[0] !== undefined && input.equals(text(input.length))) {
            expect(compressed.length).toBeLessThan(input.length / 2);
          }
        }
      });

      it('accepts output of exactly the limit and rejects one byte more (decompression bomb)', async () => {
        const codec = getCompressionCodec(type);
        const input = text(200_000, 7);
        const compressed = await codec.compress(input);
        expect(codec.decompress(compressed, input.length).length).toBe(input.length);
        const error = thrown(() => codec.decompress(compressed, input.length - 1));
        expect(error).toBeInstanceOf(CorruptRecordError);
        expect((error as Error).message).toMatch(/more than 199999 bytes/);
      });

      it('rejects a highly compressed bomb without inflating it', async () => {
        if (type === 'none') return;
        const codec = getCompressionCodec(type);
        const bomb = await codec.compress(Buffer.alloc(64 * 1024 * 1024));
        expect(bomb.length).toBeLessThan(4 * 1024 * 1024);
        const error = thrown(() => codec.decompress(bomb, 1024 * 1024));
        expect(error).toBeInstanceOf(CorruptRecordError);
        expect((error as Error).message).toContain('raise maxDecompressedBytes');
      });

      it('fails on truncated or damaged input with CorruptRecordError only', async () => {
        if (type === 'none') return;
        const codec = getCompressionCodec(type);
        const input = text(150_000, 3);
        const compressed = await codec.compress(input);
        const step = Math.max(1, Math.floor(compressed.length / 300));
        for (let cut = 0; cut < compressed.length; cut += step) {
          const error = thrown(() => codec.decompress(compressed.subarray(0, cut), input.length * 2));
          expect(error, `cut at ${cut}`).toBeInstanceOf(CorruptRecordError);
        }
        for (let at = 0; at < compressed.length; at += step) {
          const damaged = Buffer.from(compressed);
          damaged[at]! ^= 0x5a;
          let output: Buffer | undefined;
          const error = thrown(() => {
            output = codec.decompress(damaged, input.length * 2);
          });
          // Some damage goes unnoticed by a codec without checksums (the batch CRC catches it); none may crash.
          if (error !== undefined) expect(error, `flip at ${at}`).toBeInstanceOf(CorruptRecordError);
          else expect(output).toBeInstanceOf(Buffer);
        }
        for (const garbage of [randomBytes(1), randomBytes(64), Buffer.alloc(32, 0xff)]) {
          expect(thrown(() => codec.decompress(garbage, 1_000_000))).toBeInstanceOf(CorruptRecordError);
        }
      });
    });
  }

  it('gzip compresses large inputs off the event loop, small ones synchronously', async () => {
    const gzip = getCompressionCodec('gzip');
    expect(gzip.compress(text(GZIP_ASYNC_THRESHOLD - 1))).toBeInstanceOf(Buffer);
    const pending = gzip.compress(text(GZIP_ASYNC_THRESHOLD));
    expect(pending).toBeInstanceOf(Promise);
    expect(gzip.decompress(await pending, GZIP_ASYNC_THRESHOLD).equals(text(GZIP_ASYNC_THRESHOLD))).toBe(true);
  });

  it('honours compression levels for gzip and zstd', async () => {
    const input = text(300_000, 5);
    for (const type of ['gzip', 'zstd'] as const) {
      const fast = await getCompressionCodec(type, 1).compress(input);
      const strong = await getCompressionCodec(type, 9).compress(input);
      expect(strong.length).toBeLessThan(fast.length);
      expect(getCompressionCodec(type).decompress(strong, input.length).equals(input)).toBe(true);
    }
  });
});
