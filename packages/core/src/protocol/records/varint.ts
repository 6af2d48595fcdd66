/**
 * Zig-zag variable-length integers as record batches v2 use them (protobuf's sint32/sint64 encoding): `varint`
 * for 32-bit values (at most 5 bytes), `varlong` for 64-bit values (at most 10 bytes). Written for the record
 * hot path: writers take and return positions, readers live on {@link RecordCursor}.
 *
 * Varlongs are handled as JavaScript numbers: exact up to 2^53, which covers every timestamp delta Kafka can
 * produce from millisecond timestamps.
 */

/** Bytes needed to write `value` (a 32-bit signed integer) as a zig-zag varint. */
export function sizeOfVarint(value: number): number {
  const v = ((value << 1) ^ (value >> 31)) >>> 0;
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  return 5;
}

/** Writes `value` (a 32-bit signed integer) as a zig-zag varint at `pos`; returns the position after it. */
export function writeVarint(buf: Uint8Array, pos: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    buf[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[pos++] = v;
  return pos;
}

/** The zig-zag transform of a safe integer, as a non-negative number (exact below 2^52 in magnitude). */
function zigzag64(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

/** Bytes needed to write `value` (an integer, exact within ±2^52) as a zig-zag varlong. */
export function sizeOfVarlong(value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) return sizeOfVarint(value);
  let v = zigzag64(value);
  let size = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}

/** Writes `value` (an integer, exact within ±2^52) as a zig-zag varlong at `pos`; returns the position after it. */
export function writeVarlong(buf: Uint8Array, pos: number, value: number): number {
  if (value >= -0x40000000 && value < 0x40000000) return writeVarint(buf, pos, value);
  let v = zigzag64(value);
  while (v >= 0x80) {
    buf[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}
