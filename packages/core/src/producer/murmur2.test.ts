import { describe, expect, it } from 'vitest';
import { murmur2, murmur2Key, partitionForKey, toPositive } from './murmur2.js';

/**
 * Reference values printed by the Java client 4.4.0 (`org.apache.kafka.common.utils.Utils.murmur2` and
 * `toPositive(h) % n`) for the UTF-8 bytes of each key.
 */
const JAVA: ReadonlyArray<readonly [string, number, number, number]> = [
  // key, murmur2, partition of 6, partition of 7
  ['', 275646681, 3, 2],
  ['a', -1563381124, 4, 5],
  ['ab', 316155434, 2, 0],
  ['abc', 479470107, 3, 4],
  ['abcd', -1323649548, 2, 5],
  ['21', -973932308, 0, 3],
  ['foobar', -790332482, 0, 0],
  ['a-little-bit-long-string', -985981536, 2, 1],
  ['a-little-bit-longer-string', -1486304829, 5, 0],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971, 5, 3],
  ['key-0', 29210041, 1, 0],
  ['key-1', 193331640, 0, 5],
  ['key-42', -187086521, 3, 3],
  ['héllo wörld ✓', -1290846696, 2, 3],
  ['user-123456789', 1220388429, 3, 1],
];

/** Java's murmur2 of the bytes 0, 1, 2, ... n-1. */
const JAVA_BYTES: ReadonlyArray<readonly [number, number]> = [
  [1, 375494588],
  [2, -2112343979],
  [3, 51419311],
  [5, -1916494074],
  [7, -1488168820],
  [8, 970650281],
  [9, 1671170726],
  [255, 1542706800],
  [256, -1948347274],
];

describe('murmur2', () => {
  it.each(JAVA)('hashes %j like the Java client', (key, hash, of6, of7) => {
    expect(murmur2(Buffer.from(key, 'utf8'))).toBe(hash);
    expect(murmur2Key(key)).toBe(hash);
    expect(partitionForKey(key, 6)).toBe(of6);
    expect(partitionForKey(Buffer.from(key, 'utf8'), 7)).toBe(of7);
  });

  it.each(JAVA_BYTES)('hashes %i binary bytes like the Java client', (length, hash) => {
    const bytes = Uint8Array.from({ length }, (_, i) => i);
    expect(murmur2(bytes)).toBe(hash);
  });

  it('hashes a sub-range without copying it', () => {
    const framed = Buffer.concat([Buffer.from('xx'), Buffer.from('foobar'), Buffer.from('yyy')]);
    expect(murmur2(framed, 2, 8)).toBe(-790332482);
  });

  it('hashes string keys longer than its scratch buffer', () => {
    const key = 'ä'.repeat(3000);
    expect(murmur2Key(key)).toBe(murmur2(Buffer.from(key, 'utf8')));
  });

  it('toPositive clears the sign bit like Java (not Math.abs)', () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(2147483647);
    expect(toPositive(5)).toBe(5);
  });

  it('maps keys to non-negative partitions below the count', () => {
    for (let i = 0; i < 1000; i++) {
      const p = partitionForKey(Buffer.from(`key-${i}`), 7);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(7);
    }
    // A key whose hash is negative still lands where Java puts it (sign bit masked, not Math.abs).
    expect(partitionForKey(Buffer.from('foobar'), 10)).toBe((-790332482 & 0x7fffffff) % 10);
  });
});
