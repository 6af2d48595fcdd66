import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors/client-errors.js';
import { Writer } from './writer.js';

function bytes(write: (w: Writer) => void, writer = new Writer()): string {
  write(writer);
  return writer.toBuffer().toString('hex');
}

describe('Writer fixed-size numbers', () => {
  it('writes boundary values big-endian', () => {
    expect(bytes((w) => w.writeInt8(-128))).toBe('80');
    expect(bytes((w) => w.writeInt8(127))).toBe('7f');
    expect(bytes((w) => w.writeInt16(-32768))).toBe('8000');
    expect(bytes((w) => w.writeInt16(32767))).toBe('7fff');
    expect(bytes((w) => w.writeInt16(-1))).toBe('ffff');
    expect(bytes((w) => w.writeUInt16(65535))).toBe('ffff');
    expect(bytes((w) => w.writeInt32(-2147483648))).toBe('80000000');
    expect(bytes((w) => w.writeInt32(2147483647))).toBe('7fffffff');
    expect(bytes((w) => w.writeInt32(0x01020304))).toBe('01020304');
    expect(bytes((w) => w.writeUInt32(0xffffffff))).toBe('ffffffff');
    expect(bytes((w) => w.writeInt64(-(2n ** 63n)))).toBe('8000000000000000');
    expect(bytes((w) => w.writeInt64(2n ** 63n - 1n))).toBe('7fffffffffffffff');
    expect(bytes((w) => w.writeInt64(-1n))).toBe('ffffffffffffffff');
    expect(bytes((w) => w.writeInt64Number(Number.MAX_SAFE_INTEGER))).toBe('001fffffffffffff');
    expect(bytes((w) => w.writeInt64Number(-Number.MAX_SAFE_INTEGER))).toBe('ffe0000000000001');
    expect(bytes((w) => w.writeInt64Number(-1))).toBe('ffffffffffffffff');
    expect(bytes((w) => w.writeFloat64(1.5))).toBe('3ff8000000000000');
    expect(bytes((w) => w.writeBoolean(true))).toBe('01');
    expect(bytes((w) => w.writeBoolean(false))).toBe('00');
  });

  it('rejects values outside their type with InvalidArgumentError, naming the context', () => {
    const w = new Writer();
    w.context = 'MetadataRequest v12';
    expect(() => w.writeInt8(128)).toThrow(InvalidArgumentError);
    expect(() => w.writeInt16(32768)).toThrow(/MetadataRequest v12: 32768 is not a valid int16/);
    expect(() => w.writeUInt16(-1)).toThrow(InvalidArgumentError);
    expect(() => w.writeInt32(2 ** 31)).toThrow(InvalidArgumentError);
    expect(() => w.writeInt32(1.5)).toThrow(InvalidArgumentError);
    expect(() => w.writeUInt32(2 ** 32)).toThrow(InvalidArgumentError);
    expect(() => w.writeInt64(2n ** 63n)).toThrow(InvalidArgumentError);
    expect(() => w.writeInt64(-(2n ** 63n) - 1n)).toThrow(InvalidArgumentError);
    expect(() => w.writeInt64Number(2 ** 53)).toThrow(InvalidArgumentError);
    expect(() => w.writeUnsignedVarint(-1)).toThrow(InvalidArgumentError);
    expect(() => w.writeVarint(2 ** 31)).toThrow(InvalidArgumentError);
    expect(() => w.writeVarlong(2n ** 63n)).toThrow(InvalidArgumentError);
    expect(() => w.writeVarlongNumber(2 ** 53)).toThrow(InvalidArgumentError);
    expect(w.length).toBe(0);
  });
});

describe('Writer varints', () => {
  it('writes unsigned varints at every length boundary', () => {
    const cases: Array<[number, string]> = [
      [0, '00'],
      [1, '01'],
      [127, '7f'],
      [128, '8001'],
      [300, 'ac02'],
      [16383, 'ff7f'],
      [16384, '808001'],
      [2097151, 'ffff7f'],
      [2097152, '80808001'],
      [268435455, 'ffffff7f'],
      [268435456, '8080808001'],
      [2147483647, 'ffffffff07'],
      [4294967295, 'ffffffff0f'],
    ];
    for (const [value, hex] of cases)
      expect(
        bytes((w) => w.writeUnsignedVarint(value)),
        String(value),
      ).toBe(hex);
  });

  it('zigzag-encodes signed varints', () => {
    const cases: Array<[number, string]> = [
      [0, '00'],
      [-1, '01'],
      [1, '02'],
      [-2, '03'],
      [63, '7e'],
      [-64, '7f'],
      [64, '8001'],
      [2147483647, 'feffffff0f'],
      [-2147483648, 'ffffffff0f'],
    ];
    for (const [value, hex] of cases)
      expect(
        bytes((w) => w.writeVarint(value)),
        String(value),
      ).toBe(hex);
  });

  it('zigzag-encodes varlongs, in the bigint and the number variants alike', () => {
    const cases: Array<[bigint, string]> = [
      [0n, '00'],
      [-1n, '01'],
      [1n, '02'],
      [-64n, '7f'],
      [64n, '8001'],
      [2n ** 48n - 1n, 'feffffffffff7f'],
      [2n ** 48n, '8080808080808001'],
      [-(2n ** 48n), 'ffffffffffff7f'],
      [-(2n ** 48n) - 1n, '8180808080808001'],
      [BigInt(Number.MAX_SAFE_INTEGER), 'feffffffffffff1f'],
      [2n ** 63n - 1n, 'feffffffffffffffff01'],
      [-(2n ** 63n), 'ffffffffffffffffff01'],
    ];
    for (const [value, hex] of cases) {
      expect(
        bytes((w) => w.writeVarlong(value)),
        String(value),
      ).toBe(hex);
      if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
        expect(
          bytes((w) => w.writeVarlongNumber(Number(value))),
          String(value),
        ).toBe(hex);
      }
    }
  });
});

describe('Writer UUIDs', () => {
  it("writes Kafka's text form as 16 bytes", () => {
    expect(bytes((w) => w.writeUuid('AAAAAAAAAAAAAAAAAAAAAA'))).toBe('00'.repeat(16));
    expect(bytes((w) => w.writeUuid('AQIDBAUGBwgJCgsMDQ4PEA'))).toBe('0102030405060708090a0b0c0d0e0f10');
    expect(bytes((w) => w.writeUuid('_____________________w'))).toBe('ff'.repeat(16));
  });

  it('rejects strings that are not a UUID', () => {
    const w = new Writer();
    for (const bad of [
      '',
      'AAAA',
      'AAAAAAAAAAAAAAAAAAAAAB',
      'AAAAAAAAAAAAAAAAAAAAA=',
      'AAAAAAAAAAAAAAAAAAAA+A',
      'x'.repeat(23),
    ]) {
      expect(() => w.writeUuid(bad), bad).toThrow(InvalidArgumentError);
    }
  });
});

describe('Writer strings', () => {
  it('writes int16-length strings, null and empty', () => {
    expect(bytes((w) => w.writeString(''))).toBe('0000');
    expect(bytes((w) => w.writeString('abc'))).toBe('0003616263');
    expect(bytes((w) => w.writeNullableString(null))).toBe('ffff');
    expect(bytes((w) => w.writeNullableString('a'))).toBe('000161');
  });

  it('writes multi-byte UTF-8 with its byte length', () => {
    expect(bytes((w) => w.writeString('é'))).toBe('0002c3a9');
    expect(bytes((w) => w.writeString('日本'))).toBe('0006e697a5e69cac');
    expect(bytes((w) => w.writeString('a😀'))).toBe('000561f09f9880');
    expect(bytes((w) => w.writeCompactString('😀'))).toBe('05f09f9880');
  });

  it('writes compact strings, null and empty', () => {
    expect(bytes((w) => w.writeCompactString(''))).toBe('01');
    expect(bytes((w) => w.writeCompactString('abc'))).toBe('04616263');
    expect(bytes((w) => w.writeCompactNullableString(null))).toBe('00');
  });

  it('writes compact string lengths correctly around the one-byte prefix boundary', () => {
    for (const units of [40, 41, 42, 43, 126, 127, 128, 200]) {
      for (const unit of ['a', 'é', '日']) {
        const value = unit.repeat(units);
        const n = Buffer.byteLength(value);
        const w = new Writer(16);
        w.writeCompactString(value);
        const out = w.toBuffer();
        const prefix = n + 1 < 128 ? Buffer.from([n + 1]) : Buffer.from([((n + 1) & 0x7f) | 0x80, (n + 1) >> 7]);
        expect(out.subarray(0, prefix.length).equals(prefix), `${units} x ${unit}`).toBe(true);
        expect(out.subarray(prefix.length).toString('utf8')).toBe(value);
      }
    }
  });

  it("enforces Kafka's 32767-byte string limit", () => {
    expect(() => new Writer().writeString('a'.repeat(32767))).not.toThrow();
    expect(() => new Writer().writeString('a'.repeat(32768))).toThrow(InvalidArgumentError);
    expect(() => new Writer().writeString('é'.repeat(16384))).toThrow(InvalidArgumentError);
    expect(() => new Writer().writeCompactString('a'.repeat(32768))).toThrow(InvalidArgumentError);
  });
});

describe('Writer bytes and blobs', () => {
  it('writes the four forms of bytes', () => {
    const data = Buffer.from([1, 2, 3]);
    expect(bytes((w) => w.writeBytes(data))).toBe('00000003010203');
    expect(bytes((w) => w.writeNullableBytes(null))).toBe('ffffffff');
    expect(bytes((w) => w.writeCompactBytes(data))).toBe('04010203');
    expect(bytes((w) => w.writeCompactNullableBytes(null))).toBe('00');
    expect(bytes((w) => w.writeCompactBytes(Buffer.alloc(0)))).toBe('01');
    expect(bytes((w) => w.writeBytes(new Uint8Array([9])))).toBe('0000000109');
  });

  it('keeps blobs at or above the threshold by reference and copies smaller ones', () => {
    const big = Buffer.alloc(100, 7);
    const small = Buffer.alloc(99, 8);
    const w = new Writer(16, 100);
    w.writeInt32(1);
    w.writeBytes(big);
    w.writeBytes(small);
    w.writeInt8(5);
    const chunks = w.toChunks();
    expect(chunks[1]).toBe(big);
    expect(chunks.some((c) => c === small || c.buffer === small.buffer)).toBe(false);
    expect(chunks[0]!.toString('hex')).toBe('0000000100000064');
    expect(w.length).toBe(8 + 100 + 104);
    const expected = Buffer.concat([
      Buffer.from('0000000100000064', 'hex'),
      big,
      Buffer.from('00000063', 'hex'),
      small,
      Buffer.from([5]),
    ]);
    expect(w.toBuffer().equals(expected)).toBe(true);
  });

  it('grows into new buffers without copying what was written, except inside sized blocks', () => {
    const w = new Writer(16);
    w.writeRaw(Buffer.alloc(10, 1));
    w.writeRaw(Buffer.alloc(20, 2));
    const chunks = w.toChunks();
    // The first 10 bytes stayed in the first buffer; the next 20 went to a new one.
    expect(chunks.map((c) => c.length)).toStrictEqual([10, 20]);
    expect(Buffer.concat(chunks).equals(Buffer.concat([Buffer.alloc(10, 1), Buffer.alloc(20, 2)]))).toBe(true);

    const block = new Writer(16);
    const start = block.beginSizedBlock();
    block.writeRaw(Buffer.alloc(10, 1));
    block.writeRaw(Buffer.alloc(20, 2));
    block.endSizedBlock(start);
    expect(block.toChunks().map((c) => c.length)).toStrictEqual([31]);
  });

  it('copies everything when the threshold is Infinity', () => {
    const big = Buffer.alloc(100_000, 1);
    const w = new Writer(16, Number.POSITIVE_INFINITY);
    w.writeRaw(big);
    expect(w.toChunks()).toHaveLength(1);
    expect(w.toBuffer().equals(big)).toBe(true);
  });

  it('patches a reserved size slot in front of blobs kept by reference', () => {
    const blob = Buffer.alloc(10_000, 3);
    const w = new Writer(8);
    const slot = w.reserveInt32();
    w.writeInt16(7);
    w.writeRaw(blob);
    w.writeInt16(9);
    const inner = w.reserveInt32();
    w.writeInt8(1);
    w.patchInt32(slot, w.length - 4);
    w.patchInt32(inner, -2);
    const out = w.toBuffer();
    expect(out.length).toBe(4 + 2 + 10_000 + 2 + 4 + 1);
    expect(out.readInt32BE(0)).toBe(out.length - 4);
    expect(out.readInt16BE(4)).toBe(7);
    expect(out.readInt16BE(10_006)).toBe(9);
    expect(out.readInt32BE(10_008)).toBe(-2);
  });

  it('grows by doubling and keeps earlier bytes', () => {
    const w = new Writer(16);
    for (let i = 0; i < 10_000; i++) w.writeInt32(i);
    const out = w.toBuffer();
    expect(out.length).toBe(40_000);
    for (let i = 0; i < 10_000; i += 997) expect(out.readInt32BE(i * 4)).toBe(i);
  });
});

describe('Writer sized blocks', () => {
  it('prefixes a block with its size, shifting it when the size needs more than one byte', () => {
    for (const size of [0, 1, 127, 128, 300, 20_000]) {
      const w = new Writer(16, 64);
      w.writeInt8(1);
      const start = w.beginSizedBlock();
      w.writeRaw(Buffer.alloc(size, 0xab));
      w.endSizedBlock(start);
      w.writeInt8(2);
      const out = w.toBuffer();
      const expected = new Writer();
      expected.writeInt8(1);
      expected.writeUnsignedVarint(size);
      expected.writeRaw(Buffer.alloc(size, 0xab));
      expected.writeInt8(2);
      expect(out.equals(expected.toBuffer()), String(size)).toBe(true);
      // The blob was copied, not referenced, so the block stayed contiguous.
      expect(w.toChunks()).toHaveLength(1);
    }
  });

  it('nests blocks', () => {
    const w = new Writer(16);
    const outer = w.beginSizedBlock();
    w.writeInt8(1);
    const inner = w.beginSizedBlock();
    w.writeRaw(Buffer.alloc(200, 1));
    w.endSizedBlock(inner);
    w.endSizedBlock(outer);
    const out = w.toBuffer();
    // outer size = 1 + 2 (inner prefix) + 200 = 203 -> cb 01
    expect(out.subarray(0, 4).toString('hex')).toBe('cb0101c8');
    expect(out.length).toBe(2 + 1 + 2 + 200);
  });

  it('opens a block after a blob kept by reference', () => {
    const blob = Buffer.alloc(100, 5);
    const w = new Writer(16, 50);
    w.writeRaw(blob);
    const start = w.beginSizedBlock();
    w.writeInt32(42);
    w.endSizedBlock(start);
    const chunks = w.toChunks();
    expect(chunks[0]).toBe(blob);
    expect(chunks[1]!.toString('hex')).toBe('040000002a');
  });
});

describe('Writer tagged fields', () => {
  it('writes raw tagged field sections', () => {
    expect(bytes((w) => w.writeTaggedFields())).toBe('00');
    expect(bytes((w) => w.writeTaggedFields([{ tag: 3, data: Buffer.from([1, 2]) }]))).toBe('01030201' + '02');
  });

  it('writes raw fields below a tag and returns where it stopped', () => {
    const fields = [
      { tag: 1, data: Buffer.from([1]) },
      { tag: 5, data: Buffer.from([5]) },
    ];
    const w = new Writer();
    expect(w.writeRawTaggedFieldsBelow(fields, 0, 3)).toBe(1);
    expect(w.writeRawTaggedFieldsBelow(fields, 1, 3)).toBe(1);
    expect(w.writeRawTaggedFieldsBelow(fields, 1, Number.POSITIVE_INFINITY)).toBe(2);
    expect(w.toBuffer().toString('hex')).toBe('010101' + '050105');
  });
});

describe('Writer arrays', () => {
  it('writes the four forms of arrays', () => {
    const items = [1, 2];
    const int16 = (w: Writer, v: number) => w.writeInt16(v);
    expect(bytes((w) => w.writeArray(items, int16))).toBe('0000000200010002');
    expect(bytes((w) => w.writeNullableArray(null, int16))).toBe('ffffffff');
    expect(bytes((w) => w.writeCompactArray(items, int16))).toBe('0300010002');
    expect(bytes((w) => w.writeCompactNullableArray(null, int16))).toBe('00');
    expect(bytes((w) => w.writeCompactArray([], int16))).toBe('01');
    expect(bytes((w) => w.writeArrayLength(-1))).toBe('ffffffff');
    expect(bytes((w) => w.writeCompactArrayLength(-1))).toBe('00');
  });
});

describe('Writer sized blocks at the end of the buffer', () => {
  it('keeps the block when writing its size prefix happens right at the end of the buffer', () => {
    // Regression: the prefix write used to grow the buffer from the block start, dropping the block's bytes.
    for (let fill = 0; fill < 40; fill++) {
      const w = new Writer(16);
      w.writeRaw(Buffer.alloc(fill, 0xee));
      const start = w.beginSizedBlock();
      w.writeCompactString('');
      w.endSizedBlock(start);
      const out = w.toBuffer();
      expect(out.subarray(fill).toString('hex'), `after ${fill} bytes`).toBe('0101');
    }
  });
});
