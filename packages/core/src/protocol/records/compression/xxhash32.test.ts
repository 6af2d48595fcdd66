import { describe, expect, it } from 'vitest';
import { xxhash32 } from './xxhash32.js';

describe('xxhash32', () => {
  it('matches the reference implementation on known inputs', () => {
    expect(xxhash32(Buffer.alloc(0))).toBe(0x02cc5d05);
    expect(xxhash32(Buffer.from('a'))).toBe(0x550d7456);
    expect(xxhash32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxhash32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
    expect(xxhash32(Buffer.from('abc'), 0, 3, 1)).toBe(0xaa3da8ff);
  });

  it('hashes a range of a larger buffer like the range alone', () => {
    const data = Buffer.from('xxNobody inspects the spammish repetitionyy');
    expect(xxhash32(data, 2, data.length - 2)).toBe(0xe2293b2f);
  });

  it('gives the LZ4 frame header checksum Kafka writes (FLG 0x60, BD 0x40 -> 0x82)', () => {
    expect((xxhash32(Buffer.from([0x60, 0x40])) >>> 8) & 0xff).toBe(0x82);
  });
});
