import { type BatchContext, corruptBatch } from './corrupt-batch.js';

/**
 * Reads the variable-length fields of v2 records from `buf[pos, end)`. Every read checks its bounds and throws
 * `CorruptRecordError` naming the batch, never a `RangeError`.
 */
export class RecordCursor {
  /** Bytes being read. */
  readonly buf: Buffer;
  /** Next byte to read. */
  pos: number;
  /** End of the readable range (exclusive). */
  readonly end: number;
  private readonly batchOffset: bigint;
  private readonly context: BatchContext;

  constructor(buf: Buffer, pos: number, end: number, batchOffset: bigint, context: BatchContext) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.batchOffset = batchOffset;
    this.context = context;
  }

  /** Throws the `CorruptRecordError` for this batch with `detail`. */
  fail(detail: string): never {
    throw corruptBatch(this.batchOffset, this.context, detail);
  }

  /** Reads a zig-zag varint (int32). */
  varint(): number {
    const buf = this.buf;
    const end = this.end;
    let p = this.pos;
    if (p >= end) this.fail('a varint runs past the end of the records');
    let b = buf[p++]!;
    let raw = b & 0x7f;
    let shift = 7;
    while (b >= 0x80) {
      if (shift > 28) this.fail('a varint is longer than 5 bytes');
      if (p >= end) this.fail('a varint runs past the end of the records');
      b = buf[p++]!;
      raw |= (b & 0x7f) << shift;
      shift += 7;
    }
    this.pos = p;
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** Reads a zig-zag varlong (int64) as a number (exact within ±2^53). */
  varlong(): number {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos;
    let p = start;
    if (p >= end) this.fail('a varlong runs past the end of the records');
    let b = buf[p++]!;
    let raw = b & 0x7f;
    let shift = 7;
    while (b >= 0x80) {
      if (shift > 63) this.fail('a varlong is longer than 10 bytes');
      if (p >= end) this.fail('a varlong runs past the end of the records');
      b = buf[p++]!;
      raw = shift < 28 ? raw | ((b & 0x7f) << shift) : raw + (b & 0x7f) * 2 ** shift;
      shift += 7;
    }
    this.pos = p;
    if (raw < 0x80000000) return (raw >>> 1) ^ -(raw & 1);
    // Beyond 2^53 the parity is lost in `raw`: take the sign from the first byte.
    return (buf[start]! & 1) === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /** Reads varint-length-prefixed bytes as a view; a negative length reads as `null` (as Java does). */
  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    const start = this.pos;
    if (length > this.end - start) this.fail(`a field of ${length} bytes runs past the end of its record`);
    this.pos = start + length;
    return this.buf.subarray(start, start + length);
  }

  /** Reads a varint-length-prefixed UTF-8 string (header keys); a negative length is corrupt. */
  string(): string {
    const length = this.varint();
    const start = this.pos;
    if (length < 0) this.fail(`a header key has negative length ${length}`);
    if (length > this.end - start) this.fail(`a header key of ${length} bytes runs past the end of its record`);
    this.pos = start + length;
    return this.buf.toString('utf8', start, start + length);
  }
}
