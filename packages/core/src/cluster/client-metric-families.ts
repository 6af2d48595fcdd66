import type { MetricFamily, MetricLabels } from '../metrics/metric-family.js';
import type { LaneStats } from './cluster.js';
import { connectionMetricFamilies } from './connection-metric-families.js';

/**
 * What a client's `metrics()` returns: its own families and those of its connections (requests, throttling), every
 * point labelled with the client's `labels` (`client_id`, `client_type`).
 */
export function clientMetricFamilies(
  own: readonly MetricFamily[],
  lanes: readonly LaneStats[],
  labels: MetricLabels,
): MetricFamily[] {
  return [...own, ...connectionMetricFamilies(lanes)].map((family) => ({
    ...family,
    points: family.points.map((point) => ({ ...point, labels: { ...labels, ...point.labels } })),
  }));
}
