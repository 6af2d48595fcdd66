/**
 * The LZ4 *block* format in plain JavaScript: the fallback behind the LZ4 frame codec when the native `lz4` package
 * is not built (installs with `--ignore-scripts`, platforms without a compiler). The native binding is used when it
 * loads; this one keeps `compression: 'lz4'` working everywhere, at a lower speed.
 *
 * Block format (lz4 block spec): a sequence of `token | [literal length bytes] | literals | offset (u16 LE) |
 * [match length bytes]`, where the token's high nibble is the literal length and its low nibble the match length
 * minus 4 (15 means "more bytes follow, each adding up to 255"). The last sequence holds literals only. The last 5
 * bytes are always literals, and no match starts in the last 12 bytes.
 */

const MIN_MATCH = 4;
const LAST_LITERALS = 5;
const MF_LIMIT = 12;
const MAX_OFFSET = 0xffff;
const HASH_LOG = 14;
const HASH_SHIFT = 32 - HASH_LOG;

/** The block operations the frame codec needs; the native binding and this module both provide them. */
export interface Lz4BlockBackend {
  /** Where the operations come from. */
  readonly name: 'native' | 'javascript';
  /** Largest compressed size of `length` input bytes. */
  encodeBound(length: number): number;
  /**
   * Compresses `src` into `dst` from `dstStart`. Returns the compressed size, or 0 when it does not fit or would
   * not shrink (the caller then stores the block uncompressed).
   */
  encodeBlock(src: Uint8Array, dst: Uint8Array, dstStart: number): number;
  /**
   * Decompresses `src[srcStart, srcEnd)` into `dst` from 0. Returns the bytes written, or a negative number when
   * the input is malformed or the output does not fit in `dst`.
   */
  decodeBlock(src: Uint8Array, dst: Uint8Array, srcStart: number, srcEnd: number): number;
}

/** Largest compressed size of `length` bytes: the incompressible worst case plus its length bytes. */
export function lz4EncodeBound(length: number): number {
  return length + Math.floor(length / 255) + 16;
}

let hashTable: Int32Array | undefined;

function read32(src: Uint8Array, at: number): number {
  return src[at]! | (src[at + 1]! << 8) | (src[at + 2]! << 16) | (src[at + 3]! << 24);
}

/** Writes an LZ4 length continuation (the part of a length above 15) and returns the new position, or -1. */
function writeLength(dst: Uint8Array, o: number, end: number, rest: number): number {
  while (rest >= 255) {
    if (o >= end) return -1;
    dst[o++] = 255;
    rest -= 255;
  }
  if (o >= end) return -1;
  dst[o++] = rest;
  return o;
}

/** Emits one sequence: literals `src[anchor, literalEnd)` then (when `matchLength > 0`) a match. */
function emit(
  src: Uint8Array,
  dst: Uint8Array,
  o: number,
  end: number,
  anchor: number,
  literalEnd: number,
  offset: number,
  matchLength: number,
): number {
  const literals = literalEnd - anchor;
  if (o >= end) return -1;
  const token = o++;
  let tokenValue = Math.min(literals, 15) << 4;
  if (literals >= 15) {
    o = writeLength(dst, o, end, literals - 15);
    if (o < 0) return -1;
  }
  if (o + literals > end) return -1;
  for (let i = 0; i < literals; i++) dst[o + i] = src[anchor + i]!;
  o += literals;
  if (matchLength > 0) {
    if (o + 2 > end) return -1;
    dst[o++] = offset & 0xff;
    dst[o++] = offset >>> 8;
    const code = matchLength - MIN_MATCH;
    tokenValue |= Math.min(code, 15);
    if (code >= 15) {
      o = writeLength(dst, o, end, code - 15);
      if (o < 0) return -1;
    }
  }
  dst[token] = tokenValue;
  return o;
}

/** Compresses one block with a greedy single-probe hash search (the LZ4 "fast" strategy). See {@link Lz4BlockBackend}. */
export function lz4EncodeBlock(src: Uint8Array, dst: Uint8Array, dstStart: number): number {
  const length = src.length;
  const end = dst.length;
  let o = dstStart;
  let anchor = 0;
  if (length >= MF_LIMIT + 1) {
    hashTable ??= new Int32Array(1 << HASH_LOG);
    const table = hashTable;
    table.fill(-1);
    const matchLimit = length - LAST_LITERALS;
    const searchLimit = length - MF_LIMIT;
    let ip = 0;
    while (ip < searchLimit) {
      const sequence = read32(src, ip);
      const h = Math.imul(sequence, 2654435761) >>> HASH_SHIFT;
      const ref = table[h]!;
      table[h] = ip;
      if (ref < 0 || ip - ref > MAX_OFFSET || read32(src, ref) !== sequence) {
        ip++;
        continue;
      }
      let matchLength = MIN_MATCH;
      while (ip + matchLength < matchLimit && src[ref + matchLength] === src[ip + matchLength]) matchLength++;
      o = emit(src, dst, o, end, anchor, ip, ip - ref, matchLength);
      if (o < 0) return 0;
      ip += matchLength;
      anchor = ip;
    }
  }
  o = emit(src, dst, o, end, anchor, length, 0, 0);
  if (o < 0) return 0;
  const size = o - dstStart;
  return size >= length ? 0 : size;
}

/** Decompresses one block, checking every length against both buffers. See {@link Lz4BlockBackend}. */
export function lz4DecodeBlock(src: Uint8Array, dst: Uint8Array, srcStart: number, srcEnd: number): number {
  let p = srcStart;
  let o = 0;
  const outEnd = dst.length;
  for (;;) {
    if (p >= srcEnd) return -1;
    const token = src[p++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      for (;;) {
        if (p >= srcEnd) return -1;
        const more = src[p++]!;
        literals += more;
        if (more !== 255) break;
      }
    }
    if (p + literals > srcEnd || o + literals > outEnd) return -1;
    for (let i = 0; i < literals; i++) dst[o + i] = src[p + i]!;
    p += literals;
    o += literals;
    if (p === srcEnd) return o; // the last sequence: literals only
    if (p + 2 > srcEnd) return -1;
    const offset = src[p]! | (src[p + 1]! << 8);
    p += 2;
    if (offset === 0 || offset > o) return -1;
    let matchLength = (token & 15) + MIN_MATCH;
    if ((token & 15) === 15) {
      for (;;) {
        if (p >= srcEnd) return -1;
        const more = src[p++]!;
        matchLength += more;
        if (more !== 255) break;
      }
    }
    if (o + matchLength > outEnd) return -1;
    // Byte by byte: a match may overlap the bytes it produces (offset < length repeats a pattern).
    let from = o - offset;
    for (let i = 0; i < matchLength; i++) dst[o++] = dst[from++]!;
  }
}

/** The plain-JavaScript backend. */
export const javascriptLz4Backend: Lz4BlockBackend = {
  name: 'javascript',
  encodeBound: lz4EncodeBound,
  encodeBlock: lz4EncodeBlock,
  decodeBlock: lz4DecodeBlock,
};
