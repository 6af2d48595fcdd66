import { describe, expect, it } from 'vitest';
import { ConnectionStats } from '../network/connection-stats.js';
import { connectionMetricFamilies } from './connection-metric-families.js';

describe('connectionMetricFamilies', () => {
  it('adds up the lanes of one broker, throttling also by API, and marks a broker still throttled', () => {
    const lane = (nodeId: number | undefined, name: string) => ({
      nodeId,
      lane: name,
      host: '127.0.0.1',
      port: 9092,
      stats: new ConnectionStats(),
    });
    const a = lane(1, 'default');
    const b = lane(1, 'coordinator');
    const bootstrap = lane(undefined, 'bootstrap');
    a.stats.requests = 5;
    b.stats.requests = 2;
    bootstrap.stats.requests = 1;
    a.stats.throttled('Produce', 300);
    a.stats.throttled('Produce', 100);
    b.stats.throttled('Fetch', 50);
    a.stats.throttledUntil = 2_000;
    const byName = new Map(connectionMetricFamilies([a, b, bootstrap], 1_000).map((f) => [f.name, f]));
    expect(byName.get('vltava_connection_requests_total')?.points).toEqual([
      { labels: { broker: '1' }, value: 7 },
      { labels: { broker: '127.0.0.1:9092' }, value: 1 },
    ]);
    expect(byName.get('vltava_connection_throttle_seconds_total')?.points).toEqual([
      { labels: { broker: '1', api: 'Produce' }, value: 0.4 },
      { labels: { broker: '1', api: 'Fetch' }, value: 0.05 },
    ]);
    expect(byName.get('vltava_connection_throttled_responses_total')?.points[0]?.value).toBe(2);
    expect(byName.get('vltava_connection_throttle_max_seconds')?.points[0]?.value).toBe(0.3);
    expect(byName.get('vltava_connection_throttled')?.points.map((p) => p.value)).toEqual([1, 0]);
  });
});
