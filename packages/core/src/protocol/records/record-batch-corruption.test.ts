import { beforeAll, describe, expect, it } from 'vitest';
import { CorruptRecordError } from '../../errors/client-errors.js';
import { COMPRESSION_TYPES, type CompressionType } from './compression/compression-type.js';
import { crc32c } from './crc32c.js';
import { loadRecordCodecs } from './load-record-codecs.js';
import { RecordBatchBuilder } from './record-batch-builder.js';
import { RecordBatchReader } from './record-batch-reader.js';

beforeAll(async () => {
  await loadRecordCodecs();
});

const T0 = 1_700_000_000_000;

async function sampleBatch(compression: CompressionType, baseOffset = 1000n): Promise<Buffer> {
  const builder = new RecordBatchBuilder({ compression, baseOffset });
  for (let i = 0; i < 12; i++) {
    builder.append(
      T0 + (i % 3) * 1000 - 1500,
      i % 4 === 0 ? null : `key-${i}`,
      i % 5 === 0 ? null : `value ${i} `.repeat(i + 1),
      i % 2 === 0
        ? [
            { key: 'trace', value: `t${i}` },
            { key: 'trace', value: null },
          ]
        : undefined,
    );
  }
  return Buffer.from(await builder.build());
}

function resign(batch: Buffer): Buffer {
  batch.writeUInt32BE(crc32c(batch, 21, batch.length), 17);
  return batch;
}

type Outcome = { kind: 'ok'; batches: number; records: number } | { kind: 'corrupt'; error: CorruptRecordError };

/** Reads everything, records included; any error other than CorruptRecordError fails the test. */
function readAll(data: Buffer, verifyCrc: boolean): Outcome {
  try {
    let batches = 0;
    let records = 0;
    for (const batch of new RecordBatchReader(data, { verifyCrc, topic: 't', partition: 1 })) {
      batches++;
      records += batch.records().length;
      batch.controlType();
    }
    return { kind: 'ok', batches, records };
  } catch (error) {
    if (!(error instanceof CorruptRecordError)) throw error;
    return { kind: 'corrupt', error };
  }
}

describe('damaged batches', () => {
  for (const compression of COMPRESSION_TYPES) {
    it(`${compression}: every single-byte flip fails with CorruptRecordError, stops cleanly, or is outside the CRC`, async () => {
      const batch = await sampleBatch(compression);
      expect(readAll(batch, true)).toEqual({ kind: 'ok', batches: 1, records: 12 });
      for (let at = 0; at < batch.length; at++) {
        for (const mask of [0x01, 0x80, 0xff]) {
          const damaged = Buffer.from(batch);
          damaged[at]! ^= mask;
          const checked = readAll(damaged, true);
          if (at >= 16) {
            // Magic, CRC and everything the CRC covers.
            expect(checked.kind, `flip ${mask} at ${at}`).toBe('corrupt');
          } else if (at >= 8 && at < 12) {
            // The length: a longer batch is a partial one (clean stop); a shorter one fails its checks.
            if (checked.kind === 'ok') expect(checked.batches, `flip ${mask} at ${at}`).toBe(0);
          } else {
            // Base offset and leader epoch are outside the CRC (the broker rewrites them).
            expect(checked, `flip ${mask} at ${at}`).toEqual({ kind: 'ok', batches: 1, records: 12 });
          }
          if (checked.kind === 'corrupt') expect(checked.error.offset).toBeTypeOf('bigint');
          // Without the CRC check, damage may decode into wrong records, but never into another error type.
          readAll(damaged, false);
        }
      }
    });

    it(`${compression}: every truncation whose length field was made to match fails with CorruptRecordError`, async () => {
      const batch = await sampleBatch(compression);
      for (let cut = 17; cut < batch.length; cut++) {
        const truncated = Buffer.from(batch.subarray(0, cut));
        truncated.writeInt32BE(cut - 12, 8);
        for (const verifyCrc of [true, false]) {
          const data = verifyCrc || cut < 21 ? truncated : resign(Buffer.from(truncated));
          const outcome = readAll(data, verifyCrc);
          expect(outcome.kind, `cut at ${cut}, verifyCrc ${verifyCrc}`).toBe('corrupt');
          if (outcome.kind === 'corrupt' && cut >= 26) expect(outcome.error.offset).toBe(1000n);
        }
      }
    });
  }

  it('a trailing fragment shorter than a header is not an error', async () => {
    const batch = await sampleBatch('none');
    for (let cut = 0; cut < 17; cut++) {
      const reader = new RecordBatchReader(Buffer.concat([batch, batch.subarray(0, cut)]));
      expect(Array.from(reader)).toHaveLength(1);
      expect(reader.remainingBytes).toBe(cut);
    }
  });

  it('inconsistencies under a valid CRC are reported with what is wrong', async () => {
    const batch = await sampleBatch('none');
    const edit = (fn: (b: Buffer) => void, resignIt = true): Buffer => {
      const b = Buffer.from(batch);
      fn(b);
      return resignIt ? resign(b) : b;
    };
    const cases: [string, Buffer, RegExp][] = [
      ['unknown codec 5', edit((b) => b.writeInt16BE(5, 21)), /unknown compression codec id 5/],
      ['unknown codec 7', edit((b) => b.writeInt16BE(7, 21)), /unknown compression codec id 7/],
      ['magic 3', edit((b) => b.writeInt8(3, 16), false), /unknown magic byte 3/],
      ['magic -1', edit((b) => b.writeInt8(-1, 16), false), /unknown magic byte -1/],
      ['negative count', edit((b) => b.writeInt32BE(-1, 57)), /negative record count/],
      ['count too high', edit((b) => b.writeInt32BE(13, 57)), /varint runs past the end|record 12 of 13/],
      ['count too low', edit((b) => b.writeInt32BE(11, 57)), /bytes remain after the 11 records/],
      ['negative last offset delta', edit((b) => b.writeInt32BE(-5, 23)), /negative last offset delta/],
      ['first record too long', edit((b) => b.writeUInt8(b[61]! + 2, 61)), /record 0 declares/],
      ['first record too short', edit((b) => b.writeUInt8(b[61]! - 2, 61)), /record 0 declares/],
      ['tiny size', edit((b) => b.writeInt32BE(13, 8), false), /size 13 is smaller than the smallest message/],
      [
        'size below a v2 header',
        edit((b) => b.writeInt32BE(40, 8), false).subarray(0, 52),
        /batch length 40 is smaller than a batch header/,
      ],
      ['compressed flag on plain records', edit((b) => b.writeInt16BE(3, 21)), /LZ4 frame/],
    ];
    for (const [name, data, message] of cases) {
      const outcome = readAll(data, true);
      expect(outcome.kind, name).toBe('corrupt');
      if (outcome.kind === 'corrupt') {
        expect(outcome.error.message, name).toMatch(message);
        expect(outcome.error.message, name).toContain('(topic t, partition 1)');
        expect(outcome.error.offset, name).toBe(1000n);
      }
    }
  });

  it('random bytes shaped like batches never raise anything but CorruptRecordError', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let i = 0; i < 3000; i++) {
      const length = 17 + Math.floor(random() * 200);
      const data = Buffer.alloc(length);
      for (let j = 0; j < length; j++) data[j] = Math.floor(random() * 256);
      data.writeInt32BE(length - 12 - Math.floor(random() * 3), 8);
      data[16] = Math.floor(random() * 3);
      data[22] = data[22]! & 0xf7;
      if (data[16] === 2 && length >= 61) {
        data.writeInt32BE(Math.floor(random() * 5), 57);
        data[22] = Math.floor(random() * 5);
        resign(data.subarray(0, Math.min(length, data.readInt32BE(8) + 12)));
      }
      readAll(data, random() < 0.5);
    }
  });
});
