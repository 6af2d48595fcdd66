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
  /** A family with one point per broker. */
  const perBroker = (name: string, value: (sums: Sums) => number): MetricFamily =>
    metricFamily(
      name,
      [...brokers].map(([broker, sums]) => ({ labels: { broker }, value: value(sums) })),
    );
  /** A family with one point per broker and API. */
  const perApi = (name: string, value: (throttle: { count: number; totalMs: number }) => number): MetricFamily => {
    const points: MetricPoint[] = [];
    for (const [broker, sums] of brokers) {
      for (const [api, throttle] of sums.byApi) points.push({ labels: { broker, api }, value: value(throttle) });
    }
    return metricFamily(name, points);
  };
  return [
    perBroker('vltava_connection_connections_total', (s) => s.connections),
    perBroker('vltava_connection_connection_failures_total', (s) => s.failures),
    perBroker('vltava_connection_requests_total', (s) => s.requests),
    perBroker('vltava_connection_request_bytes_total', (s) => s.bytesSent),
    perBroker('vltava_connection_responses_total', (s) => s.responses),
    perBroker('vltava_connection_response_bytes_total', (s) => s.bytesReceived),
    perApi('vltava_connection_throttled_responses_total', (t) => t.count),
    perApi('vltava_connection_throttle_seconds_total', (t) => t.totalMs / 1000),
    perBroker('vltava_connection_throttle_max_seconds', (s) => s.throttleMaxMs / 1000),
    perBroker('vltava_connection_throttled', (s) => s.throttled),
  ];
}
