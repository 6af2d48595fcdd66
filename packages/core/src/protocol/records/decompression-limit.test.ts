import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  MIN_MAX_DECOMPRESSED_BYTES,
  maxDecompressedBytesFor,
} from './decompression-limit.js';

describe('maxDecompressedBytesFor', () => {
  it('allows 64 times the largest fetchable batch, between 64 MiB and 256 MiB', () => {
    const MiB = 1024 * 1024;
    expect(DEFAULT_MAX_DECOMPRESSED_BYTES).toBe(256 * MiB);
    expect(maxDecompressedBytesFor(50 * MiB, MiB)).toBe(256 * MiB);
    expect(maxDecompressedBytesFor(MiB, MiB)).toBe(MIN_MAX_DECOMPRESSED_BYTES);
    expect(maxDecompressedBytesFor(2 * MiB)).toBe(128 * MiB);
    expect(maxDecompressedBytesFor(1024, 3 * MiB)).toBe(192 * MiB);
  });
});
