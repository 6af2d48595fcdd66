import fc from 'fast-check';
import * as nativeLz4 from 'lz4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { javascriptLz4Backend, lz4DecodeBlock, lz4EncodeBlock, lz4EncodeBound } from './lz4-block.js';
import { compressLz4Frame, decompressLz4Frame, loadNativeLz4, lz4BackendName, setLz4Backend } from './lz4-codec.js';

function compressible(size: number, seed = 7): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = 97 + ((i * seed) % 11) + (i % 97 === 0 ? 1 : 0);
  return out;
}

function jsCompress(data: Uint8Array): Buffer | undefined {
  const out = Buffer.allocUnsafe(lz4EncodeBound(data.length));
  const size = lz4EncodeBlock(data, out, 0);
  return size === 0 ? undefined : out.subarray(0, size);
}

describe('LZ4 blocks in JavaScript', () => {
  it('round-trips compressible data and shrinks it', () => {
    for (const size of [64, 100, 4096, 65_536]) {
      const data = compressible(size);
      const packed = jsCompress(data)!;
      expect(packed.length).toBeLessThan(size);
      const out = Buffer.alloc(size);
      expect(lz4DecodeBlock(packed, out, 0, packed.length)).toBe(size);
      expect(out.equals(data)).toBe(true);
    }
  });

  it('reports incompressible input (0) instead of growing it', () => {
    let x = 0x2545f491;
    const random = Buffer.from(
      Array.from({ length: 300 }, () => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return x & 0xff;
      }),
    );
    expect(lz4EncodeBlock(random, Buffer.allocUnsafe(lz4EncodeBound(300)), 0)).toBe(0);
    expect(lz4EncodeBlock(Buffer.from('short'), Buffer.allocUnsafe(64), 0)).toBe(0);
  });

  it('is byte-compatible with the native lz4 binding, both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 40 }), (noise, period) => {
        // Mix noise with repetition so that both literals and matches (overlapping ones too) occur.
        const data = Buffer.alloc(noise.length * 2);
        for (let i = 0; i < data.length; i++) data[i] = i % 2 === 0 ? noise[i >> 1]! : data[Math.max(0, i - period)]!;
        const ours = jsCompress(data);
        if (ours !== undefined) {
          const decoded = Buffer.alloc(data.length);
          expect(nativeLz4.decodeBlock(ours, decoded, 0, ours.length)).toBe(data.length);
          expect(decoded.equals(data)).toBe(true);
        }
        const theirs = Buffer.allocUnsafe(nativeLz4.encodeBound(data.length));
        const size = nativeLz4.encodeBlock(data, theirs, 0);
        if (size > 0) {
          const decoded = Buffer.alloc(data.length);
          expect(lz4DecodeBlock(theirs, decoded, 0, size)).toBe(data.length);
          expect(decoded.equals(data)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects malformed blocks and outputs that do not fit with a negative result, never an exception', () => {
    const data = compressible(5000);
    const packed = jsCompress(data)!;
    expect(lz4DecodeBlock(packed, Buffer.alloc(100), 0, packed.length)).toBeLessThan(0);
    for (let cut = 0; cut < packed.length - 1; cut += 7) {
      const out = Buffer.alloc(5000);
      const n = lz4DecodeBlock(packed, out, 0, cut);
      expect(n === -1 || n <= 5000).toBe(true);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const n = lz4DecodeBlock(bytes, Buffer.alloc(1000), 0, bytes.length);
        expect(n <= 1000).toBe(true);
      }),
    );
    // An offset pointing before the start of the output.
    expect(lz4DecodeBlock(Buffer.from([0x10, 0x61, 0x05, 0x00, 0x00]), Buffer.alloc(100), 0, 5)).toBe(-1);
  });
});

describe('LZ4 frames with either block backend', () => {
  let previous: ReturnType<typeof setLz4Backend>;
  beforeAll(async () => {
    await loadNativeLz4();
    expect(lz4BackendName()).toBe('native');
    previous = setLz4Backend(javascriptLz4Backend);
  });
  afterAll(() => {
    setLz4Backend(previous);
  });

  it('writes frames the native backend reads, and reads frames it writes', () => {
    const data = compressible(200_000, 3);
    const ours = compressLz4Frame(data);
    const native = setLz4Backend(previous);
    try {
      expect(decompressLz4Frame(ours, data.length).equals(data)).toBe(true);
      const theirs = compressLz4Frame(data);
      setLz4Backend(javascriptLz4Backend);
      expect(decompressLz4Frame(theirs, data.length).equals(data)).toBe(true);
    } finally {
      setLz4Backend(native === previous ? javascriptLz4Backend : native);
    }
  });
});
