import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Js } from './crc32.js';

describe('crc32 (IEEE)', () => {
  it('matches the check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32Js(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('native and JavaScript implementations agree on ranges of random data', () => {
    const data = randomBytes(5000);
    for (let length = 0; length < 300; length += 7) {
      expect(crc32(data, 3, 3 + length)).toBe(crc32Js(data, 3, 3 + length));
    }
    expect(crc32(data)).toBe(crc32Js(data));
  });
});
