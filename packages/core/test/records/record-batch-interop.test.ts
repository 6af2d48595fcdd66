/**
 * Interop of the record batch codec with Apache Kafka's own Java client library (MemoryRecordsBuilder and
 * MemoryRecords of kafka-clients), both ways, for every codec and flag: batches the Java client writes decode
 * exactly here, and batches written here pass the Java client's checks (CRC, sizes) and read back exactly.
 * The Java side is the single-file program java/RecordBatchInterop.java; no broker is involved.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CompressionType,
  controlRecordKey,
  loadRecordCodecs,
  type RecordBatch,
  RecordBatchBuilder,
  RecordBatchReader,
  readRecordBatches,
  rewriteProducerState,
} from '../../src/protocol/records/index.js';
import { type BatchSpec, batch, makeRecords, type PlainRecord, plain, specLines } from './interop-fixtures.js';
import { kafkaClientsClasspath } from './java/kafka-classpath.js';

const execFileAsync = promisify(execFile);
const PROGRAM = fileURLToPath(new URL('./java/RecordBatchInterop.java', import.meta.url));
const CODECS: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const LEGACY_CODECS: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4'];

async function java(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('java', ['-cp', await kafkaClientsClasspath(), PROGRAM, ...args], {
    maxBuffer: 512 * 1024 * 1024,
    timeout: 120_000,
  });
  return stdout;
}

/** One batch as the Java program prints it. */
interface JavaBatch {
  file: string;
  magic: number;
  baseOffset: string;
  lastOffset: string;
  compression: string;
  timestampType: string;
  transactional: boolean;
  control: boolean;
  producerId: string;
  producerEpoch: number;
  baseSequence: number;
  partitionLeaderEpoch: number;
  maxTimestamp: number;
  count: number | null;
  records: (PlainRecord & { controlType?: string })[];
}

function parseJava(stdout: string): JavaBatch[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as JavaBatch);
}

/** What a reader of `spec` should decode, by the rules of its magic and timestamp type. */
function expectedRecords(spec: BatchSpec): PlainRecord[] {
  if (spec.marker !== undefined) {
    // The end-transaction marker: key = version 0 + type, value = version 0 + coordinator epoch.
    const value = Buffer.alloc(6);
    value.writeInt32BE(spec.marker.coordinatorEpoch, 2);
    const marker = {
      offset: spec.baseOffset,
      timestamp: spec.marker.timestamp,
      key: controlRecordKey(spec.marker.type),
      value,
      headers: [],
    };
    return [plain(marker)];
  }
  return spec.records.map((r) => ({
    ...plain(r),
    timestamp: spec.magic === 0 ? -1 : spec.timestampType === 'LogAppendTime' ? spec.logAppendTime : r.timestamp,
  }));
}

function expectedTimestampType(spec: BatchSpec): string {
  return spec.magic === 0 ? 'NoTimestampType' : spec.timestampType;
}

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vltava-records-interop-'));
  await loadRecordCodecs();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('batches written by the Java client decode exactly', () => {
  const cases = new Map<string, BatchSpec[]>();
  let seed = 1;
  for (const compression of CODECS) {
    cases.set(`v2 ${compression}`, [
      batch({ compression, leaderEpoch: 7, records: makeRecords(seed++, 150, 1000n) }),
      batch({ compression, records: makeRecords(seed++, 40, 1150n, { gaps: true }) }),
      batch({ compression, records: makeRecords(seed++, 30, 5000n, { maxValue: 40_000 }) }),
      batch({
        compression,
        producerId: 4242n,
        producerEpoch: 3,
        baseSequence: 17,
        transactional: true,
        records: makeRecords(seed++, 20, 6000n),
      }),
      batch({
        compression,
        timestampType: 'LogAppendTime',
        logAppendTime: 1_710_000_000_123,
        records: makeRecords(seed++, 10, 7000n),
      }),
    ]);
  }
  cases.set('v2 control', [
    batch({
      compression: 'none',
      baseOffset: 300n,
      control: true,
      transactional: true,
      producerId: 9n,
      producerEpoch: 1,
      records: [],
      marker: { type: 'COMMIT', coordinatorEpoch: 5, timestamp: 1_700_000_000_000 },
    }),
    batch({
      compression: 'none',
      baseOffset: 301n,
      control: true,
      transactional: true,
      producerId: 9n,
      producerEpoch: 1,
      records: [],
      marker: { type: 'ABORT', coordinatorEpoch: 5, timestamp: 1_700_000_000_001 },
    }),
  ]);
  for (const magic of [0, 1] as const) {
    for (const compression of LEGACY_CODECS) {
      const specs = [
        batch({ magic, compression, records: makeRecords(seed++, 25, 40n, { headers: false }) }),
        batch({ magic, compression, records: makeRecords(seed++, 12, 70n, { headers: false, maxValue: 30_000 }) }),
      ];
      if (magic === 1) {
        specs.push(
          batch({
            magic,
            compression,
            timestampType: 'LogAppendTime',
            logAppendTime: 1_690_000_000_000,
            records: makeRecords(seed++, 5, 90n, { headers: false }),
          }),
        );
      }
      cases.set(`v${magic} ${compression}`, specs);
    }
  }

  const files = new Map<string, string>();
  let javaView: JavaBatch[] = [];

  beforeAll(async () => {
    const lines: string[] = [];
    let n = 0;
    for (const [name, specs] of cases) {
      const file = join(dir, `java-${n++}.bin`);
      files.set(name, file);
      lines.push(...specLines(file, specs));
    }
    writeFileSync(join(dir, 'java-spec.txt'), `${lines.join('\n')}\n`);
    await java('write', join(dir, 'java-spec.txt'));
    javaView = parseJava(await java('read', ...files.values()));
  });

  function decodeFile(name: string): { batches: RecordBatch[]; records: PlainRecord[] } {
    const data = readFileSync(files.get(name)!);
    const reader = new RecordBatchReader(data, { topic: 'interop', partition: 3 });
    const batches = Array.from(reader);
    expect(reader.remainingBytes).toBe(0);
    return { batches, records: batches.flatMap((b) => b.records().map(plain)) };
  }

  for (const [name, specs] of cases) {
    it(`${name}: records, offsets, timestamps, headers and batch fields`, () => {
      const { batches, records } = decodeFile(name);
      expect(records).toEqual(specs.flatMap(expectedRecords));
      // The Java client reads the same file the same way.
      const javaRecords = javaView.filter((b) => b.file === files.get(name)).flatMap((b) => b.records);
      expect(javaRecords.map(({ controlType: _, ...r }) => r)).toEqual(batches.flatMap((b) => b.records().map(plain)));
      if (specs[0]!.magic === 2) {
        expect(batches).toHaveLength(specs.length);
        batches.forEach((b, i) => {
          const spec = specs[i]!;
          expect(b.magic).toBe(2);
          expect(b.compression).toBe(spec.compression);
          expect(b.baseOffset).toBe(spec.baseOffset);
          expect(b.lastOffset).toBe(spec.records.at(-1)?.offset ?? spec.baseOffset);
          expect(b.timestampType).toBe(spec.timestampType);
          expect(b.isTransactional).toBe(spec.transactional);
          expect(b.isControl).toBe(spec.control);
          expect(b.producerId).toBe(spec.producerId);
          expect(b.producerEpoch).toBe(spec.producerEpoch);
          expect(b.baseSequence).toBe(spec.baseSequence);
          expect(b.partitionLeaderEpoch).toBe(spec.leaderEpoch);
          expect(b.recordCount).toBe(spec.marker === undefined ? spec.records.length : 1);
          if (spec.marker === undefined) {
            const maxTimestamp =
              spec.timestampType === 'LogAppendTime'
                ? spec.logAppendTime
                : Math.max(...spec.records.map((r) => r.timestamp));
            expect(b.maxTimestamp).toBe(maxTimestamp);
            for (const r of b.records()) {
              expect(r.topic).toBe('interop');
              expect(r.partition).toBe(3);
              expect(r.leaderEpoch).toBe(spec.leaderEpoch === -1 ? undefined : spec.leaderEpoch);
              expect(r.timestampType).toBe(spec.timestampType);
            }
          }
        });
      } else {
        // Uncompressed legacy messages are one batch each; compressed ones one wrapper per spec batch.
        const perBatch = specs[0]!.compression === 'none' ? specs.flatMap((s) => s.records.map(() => s)) : specs;
        expect(batches).toHaveLength(perBatch.length);
        batches.forEach((b, i) => {
          const spec = perBatch[i]!;
          expect(b.magic).toBe(spec.magic);
          expect(b.compression).toBe(spec.compression);
          expect(b.timestampType).toBe(expectedTimestampType(spec));
          expect(b.recordCount).toBe(spec.compression === 'none' ? 1 : spec.records.length);
          expect(b.lastOffset).toBe(b.records().at(-1)!.offset);
          expect(b.baseOffset).toBe(b.records()[0]!.offset);
        });
      }
    });
  }

  it('control batches expose their marker type', () => {
    const { batches } = decodeFile('v2 control');
    expect(batches.map((b) => b.controlType())).toEqual(['COMMIT', 'ABORT']);
    expect(javaView.filter((b) => b.file === files.get('v2 control')).map((b) => b.records[0]?.controlType)).toEqual([
      'COMMIT',
      'ABORT',
    ]);
    const key = batches[0]!.records()[0]!.key!;
    expect(key.equals(controlRecordKey('COMMIT'))).toBe(true);
  });

  it('a batch cut off at the end of a fetch is left out, at every cut point', () => {
    for (const name of ['v2 lz4', 'v2 zstd', 'v1 gzip', 'v0 snappy']) {
      const data = readFileSync(files.get(name)!);
      const all = readRecordBatches(data);
      const lastStart = data.length - all.at(-1)!.sizeInBytes;
      for (let cut = lastStart; cut < data.length; cut += Math.max(1, Math.floor((data.length - lastStart) / 97))) {
        const reader = new RecordBatchReader(data.subarray(0, cut));
        const batches = Array.from(reader);
        expect(batches).toHaveLength(all.length - 1);
        expect(reader.remainingBytes).toBe(cut - lastStart);
      }
    }
  });
});

describe('batches written here are read back exactly by the Java client', () => {
  interface Written {
    readonly spec: BatchSpec;
    readonly bytes: Buffer;
  }

  async function write(spec: BatchSpec): Promise<Written> {
    const builder = new RecordBatchBuilder({
      compression: spec.compression,
      baseOffset: spec.baseOffset,
      partitionLeaderEpoch: spec.leaderEpoch,
      timestampType: spec.timestampType,
      isControl: spec.control,
      initialCapacity: 1024,
    });
    for (const r of spec.records)
      builder.appendAt(Number(r.offset - spec.baseOffset), r.timestamp, r.key, r.value, r.headers);
    const bytes = await builder.build({
      producerId: spec.producerId,
      producerEpoch: spec.producerEpoch,
      baseSequence: spec.baseSequence,
      isTransactional: spec.transactional,
    });
    return { spec, bytes };
  }

  const written: Written[] = [];
  let javaView: JavaBatch[] = [];
  let retried: Buffer;

  beforeAll(async () => {
    let seed = 1000;
    for (const compression of CODECS) {
      written.push(await write(batch({ compression, leaderEpoch: 2, records: makeRecords(seed++, 200, 0n) })));
      written.push(await write(batch({ compression, records: makeRecords(seed++, 50, 500n, { gaps: true }) })));
      // Over the gzip thread-pool threshold and over several LZ4 and snappy blocks.
      written.push(await write(batch({ compression, records: makeRecords(seed++, 60, 900n, { maxValue: 30_000 }) })));
      written.push(
        await write(
          batch({
            compression,
            producerId: 77n,
            producerEpoch: 4,
            baseSequence: 1000,
            transactional: true,
            records: makeRecords(seed++, 10, 2000n),
          }),
        ),
      );
    }
    written.push(
      await write(
        batch({
          compression: 'none',
          control: true,
          transactional: true,
          producerId: 5n,
          producerEpoch: 0,
          records: [
            {
              offset: 3000n,
              timestamp: 1_700_000_000_000,
              key: controlRecordKey('ABORT'),
              value: Buffer.from([0, 0, 0, 0, 0, 1]),
              headers: [],
            },
          ],
        }),
      ),
    );
    // A retry after an epoch bump: same records, new producer state, CRC recomputed in place.
    const original = await write(
      batch({
        compression: 'lz4',
        producerId: 10n,
        producerEpoch: 0,
        baseSequence: 0,
        records: makeRecords(seed++, 30, 4000n),
      }),
    );
    retried = Buffer.from(original.bytes);
    rewriteProducerState(retried, { producerId: 11n, producerEpoch: 1, baseSequence: 30, isTransactional: true });
    writeFileSync(join(dir, 'ours.bin'), Buffer.concat(written.map((w) => w.bytes)));
    writeFileSync(join(dir, 'retried.bin'), retried);
    javaView = parseJava(await java('read', join(dir, 'ours.bin'), join(dir, 'retried.bin')));
  });

  for (const compression of [...CODECS, 'control']) {
    it(`${compression}: Java validates every batch and reads the same records and fields`, () => {
      const mine = written
        .map((w, i) => ({ ...w, java: javaView[i]! }))
        .filter((w) =>
          compression === 'control' ? w.spec.control : !w.spec.control && w.spec.compression === compression,
        );
      expect(mine.length).toBeGreaterThan(0);
      for (const { spec, java: j } of mine) {
        expect(j.magic).toBe(2);
        expect(j.compression).toBe(spec.compression);
        expect(j.baseOffset).toBe(spec.baseOffset.toString());
        expect(j.lastOffset).toBe(spec.records.at(-1)!.offset.toString());
        expect(j.transactional).toBe(spec.transactional);
        expect(j.control).toBe(spec.control);
        expect(j.producerId).toBe(spec.producerId.toString());
        expect(j.producerEpoch).toBe(spec.producerEpoch);
        expect(j.baseSequence).toBe(spec.baseSequence);
        expect(j.partitionLeaderEpoch).toBe(spec.leaderEpoch);
        expect(j.count).toBe(spec.records.length);
        expect(j.maxTimestamp).toBe(Math.max(...spec.records.map((r) => r.timestamp)));
        expect(j.records.map(({ controlType: _, ...r }) => r)).toEqual(spec.records.map(plain));
        if (spec.control) expect(j.records[0]!.controlType).toBe('ABORT');
      }
    });
  }

  it('a batch whose producer state was rewritten for a retry passes Java validation with the new state', () => {
    const j = javaView.at(-1)!;
    expect(j.file).toContain('retried.bin');
    expect(j.producerId).toBe('11');
    expect(j.producerEpoch).toBe(1);
    expect(j.baseSequence).toBe(30);
    expect(j.transactional).toBe(true);
    expect(j.records.map(({ controlType: _, ...r }) => r)).toEqual(readRecordBatches(retried)[0]!.records().map(plain));
  });
});
