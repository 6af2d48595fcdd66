import { InternalError } from '../errors/client-errors.js';
import type { MetricFamily, MetricLabels, MetricPoint } from './metric-family.js';
import { familiesOf, type LegacyMetric } from './prometheus-text.js';

/** Something that reports metrics: a function returning families (or legacy metrics), read at each collection. */
export type MetricSource = () => readonly (MetricFamily | LegacyMetric)[];

interface Registration {
  readonly source: MetricSource;
  readonly labels: MetricLabels;
}

/**
 * Gathers the metrics of several clients into one snapshot: each source is read when {@link collect} runs, its
 * series get the labels it was registered with (`client_id`, `client_type`, `app`, ...), and families of the same
 * name from several sources become one family. What `/metrics` serves, through `toPrometheusText`, and what
 * `@vltava/otel` reads into OpenTelemetry instruments.
 *
 * ```ts
 * const registry = new MetricRegistry();
 * const unregister = registry.register(() => producer.metrics(), { client_id: 'orders', client_type: 'producer' });
 * const families = registry.collect();
 * ```
 */
export class MetricRegistry {
  private readonly registrations = new Set<Registration>();

  /** Adds a source; its series get `labels`. Returns a function that removes it (when its client closes). */
  register(source: MetricSource, labels: MetricLabels = {}): () => void {
    const registration = { source, labels };
    this.registrations.add(registration);
    return () => {
      this.registrations.delete(registration);
    };
  }

  /**
   * Reads every source and returns the merged families. Throws `InternalError` when two sources report the same
   * name with different types, which would make the exposition invalid.
   */
  collect(): MetricFamily[] {
    const merged = new Map<string, { family: MetricFamily; points: MetricPoint[] }>();
    for (const { source, labels } of this.registrations) {
      for (const family of familiesOf(source())) {
        let entry = merged.get(family.name);
        if (entry === undefined) {
          const points: MetricPoint[] = [];
          entry = { family: { ...family, points }, points };
          merged.set(family.name, entry);
        } else if (entry.family.type !== family.type) {
          throw new InternalError(
            `Metric ${family.name} is reported as a ${entry.family.type} and as a ${family.type}`,
          );
        }
        for (const point of family.points) entry.points.push(withLabels(point, labels));
      }
    }
    return [...merged.values()].map((entry) => entry.family);
  }
}

function withLabels(point: MetricPoint, labels: MetricLabels): MetricPoint {
  for (const _ in labels) return { ...point, labels: { ...labels, ...point.labels } };
  return point;
}
