import { InvalidArgumentError, ProtocolError } from '../../errors/client-errors.js';
import type { TaggedField } from './tagged-field.js';

/** Largest string, in UTF-8 bytes, that Kafka reads or writes (its strings carry an int16 length). */
export const MAX_STRING_BYTES = 0x7fff;

const EMPTY_BUFFER: Buffer = Buffer.alloc(0);

/** `Buffer.prototype.utf8Slice` skips the argument checks of `toString`; fall back where a runtime lacks it. */
type Utf8Slicer = (this: Buffer, start: number, end: number) => string;
const utf8Slice: Utf8Slicer =
  (Buffer.prototype as unknown as { utf8Slice?: Utf8Slicer }).utf8Slice ??
  function (this: Buffer, start: number, end: number) {
    return this.toString('utf8', start, end);
  };

/** Strings up to this many bytes are decoded by a JS loop when they are ASCII (faster than a native call). */
const SHORT_ASCII = 8;

/**
 * Reads Kafka protocol primitives from a buffer, front to back.
 *
 * - Bytes and records are returned as `subarray` views of the input: nothing that can be sliced is copied, so the
 *   results share memory with (and keep alive) the input buffer.
 * - Every length read from the wire is checked against the bytes that remain before anything is allocated: a
 *   truncated or lying frame throws a {@link ProtocolError} naming what was being read, never an out-of-bounds
 *   read, a hang or a huge allocation.
 * - The `what` argument of each method names the value for error messages (`'partitions[].errorCode'`); it costs
 *   nothing unless an error is thrown. {@link context} names the message being decoded.
 */
export class Reader {
  /** The bytes being read. */
  readonly buffer: Buffer;
  /** Position of the next byte to read. */
  offset: number;
  /** Position just past the last readable byte. */
  readonly end: number;
  /** What is being decoded (`'FetchResponse v16'`), named in error messages. */
  context: string | undefined;

  /**
   * @param buffer The bytes to read.
   * @param offset Where to start (default 0).
   * @param end Where to stop (default: the end of `buffer`).
   */
  constructor(buffer: Buffer, offset = 0, end = buffer.length) {
    if (!Number.isInteger(offset) || !Number.isInteger(end) || offset < 0 || end > buffer.length || offset > end) {
      throw new InvalidArgumentError(
        `Reader bounds [${offset}, ${end}) do not fit in a buffer of ${buffer.length} bytes`,
      );
    }
    this.buffer = buffer;
    this.offset = offset;
    this.end = end;
    this.context = undefined;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.end - this.offset;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Fixed-size numbers

  /** Reads a signed 8-bit integer. */
  readInt8(what = 'int8'): number {
    const o = this.take(1, what);
    const v = this.buffer[o]!;
    return (v << 24) >> 24;
  }

  /** Reads a signed big-endian 16-bit integer. */
  readInt16(what = 'int16'): number {
    const o = this.take(2, what);
    const b = this.buffer;
    return (((b[o]! << 8) | b[o + 1]!) << 16) >> 16;
  }

  /** Reads an unsigned big-endian 16-bit integer. */
  readUInt16(what = 'uint16'): number {
    const o = this.take(2, what);
    const b = this.buffer;
    return (b[o]! << 8) | b[o + 1]!;
  }

  /** Reads a signed big-endian 32-bit integer. */
  readInt32(what = 'int32'): number {
    const o = this.take(4, what);
    const b = this.buffer;
    return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
  }

  /** Reads an unsigned big-endian 32-bit integer. */
  readUInt32(what = 'uint32'): number {
    const o = this.take(4, what);
    const b = this.buffer;
    return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
  }

  /** Reads a signed big-endian 64-bit integer as a bigint. */
  readInt64(what = 'int64'): bigint {
    const o = this.take(8, what);
    return this.buffer.readBigInt64BE(o);
  }

  /**
   * Reads a signed big-endian 64-bit integer as a number. Exact up to `Number.MAX_SAFE_INTEGER` in magnitude;
   * a value beyond that throws a {@link ProtocolError} rather than lose precision.
   */
  readInt64Number(what = 'int64'): number {
    const o = this.take(8, what);
    const b = this.buffer;
    const hi = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
    const lo = ((b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!) >>> 0;
    if (hi > 0x1fffff || hi < -0x200000 || (hi === -0x200000 && lo === 0)) {
      throw this.error(`${what} ${this.buffer.readBigInt64BE(o)} is beyond Number.MAX_SAFE_INTEGER`);
    }
    return hi * 0x100000000 + lo;
  }

  /** Reads a big-endian IEEE 754 double. */
  readFloat64(what = 'float64'): number {
    const o = this.take(8, what);
    return this.buffer.readDoubleBE(o);
  }

  /** Reads a boolean (one byte; any non-zero value is true, as in Kafka). */
  readBoolean(what = 'boolean'): boolean {
    const o = this.take(1, what);
    return this.buffer[o] !== 0;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Variable-length numbers

  /** Reads an unsigned varint (at most 5 bytes, value below 2^32). */
  readUnsignedVarint(what = 'unsigned varint'): number {
    const b = this.buffer;
    const end = this.end;
    let o = this.offset;
    if (o >= end) throw this.truncated(what, 1);
    let byte = b[o++]!;
    if (byte < 0x80) {
      this.offset = o;
      return byte;
    }
    let value = byte & 0x7f;
    let shift = 7;
    for (;;) {
      if (o >= end) throw this.truncated(what, o - this.offset + 1);
      byte = b[o++]!;
      if (shift === 28) {
        if (byte > 0x0f) throw this.error(`${what} is not a valid unsigned varint (longer than 32 bits)`);
        value += byte * 0x10000000;
        break;
      }
      value |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
      shift += 7;
    }
    this.offset = o;
    return value;
  }

  /** Reads a zigzag-encoded signed varint (32-bit). */
  readVarint(what = 'varint'): number {
    const u = this.readUnsignedVarint(what);
    return (u >>> 1) ^ -(u & 1);
  }

  /** Reads a zigzag-encoded signed varlong (64-bit, at most 10 bytes) as a bigint. */
  readVarlong(what = 'varlong'): bigint {
    const start = this.offset;
    const small = this.readSmallUnsignedVarlong(what);
    if (small >= 0) return BigInt(small % 2 === 0 ? small / 2 : -(small + 1) / 2);
    this.offset = start;
    const u = this.readUnsignedVarlongBig(what);
    return (u >> 1n) ^ -(u & 1n);
  }

  /**
   * Reads a zigzag-encoded signed varlong as a number: the fast variant for values known to be small (record
   * deltas, timestamps). A value beyond `Number.MAX_SAFE_INTEGER` in magnitude throws a {@link ProtocolError}.
   */
  readVarlongNumber(what = 'varlong'): number {
    const start = this.offset;
    const small = this.readSmallUnsignedVarlong(what);
    if (small >= 0) return small % 2 === 0 ? small / 2 : -(small + 1) / 2;
    this.offset = start;
    const u = this.readUnsignedVarlongBig(what);
    const value = (u >> 1n) ^ -(u & 1n);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw this.error(`${what} ${value} is beyond Number.MAX_SAFE_INTEGER`);
    }
    return Number(value);
  }

  /**
   * Reads an unsigned varlong of at most 7 bytes (below 2^49) as a number, or returns -1 (offset unspecified)
   * when it is longer.
   */
  private readSmallUnsignedVarlong(what: string): number {
    const b = this.buffer;
    const end = this.end;
    let o = this.offset;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (o >= end) throw this.truncated(what, o - this.offset + 1);
      const byte = b[o++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        this.offset = o;
        return value;
      }
      scale *= 0x80;
    }
    return -1;
  }

  private readUnsignedVarlongBig(what: string): bigint {
    const b = this.buffer;
    const end = this.end;
    let o = this.offset;
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      if (o >= end) throw this.truncated(what, o - this.offset + 1);
      const byte = b[o++]!;
      if (i === 9 && byte > 0x01) break;
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if (byte < 0x80) {
        this.offset = o;
        return value;
      }
    }
    throw this.error(`${what} is not a valid varlong (longer than 64 bits)`);
  }

  // ------------------------------------------------------------------------------------------------------------
  // UUID

  /** Reads a 16-byte UUID and returns Kafka's text form (URL-safe base64 without padding, 22 characters). */
  readUuid(what = 'uuid'): string {
    const o = this.take(16, what);
    return this.buffer.toString('base64url', o, o + 16);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Strings

  /** Reads a string with an int16 length; null (a negative length) is a {@link ProtocolError}. */
  readString(what = 'string'): string {
    const length = this.readInt16(what);
    if (length < 0) throw this.unexpectedNull(what);
    return this.utf8(length, what);
  }

  /** Reads a string with an int16 length; a negative length is null. */
  readNullableString(what = 'string'): string | null {
    const length = this.readInt16(what);
    return length < 0 ? null : this.utf8(length, what);
  }

  /** Reads a compact string (unsigned varint length + 1); null is a {@link ProtocolError}. */
  readCompactString(what = 'string'): string {
    const n = this.readUnsignedVarint(what);
    if (n === 0) throw this.unexpectedNull(what);
    return this.compactUtf8(n - 1, what);
  }

  /** Reads a compact string (unsigned varint length + 1, where 0 is null). */
  readCompactNullableString(what = 'string'): string | null {
    const n = this.readUnsignedVarint(what);
    return n === 0 ? null : this.compactUtf8(n - 1, what);
  }

  private compactUtf8(length: number, what: string): string {
    if (length > MAX_STRING_BYTES) throw this.error(`${what} has length ${length}, above the limit of 32767 bytes`);
    return this.utf8(length, what);
  }

  /** Decodes `length` bytes of UTF-8 at the current position. */
  private utf8(length: number, what: string): string {
    if (length === 0) return '';
    const o = this.take(length, what);
    const b = this.buffer;
    if (length <= SHORT_ASCII) {
      let s = '';
      for (let i = o, end = o + length; i < end; i++) {
        const c = b[i]!;
        if (c > 0x7f) return utf8Slice.call(b, o, end);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return utf8Slice.call(b, o, o + length);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Bytes

  /** Reads bytes with an int32 length, as a view of the input; null is a {@link ProtocolError}. */
  readBytes(what = 'bytes'): Buffer {
    const length = this.readInt32(what);
    if (length < 0) throw this.unexpectedNull(what);
    return this.readRawBytes(length, what);
  }

  /** Reads bytes with an int32 length, as a view of the input; a negative length is null. */
  readNullableBytes(what = 'bytes'): Buffer | null {
    const length = this.readInt32(what);
    return length < 0 ? null : this.readRawBytes(length, what);
  }

  /** Reads compact bytes (unsigned varint length + 1), as a view of the input; null is a {@link ProtocolError}. */
  readCompactBytes(what = 'bytes'): Buffer {
    const n = this.readUnsignedVarint(what);
    if (n === 0) throw this.unexpectedNull(what);
    return this.readRawBytes(n - 1, what);
  }

  /** Reads compact bytes (unsigned varint length + 1, where 0 is null), as a view of the input. */
  readCompactNullableBytes(what = 'bytes'): Buffer | null {
    const n = this.readUnsignedVarint(what);
    return n === 0 ? null : this.readRawBytes(n - 1, what);
  }

  /** Returns the next `length` bytes as a view of the input (no copy) and moves past them. */
  readRawBytes(length: number, what = 'bytes'): Buffer {
    if (length === 0) return EMPTY_BUFFER;
    const o = this.take(length, what);
    return this.buffer.subarray(o, o + length);
  }

  /** Moves past `length` bytes. */
  skip(length: number, what = 'bytes'): void {
    this.take(length, what);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Arrays

  /**
   * Reads an int32 array length; null (a negative length) is a {@link ProtocolError}. The count is checked against
   * the bytes that remain, assuming each element takes at least `minElementBytes` bytes (at least 1).
   */
  readArrayLength(what = 'array', minElementBytes = 1): number {
    const n = this.readInt32(what);
    if (n < 0) throw this.unexpectedNull(what);
    return this.checkCount(n, minElementBytes, what);
  }

  /** Like {@link readArrayLength}, but returns -1 for null. */
  readNullableArrayLength(what = 'array', minElementBytes = 1): number {
    const n = this.readInt32(what);
    return n < 0 ? -1 : this.checkCount(n, minElementBytes, what);
  }

  /** Reads a compact array length (unsigned varint count + 1); null is a {@link ProtocolError}. */
  readCompactArrayLength(what = 'array', minElementBytes = 1): number {
    const n = this.readUnsignedVarint(what);
    if (n === 0) throw this.unexpectedNull(what);
    return this.checkCount(n - 1, minElementBytes, what);
  }

  /** Like {@link readCompactArrayLength}, but returns -1 for null. */
  readCompactNullableArrayLength(what = 'array', minElementBytes = 1): number {
    const n = this.readUnsignedVarint(what);
    return n === 0 ? -1 : this.checkCount(n - 1, minElementBytes, what);
  }

  /** Reads an array with an int32 count; each element is read by `element`. */
  readArray<T>(element: (reader: Reader) => T, what = 'array', minElementBytes = 1): T[] {
    return this.readElements(this.readArrayLength(what, minElementBytes), element);
  }

  /** Reads an array with an int32 count, where a negative count is null. */
  readNullableArray<T>(element: (reader: Reader) => T, what = 'array', minElementBytes = 1): T[] | null {
    const n = this.readNullableArrayLength(what, minElementBytes);
    return n < 0 ? null : this.readElements(n, element);
  }

  /** Reads a compact array (unsigned varint count + 1). */
  readCompactArray<T>(element: (reader: Reader) => T, what = 'array', minElementBytes = 1): T[] {
    return this.readElements(this.readCompactArrayLength(what, minElementBytes), element);
  }

  /** Reads a compact array (unsigned varint count + 1, where 0 is null). */
  readCompactNullableArray<T>(element: (reader: Reader) => T, what = 'array', minElementBytes = 1): T[] | null {
    const n = this.readCompactNullableArrayLength(what, minElementBytes);
    return n < 0 ? null : this.readElements(n, element);
  }

  private readElements<T>(n: number, element: (reader: Reader) => T): T[] {
    const items: T[] = [];
    for (let i = 0; i < n; i++) items.push(element(this));
    return items;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Tagged fields (KIP-482)

  /**
   * Reads the count of a tagged field section, checked against the bytes that remain (each field takes at least
   * two bytes: its tag and its size).
   */
  readTaggedFieldCount(what = 'tagged fields'): number {
    const n = this.readUnsignedVarint(what);
    return this.checkCount(n, 2, what);
  }

  /**
   * Reads a whole tagged field section and returns its fields as raw bytes (views of the input), or `undefined`
   * when it is empty. For messages whose tagged fields are all unknown to the caller, such as response headers.
   */
  readTaggedFields(what = 'tagged fields'): TaggedField[] | undefined {
    const n = this.readTaggedFieldCount(what);
    if (n === 0) return undefined;
    const fields: TaggedField[] = [];
    for (let i = 0; i < n; i++) {
      const tag = this.readUnsignedVarint(what);
      const size = this.readUnsignedVarint(what);
      fields.push({ tag, data: this.readRawBytes(size, what) });
    }
    return fields;
  }

  /** Moves past a tagged field section. */
  skipTaggedFields(what = 'tagged fields'): void {
    const n = this.readTaggedFieldCount(what);
    for (let i = 0; i < n; i++) {
      this.readUnsignedVarint(what);
      this.skip(this.readUnsignedVarint(what), what);
    }
  }

  /**
   * Checks that decoding a tagged field of `size` bytes that started at `start` ended exactly at its end: a field
   * that claims one size and holds another is a {@link ProtocolError}.
   */
  expectTaggedFieldEnd(start: number, size: number, what: string): void {
    if (this.offset !== start + size) {
      throw this.error(`${what} declares ${size} bytes but its value takes ${this.offset - start}`);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Errors

  /** A {@link ProtocolError} prefixed with {@link context}. */
  error(message: string): ProtocolError {
    return new ProtocolError(this.context === undefined ? message : `${this.context}: ${message}`);
  }

  /** Reserves `n` bytes at the current position: returns their offset and moves past them. */
  private take(n: number, what: string): number {
    const o = this.offset;
    if (n > this.end - o) throw this.truncated(what, n);
    this.offset = o + n;
    return o;
  }

  private checkCount(n: number, minElementBytes: number, what: string): number {
    const min = Math.max(minElementBytes, 1);
    if (n * min > this.end - this.offset) {
      throw this.error(
        `${what} claims ${n} elements but only ${this.end - this.offset} bytes remain at offset ${this.offset}`,
      );
    }
    return n;
  }

  private truncated(what: string, needed: number): ProtocolError {
    return this.error(
      `truncated while reading ${what}: needs ${needed} bytes at offset ${this.offset}, ` +
        `${this.end - this.offset} remain`,
    );
  }

  private unexpectedNull(what: string): ProtocolError {
    return this.error(`${what} is null, but it is not nullable here`);
  }
}
