import type { MetricFamily, MetricLabels, MetricPoint } from './metric-family.js';

/** The points of family `name` whose labels include `labels` (all of them by default); empty when there is none. */
export function metricPoints(
  families: readonly MetricFamily[],
  name: string,
  labels: MetricLabels = {},
): readonly MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const family of families) {
    if (family.name !== name) continue;
    for (const point of family.points) {
      let matches = true;
      for (const key of Object.keys(labels)) {
        if (point.labels[key] !== labels[key]) {
          matches = false;
          break;
        }
      }
      if (matches) points.push(point);
    }
  }
  return points;
}

/**
 * The value of metric `name` in a client's `metrics()`: the sum of its points whose labels include `labels` (a
 * counter kept per broker, summed; a partition's gauge with `{ topic, partition }`), or `undefined` when no point
 * matches.
 *
 * ```ts
 * const lag = metricValue(consumer.metrics(), 'vltava_consumer_records_lag');
 * ```
 */
export function metricValue(
  families: readonly MetricFamily[],
  name: string,
  labels: MetricLabels = {},
): number | undefined {
  const points = metricPoints(families, name, labels);
  if (points.length === 0) return undefined;
  let sum = 0;
  for (const point of points) sum += point.value;
  return sum;
}
