import { beforeAll, describe, expect, it } from 'vitest';
import { CorruptRecordError, InvalidArgumentError } from '../../errors/client-errors.js';
import { COMPRESSION_TYPES } from './compression/compression-type.js';
import { controlRecordKey } from './control-record.js';
import { crc32c } from './crc32c.js';
import { loadRecordCodecs } from './load-record-codecs.js';
import { type DecodedRecord, NO_HEADERS, type RecordHeaderInput } from './record.js';
import { RecordBatchBuilder, type RecordBatchBuilderOptions, rewriteProducerState } from './record-batch-builder.js';
import { RecordBatchReader, readRecordBatches } from './record-batch-reader.js';
import { recordSizeInBytes } from './record-size.js';

beforeAll(async () => {
  await loadRecordCodecs();
});

interface Input {
  timestamp: number;
  key: Uint8Array | string | null;
  value: Uint8Array | string | null;
  headers?: RecordHeaderInput[];
}

async function encode(records: Input[], options: RecordBatchBuilderOptions = {}): Promise<Buffer> {
  const builder = new RecordBatchBuilder(options);
  for (const r of records) builder.append(r.timestamp, r.key, r.value, r.headers);
  return builder.build();
}

function asBuffer(value: Uint8Array | string | null): Buffer | null {
  if (value === null) return null;
  return typeof value === 'string' ? Buffer.from(value) : Buffer.from(value);
}

/** Re-signs a batch after a test edited bytes under the CRC. */
function resign(batch: Buffer): Buffer {
  batch.writeUInt32BE(crc32c(batch, 21, batch.length), 17);
  return batch;
}

const T0 = 1_700_000_000_000;
const SAMPLE: Input[] = [
  {
    timestamp: T0,
    key: 'key-0',
    value: 'value-0',
    headers: [
      { key: 'h', value: 'a' },
      { key: 'h', value: null },
      { key: 'ü', value: Buffer.from([0, 1]) },
    ],
  },
  { timestamp: T0 - 5000, key: null, value: Buffer.from('value-1') },
  { timestamp: T0 + 3, key: Buffer.alloc(0), value: null },
  { timestamp: T0 + 2 ** 33, key: 'k'.repeat(300), value: 'v'.repeat(20_000), headers: [] },
];

function expectDecoded(records: DecodedRecord[], inputs: Input[], baseOffset = 0n): void {
  expect(records).toHaveLength(inputs.length);
  records.forEach((r, i) => {
    const input = inputs[i]!;
    expect(r.offset).toBe(baseOffset + BigInt(i));
    expect(r.timestamp).toBe(input.timestamp);
    expect(r.key).toEqual(asBuffer(input.key));
    expect(r.value).toEqual(asBuffer(input.value));
    expect(r.headers).toEqual((input.headers ?? []).map((h) => ({ key: h.key, value: asBuffer(h.value) })));
  });
}

describe('record batch v2 round trip', () => {
  for (const compression of COMPRESSION_TYPES) {
    it(`${compression}: records, nulls, empty fields, repeated headers and negative timestamp deltas survive`, async () => {
      const bytes = await encode(SAMPLE, { compression, baseOffset: 500n, partitionLeaderEpoch: 9 });
      const [batch, ...rest] = readRecordBatches(bytes, { topic: 'orders', partition: 4 });
      expect(rest).toHaveLength(0);
      expect(batch!.compression).toBe(compression);
      expect(batch!.magic).toBe(2);
      expect(batch!.sizeInBytes).toBe(bytes.length);
      expect(batch!.baseOffset).toBe(500n);
      expect(batch!.lastOffset).toBe(503n);
      expect(batch!.nextOffset).toBe(504n);
      expect(batch!.recordCount).toBe(4);
      expect(batch!.baseTimestamp).toBe(T0);
      expect(batch!.maxTimestamp).toBe(T0 + 2 ** 33);
      expect(batch!.partitionLeaderEpoch).toBe(9);
      expect(batch!.timestampType).toBe('CreateTime');
      expect(batch!.isControl).toBe(false);
      expect(batch!.isTransactional).toBe(false);
      expect(batch!.deleteHorizonMs).toBeUndefined();
      expect(batch!.producerId).toBe(-1n);
      expect(batch!.producerEpoch).toBe(-1);
      expect(batch!.baseSequence).toBe(-1);
      expect(batch!.controlType()).toBeUndefined();
      const records = batch!.records();
      expectDecoded(records, SAMPLE, 500n);
      for (const r of records) {
        expect(r.topic).toBe('orders');
        expect(r.partition).toBe(4);
        expect(r.leaderEpoch).toBe(9);
        expect(r.timestampType).toBe('CreateTime');
      }
      expect(records[1]!.headers).toBe(NO_HEADERS);
    });
  }

  it('writes producer state, the transactional flag and LogAppendTime', async () => {
    const bytes = await encode(SAMPLE, {
      compression: 'lz4',
      timestampType: 'LogAppendTime',
      producerId: 1n,
      producerEpoch: 1,
      baseSequence: 1,
    });
    expect(bytes.readInt16BE(21) & 0x08).toBe(0x08);
    const built = new RecordBatchBuilder({ producerId: 1n });
    built.append(T0, null, 'x');
    const overridden = readRecordBatches(
      (await built.build({
        producerId: 2n ** 62n,
        producerEpoch: 32767,
        baseSequence: 2 ** 31 - 1,
        isTransactional: true,
      })) as Buffer,
    )[0]!;
    expect(overridden.producerId).toBe(2n ** 62n);
    expect(overridden.producerEpoch).toBe(32767);
    expect(overridden.baseSequence).toBe(2 ** 31 - 1);
    expect(overridden.isTransactional).toBe(true);
    const batch = readRecordBatches(bytes)[0]!;
    expect(batch.timestampType).toBe('LogAppendTime');
    expect(batch.producerId).toBe(1n);
    // Every record carries the batch's max timestamp.
    expect(new Set(batch.records().map((r) => r.timestamp))).toEqual(new Set([T0 + 2 ** 33]));
    expect(batch.records().every((r) => r.timestampType === 'LogAppendTime')).toBe(true);
  });

  it('keeps offset gaps written with appendAt and offsets beyond 2^53', async () => {
    const builder = new RecordBatchBuilder({ baseOffset: 2n ** 62n, compression: 'zstd' });
    builder.appendAt(0, T0, 'a', 'a');
    builder.appendAt(5, T0, 'b', 'b');
    builder.appendAt(2 ** 31 - 1, T0, 'c', 'c');
    expect(() => builder.appendAt(7, T0, 'd', 'd')).toThrow(InvalidArgumentError);
    const batch = readRecordBatches((await builder.build()) as Buffer)[0]!;
    expect(batch.records().map((r) => r.offset)).toEqual([2n ** 62n, 2n ** 62n + 5n, 2n ** 62n + 2n ** 31n - 1n]);
    expect(batch.lastOffset).toBe(2n ** 62n + 2n ** 31n - 1n);
  });

  it('encodes strings and Buffers identically', async () => {
    const fromStrings = await encode([
      { timestamp: T0, key: 'κλειδί', value: '値', headers: [{ key: 'k', value: 'ü' }] },
    ]);
    const fromBuffers = await encode([
      {
        timestamp: T0,
        key: Buffer.from('κλειδί'),
        value: Buffer.from('値'),
        headers: [{ key: 'k', value: Buffer.from('ü') }],
      },
    ]);
    expect(fromStrings.equals(fromBuffers)).toBe(true);
    // Plain Uint8Arrays (not Buffers), short and long, are written the same way too.
    const long = 'x'.repeat(100);
    const fromArrays = await encode([
      { timestamp: T0, key: new Uint8Array(Buffer.from('κλειδί')), value: new Uint8Array(Buffer.from(long)) },
    ]);
    expect(fromArrays.equals(await encode([{ timestamp: T0, key: 'κλειδί', value: long }]))).toBe(true);
  });

  it('writes an empty batch that reads back with no records', async () => {
    for (const compression of COMPRESSION_TYPES) {
      const bytes = await new RecordBatchBuilder({ compression, baseOffset: 10n }).build();
      const batch = readRecordBatches(bytes)[0]!;
      expect(batch.recordCount).toBe(0);
      expect(batch.records()).toEqual([]);
      expect(batch.lastOffset).toBe(10n);
      expect(batch.baseTimestamp).toBe(-1);
    }
  });

  it('reads an empty batch left by compaction that keeps its last offset delta', async () => {
    const bytes = Buffer.from(await new RecordBatchBuilder({ baseOffset: 100n }).build());
    bytes.writeInt32BE(41, 23);
    const batch = readRecordBatches(resign(bytes))[0]!;
    expect(batch.recordCount).toBe(0);
    expect(batch.nextOffset).toBe(142n);
  });

  it('reads the delete horizon when the cleaner set it', async () => {
    const bytes = Buffer.from(await encode(SAMPLE.slice(0, 2)));
    bytes.writeInt16BE(bytes.readInt16BE(21) | 0x40, 21);
    const batch = readRecordBatches(resign(bytes))[0]!;
    expect(batch.deleteHorizonMs).toBe(T0);
    expectDecoded(batch.records(), SAMPLE.slice(0, 2));
  });
});

describe('control batches', () => {
  it('expose the transaction marker type', async () => {
    for (const type of ['COMMIT', 'ABORT'] as const) {
      const builder = new RecordBatchBuilder({
        isControl: true,
        isTransactional: true,
        producerId: 3n,
        producerEpoch: 0,
      });
      builder.append(T0, controlRecordKey(type), Buffer.from([0, 0, 0, 0, 0, 7]));
      const batch = readRecordBatches((await builder.build()) as Buffer)[0]!;
      expect(batch.isControl).toBe(true);
      expect(batch.isTransactional).toBe(true);
      expect(batch.controlType()).toBe(type);
    }
  });

  it('report unknown types as UNKNOWN and malformed keys as corrupt', async () => {
    const control = async (key: Buffer | null) => {
      const builder = new RecordBatchBuilder({ isControl: true, baseOffset: 77n });
      builder.append(T0, key, null);
      return readRecordBatches((await builder.build()) as Buffer)[0]!;
    };
    expect((await control(Buffer.from([0, 0, 0, 42]))).controlType()).toBe('UNKNOWN');
    expect((await control(Buffer.from([0, 5, 0, 1]))).controlType()).toBe('COMMIT');
    for (const key of [null, Buffer.from([0, 0, 1]), Buffer.from([0xff, 0xff, 0, 1])]) {
      const batch = await control(key);
      expect(() => batch.controlType()).toThrow(CorruptRecordError);
    }
    expect(await (new RecordBatchBuilder({ isControl: true }).build() as Buffer)).toBeInstanceOf(Buffer);
    expect(
      readRecordBatches(new RecordBatchBuilder({ isControl: true }).build() as Buffer)[0]!.controlType(),
    ).toBeUndefined();
  });
});

describe('RecordBatchBuilder', () => {
  it('tracks the exact uncompressed size, and grows from a tiny buffer', async () => {
    const builder = new RecordBatchBuilder({ initialCapacity: 1 });
    let expected = 61;
    SAMPLE.forEach((r, i) => {
      expected += recordSizeInBytes(i, r.timestamp - T0, r.key, r.value, r.headers);
      builder.append(r.timestamp, r.key, r.value, r.headers);
      expect(builder.sizeInBytes).toBe(expected);
      expect(builder.recordCount).toBe(i + 1);
    });
    expect(builder.baseTimestamp).toBe(T0);
    expect(builder.maxTimestamp).toBe(T0 + 2 ** 33);
    const bytes = (await builder.build()) as Buffer;
    expect(bytes.length).toBe(expected);
    expectDecoded(readRecordBatches(bytes)[0]!.records(), SAMPLE);
  });

  it('writes into a pooled buffer, and an uncompressed batch is a view of it', async () => {
    const pool = Buffer.alloc(64 * 1024);
    const builder = new RecordBatchBuilder({ buffer: pool });
    builder.append(T0, 'k', 'v');
    const bytes = (await builder.build()) as Buffer;
    expect(bytes.buffer).toBe(pool.buffer);
    expect(bytes.byteOffset).toBe(pool.byteOffset);
    expectDecoded(readRecordBatches(bytes)[0]!.records(), [{ timestamp: T0, key: 'k', value: 'v' }]);
  });

  it('refuses use after build, and bad timestamps', async () => {
    const builder = new RecordBatchBuilder();
    expect(() => builder.append(1.5, null, null)).toThrow(InvalidArgumentError);
    expect(() => builder.append(Number.NaN, null, null)).toThrow(InvalidArgumentError);
    builder.append(T0, null, null);
    await builder.build();
    expect(() => builder.append(T0, null, null)).toThrow(InvalidArgumentError);
    expect(() => builder.build()).toThrow(InvalidArgumentError);
  });
});

describe('rewriteProducerState', () => {
  it('changes producer fields and the transactional flag, recomputes the CRC and keeps the records', async () => {
    const bytes = Buffer.from(
      await encode(SAMPLE, { compression: 'snappy', producerId: 1n, producerEpoch: 0, baseSequence: 0 }),
    );
    const before = readRecordBatches(bytes)[0]!.records();
    rewriteProducerState(bytes, { producerId: 99n, producerEpoch: 3, baseSequence: 1234, isTransactional: true });
    let batch = readRecordBatches(bytes)[0]!;
    expect([batch.producerId, batch.producerEpoch, batch.baseSequence, batch.isTransactional]).toEqual([
      99n,
      3,
      1234,
      true,
    ]);
    expect(batch.compression).toBe('snappy');
    expect(batch.records()).toEqual(before);
    rewriteProducerState(bytes, { isTransactional: false });
    batch = readRecordBatches(bytes)[0]!;
    expect([batch.producerId, batch.isTransactional]).toEqual([99n, false]);
    expect(() => rewriteProducerState(Buffer.alloc(10), {})).toThrow(InvalidArgumentError);
  });
});

describe('RecordBatchReader', () => {
  it('reads consecutive batches and stops cleanly before a partial one, at every cut point', async () => {
    const a = await encode(SAMPLE, { baseOffset: 0n });
    const b = await encode(SAMPLE, { baseOffset: 4n, compression: 'gzip' });
    const c = await encode(SAMPLE.slice(0, 1), { baseOffset: 8n, compression: 'lz4' });
    const all = Buffer.concat([a, b, c]);
    for (let cut = 0; cut <= all.length; cut++) {
      const reader = new RecordBatchReader(all.subarray(0, cut));
      const batches = Array.from(reader);
      const complete =
        cut >= a.length + b.length + c.length ? 3 : cut >= a.length + b.length ? 2 : cut >= a.length ? 1 : 0;
      expect(batches.map((x) => x.baseOffset)).toEqual([0n, 4n, 8n].slice(0, complete));
      expect(reader.remainingBytes).toBe(cut - [0, a.length, a.length + b.length, all.length][complete]!);
      // Iteration stays finished.
      expect(reader.next().done).toBe(true);
    }
  });

  it('skips the CRC check when asked', async () => {
    const bytes = Buffer.from(await encode(SAMPLE));
    bytes.writeUInt32BE(0xdeadbeef, 17);
    expect(() => readRecordBatches(bytes)).toThrow(/CRC-32C is 0x[0-9a-f]{8}, the batch says 0xdeadbeef/);
    expectDecoded(readRecordBatches(bytes, { verifyCrc: false })[0]!.records(), SAMPLE);
  });

  it('rejects a batch over the decompression limit, naming the batch', async () => {
    const big = [{ timestamp: T0, key: null, value: Buffer.alloc(4 * 1024 * 1024) }];
    // Uncompressed batches are already in memory: the limit is about inflating.
    const plain = await encode(big, { baseOffset: 31n });
    expect(readRecordBatches(plain, { maxDecompressedBytes: 1024 })[0]!.records()[0]!.value!.length).toBe(
      4 * 1024 * 1024,
    );
    for (const compression of COMPRESSION_TYPES.filter((c) => c !== 'none')) {
      const bytes = await encode(big, { compression, baseOffset: 31n });
      const batch = readRecordBatches(bytes, { maxDecompressedBytes: 1024 * 1024, topic: 't', partition: 0 })[0]!;
      let error: unknown;
      try {
        batch.records();
      } catch (e) {
        error = e;
      }
      expect(error, compression).toBeInstanceOf(CorruptRecordError);
      expect((error as CorruptRecordError).offset).toBe(31n);
      expect((error as Error).message).toMatch(
        /at offset 31 is corrupt: .*more than 1048576 bytes.*\(topic t, partition 0\)/,
      );
    }
  });
});
