import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  crc32c,
  crc32cUpdate,
  crc32cUpdateJs,
  hasNativeCrc32c,
  NATIVE_CRC32C_MIN_BYTES,
  setNativeCrc32c,
} from './crc32c.js';
import { loadNativeCrc32c } from './crc32c-native.js';

/** Bit-at-a-time CRC-32C straight from the definition, to check the sliced tables against. */
function reference(data: Uint8Array): number {
  let c = ~0;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

describe('crc32c in JavaScript', () => {
  beforeAll(() => setNativeCrc32c(undefined));

  it('matches the published check values (RFC 3720 B.4 and the CRC catalogue)', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('agrees with the bitwise definition for every length up to 600 and every alignment', () => {
    const data = randomBytes(700);
    for (let length = 0; length <= 600; length++) {
      const offset = length % 7;
      const view = data.subarray(offset, offset + length);
      expect(crc32c(view)).toBe(reference(view));
      expect(crc32c(data, offset, offset + length)).toBe(reference(view));
    }
  });

  it('agrees with the bitwise definition on large unaligned inputs', () => {
    const data = randomBytes(1 << 20);
    for (const [start, end] of [
      [0, data.length],
      [3, data.length - 5],
      [1, 65_537],
    ] as const) {
      expect(crc32c(data, start, end)).toBe(reference(data.subarray(start, end)));
    }
  });

  it('chains: updating piece by piece equals one pass', () => {
    const data = randomBytes(10_000);
    let crc = 0;
    for (let at = 0; at < data.length; at += 777) crc = crc32cUpdate(crc, data, at, Math.min(data.length, at + 777));
    expect(crc).toBe(crc32c(data));
  });
});

describe('crc32c with the native implementation', () => {
  it('loads @node-rs/crc32 here and agrees with JavaScript on both sides of the size threshold', async () => {
    expect(await loadNativeCrc32c()).toBe(true);
    expect(hasNativeCrc32c()).toBe(true);
    const data = randomBytes(1 << 20);
    for (const length of [0, 1, NATIVE_CRC32C_MIN_BYTES - 1, NATIVE_CRC32C_MIN_BYTES, 4097, 1 << 20]) {
      const start = length === 1 << 20 ? 0 : 5;
      expect(crc32c(data, start, start + length)).toBe(crc32cUpdateJs(0, data, start, start + length));
      expect(crc32cUpdate(0x12345678, data, start, start + length)).toBe(
        crc32cUpdateJs(0x12345678, data, start, start + length),
      );
    }
    expect(crc32c(Buffer.from('123456789'.repeat(100)))).toBe(reference(Buffer.from('123456789'.repeat(100))));
  });
});
