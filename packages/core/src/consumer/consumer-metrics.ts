import type { FetchMetrics } from './fetcher.js';
import type { GroupMemberState } from './group/group-member.js';
import type { PartitionFetchState, PartitionState } from './partition-state.js';

/** Per-partition figures of {@link ConsumerMetrics}. */
export interface PartitionMetrics {
  /** The partition's topic. */
  readonly topic: string;
  /** The partition number. */
  readonly partition: number;
  /** Next offset to hand to the application, or -1 before it is known. */
  readonly position: bigint;
  /** Last offset committed by this consumer or read from the group, if any. */
  readonly committed: bigint | undefined;
  /** High watermark from the last fetch, if any. */
  readonly highWatermark: bigint | undefined;
  /** `highWatermark - position` (records not yet handed out), when both are known. Java: records-lag. */
  readonly lag: bigint | undefined;
  /** Bytes prefetched for the partition and not yet handed out. */
  readonly bufferedBytes: number;
  /** True when the application paused the partition. */
  readonly paused: boolean;
  /** State of the fetch position. */
  readonly state: PartitionFetchState;
  /** The replica fetched from instead of the leader (KIP-392, `clientRack`), when the leader named one. */
  readonly preferredReadReplica: number | undefined;
}

/**
 * A snapshot of the consumer's figures. Java: the consumer's `records-consumed-total`, `bytes-consumed-total`,
 * `fetch-latency-avg/max`, `records-lag`, `rebalance-total`, ... metrics.
 */
export interface ConsumerMetrics {
  /** Records handed to the application. */
  readonly recordsConsumed: number;
  /** Records fetched from brokers (buffered or handed out). */
  readonly recordsFetched: number;
  /** Bytes of record data fetched from brokers (before decompression). */
  readonly bytesFetched: number;
  /** Records fetched from each broker, by node id: leaders, or the replicas `clientRack` chose (KIP-392). */
  readonly recordsFetchedByBroker: ReadonlyMap<number, number>;
  /** Fetch requests sent. */
  readonly fetchRequests: number;
  /** Fetch requests or partitions that failed. */
  readonly fetchErrors: number;
  /** Average Fetch round trip (including the broker's long poll), in ms. */
  readonly fetchLatencyAvgMs: number;
  /** Longest Fetch round trip, in ms. */
  readonly fetchLatencyMaxMs: number;
  /** Records in the prefetch buffer. */
  readonly bufferedRecords: number;
  /** Bytes in the prefetch buffer (after decompression). */
  readonly bufferedBytes: number;
  /** Rebalances that changed this consumer's assignment. */
  readonly rebalances: number;
  /** `Date.now()` of the last such rebalance. */
  readonly lastRebalanceAt: number | undefined;
  /** Commits that succeeded. */
  readonly commits: number;
  /** Commits that failed. */
  readonly commitFailures: number;
  /** State of the group membership, or `undefined` without a group subscription. */
  readonly groupState: GroupMemberState | undefined;
  /** One entry per assigned partition. */
  readonly partitions: readonly PartitionMetrics[];
}

/** Builds the figures of one partition. */
export function partitionMetrics(state: PartitionState, paused: boolean, bufferedBytes: number): PartitionMetrics {
  const position = state.position;
  const highWatermark = state.highWatermark;
  return {
    topic: state.topic,
    partition: state.partition,
    position,
    committed: state.committedOffset,
    highWatermark,
    lag: highWatermark !== undefined && position >= 0n ? maxBig(0n, highWatermark - position) : undefined,
    bufferedBytes,
    paused,
    state: state.state,
    preferredReadReplica: state.preferredReadReplica,
  };
}

/** The fetch part of the metrics. */
export function fetchFigures(metrics: FetchMetrics): {
  recordsFetched: number;
  recordsFetchedByBroker: ReadonlyMap<number, number>;
  bytesFetched: number;
  fetchRequests: number;
  fetchErrors: number;
  fetchLatencyAvgMs: number;
  fetchLatencyMaxMs: number;
} {
  return {
    recordsFetched: metrics.recordsFetched,
    recordsFetchedByBroker: new Map(metrics.recordsFetchedByBroker),
    bytesFetched: metrics.bytesFetched,
    fetchRequests: metrics.fetchRequests,
    fetchErrors: metrics.fetchErrors,
    fetchLatencyAvgMs: metrics.fetchRequests === 0 ? 0 : metrics.fetchLatencyTotalMs / metrics.fetchRequests,
    fetchLatencyMaxMs: metrics.fetchLatencyMaxMs,
  };
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
