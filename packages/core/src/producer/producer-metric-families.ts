import { metricFamily } from '../metrics/metric-catalogue.js';
import type { MetricFamily } from '../metrics/metric-family.js';
import { familiesOf } from '../metrics/prometheus-text.js';
import type { Metric } from './producer-metrics.js';

/**
 * The producer's metrics in the one metrics shape (families, declared in `METRIC_CATALOGUE`), from what
 * `Producer.metrics()` returns today. An adapter until the producer reports families itself.
 *
 * ```ts
 * registry.register(() => producerMetricFamilies(producer.metrics()), { client_id: 'orders', client_type: 'producer' });
 * ```
 */
export function producerMetricFamilies(metrics: readonly Metric[]): MetricFamily[] {
  return familiesOf(metrics).map((family) => metricFamily(RENAMED[family.name] ?? family.name, family.points));
}

/** Today's names that the catalogue spells differently (a gauge must not end in `_total`). */
const RENAMED: Readonly<Record<string, string>> = {
  vltava_producer_buffer_bytes_total: 'vltava_producer_buffer_limit_bytes',
};
