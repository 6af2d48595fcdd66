import type { CompressionType } from '../../src/protocol/records/index.js';

/** One record of an interop case, as both sides should see it. */
export interface RecordSpec {
  readonly offset: bigint;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly { readonly key: string; readonly value: Buffer | null }[];
}

/** One batch of an interop case. */
export interface BatchSpec {
  readonly magic: 0 | 1 | 2;
  readonly compression: CompressionType;
  readonly baseOffset: bigint;
  readonly timestampType: 'CreateTime' | 'LogAppendTime';
  readonly logAppendTime: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly transactional: boolean;
  readonly control: boolean;
  readonly leaderEpoch: number;
  readonly records: readonly RecordSpec[];
  /** Control batches: the transaction marker written instead of records. */
  readonly marker?: {
    readonly type: 'COMMIT' | 'ABORT';
    readonly coordinatorEpoch: number;
    readonly timestamp: number;
  };
}

/** Deterministic PRNG (mulberry32) so that every run writes the same fixtures. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER_KEYS = ['trace-id', 'content-type', 'ключ', '日本', 'x', 'x'];

/** Random but reproducible bytes of `length`, half of them compressible text. */
function bytes(random: () => number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  const text = random() < 0.5;
  for (let i = 0; i < length; i++) out[i] = text ? 97 + Math.floor(random() * 6) : Math.floor(random() * 256);
  return out;
}

/**
 * Records for a case: null and empty keys and values, repeated and null-valued headers, UTF-8 header keys,
 * timestamps out of order (negative deltas), optional offset gaps, and sizes up to `maxValue`.
 */
export function makeRecords(
  seed: number,
  count: number,
  baseOffset: bigint,
  options: { maxValue?: number; headers?: boolean; gaps?: boolean } = {},
): RecordSpec[] {
  const random = prng(seed);
  const maxValue = options.maxValue ?? 300;
  const records: RecordSpec[] = [];
  let offset = baseOffset;
  const base = 1_700_000_000_000 + Math.floor(random() * 1_000_000);
  for (let i = 0; i < count; i++) {
    const r = random();
    const key = r < 0.15 ? null : r < 0.2 ? Buffer.alloc(0) : bytes(random, 1 + Math.floor(random() * 40));
    const v = random();
    const value = v < 0.1 ? null : v < 0.15 ? Buffer.alloc(0) : bytes(random, Math.floor(random() * maxValue));
    const headers: { key: string; value: Buffer | null }[] = [];
    if (options.headers !== false) {
      const n = random() < 0.5 ? 0 : Math.floor(random() * 4);
      for (let h = 0; h < n; h++) {
        const hk = HEADER_KEYS[Math.floor(random() * HEADER_KEYS.length)]!;
        headers.push({ key: hk, value: random() < 0.2 ? null : bytes(random, Math.floor(random() * 20)) });
      }
    }
    records.push({ offset, timestamp: base + Math.floor((random() - 0.3) * 10_000), key, value, headers });
    offset += options.gaps === true && random() < 0.3 ? BigInt(2 + Math.floor(random() * 5)) : 1n;
  }
  return records;
}

/** A batch spec with the defaults of a plain, non-idempotent produce. */
export function batch(overrides: Partial<BatchSpec> & Pick<BatchSpec, 'records'>): BatchSpec {
  return {
    magic: 2,
    compression: 'none',
    baseOffset: overrides.records[0]?.offset ?? 0n,
    timestampType: 'CreateTime',
    logAppendTime: -1,
    producerId: -1n,
    producerEpoch: -1,
    baseSequence: -1,
    transactional: false,
    control: false,
    leaderEpoch: -1,
    ...overrides,
  };
}

function b64(value: Buffer | null): string {
  return value === null ? '~' : value.toString('base64');
}

/** The spec file lines the Java program's `write` mode reads, writing `batches` to `path`. */
export function specLines(path: string, batches: readonly BatchSpec[]): string[] {
  const lines = [`file\tpath=${path}`];
  for (const b of batches) {
    lines.push(
      [
        'batch',
        `magic=${b.magic}`,
        `compression=${b.compression}`,
        `baseOffset=${b.baseOffset}`,
        `timestampType=${b.timestampType}`,
        `logAppendTime=${b.logAppendTime}`,
        `producerId=${b.producerId}`,
        `producerEpoch=${b.producerEpoch}`,
        `baseSequence=${b.baseSequence}`,
        `transactional=${b.transactional}`,
        `control=${b.control}`,
        `leaderEpoch=${b.leaderEpoch}`,
      ].join('\t'),
    );
    if (b.marker !== undefined) {
      lines.push(
        `marker\toffset=${b.baseOffset}\ttimestamp=${b.marker.timestamp}\ttype=${b.marker.type}\tcoordinatorEpoch=${b.marker.coordinatorEpoch}`,
      );
    }
    for (const r of b.records) {
      const headers = r.headers.map((h) => `${Buffer.from(h.key).toString('base64')}:${b64(h.value)}`).join(',');
      lines.push(
        `record\toffset=${r.offset}\ttimestamp=${r.timestamp}\tkey=${b64(r.key)}\tvalue=${b64(r.value)}\theaders=${headers}`,
      );
    }
  }
  return lines;
}

/** A record in a comparable plain form: offsets as strings, bytes as base64. */
export interface PlainRecord {
  offset: string;
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: [string, string | null][];
}

/** {@link RecordSpec} (or a decoded record) in the form the Java program prints. */
export function plain(record: {
  offset: bigint;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: readonly { key: string; value: Buffer | null }[];
}): PlainRecord {
  return {
    offset: record.offset.toString(),
    timestamp: record.timestamp,
    key: record.key === null ? null : record.key.toString('base64'),
    value: record.value === null ? null : record.value.toString('base64'),
    headers: record.headers.map((h) => [h.key, h.value === null ? null : h.value.toString('base64')]),
  };
}
