/**
 * Record batch v2 encode and decode throughput, in records per second, for 100-byte and 1 KiB values with every
 * codec. Encode: append records into a builder sized for the batch, then build (compress, header, CRC). Decode:
 * read the batch (CRC check) and decode every record. Batches hold about 1 MiB of records, as a full fetch does;
 * a 16 KiB encode row shows the producer's default batch.size.
 *
 *   npx tsx bench/records/record-batch.ts [--quick] [--js-crc] [--codec none,lz4] [--value 100,1024] [--batch 16,1024]
 */
import { setNativeCrc32c } from '../../packages/core/src/protocol/records/crc32c.js';
import {
  COMPRESSION_TYPES,
  loadRecordCodecs,
  RecordBatchBuilder,
  RecordBatchReader,
} from '../../packages/core/src/protocol/records/index.js';
import { asyncOpsPerSecond, opsPerSecond, payload, printTable, si } from './measure.js';

const quick = process.argv.includes('--quick');
const budget = quick ? 150 : 300;
/** Rounds per cell; the best is reported, so that a machine shared with other work shows its capacity. */
const rounds = quick ? 1 : 3;
await loadRecordCodecs();
const crc = process.argv.includes('--js-crc') ? 'JavaScript' : 'native';
if (crc === 'JavaScript') setNativeCrc32c(undefined);

const T0 = 1_700_000_000_000;
const only = (flag: string): string | undefined => {
  const at = process.argv.indexOf(flag);
  return at === -1 ? undefined : process.argv[at + 1];
};
const codecs = only('--codec')?.split(',') ?? COMPRESSION_TYPES;
const valueSizes = only('--value')?.split(',').map(Number) ?? [100, 1024];
const batchSizes = only('--batch')
  ?.split(',')
  .map((k) => Number(k) * 1024) ?? [16 * 1024, 1024 * 1024];
const rows: Record<string, string | number>[] = [];

for (const valueSize of valueSizes) {
  for (const batchBytes of batchSizes) {
    const count = Math.max(1, Math.floor(batchBytes / (valueSize + 30)));
    const values = Array.from({ length: count }, (_, i) => payload(valueSize, i));
    const keys = Array.from({ length: count }, (_, i) => Buffer.from(`key-${i % 1000}`));
    for (const compression of COMPRESSION_TYPES.filter((c) => codecs.includes(c))) {
      const encode = () => {
        const builder = new RecordBatchBuilder({ compression, initialCapacity: batchBytes + 1024 });
        for (let i = 0; i < count; i++) builder.append(T0 + i, keys[i]!, values[i]!);
        return builder.build();
      };
      const first = encode();
      // gzip of 256 KiB and more compresses on the thread pool: measure it as the producer awaits it.
      const asynchronous = first instanceof Promise;
      const sample = await first;
      let checksum = 0;
      const decode = () => {
        for (const batch of new RecordBatchReader(sample)) checksum += batch.records().length;
      };
      const decodeNoCrc = () => {
        for (const batch of new RecordBatchReader(sample, { verifyCrc: false })) checksum += batch.records().length;
      };
      let encodeRate = 0;
      let decodeRate = 0;
      let decodeNoCrcRate = 0;
      for (let round = 0; round < rounds; round++) {
        const encodeOps = asynchronous
          ? await asyncOpsPerSecond(async () => encode(), budget)
          : opsPerSecond(encode, budget);
        encodeRate = Math.max(encodeRate, encodeOps * count);
        decodeRate = Math.max(decodeRate, opsPerSecond(decode, budget) * count);
        decodeNoCrcRate = Math.max(decodeNoCrcRate, opsPerSecond(decodeNoCrc, budget) * count);
      }
      if (checksum === 0) throw new Error('nothing decoded');
      rows.push({
        value: `${valueSize} B`,
        batch: batchBytes >= 1024 * 1024 ? '1 MiB' : '16 KiB',
        records: count,
        codec: asynchronous ? `${compression} (async)` : compression,
        ratio: (sample.length / (count * (valueSize + 16))).toFixed(2),
        'encode rec/s': si(encodeRate),
        'decode rec/s': si(decodeRate),
        'decode MB/s': ((decodeRate * (valueSize + 16)) / 1e6).toFixed(0),
        'decode rec/s no CRC': si(decodeNoCrcRate),
      });
    }
  }
}

printTable(`Record batch v2 (Node ${process.version}, ${crc} CRC-32C, best of ${rounds} x ${budget} ms)`, rows);
