import { describe, expect, it } from 'vitest';
import { RECORD_BATCH_OVERHEAD } from './record-batch-format.js';
import { estimateBatchSizeUpperBound, estimateRecordSizeUpperBound, recordSizeInBytes } from './record-size.js';

describe('record sizes', () => {
  it('computes the exact size of a record as Java does', () => {
    // length(1) attributes(1) timestampDelta(1) offsetDelta(1) key(-1: 1) value(-1: 1) headers(0: 1) = 7 bytes.
    expect(recordSizeInBytes(0, 0, null, null)).toBe(7);
    // key 'k' = 1+1, value 3 bytes = 1+3, one header 'h' -> null = 1+1+1.
    expect(recordSizeInBytes(0, 0, 'k', Buffer.alloc(3), [{ key: 'h', value: null }])).toBe(
      1 + 1 + 1 + 1 + 2 + 4 + 1 + 3,
    );
    // Larger deltas take more varint bytes: 64 needs 2, 2^40 needs 6.
    expect(recordSizeInBytes(64, 2 ** 40, null, null)).toBe(7 + 1 + 5);
    // 121 value bytes: its length takes 2 bytes (zig-zag 242), the body is 128 bytes, its length 2 more: 130.
    expect(recordSizeInBytes(0, 0, null, Buffer.alloc(121))).toBe(130);
    // UTF-8 lengths, not UTF-16 lengths.
    expect(recordSizeInBytes(0, 0, 'é', null)).toBe(recordSizeInBytes(0, 0, Buffer.from('é'), null));
  });

  it('bounds the size from above without scanning strings', () => {
    const cases: [Buffer | string | null, Buffer | string | null][] = [
      [null, null],
      ['ключ', '値'.repeat(100)],
      [Buffer.alloc(1000), Buffer.alloc(100_000)],
    ];
    for (const [key, value] of cases) {
      const headers = [{ key: 'é', value: 'ü' }];
      expect(estimateRecordSizeUpperBound(key, value, headers)).toBeGreaterThanOrEqual(
        recordSizeInBytes(2 ** 31 - 1, -(2 ** 50), key, value, headers),
      );
      expect(estimateBatchSizeUpperBound(key, value)).toBe(
        RECORD_BATCH_OVERHEAD + estimateRecordSizeUpperBound(key, value),
      );
    }
  });
});
