import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ProtocolError } from '../../errors/client-errors.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

const hex = (s: string) => Buffer.from(s, 'hex');
const reader = (s: string) => new Reader(hex(s));

/** One primitive type: how to write it, how to read it, and values to try. */
interface Primitive<T> {
  readonly name: string;
  readonly write: (w: Writer, v: T) => void;
  readonly read: (r: Reader) => T;
  readonly arbitrary: fc.Arbitrary<T>;
}

function primitive<T>(p: Primitive<T>): Primitive<unknown> {
  return p as unknown as Primitive<unknown>;
}

const uuidArbitrary = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64url'));
const text = fc.string({ unit: 'grapheme', maxLength: 20 });
const blob = fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b));
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

const PRIMITIVES: Array<Primitive<unknown>> = [
  primitive({
    name: 'int8',
    write: (w, v: number) => w.writeInt8(v),
    read: (r) => r.readInt8(),
    arbitrary: fc.integer({ min: -128, max: 127 }),
  }),
  primitive({
    name: 'int16',
    write: (w, v: number) => w.writeInt16(v),
    read: (r) => r.readInt16(),
    arbitrary: fc.integer({ min: -32768, max: 32767 }),
  }),
  primitive({
    name: 'uint16',
    write: (w, v: number) => w.writeUInt16(v),
    read: (r) => r.readUInt16(),
    arbitrary: fc.integer({ min: 0, max: 65535 }),
  }),
  primitive({
    name: 'int32',
    write: (w, v: number) => w.writeInt32(v),
    read: (r) => r.readInt32(),
    arbitrary: fc.integer(),
  }),
  primitive({
    name: 'uint32',
    write: (w, v: number) => w.writeUInt32(v),
    read: (r) => r.readUInt32(),
    arbitrary: fc.integer({ min: 0, max: 0xffffffff }),
  }),
  primitive({ name: 'int64', write: (w, v: bigint) => w.writeInt64(v), read: (r) => r.readInt64(), arbitrary: int64 }),
  primitive({
    name: 'int64 number',
    write: (w, v: number) => w.writeInt64Number(v),
    read: (r) => r.readInt64Number(),
    arbitrary: fc.maxSafeInteger(),
  }),
  primitive({
    name: 'float64',
    write: (w, v: number) => w.writeFloat64(v),
    read: (r) => r.readFloat64(),
    arbitrary: fc.double(),
  }),
  primitive({
    name: 'boolean',
    write: (w, v: boolean) => w.writeBoolean(v),
    read: (r) => r.readBoolean(),
    arbitrary: fc.boolean(),
  }),
  primitive({
    name: 'unsigned varint',
    write: (w, v: number) => w.writeUnsignedVarint(v),
    read: (r) => r.readUnsignedVarint(),
    arbitrary: fc.integer({ min: 0, max: 0xffffffff }),
  }),
  primitive({
    name: 'varint',
    write: (w, v: number) => w.writeVarint(v),
    read: (r) => r.readVarint(),
    arbitrary: fc.integer(),
  }),
  primitive({
    name: 'varlong',
    write: (w, v: bigint) => w.writeVarlong(v),
    read: (r) => r.readVarlong(),
    arbitrary: int64,
  }),
  primitive({
    name: 'varlong number',
    write: (w, v: number) => w.writeVarlongNumber(v),
    read: (r) => r.readVarlongNumber(),
    arbitrary: fc.maxSafeInteger(),
  }),
  primitive({
    name: 'uuid',
    write: (w, v: string) => w.writeUuid(v),
    read: (r) => r.readUuid(),
    arbitrary: uuidArbitrary,
  }),
  primitive({
    name: 'string',
    write: (w, v: string) => w.writeString(v),
    read: (r) => r.readString(),
    arbitrary: text,
  }),
  primitive({
    name: 'nullable string',
    write: (w, v: string | null) => w.writeNullableString(v),
    read: (r) => r.readNullableString(),
    arbitrary: fc.option(text, { nil: null }),
  }),
  primitive({
    name: 'compact string',
    write: (w, v: string) => w.writeCompactString(v),
    read: (r) => r.readCompactString(),
    arbitrary: text,
  }),
  primitive({
    name: 'compact nullable string',
    write: (w, v: string | null) => w.writeCompactNullableString(v),
    read: (r) => r.readCompactNullableString(),
    arbitrary: fc.option(text, { nil: null }),
  }),
  primitive({ name: 'bytes', write: (w, v: Buffer) => w.writeBytes(v), read: (r) => r.readBytes(), arbitrary: blob }),
  primitive({
    name: 'nullable bytes',
    write: (w, v: Buffer | null) => w.writeNullableBytes(v),
    read: (r) => r.readNullableBytes(),
    arbitrary: fc.option(blob, { nil: null }),
  }),
  primitive({
    name: 'compact bytes',
    write: (w, v: Buffer) => w.writeCompactBytes(v),
    read: (r) => r.readCompactBytes(),
    arbitrary: blob,
  }),
  primitive({
    name: 'compact nullable bytes',
    write: (w, v: Buffer | null) => w.writeCompactNullableBytes(v),
    read: (r) => r.readCompactNullableBytes(),
    arbitrary: fc.option(blob, { nil: null }),
  }),
  primitive({
    name: 'array',
    write: (w, v: number[]) => w.writeArray(v, (x, n) => x.writeInt32(n)),
    read: (r) => r.readArray((x) => x.readInt32(), 'array', 4),
    arbitrary: fc.array(fc.integer(), { maxLength: 5 }),
  }),
  primitive({
    name: 'nullable array',
    write: (w, v: string[] | null) => w.writeNullableArray(v, (x, s) => x.writeString(s)),
    read: (r) => r.readNullableArray((x) => x.readString(), 'array', 2),
    arbitrary: fc.option(fc.array(text, { maxLength: 5 }), { nil: null }),
  }),
  primitive({
    name: 'compact array',
    write: (w, v: string[]) => w.writeCompactArray(v, (x, s) => x.writeCompactString(s)),
    read: (r) => r.readCompactArray((x) => x.readCompactString()),
    arbitrary: fc.array(text, { maxLength: 5 }),
  }),
  primitive({
    name: 'compact nullable array',
    write: (w, v: bigint[] | null) => w.writeCompactNullableArray(v, (x, n) => x.writeInt64(n)),
    read: (r) => r.readCompactNullableArray((x) => x.readInt64(), 'array', 8),
    arbitrary: fc.option(fc.array(int64, { maxLength: 5 }), { nil: null }),
  }),
  primitive({
    name: 'tagged fields',
    write: (w, v: Array<{ tag: number; data: Buffer }> | undefined) => w.writeTaggedFields(v),
    read: (r) => r.readTaggedFields(),
    arbitrary: fc.option(
      fc.uniqueArray(fc.record({ tag: fc.integer({ min: 0, max: 100_000 }), data: blob }), {
        minLength: 1,
        maxLength: 4,
        selector: (f) => f.tag,
      }),
      { nil: undefined },
    ),
  }),
];

describe('Reader and Writer round trips', () => {
  for (const p of PRIMITIVES) {
    it(`reads back every ${p.name} it wrote`, () => {
      fc.assert(
        fc.property(p.arbitrary, (value) => {
          const w = new Writer(16);
          p.write(w, value);
          const r = new Reader(w.toBuffer());
          expect(p.read(r)).toEqual(value);
          expect(r.remaining).toBe(0);
        }),
        { numRuns: 200 },
      );
    });

    it(`throws ProtocolError for every truncation of a ${p.name}`, () => {
      fc.assert(
        fc.property(p.arbitrary, (value) => {
          const w = new Writer(16);
          p.write(w, value);
          const full = w.toBuffer();
          for (let cut = 0; cut < full.length; cut++) {
            const r = new Reader(full, 0, cut);
            expect(() => p.read(r), `cut at ${cut} of ${full.length}`).toThrow(ProtocolError);
          }
        }),
        { numRuns: 50 },
      );
    });
  }

  it('reads a sequence of every type written back to back', () => {
    fc.assert(
      fc.property(fc.tuple(...PRIMITIVES.map((p) => p.arbitrary)), (values) => {
        const w = new Writer(8);
        for (const [i, p] of PRIMITIVES.entries()) p.write(w, values[i]);
        const full = w.toBuffer();
        const r = new Reader(full);
        for (const [i, p] of PRIMITIVES.entries()) expect(p.read(r)).toEqual(values[i]);
        expect(r.remaining).toBe(0);
        for (let cut = 0; cut < full.length; cut++) {
          const t = new Reader(full, 0, cut);
          expect(() => {
            for (const p of PRIMITIVES) p.read(t);
          }).toThrow(ProtocolError);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('Reader numbers', () => {
  it('reads boundary values', () => {
    expect(reader('80').readInt8()).toBe(-128);
    expect(reader('ff').readInt8()).toBe(-1);
    expect(reader('8000').readInt16()).toBe(-32768);
    expect(reader('ffff').readUInt16()).toBe(65535);
    expect(reader('80000000').readInt32()).toBe(-2147483648);
    expect(reader('ffffffff').readUInt32()).toBe(4294967295);
    expect(reader('8000000000000000').readInt64()).toBe(-(2n ** 63n));
    expect(reader('7fffffffffffffff').readInt64()).toBe(2n ** 63n - 1n);
    expect(reader('001fffffffffffff').readInt64Number()).toBe(Number.MAX_SAFE_INTEGER);
    expect(reader('ffe0000000000001').readInt64Number()).toBe(-Number.MAX_SAFE_INTEGER);
    expect(reader('02').readBoolean()).toBe(true);
  });

  it('refuses int64 numbers beyond the safe range instead of rounding them', () => {
    expect(() => reader('0020000000000000').readInt64Number()).toThrow(ProtocolError);
    expect(() => reader('ffe0000000000000').readInt64Number()).toThrow(ProtocolError);
    expect(() => reader('7fffffffffffffff').readInt64Number()).toThrow(ProtocolError);
  });

  it('reads unsigned varints at every length and rejects ones longer than 32 bits', () => {
    expect(reader('00').readUnsignedVarint()).toBe(0);
    expect(reader('ac02').readUnsignedVarint()).toBe(300);
    expect(reader('ffffffff0f').readUnsignedVarint()).toBe(4294967295);
    expect(reader('8080808001').readUnsignedVarint()).toBe(268435456);
    expect(() => reader('ffffffff10').readUnsignedVarint()).toThrow(ProtocolError);
    expect(() => reader('ffffffff8f01').readUnsignedVarint()).toThrow(ProtocolError);
    expect(reader('ffffffff0f').readVarint()).toBe(-2147483648);
    expect(reader('feffffff0f').readVarint()).toBe(2147483647);
  });

  it('reads varlongs at every length and rejects ones longer than 64 bits', () => {
    expect(reader('ffffffffffffffffff01').readVarlong()).toBe(-(2n ** 63n));
    expect(reader('feffffffffffffffff01').readVarlong()).toBe(2n ** 63n - 1n);
    expect(reader('feffffffffffff1f').readVarlongNumber()).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => reader('feffffffffffffffff01').readVarlongNumber()).toThrow(ProtocolError);
    expect(() => reader('ffffffffffffffffff02').readVarlong()).toThrow(ProtocolError);
    expect(() => reader('ffffffffffffffffff8101').readVarlong()).toThrow(ProtocolError);
    // A 7-byte varlong with its continuation bit set falls through to the 64-bit path.
    expect(reader('8080808080808001').readVarlong()).toBe(2n ** 48n);
  });
});

describe('Reader strings, bytes and UUIDs', () => {
  it('reads null, empty and multi-byte strings', () => {
    expect(reader('ffff').readNullableString()).toBeNull();
    expect(reader('0000').readString()).toBe('');
    expect(reader('00').readCompactNullableString()).toBeNull();
    expect(reader('01').readCompactString()).toBe('');
    expect(reader('000561f09f9880').readString()).toBe('a😀');
    expect(reader('0006e697a5e69cac').readString()).toBe('日本');
    expect(reader('0009616263646566676869').readString()).toBe('abcdefghi');
    expect(reader('0003c3a961').readString()).toBe('éa');
  });

  it('throws ProtocolError when a non-nullable value is null', () => {
    expect(() => reader('ffff').readString('topic name')).toThrow(/topic name is null/);
    expect(() => reader('00').readCompactString()).toThrow(ProtocolError);
    expect(() => reader('ffffffff').readBytes()).toThrow(ProtocolError);
    expect(() => reader('00').readCompactBytes()).toThrow(ProtocolError);
    expect(() => reader('ffffffff').readArrayLength()).toThrow(ProtocolError);
    expect(() => reader('00').readCompactArrayLength()).toThrow(ProtocolError);
  });

  it('rejects compact strings longer than 32767 bytes', () => {
    const w = new Writer();
    w.writeUnsignedVarint(32769);
    w.writeRaw(Buffer.alloc(32768, 0x61));
    expect(() => new Reader(w.toBuffer()).readCompactString()).toThrow(ProtocolError);
  });

  it('returns bytes as views of the input, without copying', () => {
    const input = hex('00000003010203ff');
    const out = new Reader(input).readBytes();
    expect(out.buffer).toBe(input.buffer);
    expect(out.byteOffset).toBe(input.byteOffset + 4);
    expect([...out]).toEqual([1, 2, 3]);
  });

  it("reads UUIDs in Kafka's text form", () => {
    expect(reader('00'.repeat(16)).readUuid()).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(reader('0102030405060708090a0b0c0d0e0f10').readUuid()).toBe('AQIDBAUGBwgJCgsMDQ4PEA');
  });
});

describe('Reader bounds', () => {
  it('fails fast on an array count far beyond what remains, before allocating', () => {
    const r = reader(`7fffffff${'00'.repeat(10)}`);
    const started = performance.now();
    expect(() => r.readArray((x) => x.readInt8())).toThrow(/claims 2147483647 elements but only 10 bytes remain/);
    expect(performance.now() - started).toBeLessThan(50);
    expect(() => reader(`ffffffff07${'00'.repeat(10)}`).readCompactArrayLength()).toThrow(ProtocolError);
    expect(() => reader(`00000003${'00'.repeat(11)}`).readArrayLength('a', 4)).toThrow(ProtocolError);
    expect(reader(`00000003${'00'.repeat(12)}`).readArrayLength('a', 4)).toBe(3);
  });

  it('fails on a string or bytes length beyond what remains', () => {
    expect(() => reader('7fff00').readString()).toThrow(/truncated while reading string: needs 32767 bytes/);
    expect(() => reader('7fffffff00').readBytes()).toThrow(ProtocolError);
    expect(() => reader('ffffffff0f').readCompactBytes()).toThrow(ProtocolError);
    expect(() => reader('0a').readTaggedFieldCount()).toThrow(ProtocolError);
  });

  it('reads only within its [offset, end) window', () => {
    const r = new Reader(hex('0102030405'), 1, 3);
    expect(r.readInt16()).toBe(0x0203);
    expect(() => r.readInt8()).toThrow(ProtocolError);
    expect(() => new Reader(hex('01'), 2)).toThrow(InvalidArgumentError);
    expect(() => new Reader(hex('01'), 0, 2)).toThrow(InvalidArgumentError);
  });

  it('names the message being decoded and the value in its errors', () => {
    const r = reader('00');
    r.context = 'FetchResponse v16';
    expect(() => r.readInt32('responses[].partitions[].errorCode')).toThrow(
      'FetchResponse v16: truncated while reading responses[].partitions[].errorCode: needs 4 bytes at offset 0, 1 remain',
    );
  });
});

describe('Reader tagged fields', () => {
  it('reads, skips and checks tagged field sections', () => {
    const section = '02' + '0001ff' + '050200aa';
    expect(reader(section).readTaggedFields()).toEqual([
      { tag: 0, data: hex('ff') },
      { tag: 5, data: hex('00aa') },
    ]);
    expect(reader('00').readTaggedFields()).toBeUndefined();
    const r = reader(`${section}7f`);
    r.skipTaggedFields();
    expect(r.readInt8()).toBe(0x7f);
    expect(() => reader('01000501').readTaggedFields()).toThrow(ProtocolError);
  });

  it('rejects a tagged field whose value does not fill its declared size', () => {
    const r = reader('00000001');
    r.readInt32();
    expect(() => r.expectTaggedFieldEnd(0, 5, 'currentLeader')).toThrow(
      /currentLeader declares 5 bytes but its value takes 4/,
    );
    expect(() => r.expectTaggedFieldEnd(0, 4, 'currentLeader')).not.toThrow();
  });
});
