/**
 * Metrics: the one shape every client reports ({@link MetricFamily}), every metric declared once in
 * {@link METRIC_CATALOGUE}, a {@link MetricRegistry} that gathers clients, and the Prometheus text exposition.
 * See docs/METRICS.md.
 *
 * @packageDocumentation
 */

export {
  METRIC_CATALOGUE,
  type MetricClient,
  type MetricSpec,
  metricFamily,
  metricSpec,
} from './metric-catalogue.js';
export type { HistogramBucket, MetricFamily, MetricLabels, MetricPoint, MetricType } from './metric-family.js';
export { MetricRegistry, type MetricSource } from './metric-registry.js';
export { metricPoints, metricValue } from './metric-value.js';
export { familiesOf, type LegacyMetric, PROMETHEUS_CONTENT_TYPE, toPrometheusText } from './prometheus-text.js';
