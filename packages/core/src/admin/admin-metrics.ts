import { isKafkaError } from '../errors/kafka-error.js';
import { Histogram, SECONDS_BUCKETS } from '../metrics/histogram.js';
import { metricFamily } from '../metrics/metric-catalogue.js';
import type { MetricFamily, MetricLabels, MetricPoint } from '../metrics/metric-family.js';

/** Calls of one admin method. */
interface MethodFigures {
  completed: number;
  readonly duration: Histogram;
  readonly errors: Map<string, number>;
}

/**
 * The admin client's own metrics: calls, failures by error code and durations per method
 * (`vltava_admin_*` in `METRIC_CATALOGUE`). Updated once per method call.
 */
export class AdminMetrics {
  private readonly methods = new Map<string, MethodFigures>();

  /** A call of `method` that started at `startedAt` (`performance.now()`) settled, with `error` if it failed. */
  completed(method: string, startedAt: number, error: unknown): void {
    let figures = this.methods.get(method);
    if (figures === undefined) {
      figures = { completed: 0, duration: new Histogram(SECONDS_BUCKETS), errors: new Map() };
      this.methods.set(method, figures);
    }
    figures.completed++;
    figures.duration.observe((performance.now() - startedAt) / 1000);
    if (error !== undefined) {
      const code = isKafkaError(error) ? error.code : 'ERR_UNKNOWN';
      figures.errors.set(code, (figures.errors.get(code) ?? 0) + 1);
    }
  }

  /** The families, each series labelled with `labels` too (the client's `client_id` and `client_type`). */
  families(labels: MetricLabels): MetricFamily[] {
    const calls: MetricPoint[] = [];
    const errors: MetricPoint[] = [];
    const durations: MetricPoint[] = [];
    for (const [method, figures] of this.methods) {
      calls.push({ labels: { ...labels, method }, value: figures.completed });
      for (const [code, count] of figures.errors) errors.push({ labels: { ...labels, method, code }, value: count });
      const h = figures.duration;
      durations.push({
        labels: { ...labels, method },
        value: h.count,
        buckets: h.buckets(),
        sum: h.sum,
        count: h.count,
      });
    }
    return [
      metricFamily('vltava_admin_calls_total', calls),
      metricFamily('vltava_admin_call_errors_total', errors),
      metricFamily('vltava_admin_call_duration_seconds', durations),
    ];
  }
}
