import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from './murmur2.js';

describe('murmur2', () => {
  // Reference values of the Java client's Utils.murmur2 (as asserted by Apache Kafka's own UtilsTest).
  const cases: Array<[string | number[], number]> = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    [[0x61, 0x62, 0x63], 479470107],
  ];

  it.each(cases)('hashes %j like the Java client', (input, expected) => {
    const bytes = typeof input === 'string' ? Buffer.from(input) : Uint8Array.from(input);
    expect(murmur2(bytes)).toBe(expected);
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
