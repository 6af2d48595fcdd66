/**
 * What the orchestrator hands a client's child process (a {@link Job}, as JSON in argv) and what the child hands
 * back (a {@link JobResult}, one JSON line on stdout prefixed with {@link RESULT_PREFIX}).
 */

/** Compression of a producer scenario, named as Kafka's `compression.type`. */
export type Compression = 'none' | 'lz4' | 'zstd';

/** Settings shared by every client that has them. */
export interface ProducerSettings {
  /** Records to send. */
  readonly records: number;
  /** Value size in bytes. */
  readonly size: number;
  /** `1`, or `all` with idempotence. */
  readonly acks: 1 | 'all';
  readonly compression: Compression;
  /** `linger.ms` for the clients that have it. */
  readonly lingerMs: number;
  /** `batch.size` in bytes for the clients that have it. */
  readonly batchSize: number;
  /** Records per send call of the clients that take arrays (every Node client but the confluent native API). */
  readonly arrayLength: number;
  /** Send calls in flight for those clients. */
  readonly arraysInFlight: number;
  /**
   * Keys: 0 for none (every record keyless), else record `i` has the key `String(i % keys)` in UTF-8, which is
   * what `kafka-producer-perf-test --key-distribution range --record-key-range <keys>` sends.
   */
  readonly keys: number;
}

/** A producer throughput run. */
export interface ProduceJob {
  readonly kind: 'produce';
  readonly bootstrap: string;
  readonly topic: string;
  readonly settings: ProducerSettings;
}

/** A consumer throughput run: drain `records` from the earliest offset in a fresh group. */
export interface ConsumeJob {
  readonly kind: 'consume';
  readonly bootstrap: string;
  readonly topic: string;
  readonly groupId: string;
  readonly records: number;
  readonly partitions: number;
  /** The compression the records were produced with. */
  readonly compression: Compression;
}

/**
 * A share consumer throughput run (KIP-932): drain `records` in a fresh share group whose
 * `share.auto.offset.reset` the orchestrator set to `earliest`, accepting every record.
 */
export interface ShareConsumeJob {
  readonly kind: 'share';
  readonly bootstrap: string;
  readonly topic: string;
  readonly groupId: string;
  readonly records: number;
}

/** An end-to-end latency run: one producer and one consumer at a fixed rate. */
export interface LatencyJob {
  readonly kind: 'latency';
  readonly bootstrap: string;
  readonly topic: string;
  readonly groupId: string;
  /** Records per second. */
  readonly rate: number;
  /** Measured seconds (after the warm-up). */
  readonly seconds: number;
  /** Seconds sent and received but not counted, first. */
  readonly warmupSeconds: number;
  readonly size: number;
  readonly lingerMs: number;
  readonly batchSize: number;
}

/** Any job. */
export type Job = ProduceJob | ConsumeJob | ShareConsumeJob | LatencyJob;

/** Records and milliseconds of a run's steady state: the part after its first {@link STEADY_STATE_FROM} of records. */
export interface SteadyState {
  readonly records: number;
  readonly ms: number;
}

/**
 * Where a producer run's steady state starts, as a share of its records: the Java tool's `--warmup-records` is
 * this share of its records, and the Node drivers time the rest of theirs from the acknowledgement that passes it.
 */
export const STEADY_STATE_FROM = 0.2;

/** What a child measured. */
export interface JobResult {
  /** Records sent or received in the measured part. */
  readonly records: number;
  /** Value bytes of those records. */
  readonly bytes: number;
  /** Milliseconds of the measured part (first send or first network call, to the last acknowledgement or record). */
  readonly ms: number;
  /** Producers: the steady state (the records after the first 20% acknowledged, and their time). */
  readonly steady?: SteadyState;
  /**
   * Producers: every record the client wrote to the topic, warm-up sends included (the orchestrator checks the
   * topic's end offsets against it).
   */
  readonly produced?: number;
  /** User + system CPU seconds of the client process while the client existed (created to closed). */
  readonly cpuSeconds: number;
  /** Peak resident set size of the process, MiB. */
  readonly peakRssMiB: number;
  /** Latency runs: percentiles in milliseconds. */
  readonly latency?: { p50: number; p99: number; p999: number; max: number; count: number; lost: number };
  /** Anything the client wants said (versions, codecs, settings). */
  readonly note?: string;
}

/** Prefix of the result line a child prints. */
export const RESULT_PREFIX = '@@bench-result ';
