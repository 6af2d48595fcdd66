import snappy from 'snappy';
import { beforeAll, describe, expect, it } from 'vitest';
import { CorruptRecordError } from '../../../errors/client-errors.js';
import type { CompressionCodec } from './compression-codec.js';
import {
  compressXerial,
  snappyCodec as loadedSnappyCodec,
  loadSnappy,
  snappyUncompressedLength,
  XERIAL_BLOCK_SIZE,
} from './snappy-codec.js';

let snappyCodec: CompressionCodec;
beforeAll(async () => {
  await loadSnappy();
  snappyCodec = loadedSnappyCodec()!;
  expect(snappyCodec).toBeDefined();
});

function sample(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = 97 + ((i * 7) % 13);
  return out;
}

function corruption(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CorruptRecordError);
    return (error as Error).message;
  }
  throw new Error('expected a CorruptRecordError');
}

describe('snappy', () => {
  it('writes the xerial framing of snappy-java: magic, version 1, compatible 1, 32 KiB blocks', () => {
    const data = sample(100_000);
    const out = compressXerial(data);
    expect(out.subarray(0, 16).toString('hex')).toBe('82534e415050590000000001' + '00000001');
    let blocks = 0;
    for (let p = 16; p < out.length; blocks++) p += 4 + out.readInt32BE(p);
    expect(blocks).toBe(Math.ceil(data.length / XERIAL_BLOCK_SIZE));
    expect(snappyCodec.decompress(out, data.length).equals(data)).toBe(true);
  });

  it('reads raw snappy, as librdkafka-based producers write it', () => {
    const data = sample(50_000);
    expect(snappyCodec.decompress(snappy.compressSync(data), data.length).equals(data)).toBe(true);
  });

  it('reads concatenated xerial streams and a stream of only a header', () => {
    const a = sample(40_000);
    const b = sample(10_000).reverse();
    const both = Buffer.concat([compressXerial(a), compressXerial(b)]);
    expect(snappyCodec.decompress(both, 50_000).equals(Buffer.concat([a, b]))).toBe(true);
    expect(snappyCodec.decompress(compressXerial(Buffer.alloc(0)), 0).length).toBe(0);
  });

  it('reads the uncompressed length preamble before decompressing', () => {
    expect(snappyUncompressedLength(Buffer.from([0x80, 0x80, 0x04]), 0, 3)).toBe(65536);
    expect(corruption(() => snappyUncompressedLength(Buffer.from([0x80]), 0, 1))).toContain('preamble');
    expect(
      corruption(() => snappyUncompressedLength(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 0, 6)),
    ).toContain('invalid');
  });

  it('rejects broken framing', () => {
    const good = compressXerial(sample(70_000));
    const pastEnd = Buffer.from(good);
    pastEnd.writeInt32BE(1 << 30, 16);
    expect(corruption(() => snappyCodec.decompress(pastEnd, 1 << 20))).toContain('past the end');
    const newer = Buffer.from(good);
    newer.writeInt32BE(2, 12);
    expect(corruption(() => snappyCodec.decompress(newer, 1 << 20))).toContain('reader version 2');
    expect(corruption(() => snappyCodec.decompress(good.subarray(0, 18), 1 << 20))).toContain('block length');
    // A block whose preamble claims more than its data holds.
    const lying = Buffer.from(good);
    lying[20] = (lying[20]! + 1) & 0x7f;
    expect(() => snappyCodec.decompress(lying, 1 << 20)).toThrow(CorruptRecordError);
  });
});
