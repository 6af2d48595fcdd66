import { metricFamily } from '../../metrics/metric-catalogue.js';
import type { MetricFamily } from '../../metrics/metric-family.js';
import type { ShareConsumerMetrics } from './share-consumer-metrics.js';

const NO_LABELS = {};

/**
 * The share consumer's metrics in the one metrics shape (families, declared in `METRIC_CATALOGUE`), from the
 * object `ShareConsumer.metrics()` returns today. An adapter until the share consumer reports families itself.
 */
export function shareConsumerMetricFamilies(metrics: ShareConsumerMetrics): MetricFamily[] {
  const one = (name: string, value: number) => metricFamily(name, [{ labels: NO_LABELS, value }]);
  const acknowledged = metrics.acknowledged;
  return [
    one('vltava_share_consumer_records_consumed_total', metrics.recordsConsumed),
    one('vltava_share_consumer_records_acquired_total', metrics.recordsAcquired),
    one('vltava_share_consumer_bytes_fetched_total', metrics.bytesFetched),
    one('vltava_share_consumer_fetch_requests_total', metrics.shareFetchRequests),
    one('vltava_share_consumer_acknowledge_requests_total', metrics.shareAcknowledgeRequests),
    one('vltava_share_consumer_fetch_errors_total', metrics.fetchErrors),
    one('vltava_share_consumer_fetch_latency_avg_seconds', metrics.fetchLatencyAvgMs / 1000),
    one('vltava_share_consumer_fetch_latency_max_seconds', metrics.fetchLatencyMaxMs / 1000),
    one('vltava_share_consumer_acknowledgements_sent_total', metrics.acknowledgementsSent),
    one('vltava_share_consumer_acknowledgements_failed_total', metrics.acknowledgementsFailed),
    metricFamily('vltava_share_consumer_acknowledged_total', [
      { labels: { type: 'accept' }, value: acknowledged.accept },
      { labels: { type: 'release' }, value: acknowledged.release },
      { labels: { type: 'reject' }, value: acknowledged.reject },
      { labels: { type: 'renew' }, value: acknowledged.renew },
    ]),
    one('vltava_share_consumer_buffered_records', metrics.bufferedRecords),
    one('vltava_share_consumer_buffered_bytes', metrics.bufferedBytes),
    one('vltava_share_consumer_acquired_records', metrics.acquiredRecords),
    metricFamily(
      'vltava_share_consumer_acquisition_lock_timeout_seconds',
      metrics.acquisitionLockTimeoutMs === undefined
        ? []
        : [{ labels: NO_LABELS, value: metrics.acquisitionLockTimeoutMs / 1000 }],
    ),
    metricFamily('vltava_share_consumer_member_state', [{ labels: { state: metrics.memberState }, value: 1 }]),
    one('vltava_share_consumer_member_epoch', metrics.memberEpoch),
    one('vltava_share_consumer_assignments_received_total', metrics.assignmentsReceived),
  ];
}
