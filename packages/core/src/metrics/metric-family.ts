/** How a metric behaves: a `counter` only grows, a `gauge` goes up and down, a `histogram` counts observations. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** Label names and values of one series (`{ topic: 'orders', partition: '3' }`). */
export type MetricLabels = Readonly<Record<string, string>>;

/** A histogram bucket: how many observations were `<= le` (cumulative; the last bucket is `+Inf`). */
export interface HistogramBucket {
  /** Upper bound, in the metric's unit. */
  readonly le: number;
  /** Observations at or below it. */
  readonly count: number;
}

/** One series of a family: its labels and its value (counter, gauge) or distribution (histogram). */
export interface MetricPoint {
  /** Labels that tell this series from the family's others; `{}` for none. */
  readonly labels: MetricLabels;
  /** The value of a counter or gauge (a histogram's is its `count`). */
  readonly value: number;
  /** Histogram buckets, cumulative. */
  readonly buckets?: readonly HistogramBucket[];
  /** Histogram: the sum of the observations. */
  readonly sum?: number;
  /** Histogram: the number of observations. */
  readonly count?: number;
}

/**
 * One metric and all its series: the shape every Vltava client reports its metrics in, and what
 * {@link toPrometheusText} and `@vltava/otel` read. Names follow Prometheus (`vltava_producer_records_sent_total`:
 * counters end in `_total`, base units `_bytes` and `_seconds`); every metric is declared once, with its unit and
 * labels, in `METRIC_CATALOGUE` (the table of docs/METRICS.md).
 */
export interface MetricFamily {
  /** The metric's name (`vltava_consumer_records_lag`). */
  readonly name: string;
  /** Counter, gauge or histogram. */
  readonly type: MetricType;
  /** Unit of the values (`bytes`, `seconds`, `records`, ...). */
  readonly unit: string;
  /** What it measures. */
  readonly help: string;
  /** Its series. */
  readonly points: readonly MetricPoint[];
}
