import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import * as lz4 from 'lz4';
import { describe, expect, it } from 'vitest';
import { CorruptRecordError } from '../../../errors/client-errors.js';
import { compressLz4Frame, decompressLz4Frame, LZ4_BLOCK_SIZE } from './lz4-codec.js';
import { xxhash32 } from './xxhash32.js';

const require = createRequire(import.meta.url);

function sample(size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = (i % 251) ^ (i >> 10) ^ (i % 7 === 0 ? 0x55 : 0);
  return out;
}

interface FrameOptions {
  flg?: number;
  bd?: number;
  contentSize?: number;
  blockChecksum?: boolean;
  contentChecksum?: boolean;
  brokenHeaderChecksum?: boolean;
  storeUncompressed?: boolean;
  blockSize?: number;
}

/** Builds an LZ4 frame by hand, with whichever optional parts a test needs. */
function frame(data: Buffer, options: FrameOptions = {}): Buffer {
  const blockSize = options.blockSize ?? LZ4_BLOCK_SIZE;
  let flg = options.flg ?? 0x60;
  if (options.blockChecksum) flg |= 0x10;
  if (options.contentSize !== undefined) flg |= 0x08;
  if (options.contentChecksum) flg |= 0x04;
  const header = [0x04, 0x22, 0x4d, 0x18, flg, options.bd ?? 0x40];
  if (options.contentSize !== undefined) {
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(BigInt(options.contentSize));
    header.push(...size);
  }
  const parts: Buffer[] = [Buffer.from(header)];
  const checksumRange = options.brokenHeaderChecksum ? parts[0]! : parts[0]!.subarray(4);
  parts.push(Buffer.from([(xxhash32(checksumRange) >>> 8) & 0xff]));
  for (let at = 0; at < data.length; at += blockSize) {
    const block = data.subarray(at, Math.min(data.length, at + blockSize));
    const out = Buffer.alloc(lz4.encodeBound(block.length));
    const n = options.storeUncompressed ? 0 : lz4.encodeBlock(block, out);
    const size = Buffer.alloc(4);
    const body = n > 0 ? out.subarray(0, n) : block;
    size.writeUInt32LE(n > 0 ? n : (block.length | 0x80000000) >>> 0);
    parts.push(size, body);
    if (options.blockChecksum) {
      const sum = Buffer.alloc(4);
      sum.writeUInt32LE(xxhash32(body));
      parts.push(sum);
    }
  }
  parts.push(Buffer.alloc(4));
  if (options.contentChecksum) {
    const sum = Buffer.alloc(4);
    sum.writeUInt32LE(xxhash32(data));
    parts.push(sum);
  }
  return Buffer.concat(parts);
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

describe('LZ4 frames', () => {
  it('are written as the Java client writes them: FLG 0x60, BD 0x40, header checksum 0x82, 64 KiB blocks', () => {
    const data = sample(200_000);
    const out = compressLz4Frame(data);
    expect([...out.subarray(0, 7)]).toEqual([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82]);
    expect(out.readUInt32LE(out.length - 4)).toBe(0);
    let blocks = 0;
    for (let p = 7; out.readUInt32LE(p) !== 0; blocks++) p += 4 + (out.readUInt32LE(p) & 0x7fffffff);
    expect(blocks).toBe(Math.ceil(data.length / LZ4_BLOCK_SIZE));
  });

  it('store incompressible blocks uncompressed and read them back', () => {
    const random = randomBytes(5000);
    const out = compressLz4Frame(random);
    expect(out.readUInt32LE(7) & 0x80000000).not.toBe(0);
    expect(decompressLz4Frame(out, random.length).equals(random)).toBe(true);
    expect(decompressLz4Frame(frame(random, { storeUncompressed: true }), random.length).equals(random)).toBe(true);
  });

  it('read content size, block checksums, content checksum and 4 MiB blocks', () => {
    const data = sample(300_000);
    for (const options of [
      { contentSize: data.length },
      { blockChecksum: true },
      { contentChecksum: true },
      { bd: 0x70, blockSize: 4 << 20 },
      { bd: 0x50, blockSize: 256 << 10, blockChecksum: true, contentChecksum: true, contentSize: data.length },
    ]) {
      expect(decompressLz4Frame(frame(data, options), data.length).equals(data)).toBe(true);
    }
  });

  it('read frames written by another implementation (lz4-napi, lz4_flex)', () => {
    const napi = require('lz4-napi') as { compressFrameSync(data: Buffer): Buffer };
    const data = sample(1_000_000);
    expect(decompressLz4Frame(napi.compressFrameSync(data), data.length).equals(data)).toBe(true);
  });

  it('check the header checksum, except for legacy magic 0 (KAFKA-1493)', () => {
    const data = sample(1000);
    const broken = frame(data, { brokenHeaderChecksum: true });
    expect(corruption(() => decompressLz4Frame(broken, data.length))).toContain('header checksum');
    expect(decompressLz4Frame(broken, data.length, { ignoreHeaderChecksum: true }).equals(data)).toBe(true);
  });

  it('reject what Kafka does not support or what does not add up', () => {
    const data = sample(100_000);
    const good = frame(data);
    const cases: [string, Buffer, RegExp][] = [
      ['dependent blocks', frame(data, { flg: 0x40 }), /dependent blocks/],
      ['version 00', frame(data, { flg: 0x20 }), /version/],
      ['dictionary id', frame(data, { flg: 0x61 }), /reserved flags or a dictionary/],
      ['block size id 3', frame(data, { bd: 0x30 }), /block size id/],
      ['reserved BD bits', frame(data, { bd: 0x41 }), /reserved/],
      ['wrong magic', Buffer.concat([Buffer.from([0, 0, 0, 0]), good.subarray(4)]), /magic/],
      ['content size too small', frame(data, { contentSize: 1000 }), /more bytes than its header/],
      ['content size too large', frame(data, { contentSize: 100_001 }), /header says 100001/],
      ['no end mark', good.subarray(0, good.length - 4), /end mark/],
      ['missing content checksum', frame(data, { contentChecksum: true }).subarray(0, -4), /content checksum/],
      ['oversized block', Buffer.concat([good.subarray(0, 7), Buffer.from([0x01, 0x00, 0x01, 0x00])]), /exceeds/],
    ];
    const checksummed = frame(data, { blockChecksum: true });
    checksummed[15]! ^= 1;
    cases.push(['block checksum', checksummed, /block checksum/]);
    for (const [name, input, message] of cases) {
      expect(
        corruption(() => decompressLz4Frame(input, 1 << 20)),
        name,
      ).toMatch(message);
    }
  });

  it('bound the output: declared content size, and bombs of many small blocks', () => {
    const zeros = Buffer.alloc(16 << 20);
    expect(corruption(() => decompressLz4Frame(frame(Buffer.alloc(10), { contentSize: 1 << 30 }), 1 << 20))).toContain(
      'raise maxDecompressedBytes',
    );
    const bomb = compressLz4Frame(zeros);
    expect(bomb.length).toBeLessThan(100_000);
    expect(corruption(() => decompressLz4Frame(bomb, 1 << 20))).toContain('more than 1048576 bytes');
    // A large-block frame whose bound exceeds the limit but whose content fits still decodes (growing output).
    const small = sample(10_000);
    expect(decompressLz4Frame(frame(small, { bd: 0x70, blockSize: 4 << 20 }), 1 << 20).equals(small)).toBe(true);
  });
});
