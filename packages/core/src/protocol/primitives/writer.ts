import { InvalidArgumentError } from '../../errors/client-errors.js';
import { MAX_STRING_BYTES } from './reader.js';
import type { TaggedField } from './tagged-field.js';
import { isUuid } from './uuid.js';

/**
 * Byte blobs at least this large (record batches in Produce, large `bytes` fields) are kept by reference by
 * {@link Writer.writeRaw} instead of being copied: {@link Writer.toChunks} hands them to a vectored socket write
 * as they are. Below it, copying is cheaper than an extra chunk. Measured with `bench/codec/produce-threshold.bench.ts`
 * and `bench/codec/chunked-socket-write.bench.ts` (Node 20, loopback): encoding 100 batches of 4 KiB takes about a
 * quarter of the time by reference as by copy, and a corked socket write of 4 KiB chunks moves bytes as fast as one
 * buffer, while 1 KiB chunks are about 20% slower per byte.
 */
export const DEFAULT_REFERENCE_THRESHOLD = 4 * 1024;

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

/** Strings up to this many UTF-16 units are encoded by a JS loop when they are ASCII (faster than a native call). */
const SHORT_ASCII = 24;

/** `Buffer.prototype.utf8Write` skips the argument checks of `write`; fall back where a runtime lacks it. */
type Utf8Writer = (this: Buffer, value: string, offset: number) => number;
const utf8Write: Utf8Writer =
  (Buffer.prototype as unknown as { utf8Write?: Utf8Writer }).utf8Write ??
  function (this: Buffer, value: string, offset: number) {
    return this.write(value, offset, 'utf8');
  };

/** Number of bytes of `value` as an unsigned varint. */
export function sizeOfUnsignedVarint(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/**
 * Writes Kafka protocol primitives into a growing buffer.
 *
 * - The buffer starts at `initialCapacity`; when it is full, writing goes on in a new buffer twice as large
 *   (`Buffer.allocUnsafe`) and the full one becomes a chunk, so written bytes are never copied to grow (except
 *   inside a sized block, which must stay contiguous). Small messages come from Node's buffer pool.
 * - {@link reserveInt32} and {@link patchInt32} fill a size prefix once the size is known (the frame size).
 * - Blobs of at least `referenceThreshold` bytes ({@link DEFAULT_REFERENCE_THRESHOLD}) are kept by reference, not
 *   copied: {@link toChunks} returns the written bytes as a list of buffers for a vectored socket write, with those
 *   blobs in place; {@link toBuffer} joins them when one contiguous buffer is needed.
 * - Values out of their type's range throw an {@link InvalidArgumentError} rather than being truncated.
 */
export class Writer {
  /** What is being encoded (`'ProduceRequest v11'`), named in error messages. */
  context: string | undefined;

  private buf: Buffer;
  /** Write position in {@link buf}. */
  private pos: number;
  /** Start in {@link buf} of the bytes not yet moved to {@link chunks}. */
  private runStart: number;
  /** Finished pieces: runs of {@link buf} and blobs kept by reference. */
  private chunks: Buffer[];
  /** Total bytes in {@link chunks}. */
  private flushed: number;
  /** Open sized blocks: while positive, blobs are copied so that a block stays contiguous. */
  private sizedDepth: number;
  private readonly referenceThreshold: number;

  /**
   * @param initialCapacity Bytes allocated up front (default 256).
   * @param referenceThreshold Blobs at least this large are kept by reference (default
   *   {@link DEFAULT_REFERENCE_THRESHOLD}; `Infinity` copies everything).
   */
  constructor(initialCapacity = 256, referenceThreshold = DEFAULT_REFERENCE_THRESHOLD) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacity));
    this.pos = 0;
    this.runStart = 0;
    this.chunks = [];
    this.flushed = 0;
    this.sizedDepth = 0;
    this.referenceThreshold = referenceThreshold;
    this.context = undefined;
  }

  /** Bytes written so far. */
  get length(): number {
    return this.flushed + this.pos - this.runStart;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Fixed-size numbers

  /** Writes a signed 8-bit integer. */
  writeInt8(value: number): void {
    if ((value << 24) >> 24 !== value) throw this.outOfRange('int8', value);
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  /** Writes a signed big-endian 16-bit integer. */
  writeInt16(value: number): void {
    if ((value << 16) >> 16 !== value) throw this.outOfRange('int16', value);
    this.ensure(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = value >>> 8;
    b[p + 1] = value;
    this.pos = p + 2;
  }

  /** Writes an unsigned big-endian 16-bit integer. */
  writeUInt16(value: number): void {
    if ((value & 0xffff) !== value) throw this.outOfRange('uint16', value);
    this.ensure(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = value >>> 8;
    b[p + 1] = value;
    this.pos = p + 2;
  }

  /** Writes a signed big-endian 32-bit integer. */
  writeInt32(value: number): void {
    if ((value | 0) !== value) throw this.outOfRange('int32', value);
    this.ensure(4);
    this.put32(value);
  }

  /** Writes an unsigned big-endian 32-bit integer. */
  writeUInt32(value: number): void {
    if (value >>> 0 !== value) throw this.outOfRange('uint32', value);
    this.ensure(4);
    this.put32(value);
  }

  /** Writes a signed big-endian 64-bit integer. */
  writeInt64(value: bigint): void {
    if (value < MIN_INT64 || value > MAX_INT64) throw this.outOfRange('int64', value);
    this.ensure(8);
    this.buf.writeBigInt64BE(value, this.pos);
    this.pos += 8;
  }

  /** Writes a signed big-endian 64-bit integer given as a safe integer number. */
  writeInt64Number(value: number): void {
    if (!Number.isSafeInteger(value)) throw this.outOfRange('int64 (as a safe integer)', value);
    this.ensure(8);
    const hi = Math.floor(value / 0x100000000);
    this.put32(hi | 0);
    this.put32((value - hi * 0x100000000) >>> 0);
  }

  /** Writes a big-endian IEEE 754 double. */
  writeFloat64(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleBE(value, this.pos);
    this.pos += 8;
  }

  /** Writes a boolean as one byte (1 or 0). */
  writeBoolean(value: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = value ? 1 : 0;
  }

  private put32(value: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = value >>> 24;
    b[p + 1] = value >>> 16;
    b[p + 2] = value >>> 8;
    b[p + 3] = value;
    this.pos = p + 4;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Variable-length numbers

  /** Writes an unsigned varint (0 to 2^32-1). */
  writeUnsignedVarint(value: number): void {
    if (value >>> 0 !== value) throw this.outOfRange('unsigned varint', value);
    this.ensure(5);
    const b = this.buf;
    let p = this.pos;
    while (value > 0x7f) {
      b[p++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    b[p++] = value;
    this.pos = p;
  }

  /** Writes a zigzag-encoded signed varint (32-bit). */
  writeVarint(value: number): void {
    if ((value | 0) !== value) throw this.outOfRange('varint', value);
    this.writeUnsignedVarint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  /** Writes a zigzag-encoded signed varlong (64-bit). */
  writeVarlong(value: bigint): void {
    if (value < MIN_INT64 || value > MAX_INT64) throw this.outOfRange('varlong', value);
    if (value >= -0x1000000000000n && value < 0x1000000000000n) {
      this.writeSmallVarlong(Number(value));
      return;
    }
    let u = value >= 0n ? value << 1n : (-value << 1n) - 1n;
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (u > 0x7fn) {
      b[p++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    b[p++] = Number(u);
    this.pos = p;
  }

  /**
   * Writes a zigzag-encoded signed varlong given as a safe integer number: the fast variant for record deltas
   * and timestamps.
   */
  writeVarlongNumber(value: number): void {
    if (!Number.isSafeInteger(value)) throw this.outOfRange('varlong (as a safe integer)', value);
    if (value >= -0x1000000000000 && value < 0x1000000000000) this.writeSmallVarlong(value);
    else this.writeVarlong(BigInt(value));
  }

  /** Zigzag-encodes `value` (|value| < 2^48, so the unsigned form stays below 2^49) with float arithmetic. */
  private writeSmallVarlong(value: number): void {
    let u = value >= 0 ? value * 2 : -value * 2 - 1;
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (u > 0x7f) {
      b[p++] = (u % 0x80) | 0x80;
      u = Math.floor(u / 0x80);
    }
    b[p++] = u;
    this.pos = p;
  }

  // ------------------------------------------------------------------------------------------------------------
  // UUID

  /** Writes a UUID given in Kafka's text form (URL-safe base64 without padding, 22 characters). */
  writeUuid(value: string): void {
    if (typeof value !== 'string' || !isUuid(value)) {
      throw this.invalid(`${JSON.stringify(value)} is not a UUID in Kafka's text form (22 URL-safe base64 chars)`);
    }
    this.ensure(16);
    this.buf.write(value, this.pos, 16, 'base64url');
    this.pos += 16;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Strings

  /** Writes a string with an int16 length. */
  writeString(value: string): void {
    if (value.length > MAX_STRING_BYTES) throw this.tooLong(Buffer.byteLength(value, 'utf8'));
    this.ensure(2 + 3 * value.length);
    const start = this.pos;
    const n = this.putUtf8(value, start + 2);
    if (n > MAX_STRING_BYTES) throw this.tooLong(n);
    this.buf[start] = n >>> 8;
    this.buf[start + 1] = n;
    this.pos = start + 2 + n;
  }

  /** Writes a string with an int16 length, or -1 for null. */
  writeNullableString(value: string | null): void {
    if (value === null) this.writeInt16(-1);
    else this.writeString(value);
  }

  /** Writes a compact string (unsigned varint length + 1). */
  writeCompactString(value: string): void {
    const units = value.length;
    if (units < 42) {
      // At most 3 bytes per UTF-16 unit: the length + 1 fits in one varint byte.
      this.ensure(1 + 3 * units);
      const start = this.pos;
      const n = this.putUtf8(value, start + 1);
      this.buf[start] = n + 1;
      this.pos = start + 1 + n;
      return;
    }
    const n = Buffer.byteLength(value, 'utf8');
    if (n > MAX_STRING_BYTES) throw this.tooLong(n);
    this.writeUnsignedVarint(n + 1);
    this.ensure(n);
    this.pos += utf8Write.call(this.buf, value, this.pos);
  }

  /** Writes a compact string (unsigned varint length + 1), or 0 for null. */
  writeCompactNullableString(value: string | null): void {
    if (value === null) this.writeUnsignedVarint(0);
    else this.writeCompactString(value);
  }

  /** Encodes `value` as UTF-8 at `offset` (capacity already ensured) and returns the byte count. */
  private putUtf8(value: string, offset: number): number {
    const units = value.length;
    if (units <= SHORT_ASCII) {
      const b = this.buf;
      for (let i = 0; i < units; i++) {
        const c = value.charCodeAt(i);
        if (c > 0x7f) return utf8Write.call(b, value, offset);
        b[offset + i] = c;
      }
      return units;
    }
    return utf8Write.call(this.buf, value, offset);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Bytes

  /** Writes bytes with an int32 length. Large blobs are kept by reference (see {@link writeRaw}). */
  writeBytes(value: Uint8Array): void {
    this.writeInt32(value.length);
    this.writeRaw(value);
  }

  /** Writes bytes with an int32 length, or -1 for null. */
  writeNullableBytes(value: Uint8Array | null): void {
    if (value === null) this.writeInt32(-1);
    else this.writeBytes(value);
  }

  /** Writes compact bytes (unsigned varint length + 1). */
  writeCompactBytes(value: Uint8Array): void {
    this.writeUnsignedVarint(value.length + 1);
    this.writeRaw(value);
  }

  /** Writes compact bytes (unsigned varint length + 1), or 0 for null. */
  writeCompactNullableBytes(value: Uint8Array | null): void {
    if (value === null) this.writeUnsignedVarint(0);
    else this.writeCompactBytes(value);
  }

  /**
   * Writes bytes as they are. A blob of at least `referenceThreshold` bytes is kept by reference (not copied)
   * unless a sized block is open: do not modify it until the written chunks have been sent.
   */
  writeRaw(value: Uint8Array): void {
    const n = value.length;
    if (n >= this.referenceThreshold && this.sizedDepth === 0) {
      if (this.pos > this.runStart) {
        this.chunks.push(this.buf.subarray(this.runStart, this.pos));
        this.flushed += this.pos - this.runStart;
        this.runStart = this.pos;
      }
      this.chunks.push(Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, n));
      this.flushed += n;
      return;
    }
    this.ensure(n);
    this.buf.set(value, this.pos);
    this.pos += n;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Arrays

  /** Writes an int32 array length, or -1 for null (pass -1). */
  writeArrayLength(count: number): void {
    this.writeInt32(count);
  }

  /** Writes a compact array length (unsigned varint count + 1), or 0 for null (pass -1). */
  writeCompactArrayLength(count: number): void {
    this.writeUnsignedVarint(count + 1);
  }

  /** Writes an array with an int32 count; each element is written by `element`. */
  writeArray<T>(items: readonly T[], element: (writer: Writer, item: T) => void): void {
    this.writeInt32(items.length);
    for (const item of items) element(this, item);
  }

  /** Writes an array with an int32 count, or -1 for null. */
  writeNullableArray<T>(items: readonly T[] | null, element: (writer: Writer, item: T) => void): void {
    if (items === null) this.writeInt32(-1);
    else this.writeArray(items, element);
  }

  /** Writes a compact array (unsigned varint count + 1). */
  writeCompactArray<T>(items: readonly T[], element: (writer: Writer, item: T) => void): void {
    this.writeUnsignedVarint(items.length + 1);
    for (const item of items) element(this, item);
  }

  /** Writes a compact array, or 0 for null. */
  writeCompactNullableArray<T>(items: readonly T[] | null, element: (writer: Writer, item: T) => void): void {
    if (items === null) this.writeUnsignedVarint(0);
    else this.writeCompactArray(items, element);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Tagged fields (KIP-482)

  /** Writes a tagged field section holding only raw fields (or none), in the order given. */
  writeTaggedFields(fields?: readonly TaggedField[]): void {
    if (fields === undefined) {
      this.writeUnsignedVarint(0);
      return;
    }
    this.writeUnsignedVarint(fields.length);
    for (const field of fields) this.writeRawTaggedField(field);
  }

  /** Writes one raw tagged field: its tag, its size and its bytes. */
  writeRawTaggedField(field: TaggedField): void {
    this.writeUnsignedVarint(field.tag);
    this.writeUnsignedVarint(field.data.length);
    this.writeRaw(field.data);
  }

  /**
   * Writes the raw fields of `fields` from index `from` whose tag is below `tag`, and returns the index of the
   * first one not written. Generated encoders use it to merge unknown tagged fields with known ones in tag order.
   */
  writeRawTaggedFieldsBelow(fields: readonly TaggedField[], from: number, tag: number): number {
    let i = from;
    while (i < fields.length && fields[i]!.tag < tag) this.writeRawTaggedField(fields[i++]!);
    return i;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Size prefixes

  /** Reserves four bytes for an int32 filled in later by {@link patchInt32}; returns their position. */
  reserveInt32(): number {
    this.ensure(4);
    const at = this.length;
    this.pos += 4;
    return at;
  }

  /** Writes an int32 at a position returned by {@link reserveInt32}. */
  patchInt32(position: number, value: number): void {
    if ((value | 0) !== value) throw this.outOfRange('int32', value);
    if (position >= this.flushed) {
      this.buf.writeInt32BE(value, this.runStart + position - this.flushed);
      return;
    }
    let base = 0;
    for (const chunk of this.chunks) {
      if (position < base + chunk.length) {
        chunk.writeInt32BE(value, position - base);
        return;
      }
      base += chunk.length;
    }
  }

  /**
   * Opens a block whose byte size is written before it as an unsigned varint when {@link endSizedBlock} closes it
   * (tagged field values). Returns the block's start, to pass to {@link endSizedBlock}.
   */
  beginSizedBlock(): number {
    this.sizedDepth++;
    return this.length;
  }

  /** Closes a block opened by {@link beginSizedBlock}: moves its bytes up and writes their size in front. */
  endSizedBlock(start: number): void {
    const size = this.length - start;
    const prefix = sizeOfUnsignedVarint(size);
    // Still inside the block: growing keeps it contiguous.
    this.ensure(prefix);
    this.sizedDepth--;
    const from = this.runStart + start - this.flushed;
    const b = this.buf;
    b.copyWithin(from + prefix, from, this.pos);
    this.pos += prefix;
    // The prefix goes into the room just made; no `ensure` here, which would only keep bytes before `pos`.
    let p = from;
    let value = size;
    while (value > 0x7f) {
      b[p++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    b[p] = value;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Output

  /**
   * The bytes written, as a list of buffers for a vectored write (`socket.cork()` + `write` per chunk, or
   * `writev`): runs of this writer's buffer with large blobs in between, by reference.
   */
  toChunks(): Buffer[] {
    if (this.pos > this.runStart) {
      this.chunks.push(this.buf.subarray(this.runStart, this.pos));
      this.flushed += this.pos - this.runStart;
      this.runStart = this.pos;
    }
    return this.chunks.slice();
  }

  /** The bytes written, as one buffer (a view when nothing was kept by reference, else a copy). */
  toBuffer(): Buffer {
    const chunks = this.toChunks();
    if (chunks.length === 1) return chunks[0]!;
    return Buffer.concat(chunks, this.flushed);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Internals

  /**
   * Makes room for `n` more bytes in a buffer twice as large. Outside sized blocks nothing is copied: the bytes
   * written so far become a chunk and writing goes on in the new buffer. Inside a sized block, which must stay
   * contiguous, the bytes not yet flushed move to the new buffer.
   */
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.runStart;
    const keep = this.sizedDepth > 0 ? used : 0;
    let capacity = this.buf.length * 2;
    while (capacity < keep + n) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    if (keep > 0) {
      this.buf.copy(next, 0, this.runStart, this.pos);
    } else if (used > 0) {
      this.chunks.push(this.buf.subarray(this.runStart, this.pos));
      this.flushed += used;
    }
    this.buf = next;
    this.runStart = 0;
    this.pos = keep;
  }

  private outOfRange(type: string, value: unknown): InvalidArgumentError {
    return this.invalid(`${String(value)} is not a valid ${type}`);
  }

  private tooLong(bytes: number): InvalidArgumentError {
    return this.invalid(`a string of ${bytes} UTF-8 bytes is longer than Kafka's limit of 32767`);
  }

  private invalid(message: string): InvalidArgumentError {
    return new InvalidArgumentError(this.context === undefined ? message : `${this.context}: ${message}`);
  }
}
