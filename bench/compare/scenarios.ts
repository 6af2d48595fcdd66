/** The scenarios of a run, full or quick. */
import type { Compression, ProducerSettings } from './job.js';

/** One producer scenario. */
export interface ProduceScenario {
  readonly kind: 'produce';
  readonly id: string;
  readonly label: string;
  readonly settings: ProducerSettings;
}

/** The consumer scenario. */
export interface ConsumeScenario {
  readonly kind: 'consume';
  readonly id: string;
  readonly label: string;
  readonly records: number;
  readonly size: number;
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
 * Kafka vendors' producer tuning guide gives (`batch.size` 100,000-200,000, `linger.ms` 10-100): the issue asks for
 * each client configured as its docs recommend for throughput. The clients without them send arrays of 1,000.
 */
export const LINGER_MS = 10;
export const BATCH_SIZE = 200_000;
export const ARRAY_LENGTH = 1000;
export const ARRAYS_IN_FLIGHT = 5;
export const PARTITIONS = 6;

/** The scenarios of a mode; `quick` is a small subset with fewer records. */
export function scenarios(quick: boolean): Scenario[] {
  const list: Scenario[] = [];
  const sizes = quick
    ? [{ size: 100, records: 100_000 }]
    : [
        { size: 100, records: 1_000_000 },
        { size: 1024, records: 200_000 },
      ];
  const combos: Array<[1 | 'all', Compression]> = quick
    ? [
        ['all', 'none'],
        [1, 'lz4'],
      ]
    : [
        [1, 'none'],
        ['all', 'none'],
        [1, 'lz4'],
        ['all', 'lz4'],
        [1, 'zstd'],
        ['all', 'zstd'],
      ];
  for (const { size, records } of sizes) {
    for (const [acks, compression] of combos) {
      list.push({
        kind: 'produce',
        id: `produce-${size}-${acks === 'all' ? 'all' : 'acks1'}-${compression}`,
        label: `produce ${records.toLocaleString('en')} x ${size} B, ${acks === 'all' ? 'acks=all idempotent' : 'acks=1'}, ${compression}`,
        settings: {
          records,
          size,
          acks,
          compression,
          lingerMs: LINGER_MS,
          batchSize: BATCH_SIZE,
          arrayLength: ARRAY_LENGTH,
          arraysInFlight: ARRAYS_IN_FLIGHT,
        },
      });
    }
  }
  const consumeRecords = quick ? 200_000 : 1_000_000;
  list.push({
    kind: 'consume',
    id: 'consume-100',
    label: `consume ${consumeRecords.toLocaleString('en')} x 100 B in a group`,
    records: consumeRecords,
    size: 100,
    partitions: PARTITIONS,
  });
  const shareRecords = quick ? 200_000 : 1_000_000;
  list.push({
    kind: 'share',
    id: 'share-consume-100',
    label: `share-consume ${shareRecords.toLocaleString('en')} x 100 B in a share group`,
    records: shareRecords,
    size: 100,
    partitions: PARTITIONS,
  });
  const seconds = quick ? 4 : 30;
  list.push({
    kind: 'latency',
    id: 'latency-10k',
    label: `latency at 10,000 records/s for ${seconds} s`,
    rate: 10_000,
    seconds,
    warmupSeconds: quick ? 1 : 5,
    size: 100,
    // No linger: what the vendors' guide sets for latency (`linger.ms` 0); the peers without a linger send at once.
    lingerMs: 0,
    batchSize: 16_384,
  });
  return list;
}
