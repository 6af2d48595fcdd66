/** What the soak's client process and the orchestrator exchange: its options, its sample and count lines. */

/** What the orchestrator passes. */
export interface SoakClientOptions {
  readonly minutes: number;
  readonly rate: number;
  readonly sampleSeconds: number;
  readonly inTopic: string;
  readonly outTopic: string;
}

/** One memory sample. */
export interface SoakSample {
  /** Seconds since the client started. */
  readonly t: number;
  readonly rssMiB: number;
  readonly rssAnonMiB: number;
  readonly rssFileMiB: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  /** Resident memory of V8's heap (`total_physical_size`): heap total counts reserved pages that are not. */
  readonly heapPhysicalMiB: number;
  /**
   * RSS outside V8's heap and ArrayBuffers: anonymous RSS less the heap's resident size and ArrayBuffers, i.e.
   * malloc's arenas (native addons, OpenSSL, libuv, Node internals), thread stacks and code.
   */
  readonly nativeMiB: number;
  readonly mallocedMiB: number;
  readonly externalMiB: number;
  readonly arrayBuffersMiB: number;
  readonly handles: number;
  readonly handleTypes: Record<string, number>;
  /** Event-loop delay of the interval (ms). */
  readonly eldP50: number;
  readonly eldP99: number;
  readonly eldMax: number;
  readonly sent: number;
  readonly acked: number;
  readonly forwarded: number;
  readonly checked: number;
  readonly rxRestarts: number;
}

/** The end-to-end counts. */
export interface SoakCounts {
  readonly sent: number;
  readonly acked: number;
  readonly failedSends: number;
  /** Acknowledged records that never reached the end of the pipeline. */
  readonly lost: number;
  /** Records that reached the end more than once (extra deliveries, summed). */
  readonly duplicated: number;
  /** Records that reached the end although their send failed (written after all). */
  readonly unacknowledgedArrived: number;
  readonly rxRestarts: number;
  /** Seconds the drain at the end took. */
  readonly drainSeconds: number;
  readonly firstError?: string;
}

/** Prefix of a sample line on the client's stdout. */
export const SAMPLE_PREFIX = '@@soak-sample ';
/** Prefix of the counts line at the end. */
export const COUNTS_PREFIX = '@@soak-counts ';
