import type { MetricFamily, MetricLabels, MetricPoint } from './metric-family.js';

/** The `Content-Type` of {@link toPrometheusText}'s output (Prometheus text exposition format 0.0.4). */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * A legacy metric: one series with its family's fields, as `Producer.metrics()` returns them today. Accepted by
 * {@link toPrometheusText} and {@link familiesOf}; new code reports {@link MetricFamily}.
 */
export interface LegacyMetric {
  /** The metric's name. */
  readonly name: string;
  /** Counter, gauge or histogram. */
  readonly type: MetricFamily['type'];
  /** What the metric measures. */
  readonly help: string;
  /** Its unit. */
  readonly unit: string;
  /** The labels of this point. */
  readonly labels: MetricLabels;
  /** The value of a counter or gauge. */
  readonly value?: number;
  /** A histogram's buckets. */
  readonly buckets?: MetricPoint['buckets'];
  /** A histogram's sum of observations. */
  readonly sum?: number;
  /** A histogram's count of observations. */
  readonly count?: number;
}

/**
 * Metric families from a list of families or of legacy one-series metrics: series of the same name are gathered
 * into one family, in the order names first appear.
 */
export function familiesOf(metrics: readonly (MetricFamily | LegacyMetric)[]): MetricFamily[] {
  const byName = new Map<string, { family: MetricFamily; points: MetricPoint[] }>();
  for (const metric of metrics) {
    let entry = byName.get(metric.name);
    if (entry === undefined) {
      const points: MetricPoint[] = [];
      entry = {
        family: { name: metric.name, type: metric.type, unit: metric.unit, help: metric.help, points },
        points,
      };
      byName.set(metric.name, entry);
    }
    if ('points' in metric) entry.points.push(...metric.points);
    else entry.points.push(legacyPoint(metric));
  }
  return [...byName.values()].map((entry) => entry.family);
}

function legacyPoint(metric: LegacyMetric): MetricPoint {
  if (metric.type !== 'histogram') return { labels: metric.labels, value: metric.value ?? 0 };
  return {
    labels: metric.labels,
    value: metric.count ?? 0,
    buckets: metric.buckets ?? [],
    sum: metric.sum ?? 0,
    count: metric.count ?? 0,
  };
}

/**
 * Formats metrics in the Prometheus text exposition format (0.0.4), ready to serve from a `/metrics` endpoint with
 * {@link PROMETHEUS_CONTENT_TYPE}: one `# HELP` and `# TYPE` per family, its series together, histograms as
 * `_bucket` (with `le`), `_sum` and `_count`. Families of the same name (from several clients) are merged; label
 * values and help text are escaped.
 *
 * ```ts
 * const registry = new MetricRegistry();
 * registry.register(() => consumerMetricFamilies(consumer.metrics()), { client_id: 'orders' });
 * http.createServer((req, res) => {
 *   res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(toPrometheusText(registry.collect()));
 * }).listen(9464, '127.0.0.1');
 * ```
 */
export function toPrometheusText(metrics: readonly (MetricFamily | LegacyMetric)[]): string {
  const lines: string[] = [];
  for (const family of familiesOf(metrics)) {
    const name = family.name;
    lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.type}`);
    for (const point of family.points) {
      if (family.type === 'histogram') {
        for (const bucket of point.buckets ?? []) {
          lines.push(`${name}_bucket${labelText(point.labels, formatNumber(bucket.le))} ${formatNumber(bucket.count)}`);
        }
        lines.push(`${name}_sum${labelText(point.labels)} ${formatNumber(point.sum ?? 0)}`);
        lines.push(`${name}_count${labelText(point.labels)} ${formatNumber(point.count ?? point.value)}`);
      } else {
        lines.push(`${name}${labelText(point.labels)} ${formatNumber(point.value)}`);
      }
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function labelText(labels: MetricLabels, le?: string): string {
  let text = '';
  for (const key in labels) {
    text += `${text === '' ? '' : ','}${key}="${escapeLabel(labels[key]!)}"`;
  }
  if (le !== undefined) text += `${text === '' ? '' : ','}le="${le}"`;
  return text === '' ? '' : `{${text}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function escapeHelp(help: string): string {
  return help.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return String(value);
}
