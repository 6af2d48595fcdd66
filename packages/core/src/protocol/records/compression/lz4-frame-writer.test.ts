import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { javascriptLz4Backend } from './lz4-block.js';
import { decompressLz4Frame } from './lz4-codec.js';
import { writeLz4Frame } from './lz4-frame-writer.js';
import { xxhash32 } from './xxhash32.js';

const { encodeBound, encodeBlock } = javascriptLz4Backend;

describe('writeLz4Frame', () => {
  it('writes the header the Java client writes, with the header checksum of its descriptor', () => {
    const frame = writeLz4Frame(Buffer.from('abc'.repeat(100)), encodeBound, encodeBlock);
    expect([...frame.subarray(0, 6)]).toEqual([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40]);
    expect(frame[6]).toBe((xxhash32(frame, 4, 6) >>> 8) & 0xff);
  });

  it('stores a block that does not shrink uncompressed, and ends with a zero end mark', () => {
    const random = randomBytes(70_000);
    const frame = writeLz4Frame(random, encodeBound, encodeBlock);
    expect(frame.readUInt32LE(7)).toBe((65_536 | 0x80000000) >>> 0); // first block: 64 KiB, stored
    expect(decompressLz4Frame(frame, random.length).equals(random)).toBe(true);
    expect(frame.readUInt32LE(frame.length - 4)).toBe(0);
  });

  it('runs from its source text alone, as the compression workers run it', () => {
    const data = Buffer.from('{"order":1,"status":"shipped"},'.repeat(5000));
    const isolated = new Function(`return (${writeLz4Frame.toString()});`)() as typeof writeLz4Frame;
    const frame = isolated(data, encodeBound, encodeBlock);
    expect(frame.equals(writeLz4Frame(data, encodeBound, encodeBlock))).toBe(true);
    expect(decompressLz4Frame(frame, data.length).equals(data)).toBe(true);
  });
});
