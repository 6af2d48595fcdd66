import { metricFamily } from '../metrics/metric-catalogue.js';
import type { MetricFamily, MetricPoint } from '../metrics/metric-family.js';
import type { ConsumerMetrics } from './consumer-metrics.js';

const NO_LABELS = {};

/**
 * The consumer's metrics in the one metrics shape (families, declared in `METRIC_CATALOGUE`), from the object
 * `Consumer.metrics()` returns today. An adapter until the consumer reports families itself. Offsets become
 * numbers (exact below 2^53).
 */
export function consumerMetricFamilies(metrics: ConsumerMetrics): MetricFamily[] {
  const one = (name: string, value: number) => metricFamily(name, [{ labels: NO_LABELS, value }]);
  const byPartition = (
    name: string,
    value: (p: ConsumerMetrics['partitions'][number]) => number | bigint | undefined,
  ): MetricFamily => {
    const points: MetricPoint[] = [];
    for (const partition of metrics.partitions) {
      const v = value(partition);
      if (v === undefined) continue;
      points.push({ labels: { topic: partition.topic, partition: String(partition.partition) }, value: Number(v) });
    }
    return metricFamily(name, points);
  };
  const byBroker: MetricPoint[] = [];
  for (const [nodeId, records] of metrics.recordsFetchedByBroker) {
    byBroker.push({ labels: { broker: String(nodeId) }, value: records });
  }
  return [
    one('vltava_consumer_records_consumed_total', metrics.recordsConsumed),
    one('vltava_consumer_records_fetched_total', metrics.recordsFetched),
    metricFamily('vltava_consumer_broker_records_fetched_total', byBroker),
    one('vltava_consumer_bytes_fetched_total', metrics.bytesFetched),
    one('vltava_consumer_fetch_requests_total', metrics.fetchRequests),
    one('vltava_consumer_fetch_errors_total', metrics.fetchErrors),
    one('vltava_consumer_fetch_latency_avg_seconds', metrics.fetchLatencyAvgMs / 1000),
    one('vltava_consumer_fetch_latency_max_seconds', metrics.fetchLatencyMaxMs / 1000),
    one('vltava_consumer_buffered_records', metrics.bufferedRecords),
    one('vltava_consumer_buffered_bytes', metrics.bufferedBytes),
    one('vltava_consumer_rebalances_total', metrics.rebalances),
    metricFamily(
      'vltava_consumer_last_rebalance_timestamp_seconds',
      metrics.lastRebalanceAt === undefined ? [] : [{ labels: NO_LABELS, value: metrics.lastRebalanceAt / 1000 }],
    ),
    one('vltava_consumer_commits_total', metrics.commits),
    one('vltava_consumer_commit_failures_total', metrics.commitFailures),
    metricFamily(
      'vltava_consumer_group_state',
      metrics.groupState === undefined ? [] : [{ labels: { state: metrics.groupState }, value: 1 }],
    ),
    byPartition('vltava_consumer_records_lag', (p) => p.lag),
    byPartition('vltava_consumer_position', (p) => (p.position >= 0n ? p.position : undefined)),
    byPartition('vltava_consumer_committed_offset', (p) => p.committed),
    byPartition('vltava_consumer_high_watermark', (p) => p.highWatermark),
    byPartition('vltava_consumer_partition_buffered_bytes', (p) => p.bufferedBytes),
    byPartition('vltava_consumer_partition_paused', (p) => (p.paused ? 1 : 0)),
  ];
}
