import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPRESSION_TYPES } from './compression/compression-type.js';
import { loadRecordCodecs } from './load-record-codecs.js';
import { RecordBatchBuilder } from './record-batch-builder.js';
import { readRecordBatches } from './record-batch-reader.js';
import { estimateRecordSizeUpperBound, recordSizeInBytes } from './record-size.js';

beforeAll(async () => {
  await loadRecordCodecs();
});

const bytes = fc.oneof(
  fc.constant(null),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
);
const text = fc.oneof(fc.constant(null), fc.string({ maxLength: 60, unit: 'binary' }));
const header = fc.record({ key: fc.string({ maxLength: 20, unit: 'binary' }), value: fc.oneof(bytes, text) });
const record = fc.record({
  timestamp: fc.integer({ min: 0, max: 2 ** 45 }),
  key: fc.oneof(bytes, text),
  value: fc.oneof(bytes, text),
  headers: fc.array(header, { maxLength: 5 }),
  gap: fc.integer({ min: 1, max: 1000 }),
});
const batch = fc.record({
  compression: fc.constantFrom(...COMPRESSION_TYPES),
  baseOffset: fc.bigInt({ min: 0n, max: 2n ** 62n }),
  records: fc.array(record, { minLength: 0, maxLength: 40 }),
  producerId: fc.bigInt({ min: -1n, max: 2n ** 63n - 1n }),
  producerEpoch: fc.integer({ min: -1, max: 32767 }),
  baseSequence: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
  isTransactional: fc.boolean(),
  leaderEpoch: fc.integer({ min: -1, max: 2 ** 31 - 1 }),
});

function toBuffer(value: Uint8Array | string | null): Buffer | null {
  if (value === null) return null;
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
}

describe('record batch v2, for arbitrary records', () => {
  it('decode(encode(records)) equals the records, with every field and flag', async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (spec) => {
        const builder = new RecordBatchBuilder({
          compression: spec.compression,
          baseOffset: spec.baseOffset,
          partitionLeaderEpoch: spec.leaderEpoch,
          initialCapacity: 100,
        });
        let offsetDelta = -1;
        const deltas: number[] = [];
        for (const r of spec.records) {
          offsetDelta += r.gap;
          deltas.push(offsetDelta);
          const before = builder.sizeInBytes;
          builder.appendAt(offsetDelta, r.timestamp, r.key, r.value, r.headers);
          const size = builder.sizeInBytes - before;
          expect(size).toBe(
            recordSizeInBytes(offsetDelta, r.timestamp - spec.records[0]!.timestamp, r.key, r.value, r.headers),
          );
          expect(size).toBeLessThanOrEqual(estimateRecordSizeUpperBound(r.key, r.value, r.headers));
        }
        const encoded = await builder.build(spec);
        const [decoded, ...more] = readRecordBatches(encoded, { topic: 'p', partition: 0 });
        expect(more).toHaveLength(0);
        expect(decoded!.producerId).toBe(spec.producerId);
        expect(decoded!.producerEpoch).toBe(spec.producerEpoch);
        expect(decoded!.baseSequence).toBe(spec.baseSequence);
        expect(decoded!.isTransactional).toBe(spec.isTransactional);
        expect(decoded!.partitionLeaderEpoch).toBe(spec.leaderEpoch);
        expect(decoded!.compression).toBe(spec.compression);
        expect(decoded!.recordCount).toBe(spec.records.length);
        const records = decoded!.records();
        expect(records.map((r) => r.offset)).toEqual(deltas.map((d) => spec.baseOffset + BigInt(d)));
        expect(records.map((r) => [r.timestamp, r.key, r.value, r.headers])).toEqual(
          spec.records.map((r) => [
            r.timestamp,
            toBuffer(r.key),
            toBuffer(r.value),
            r.headers.map((h) => ({ key: h.key, value: toBuffer(h.value) })),
          ]),
        );
        if (spec.records.length > 0) {
          expect(decoded!.maxTimestamp).toBe(Math.max(...spec.records.map((r) => r.timestamp)));
          expect(decoded!.lastOffset).toBe(spec.baseOffset + BigInt(deltas.at(-1)!));
        }
      }),
      { numRuns: 300 },
    );
  });
});
