/**
 * One metric in a snapshot, shaped the way Prometheus and OpenTelemetry exporters read metrics: a name in
 * Prometheus style (`vltava_producer_records_sent_total`), a type, help text, a unit, labels, and a value or a
 * histogram (cumulative buckets, sum, count).
 */
export interface Metric {
  /** Prometheus-style name; counters end in `_total`. */
  readonly name: string;
  /** `counter` (only grows), `gauge` (goes up and down) or `histogram`. */
  readonly type: 'counter' | 'gauge' | 'histogram';
  /** What the metric measures. */
  readonly help: string;
  /** Unit (`bytes`, `seconds`, `records`, `requests`, `batches`, `errors`). */
  readonly unit: string;
  /** Labels, such as the error `code`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Value of a counter or gauge. */
  readonly value?: number;
  /** Histogram buckets: cumulative counts of observations `<= le` (the last bucket is `+Inf`). */
  readonly buckets?: ReadonlyArray<{ readonly le: number; readonly count: number }>;
  /** Histogram sum of observations. */
  readonly sum?: number;
  /** Histogram number of observations. */
  readonly count?: number;
}

/** A fixed-bucket histogram. */
class Histogram {
  private readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }

  buckets(): Array<{ le: number; count: number }> {
    const out: Array<{ le: number; count: number }> = [];
    let cumulative = 0;
    for (let i = 0; i <= this.bounds.length; i++) {
      cumulative += this.counts[i]!;
      out.push({ le: i < this.bounds.length ? this.bounds[i]! : Number.POSITIVE_INFINITY, count: cumulative });
    }
    return out;
  }
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const SIZE_BUCKETS = [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];
const RECORD_BUCKETS = [1, 5, 10, 50, 100, 500, 1000, 5000, 10000];

/** Values read at snapshot time from the producer's live state. */
export interface ProducerGauges {
  readonly bufferBytesInUse: number;
  readonly bufferBytesTotal: number;
  readonly bufferWaiters: number;
  readonly requestsInFlight: number;
  readonly batchesIncomplete: number;
}

/**
 * The producer's counters and histograms. Updated on the sender's path (per batch and per request, never per
 * record), read by `producer.metrics()`.
 */
export class ProducerMetrics {
  recordsSent = 0;
  recordsFailed = 0;
  batchesSent = 0;
  bytesSent = 0;
  requestsSent = 0;
  batchRetries = 0;
  batchSplits = 0;
  private readonly errors = new Map<string, number>();
  private readonly latency = new Histogram(LATENCY_BUCKETS);
  private readonly batchBytes = new Histogram(SIZE_BUCKETS);
  private readonly batchRecords = new Histogram(RECORD_BUCKETS);

  /** A batch went out in a request (every attempt counts). */
  batchSent(bytes: number, records: number): void {
    this.batchesSent++;
    this.bytesSent += bytes;
    this.batchBytes.observe(bytes);
    this.batchRecords.observe(records);
  }

  /** A Produce request answered (or was written, for acks=0) after `ms` milliseconds. */
  requestCompleted(ms: number): void {
    this.latency.observe(ms / 1000);
  }

  /** A batch failed with `code` (the error's stable code) and will be retried or fail. */
  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  /** A snapshot of every metric. */
  snapshot(gauges: ProducerGauges): Metric[] {
    const none = {};
    const counter = (name: string, help: string, unit: string, value: number): Metric => ({
      name,
      type: 'counter',
      help,
      unit,
      labels: none,
      value,
    });
    const gauge = (name: string, help: string, unit: string, value: number): Metric => ({
      name,
      type: 'gauge',
      help,
      unit,
      labels: none,
      value,
    });
    const histogram = (name: string, help: string, unit: string, h: Histogram): Metric => ({
      name,
      type: 'histogram',
      help,
      unit,
      labels: none,
      buckets: h.buckets(),
      sum: h.sum,
      count: h.count,
    });
    const metrics: Metric[] = [
      counter('vltava_producer_records_sent_total', 'Records acknowledged by the broker', 'records', this.recordsSent),
      counter('vltava_producer_records_failed_total', 'Records whose send failed', 'records', this.recordsFailed),
      counter('vltava_producer_batches_sent_total', 'Batches sent, retries included', 'batches', this.batchesSent),
      counter('vltava_producer_bytes_sent_total', 'Batch bytes sent, retries included', 'bytes', this.bytesSent),
      counter('vltava_producer_requests_total', 'Produce requests sent', 'requests', this.requestsSent),
      counter('vltava_producer_batch_retries_total', 'Batches sent again after an error', 'batches', this.batchRetries),
      counter(
        'vltava_producer_batch_splits_total',
        'Batches split because the broker refused them as too large',
        'batches',
        this.batchSplits,
      ),
      histogram(
        'vltava_producer_request_latency_seconds',
        'Time from sending a Produce request to its response',
        'seconds',
        this.latency,
      ),
      histogram('vltava_producer_batch_size_bytes', 'Size of sent batches (compressed)', 'bytes', this.batchBytes),
      histogram('vltava_producer_batch_records', 'Records per sent batch', 'records', this.batchRecords),
      gauge('vltava_producer_buffer_bytes_in_use', 'Bytes of bufferMemory in use', 'bytes', gauges.bufferBytesInUse),
      gauge('vltava_producer_buffer_bytes_total', 'bufferMemory', 'bytes', gauges.bufferBytesTotal),
      gauge('vltava_producer_buffer_waiters', 'Sends waiting for buffer space', 'requests', gauges.bufferWaiters),
      gauge(
        'vltava_producer_requests_in_flight',
        'Produce requests awaiting a response',
        'requests',
        gauges.requestsInFlight,
      ),
      gauge(
        'vltava_producer_batches_incomplete',
        'Batches not yet acknowledged or failed',
        'batches',
        gauges.batchesIncomplete,
      ),
    ];
    for (const [code, value] of this.errors) {
      metrics.push({
        name: 'vltava_producer_errors_total',
        type: 'counter',
        help: 'Batch errors by error code (retried or not)',
        unit: 'errors',
        labels: { code },
        value,
      });
    }
    return metrics;
  }
}

/** Formats a metrics snapshot in the Prometheus text exposition format. */
export function toPrometheusText(metrics: readonly Metric[]): string {
  const lines: string[] = [];
  const described = new Set<string>();
  for (const metric of metrics) {
    if (!described.has(metric.name)) {
      described.add(metric.name);
      lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`);
    }
    const labels = Object.entries(metric.labels);
    const format = (extra: Array<[string, string]> = []) => {
      const all = [...labels, ...extra];
      return all.length === 0 ? '' : `{${all.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '\\$&')}"`).join(',')}}`;
    };
    if (metric.type === 'histogram') {
      for (const bucket of metric.buckets ?? []) {
        const le = bucket.le === Number.POSITIVE_INFINITY ? '+Inf' : String(bucket.le);
        lines.push(`${metric.name}_bucket${format([['le', le]])} ${bucket.count}`);
      }
      lines.push(
        `${metric.name}_sum${format()} ${metric.sum ?? 0}`,
        `${metric.name}_count${format()} ${metric.count ?? 0}`,
      );
    } else {
      lines.push(`${metric.name}${format()} ${metric.value ?? 0}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
