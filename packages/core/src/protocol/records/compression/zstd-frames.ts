import { CorruptRecordError } from '../../../errors/client-errors.js';

/**
 * Frame boundaries in zstd data (RFC 8878): walks frame headers and block headers without decompressing, so that
 * a decompressor which stops silently at the end of the first frame, or at the end of truncated input (Node's
 * `zlib.zstdDecompressSync`), can be fed whole frames and truncation is caught.
 */

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const DICT_ID_SIZES = [0, 1, 2, 4];
const CONTENT_SIZE_SIZES = [0, 2, 4, 8];

function readU32LE(data: Uint8Array, at: number): number {
  return (data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16) | (data[at + 3]! << 24)) >>> 0;
}

function truncated(): CorruptRecordError {
  return new CorruptRecordError('zstd data ends inside a frame');
}

/**
 * The end offsets of the zstd frames (skippable frames omitted) that make up `data` exactly.
 *
 * @throws CorruptRecordError when `data` ends inside a frame or holds something other than frames.
 */
export function zstdFrameEnds(data: Uint8Array): { start: number; end: number }[] {
  const frames: { start: number; end: number }[] = [];
  let p = 0;
  while (p < data.length) {
    if (data.length - p < 4) throw truncated();
    const magic = readU32LE(data, p);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (data.length - p < 8) throw truncated();
      const size = readU32LE(data, p + 4);
      if (size > data.length - p - 8) throw truncated();
      p += 8 + size;
      continue;
    }
    if (magic !== ZSTD_MAGIC) throw new CorruptRecordError('zstd data holds something other than a zstd frame');
    const start = p;
    p += 4;
    if (p >= data.length) throw truncated();
    const descriptor = data[p++]!;
    if ((descriptor & 0x08) !== 0) throw new CorruptRecordError('zstd frame header sets a reserved bit');
    const singleSegment = (descriptor & 0x20) !== 0;
    const contentSizeFlag = descriptor >>> 6;
    p += (singleSegment ? 0 : 1) + DICT_ID_SIZES[descriptor & 0x03]!;
    p += contentSizeFlag === 0 ? (singleSegment ? 1 : 0) : CONTENT_SIZE_SIZES[contentSizeFlag]!;
    for (let last = false; !last; ) {
      if (data.length - p < 3) throw truncated();
      const header = data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16);
      p += 3;
      last = (header & 1) === 1;
      const type = (header >>> 1) & 0x03;
      if (type === 3) throw new CorruptRecordError('zstd block has the reserved block type');
      p += type === 1 ? 1 : header >>> 3;
      if (p > data.length) throw truncated();
    }
    if ((descriptor & 0x04) !== 0) p += 4;
    if (p > data.length) throw truncated();
    frames.push({ start, end: p });
  }
  return frames;
}
