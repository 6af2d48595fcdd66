/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of Kafka record batches (magic 2).
 *
 * Two implementations behind one function:
 * - JavaScript, table-driven slicing-by-16: sixteen 256-entry tables fold sixteen input bytes per step; on
 *   little-endian hosts long inputs are read four bytes at a time through an `Int32Array` view. About 2.3 GB/s
 *   on one core here (`bench/records/crc32c.ts`), against about 0.4 GB/s for a byte-at-a-time loop.
 * - Native (SSE 4.2 / ARMv8 CRC instructions) from the optional package `@node-rs/crc32`, once
 *   `loadNativeCrc32c()` has loaded it: about 7-8 GB/s from 16 KiB up, but slower than JavaScript for short
 *   inputs (call overhead), so it is used from {@link NATIVE_CRC32C_MIN_BYTES} up. Decoding uncompressed 1 KiB
 *   records is CRC-bound: the native CRC makes it about twice as fast.
 */

const POLY = 0x82f63b78;

function buildTables(): Int32Array {
  const tables = new Int32Array(16 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n]!;
    for (let t = 1; t < 16; t++) {
      c = tables[c & 0xff]! ^ (c >>> 8);
      tables[t * 256 + n] = c;
    }
  }
  return tables;
}

const T = buildTables();
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Below this many bytes the word-view setup costs more than it saves. */
const WORD_PATH_MIN = 256;

/** A native CRC-32C: `(data, crcOfBytesBefore) => crc`, unsigned. */
export type NativeCrc32c = (data: Uint8Array, initial?: number) => number;

/** Inputs from this size up go to the native CRC-32C when it is loaded; shorter ones stay in JavaScript. */
export const NATIVE_CRC32C_MIN_BYTES = 256;

let native: NativeCrc32c | undefined;

/** Installs (or with `undefined`, removes) the native CRC-32C used for long inputs. */
export function setNativeCrc32c(fn: NativeCrc32c | undefined): void {
  native = fn;
}

/** True when a native CRC-32C is installed. */
export function hasNativeCrc32c(): boolean {
  return native !== undefined;
}

/**
 * Updates a running CRC-32C with `data[start, end)` and returns the new value (unsigned 32-bit).
 *
 * @param crc the CRC-32C of the bytes before (0 for none).
 */
export function crc32cUpdate(crc: number, data: Uint8Array, start = 0, end: number = data.length): number {
  if (native !== undefined && end - start >= NATIVE_CRC32C_MIN_BYTES) {
    return native(start === 0 && end === data.length ? data : data.subarray(start, end), crc) >>> 0;
  }
  return crc32cUpdateJs(crc, data, start, end);
}

/** {@link crc32cUpdate} in JavaScript only. */
export function crc32cUpdateJs(crc: number, data: Uint8Array, start = 0, end: number = data.length): number {
  let c = ~crc;
  let i = start;
  if (LITTLE_ENDIAN && end - i >= WORD_PATH_MIN) {
    const base = data.byteOffset;
    while (((base + i) & 3) !== 0) c = T[(c ^ data[i++]!) & 0xff]! ^ (c >>> 8);
    const words = ((end - i) >>> 4) << 2;
    const v = new Int32Array(data.buffer, base + i, words);
    for (let k = 0; k < words; k += 4) {
      const a = c ^ v[k]!;
      const b = v[k + 1]!;
      const d = v[k + 2]!;
      const e = v[k + 3]!;
      c =
        T[3840 + (a & 0xff)]! ^
        T[3584 + ((a >>> 8) & 0xff)]! ^
        T[3328 + ((a >>> 16) & 0xff)]! ^
        T[3072 + (a >>> 24)]! ^
        T[2816 + (b & 0xff)]! ^
        T[2560 + ((b >>> 8) & 0xff)]! ^
        T[2304 + ((b >>> 16) & 0xff)]! ^
        T[2048 + (b >>> 24)]! ^
        T[1792 + (d & 0xff)]! ^
        T[1536 + ((d >>> 8) & 0xff)]! ^
        T[1280 + ((d >>> 16) & 0xff)]! ^
        T[1024 + (d >>> 24)]! ^
        T[768 + (e & 0xff)]! ^
        T[512 + ((e >>> 8) & 0xff)]! ^
        T[256 + ((e >>> 16) & 0xff)]! ^
        T[e >>> 24]!;
    }
    i += words * 4;
  } else {
    const stop = end - ((end - i) & 15);
    while (i < stop) {
      const a = c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
      c =
        T[3840 + (a & 0xff)]! ^
        T[3584 + ((a >>> 8) & 0xff)]! ^
        T[3328 + ((a >>> 16) & 0xff)]! ^
        T[3072 + (a >>> 24)]! ^
        T[2816 + data[i + 4]!]! ^
        T[2560 + data[i + 5]!]! ^
        T[2304 + data[i + 6]!]! ^
        T[2048 + data[i + 7]!]! ^
        T[1792 + data[i + 8]!]! ^
        T[1536 + data[i + 9]!]! ^
        T[1280 + data[i + 10]!]! ^
        T[1024 + data[i + 11]!]! ^
        T[768 + data[i + 12]!]! ^
        T[512 + data[i + 13]!]! ^
        T[256 + data[i + 14]!]! ^
        T[data[i + 15]!]!;
      i += 16;
    }
  }
  while (i < end) c = T[(c ^ data[i++]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32C of `data[start, end)` (unsigned 32-bit), as Kafka stores it in a record batch header. */
export function crc32c(data: Uint8Array, start = 0, end: number = data.length): number {
  return crc32cUpdate(0, data, start, end);
}
