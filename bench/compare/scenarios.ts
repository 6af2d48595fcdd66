/** The scenarios of a run, full or quick, and the settings matrix of the producers that send arrays. */
import type { Compression, ProducerSettings } from './job.js';

/** An array setting: records per send call and calls in flight. */
export interface Cell {
  readonly arrayLength: number;
  readonly arraysInFlight: number;
}

/** The common setting: every client that sends arrays runs every scenario at it; the targets are read there. */
export const COMMON: Cell = { arrayLength: 1000, arraysInFlight: 5 };

/** The settings matrix, run by every client that sends arrays in the scenarios marked `matrix`. */
export const MATRIX: readonly Cell[] = [
  { arrayLength: 1000, arraysInFlight: 1 },
  COMMON,
  { arrayLength: 10_000, arraysInFlight: 1 },
  { arrayLength: 10_000, arraysInFlight: 5 },
];

/** `1000x5`: how raw results and tables name a cell. The clients that send one record per call run as `own`. */
export function cellId(cell: Cell): string {
  return `${cell.arrayLength}x${cell.arraysInFlight}`;
}

/** The cell a client runs when it sends one record per call. */
export const OWN = 'own';

/** Parses a cell id (undefined for {@link OWN}). */
export function parseCell(id: string): Cell | undefined {
  const match = /^(\d+)x(\d+)$/.exec(id);
  return match ? { arrayLength: Number(match[1]), arraysInFlight: Number(match[2]) } : undefined;
}

/** One producer scenario. */
export interface ProduceScenario {
  readonly kind: 'produce';
  readonly id: string;
  readonly label: string;
  /** Every matrix cell runs (else the common one, and each client's best cell once the matrix found it). */
  readonly matrix: boolean;
  /** The Vltava rows of the other Node lines and the adapters run here too. */
  readonly core: boolean;
  readonly settings: Omit<ProducerSettings, 'arrayLength' | 'arraysInFlight'>;
  /** Records of the Java tool's runs (its first 20% are `--warmup-records`). */
  readonly javaRecords: number;
}

/** A consumer scenario: records produced beforehand by the Java tool, drained in a fresh group. */
export interface ConsumeScenario {
  readonly kind: 'consume';
  readonly id: string;
  readonly label: string;
  readonly core: boolean;
  readonly records: number;
  readonly size: number;
  readonly compression: Compression;
  readonly partitions: number;
}

/** The share consumer scenario (KIP-932): a share group drains pre-produced records. */
export interface ShareScenario {
  readonly kind: 'share';
  readonly id: string;
  readonly label: string;
  readonly records: number;
  readonly size: number;
  readonly partitions: number;
}

/** The latency scenario. */
export interface LatencyScenario {
  readonly kind: 'latency';
  readonly id: string;
  readonly label: string;
  readonly rate: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly size: number;
  readonly lingerMs: number;
  readonly batchSize: number;
}

/** Any scenario. */
export type Scenario = ProduceScenario | ConsumeScenario | ShareScenario | LatencyScenario;

/**
 * Settings every producer shares where it has them. `batchSize` and `lingerMs` are the throughput settings the
 * Kafka vendors' producer tuning guide gives (`batch.size` 100,000-200,000, `linger.ms` 10-100).
 */
export const LINGER_MS = 10;
export const BATCH_SIZE = 200_000;
export const PARTITIONS = 6;
/** Distinct keys of the keyed scenarios (record `i` has the key `String(i % KEYS)`). */
export const KEYS = 1024;

/** The scenarios of a mode; `quick` is a small subset with fewer records. */
export function scenarios(quick: boolean): Scenario[] {
  const list: Scenario[] = [];
  const produce = (
    size: number,
    acks: 1 | 'all',
    compression: Compression,
    keyed: boolean,
    options: { matrix?: boolean; core?: boolean } = {},
  ) => {
    const records = size === 100 ? (quick ? 100_000 : 1_000_000) : quick ? 20_000 : 200_000;
    const javaRecords = size === 100 ? (quick ? 500_000 : 5_000_000) : quick ? 100_000 : 1_000_000;
    const acksLabel = acks === 'all' ? 'acks=all idempotent' : 'acks=1';
    list.push({
      kind: 'produce',
      id: `produce-${size}-${acks === 'all' ? 'all' : 'acks1'}-${compression}${keyed ? '-keyed' : ''}`,
      label: `produce ${records.toLocaleString('en')} x ${size} B, ${acksLabel}, ${compression}, ${keyed ? `${KEYS} keys` : 'no key'}`,
      matrix: options.matrix ?? false,
      core: options.core ?? false,
      settings: {
        records,
        size,
        acks,
        compression,
        lingerMs: LINGER_MS,
        batchSize: BATCH_SIZE,
        keys: keyed ? KEYS : 0,
      },
      javaRecords,
    });
  };
  const consume = (size: number, compression: Compression, core: boolean) => {
    const records = size === 100 ? (quick ? 100_000 : 1_000_000) : quick ? 50_000 : 500_000;
    list.push({
      kind: 'consume',
      id: `consume-${size}-${compression}`,
      label: `consume ${records.toLocaleString('en')} x ${size} B, ${compression}, in a group`,
      core,
      records,
      size,
      compression,
      partitions: PARTITIONS,
    });
  };

  if (quick) {
    produce(100, 'all', 'none', false, { matrix: true, core: true });
    produce(100, 'all', 'none', true);
    produce(1024, 'all', 'lz4', false);
    consume(100, 'none', true);
    consume(1024, 'zstd', false);
  } else {
    for (const size of [100, 1024]) {
      produce(size, 'all', 'none', false, { matrix: size === 100, core: true });
      produce(size, 'all', 'none', true, { matrix: size === 100 });
      produce(size, 1, 'none', false);
      produce(size, 'all', 'lz4', false);
      produce(size, 'all', 'zstd', false);
    }
    consume(100, 'none', true);
    consume(1024, 'lz4', false);
    consume(1024, 'zstd', false);
  }
  const shareRecords = quick ? 50_000 : 500_000;
  list.push({
    kind: 'share',
    id: 'share-consume-100',
    label: `share-consume ${shareRecords.toLocaleString('en')} x 100 B in a share group`,
    records: shareRecords,
    size: 100,
    partitions: PARTITIONS,
  });
  const seconds = quick ? 3 : 15;
  list.push({
    kind: 'latency',
    id: 'latency-50k',
    label: `latency at 50,000 records/s for ${seconds} s`,
    rate: 50_000,
    seconds,
    warmupSeconds: quick ? 1 : 3,
    size: 100,
    // No linger: what the vendors' guide sets for latency (`linger.ms` 0); the peers without a linger send at once.
    lingerMs: 0,
    batchSize: 16_384,
  });
  return list;
}
