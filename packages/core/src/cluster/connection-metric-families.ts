import { metricFamily } from '../metrics/metric-catalogue.js';
import type { MetricFamily, MetricPoint } from '../metrics/metric-family.js';
import type { LaneStats } from './cluster.js';

/**
 * The `vltava_connection_*` metrics of a client's connections (see `METRIC_CATALOGUE`), from
 * `Cluster.connectionStats()`: one series per broker (the node id, or `host:port` for a bootstrap address), the
 * lanes to one broker added up; throttling also by API.
 */
export function connectionMetricFamilies(lanes: readonly LaneStats[], now = Date.now()): MetricFamily[] {
  interface Sums {
    connections: number;
    failures: number;
    requests: number;
    bytesSent: number;
    responses: number;
    bytesReceived: number;
    throttleMaxMs: number;
    throttled: number;
    byApi: Map<string, { count: number; totalMs: number }>;
  }
  const brokers = new Map<string, Sums>();
  for (const lane of lanes) {
    const broker = lane.nodeId === undefined ? `${lane.host}:${lane.port}` : String(lane.nodeId);
    let sums = brokers.get(broker);
    if (sums === undefined) {
      sums = {
        connections: 0,
        failures: 0,
        requests: 0,
        bytesSent: 0,
        responses: 0,
        bytesReceived: 0,
        throttleMaxMs: 0,
        throttled: 0,
        byApi: new Map(),
      };
      brokers.set(broker, sums);
    }
    const s = lane.stats;
    sums.connections += s.connections;
    sums.failures += s.connectionFailures;
    sums.requests += s.requests;
    sums.bytesSent += s.bytesSent;
    sums.responses += s.responses;
    sums.bytesReceived += s.bytesReceived;
    sums.throttleMaxMs = Math.max(sums.throttleMaxMs, s.throttleTimeMaxMs);
    if (s.throttledUntil > now) sums.throttled = 1;
    for (const [api, throttle] of s.throttleByApi) {
      const total = sums.byApi.get(api) ?? { count: 0, totalMs: 0 };
      total.count += throttle.count;
      total.totalMs += throttle.totalMs;
      sums.byApi.set(api, total);
    }
  }
  const series = (value: (sums: Sums) => number): MetricPoint[] =>
    [...brokers].map(([broker, sums]) => ({ labels: { broker }, value: value(sums) }));
  const byApi = (value: (throttle: { count: number; totalMs: number }) => number): MetricPoint[] => {
    const points: MetricPoint[] = [];
    for (const [broker, sums] of brokers) {
      for (const [api, throttle] of sums.byApi) points.push({ labels: { broker, api }, value: value(throttle) });
    }
    return points;
  };
  return [
    metricFamily(
      'vltava_connection_connections_total',
      series((s) => s.connections),
    ),
    metricFamily(
      'vltava_connection_connection_failures_total',
      series((s) => s.failures),
    ),
    metricFamily(
      'vltava_connection_requests_total',
      series((s) => s.requests),
    ),
    metricFamily(
      'vltava_connection_request_bytes_total',
      series((s) => s.bytesSent),
    ),
    metricFamily(
      'vltava_connection_responses_total',
      series((s) => s.responses),
    ),
    metricFamily(
      'vltava_connection_response_bytes_total',
      series((s) => s.bytesReceived),
    ),
    metricFamily(
      'vltava_connection_throttled_responses_total',
      byApi((t) => t.count),
    ),
    metricFamily(
      'vltava_connection_throttle_seconds_total',
      byApi((t) => t.totalMs / 1000),
    ),
    metricFamily(
      'vltava_connection_throttle_max_seconds',
      series((s) => s.throttleMaxMs / 1000),
    ),
    metricFamily(
      'vltava_connection_throttled',
      series((s) => s.throttled),
    ),
  ];
}
