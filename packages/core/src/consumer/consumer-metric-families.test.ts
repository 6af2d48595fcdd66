import { describe, expect, it } from 'vitest';
import { consumerMetricFamilies } from './consumer-metric-families.js';
import type { ConsumerMetrics } from './consumer-metrics.js';

describe('consumerMetricFamilies', () => {
  it('turns the ConsumerMetrics object into families, lag and offsets per partition', () => {
    const metrics: ConsumerMetrics = {
      recordsConsumed: 90,
      recordsFetched: 100,
      bytesFetched: 5000,
      recordsFetchedByBroker: new Map([[1, 100]]),
      fetchRequests: 4,
      fetchErrors: 0,
      fetchLatencyAvgMs: 250,
      fetchLatencyMaxMs: 500,
      bufferedRecords: 10,
      bufferedBytes: 400,
      rebalances: 1,
      lastRebalanceAt: 1_700_000_000_000,
      commits: 2,
      commitFailures: 0,
      groupState: 'stable',
      partitions: [
        {
          topic: 'orders',
          partition: 0,
          position: 90n,
          committed: 80n,
          highWatermark: 100n,
          lag: 10n,
          bufferedBytes: 400,
          paused: false,
          state: 'fetching',
          preferredReadReplica: undefined,
        },
        {
          topic: 'orders',
          partition: 1,
          position: -1n,
          committed: undefined,
          highWatermark: undefined,
          lag: undefined,
          bufferedBytes: 0,
          paused: true,
          state: 'awaiting-reset',
          preferredReadReplica: undefined,
        },
      ],
    } as unknown as ConsumerMetrics;
    const byName = new Map(consumerMetricFamilies(metrics).map((f) => [f.name, f]));
    expect(byName.get('vltava_consumer_records_lag')?.points).toEqual([
      { labels: { topic: 'orders', partition: '0' }, value: 10 },
    ]);
    expect(byName.get('vltava_consumer_position')?.points).toHaveLength(1);
    expect(byName.get('vltava_consumer_partition_paused')?.points.map((p) => p.value)).toEqual([0, 1]);
    expect(byName.get('vltava_consumer_fetch_latency_avg_seconds')?.points[0]?.value).toBe(0.25);
    expect(byName.get('vltava_consumer_last_rebalance_timestamp_seconds')?.points[0]?.value).toBe(1_700_000_000);
    expect(byName.get('vltava_consumer_group_state')?.points).toEqual([{ labels: { state: 'stable' }, value: 1 }]);
    expect(byName.get('vltava_consumer_broker_records_fetched_total')?.points).toEqual([
      { labels: { broker: '1' }, value: 100 },
    ]);
  });
});
