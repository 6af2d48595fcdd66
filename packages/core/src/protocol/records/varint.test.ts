import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptRecordError } from '../../errors/client-errors.js';
import { RecordCursor } from './record-cursor.js';
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';

function cursor(bytes: number[] | Buffer): RecordCursor {
  const buf = Buffer.from(bytes);
  return new RecordCursor(buf, 0, buf.length, 42n, { topic: 't', partition: 1 });
}

function encodeVarint(value: number): Buffer {
  const buf = Buffer.alloc(5);
  return buf.subarray(0, writeVarint(buf, 0, value));
}

function encodeVarlong(value: number): Buffer {
  const buf = Buffer.alloc(10);
  return buf.subarray(0, writeVarlong(buf, 0, value));
}

describe('zig-zag varints', () => {
  it('encode as protobuf sint32/sint64 do', () => {
    expect([...encodeVarint(0)]).toEqual([0]);
    expect([...encodeVarint(-1)]).toEqual([1]);
    expect([...encodeVarint(1)]).toEqual([2]);
    expect([...encodeVarint(-64)]).toEqual([0x7f]);
    expect([...encodeVarint(64)]).toEqual([0x80, 0x01]);
    expect([...encodeVarint(2147483647)]).toEqual([0xfe, 0xff, 0xff, 0xff, 0x0f]);
    expect([...encodeVarint(-2147483648)]).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect([...encodeVarlong(2 ** 40)]).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
    expect([...encodeVarlong(-(2 ** 40))]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0x3f]);
  });

  it('round-trip every int32 and sizes agree with the bytes written', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2147483648, max: 2147483647 }), (value) => {
        const bytes = encodeVarint(value);
        expect(bytes.length).toBe(sizeOfVarint(value));
        const c = cursor(bytes);
        expect(c.varint()).toBe(value);
        expect(c.pos).toBe(bytes.length);
      }),
    );
  });

  it('round-trip varlongs within ±2^52 and sizes agree', () => {
    const values = [0, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 52 - 1, -(2 ** 52), 1_700_000_000_000, -1_700_000_000_000];
    for (const value of values) {
      const bytes = encodeVarlong(value);
      expect(bytes.length).toBe(sizeOfVarlong(value));
      expect(cursor(bytes).varlong()).toBe(value);
    }
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 52), max: 2 ** 52 - 1 }).map(Number), (value) => {
        const bytes = encodeVarlong(value);
        expect(bytes.length).toBe(sizeOfVarlong(value));
        expect(cursor(bytes).varlong()).toBe(value);
      }),
    );
  });

  it('reads 64-bit extremes that Java writes', () => {
    // Long.MAX_VALUE and Long.MIN_VALUE zig-zag to 2^64-2 and 2^64-1: ten bytes.
    const max = [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    const min = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    expect(cursor(max).varlong()).toBe(2 ** 63);
    expect(cursor(min).varlong()).toBe(-(2 ** 63));
  });

  it('reject overlong and truncated encodings with CorruptRecordError naming the batch', () => {
    const cases: [string, () => unknown][] = [
      ['6-byte varint', () => cursor([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).varint()],
      ['11-byte varlong', () => cursor([...Array(10).fill(0x80), 0x01]).varlong()],
      ['truncated varint', () => cursor([0x80, 0x80]).varint()],
      ['empty varint', () => cursor([]).varint()],
      ['truncated varlong', () => cursor([0xff]).varlong()],
      ['bytes past end', () => cursor([0x0a, 1, 2]).bytes()],
      ['negative key length', () => cursor([0x03]).string()],
      ['string past end', () => cursor([0x0a, 0x41]).string()],
    ];
    for (const [name, read] of cases) {
      let error: unknown;
      try {
        read();
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(CorruptRecordError);
      expect((error as CorruptRecordError).offset).toBe(42n);
      expect((error as CorruptRecordError).message).toContain('offset 42');
      expect((error as CorruptRecordError).topic).toBe('t');
    }
  });

  it('reads negative lengths as null, as Java does', () => {
    expect(cursor([0x01]).bytes()).toBeNull();
    expect(cursor([0x03]).bytes()).toBeNull();
    expect(cursor([0x04, 0x41, 0x42]).bytes()).toEqual(Buffer.from('AB'));
  });
});
