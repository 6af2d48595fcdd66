import { beforeAll, describe, expect, it } from 'vitest';
import { CorruptRecordError } from '../../../errors/client-errors.js';
import type { ZstdBackend } from './zstd-backend.js';
import { type ZstdNapiBinding, zstdNapiBackend } from './zstd-napi-backend.js';
import { zlibZstdBackend } from './zstd-zlib-backend.js';

interface StreamingBinding extends Omit<ZstdNapiBinding, 'CCtx'> {
  CCtx: new () => {
    compress(dst: Uint8Array, src: Uint8Array, level: number): number;
    compressStream2(dst: Uint8Array, src: Uint8Array, end: number): [number, number, number];
  };
  EndDirective: { continue: number; end: number };
}

let binding: StreamingBinding;
const backends: ZstdBackend[] = [];

beforeAll(async () => {
  const specifier = 'zstd-napi/binding.js';
  const module = (await import(specifier)) as { default?: StreamingBinding };
  binding = (module.default ?? module) as StreamingBinding;
  backends.push(zstdNapiBackend(binding));
  const builtIn = zlibZstdBackend();
  if (builtIn !== undefined) backends.push(builtIn);
});

function sample(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = 97 + ((i * 31) % 17);
  return out;
}

/** A frame without a content size, as streaming compressors (zstd-jni in the Java client) write. */
function streamingFrame(data: Buffer): Buffer {
  // Feeding the input before ending the frame keeps the size unknown when the header is written.
  const cctx = new binding.CCtx();
  const out = Buffer.alloc(binding.compressBound(data.length) + 64);
  const [, first, consumed] = cctx.compressStream2(out, data, binding.EndDirective.continue);
  expect(consumed).toBe(data.length);
  const [remaining, second] = cctx.compressStream2(out.subarray(first), Buffer.alloc(0), binding.EndDirective.end);
  expect(remaining).toBe(0);
  return out.subarray(0, first + second);
}

describe('zstd backends', () => {
  it('include zstd-napi here, and node:zlib where Node has it', () => {
    expect(backends.map((b) => b.name)).toContain('zstd-napi');
    expect(backends.some((b) => b.name === 'node:zlib')).toBe(zlibZstdBackend() !== undefined);
  });

  it('read frames with and without a content size, and concatenated frames', () => {
    const a = sample(300_000);
    const b = sample(1000).reverse();
    const napi = backends[0]!;
    const sized = napi.compress(a, 3);
    const unsized = streamingFrame(a);
    expect(binding.getFrameContentSize(sized)).toBe(a.length);
    expect(binding.getFrameContentSize(unsized)).toBeNull();
    for (const backend of backends) {
      expect(backend.decompress(sized, a.length).equals(a), backend.name).toBe(true);
      expect(backend.decompress(unsized, a.length).equals(a), backend.name).toBe(true);
      const two = Buffer.concat([napi.compress(a, 1), streamingFrame(b)]);
      expect(backend.decompress(two, a.length + b.length).equals(Buffer.concat([a, b])), backend.name).toBe(true);
      expect(backend.decompress(backend.compress(b, 3), b.length).equals(b), backend.name).toBe(true);
    }
  });

  it('bound the output whether or not the frame declares its size', () => {
    const zeros = Buffer.alloc(32 << 20);
    for (const backend of backends) {
      for (const bomb of [backends[0]!.compress(zeros, 3), streamingFrame(zeros)]) {
        expect(bomb.length).toBeLessThan(10_000);
        expect(() => backend.decompress(bomb, 1 << 20)).toThrow(/more than 1048576 bytes/);
      }
      const exact = streamingFrame(sample(100_000));
      expect(backend.decompress(exact, 100_000).length).toBe(100_000);
      expect(() => backend.decompress(exact, 99_999)).toThrow(CorruptRecordError);
    }
  });

  it('fail with CorruptRecordError on truncated frames and trailing garbage', () => {
    const frame = streamingFrame(sample(200_000));
    for (const backend of backends) {
      for (const cut of [1, 4, 10, frame.length >> 1, frame.length - 1]) {
        expect(() => backend.decompress(frame.subarray(0, cut), 1 << 20), `${backend.name} cut ${cut}`).toThrow(
          CorruptRecordError,
        );
      }
      expect(() => backend.decompress(Buffer.concat([frame, Buffer.from('garbage!')]), 1 << 20)).toThrow(
        CorruptRecordError,
      );
    }
  });
});
