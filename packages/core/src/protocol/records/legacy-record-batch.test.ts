import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { CorruptRecordError } from '../../errors/client-errors.js';
import { loadCompressionCodecs } from './compression/compression-codecs.js';
import { crc32 } from './crc32.js';
import { readRecordBatches } from './record-batch-reader.js';

beforeAll(async () => {
  await loadCompressionCodecs();
});

/**
 * Legacy message sets written by Apache Kafka's Java client 4.4 (MemoryRecordsBuilder with magic 0 and 1), with
 * packages/core/test/records/java/RecordBatchInterop.java. Each holds three records at offsets 10, 11, 12:
 * (key 'k0', value 'v0', ts 1700000000000), (null, 'v1', ts 1700000000500), ('k2', null, ts 1699999999000).
 * The magic 0 LZ4 one carries the pre-0.10 header checksum computed over the magic number (KAFKA-1493).
 */
const FIXTURES: Record<string, string> = {
  'v0 none':
    '000000000000000a000000128697724c0000000000026b30000000027630000000000000000b000000104c9f5bc20000ffffffff000000027631000000000000000c000000108b23e3da0000000000026b32ffffffff',
  'v0 gzip':
    '000000000000000c00000055f97a31b20001ffffffff000000471f8b08000000000000ff636000032e20166a9b5ee403e631651b80c8320388240337100bf8cc8f3ec4c0f01f08c0728650391e905cb7f2e35b509d46201500dc36bad556000000',
  'v0 snappy':
    '000000000000000c0000006daea345960002ffffffff0000005f82534e415050590000000001000000010000004b5600000901200a000000128697724c050f1c026b30000000027601060101380b000000104c9f5bc20000ffffffff051c0431000901500c000000108b23e3da0000000000026b32ffffffff',
  'v0 lz4':
    '000000000000000c000000686dddecd40003ffffffff0000005a04224d1860401a4b00000012000100910a000000128697724c0f0080026b3000000002760600000200f1000b000000104c9f5bc20000ffffffff1c0010311900400000000c1c00418b23e3da0e0070026b32ffffffff00000000',
  'v1 none':
    '000000000000000a0000001a74aa514001000000018bcfe56800000000026b30000000027630000000000000000b00000018c8ea587a01000000018bcfe569f4ffffffff000000027631000000000000000c00000018bcd6d0ec01000000018bcfe56418000000026b32ffffffff',
  'v1 gzip':
    '000000000000000c000000689a14110f01010000018bcfe569f4ffffffff000000521f8b08000000000000ff63608003a99255810e8c400663f7f9a7192011a66c03105966005501929438f12aa20aa62af3cb7f2000ab3184aa6102a9d973edc21b989a1409b0494620950097085e5c6e000000',
  'v1 snappy':
    '000000000000000c000000809f71062201020000018bcfe569f4ffffffff0000006a82534e41505059000000000100000001000000566e00001901341a74aa514001000000018bcfe56801181c026b30000000027601060101011d1018c8ea587a010901261469f4ffffffff052400310121010a1c00000018bcd6d0ec11242c6418000000026b32ffffffff',
  'v1 lz4':
    '000000000000000c0000007e06d46dfc01030000018bcfe569f4ffffffff0000006804224d186040825900000016000100e01a74aa514001000000018bcfe568180080026b3000000002760600000200001d005018c8ea587a09000026006169f4ffffffff240010312100000a008400000018bcd6d0ec2400c06418000000026b32ffffffff00000000',
};

/** Magic 1, gzip, LogAppendTime 1710000000000: records at offsets 20 ('a','b') and 21 ('c','d'). */
const V1_LOG_APPEND_TIME =
  '000000000000001500000051bdfd55ff01090000018e23f14c00ffffffff0000003b1f8b08000000000000ff63608003894f9359b91939181818fb943ffa80441813414412549e11a426cc82d114554d3288480100918054f448000000';

const EXPECTED = [
  { offset: 10n, key: 'k0', value: 'v0', timestamp: 1_700_000_000_000 },
  { offset: 11n, key: null, value: 'v1', timestamp: 1_700_000_000_500 },
  { offset: 12n, key: 'k2', value: null, timestamp: 1_699_999_999_000 },
];

function text(b: Buffer | null): string | null {
  return b === null ? null : b.toString();
}

describe('legacy message sets (magic 0 and 1) written by the Java client', () => {
  for (const [name, hex] of Object.entries(FIXTURES)) {
    it(`${name}: records, offsets and timestamps`, () => {
      const magic = name.startsWith('v0') ? 0 : 1;
      const compression = name.split(' ')[1];
      const batches = readRecordBatches(Buffer.from(hex, 'hex'), { topic: 'old', partition: 2 });
      expect(batches).toHaveLength(compression === 'none' ? 3 : 1);
      const records = batches.flatMap((b) => b.records());
      expect(
        records.map((r) => ({ offset: r.offset, key: text(r.key), value: text(r.value), timestamp: r.timestamp })),
      ).toEqual(EXPECTED.map((e) => ({ ...e, timestamp: magic === 0 ? -1 : e.timestamp })));
      for (const r of records) {
        expect(r.timestampType).toBe(magic === 0 ? 'NoTimestampType' : 'CreateTime');
        expect(r.headers).toEqual([]);
        expect(r.leaderEpoch).toBeUndefined();
        expect([r.topic, r.partition]).toEqual(['old', 2]);
      }
      const last = batches.at(-1)!;
      expect(last.magic).toBe(magic);
      expect(last.compression).toBe(compression);
      expect(last.lastOffset).toBe(12n);
      expect(last.nextOffset).toBe(13n);
      expect(batches[0]!.baseOffset).toBe(10n);
      expect(last.producerId).toBe(-1n);
      expect(last.isTransactional).toBe(false);
      expect(last.isControl).toBe(false);
      expect(last.controlType()).toBeUndefined();
      if (compression !== 'none') {
        expect(last.recordCount).toBe(3);
        expect(last.baseTimestamp).toBe(magic === 0 ? -1 : 1_700_000_000_000);
        // The wrapper carries the largest timestamp for magic 1.
        expect(last.maxTimestamp).toBe(magic === 0 ? -1 : 1_700_000_000_500);
      }
    });
  }

  it('magic 1 with LogAppendTime gives every inner record the wrapper timestamp', () => {
    const [batch] = readRecordBatches(Buffer.from(V1_LOG_APPEND_TIME, 'hex'));
    expect(batch!.timestampType).toBe('LogAppendTime');
    expect(batch!.records().map((r) => [r.offset, r.timestamp, r.timestampType])).toEqual([
      [20n, 1_710_000_000_000, 'LogAppendTime'],
      [21n, 1_710_000_000_000, 'LogAppendTime'],
    ]);
  });

  it('reads legacy messages and v2 batches mixed in one fetch', () => {
    const v2 = Buffer.from(
      '00000000000000050000006bffffffff02bf69e1e30001000000030000018bcfe568000000018bcfe56abcffffffffffffffffffffffffffff000000031f8b08000000000000ff5362606060c9366029336061ca60aa60ca60146238cfcfc4c85266c820c4f0838b8d25db8891010071565ff726000000',
      'hex',
    );
    const batches = readRecordBatches(Buffer.concat([Buffer.from(FIXTURES['v1 snappy']!, 'hex'), v2]));
    expect(batches.map((b) => b.magic)).toEqual([1, 2]);
    expect(batches[1]!.records().map((r) => r.offset)).toEqual([5n, 6n, 8n]);
  });

  it('checks the CRC-32 of outer and inner messages', () => {
    const outer = Buffer.from(FIXTURES['v1 none']!, 'hex');
    outer[37]! ^= 1; // the last byte of the first value
    expect(() => readRecordBatches(outer)).toThrow(/offset 10 is corrupt: CRC-32 is 0x[0-9a-f]{8}, the message says/);
    expect(readRecordBatches(outer, { verifyCrc: false })[0]!.records()[0]!.value).toEqual(Buffer.from('v1'));
    // Inner messages of a compressed wrapper are checked too: damage one and re-wrap it with a valid outer CRC.
    const wrapper = Buffer.from(FIXTURES['v1 gzip']!, 'hex');
    const inner = gunzipSync(wrapper.subarray(34));
    inner[37]! ^= 1;
    const value = gzipSync(inner);
    const rewrapped = Buffer.concat([wrapper.subarray(0, 30), Buffer.alloc(4), value]);
    rewrapped.writeInt32BE(rewrapped.length - 12, 8);
    rewrapped.writeInt32BE(value.length, 30);
    rewrapped.writeUInt32BE(crc32(rewrapped, 16, rewrapped.length), 12);
    const [batch] = readRecordBatches(rewrapped);
    expect(() => batch!.records()).toThrow(/offset 12 is corrupt: inner message: CRC-32/);
    expect(readRecordBatches(rewrapped, { verifyCrc: false })[0]!.records()[0]!.value).toEqual(Buffer.from('v1'));
  });

  it('rejects malformed legacy messages with CorruptRecordError', () => {
    const plain = Buffer.from(FIXTURES['v1 none']!, 'hex').subarray(0, 38);
    const resign = (b: Buffer) => {
      b.writeUInt32BE(crc32(b, 16, b.length), 12);
      return b;
    };
    const edit = (source: Buffer, fn: (b: Buffer) => void) => {
      const b = Buffer.from(source);
      fn(b);
      return resign(b);
    };
    const gzip = Buffer.from(FIXTURES['v1 gzip']!, 'hex');
    const cases: [string, Buffer, RegExp][] = [
      ['key past end', edit(plain, (b) => b.writeInt32BE(100, 26)), /key of 100 bytes runs past/],
      ['value past end', edit(plain, (b) => b.writeInt32BE(100, 32)), /value of 100 bytes runs past/],
      ['bytes after value', edit(plain, (b) => b.writeInt32BE(1, 32)), /1 bytes after its value/],
      ['zstd', edit(plain, (b) => b.writeUInt8(4, 17)), /codec id 4/],
      ['codec 6', edit(plain, (b) => b.writeUInt8(6, 17)), /codec id 6/],
      ['v1 too small', edit(plain.subarray(0, 30), (b) => b.writeInt32BE(18, 8)), /smaller than the magic 1 overhead/],
      [
        'compressed null value',
        edit(gzip.subarray(0, 34), (b) => {
          b.writeInt32BE(22, 8);
          b.writeInt32BE(-1, 30);
        }),
        /null value/,
      ],
      ['compressed garbage', edit(gzip, (b) => b.fill(7, 40)), /gzip data could not be decompressed/],
    ];
    for (const [name, data, message] of cases) {
      let error: unknown;
      try {
        for (const b of readRecordBatches(data)) b.records();
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(CorruptRecordError);
      expect((error as Error).message, name).toMatch(message);
    }
  });

  it('any flipped byte or truncation fails with CorruptRecordError or stops cleanly, never another error', () => {
    const readAll = (data: Buffer, verifyCrc: boolean): 'ok' | 'corrupt' => {
      try {
        for (const b of readRecordBatches(data, { verifyCrc })) b.records();
        return 'ok';
      } catch (error) {
        if (!(error instanceof CorruptRecordError)) throw error;
        return 'corrupt';
      }
    };
    for (const [name, hex] of Object.entries(FIXTURES)) {
      const data = Buffer.from(hex, 'hex');
      const first = data.readInt32BE(8) + 12;
      for (let at = 0; at < data.length; at++) {
        for (const mask of [0x01, 0x80, 0xff]) {
          const damaged = Buffer.from(data);
          damaged[at]! ^= mask;
          const outcome = readAll(damaged, true);
          // In a one-message fixture (a compressed wrapper), everything from the CRC on is covered by the CRC or is
          // the CRC; the offset and size fields are not.
          if (first === data.length && at >= 12) expect(outcome, `${name}: flip ${mask} at ${at}`).toBe('corrupt');
          readAll(damaged, false);
        }
      }
      for (let cut = 17; cut < first; cut++) {
        const truncated = Buffer.from(data.subarray(0, cut));
        truncated.writeInt32BE(cut - 12, 8);
        expect(readAll(truncated, true), `${name}: cut at ${cut}`).toBe('corrupt');
        truncated.writeUInt32BE(crc32(truncated, 16, cut), 12);
        expect(readAll(truncated, false), `${name}: cut at ${cut}, CRC fixed`).toBe('corrupt');
      }
    }
  });
});
