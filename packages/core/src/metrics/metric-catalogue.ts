import { InternalError } from '../errors/client-errors.js';
import type { MetricFamily, MetricPoint, MetricType } from './metric-family.js';

/** Which client reports a metric; `connection` metrics come from every client's connections. */
export type MetricClient = 'connection' | 'producer' | 'consumer' | 'share_consumer' | 'admin';

/** The declaration of one metric: the row of docs/METRICS.md that describes it. */
export interface MetricSpec {
  /** Prometheus-style name. */
  readonly name: string;
  /** The client that reports it. */
  readonly client: MetricClient;
  /** Counter, gauge or histogram. */
  readonly type: MetricType;
  /** Unit of the values. */
  readonly unit: string;
  /** Labels of its series, besides the common `client_id` and `client_type`. */
  readonly labels: readonly string[];
  /** What it measures. */
  readonly help: string;
  /** The Java client's metric it matches, if any. */
  readonly java?: string;
  /**
   * The OpenTelemetry instrument `@vltava/otel` reports it as from a `MetricRegistry`, if any (name and UCUM unit):
   * gauges and counters only (OpenTelemetry has no observable histogram), and none that the package already
   * records from the diagnostics channels.
   */
  readonly otel?: { readonly name: string; readonly unit: string };
}

const spec = (
  client: MetricClient,
  name: string,
  type: MetricType,
  unit: string,
  labels: readonly string[],
  help: string,
  extra: { java?: string; otel?: { name: string; unit: string } } = {},
): MetricSpec => ({ name, client, type, unit, labels, help, ...extra });

/**
 * Every metric a Vltava client reports, declared once. Every series also carries `client_id` (Java: client.id)
 * and `client_type` (`producer`, `consumer`, `share_consumer`, `admin`). docs/METRICS.md holds this table; a unit
 * test keeps the two the same.
 */
export const METRIC_CATALOGUE: readonly MetricSpec[] = [
  // Connections (every client) ---------------------------------------------------------------------------------------
  spec(
    'connection',
    'vltava_connection_connections_total',
    'counter',
    'connections',
    ['broker'],
    'Connections set up (connected, negotiated, authenticated)',
    { java: 'connection-creation-total' },
  ),
  spec(
    'connection',
    'vltava_connection_connection_failures_total',
    'counter',
    'connections',
    ['broker'],
    'Connection attempts that failed',
    { java: 'failed-authentication-total (in part)' },
  ),
  spec(
    'connection',
    'vltava_connection_requests_total',
    'counter',
    'requests',
    ['broker'],
    'Requests written to the broker',
    { java: 'request-total (per node)' },
  ),
  spec(
    'connection',
    'vltava_connection_request_bytes_total',
    'counter',
    'bytes',
    ['broker'],
    'Bytes of requests written',
    { java: 'outgoing-byte-total' },
  ),
  spec('connection', 'vltava_connection_responses_total', 'counter', 'responses', ['broker'], 'Responses received', {
    java: 'response-total',
  }),
  spec(
    'connection',
    'vltava_connection_response_bytes_total',
    'counter',
    'bytes',
    ['broker'],
    'Bytes of responses received',
    { java: 'incoming-byte-total' },
  ),
  spec(
    'connection',
    'vltava_connection_throttled_responses_total',
    'counter',
    'responses',
    ['broker', 'api'],
    'Responses that carried a quota throttle time (KIP-219)',
  ),
  spec(
    'connection',
    'vltava_connection_throttle_seconds_total',
    'counter',
    'seconds',
    ['broker', 'api'],
    'Quota throttle time the broker reported, added up',
    {
      java: 'produce-throttle-time-avg, fetch-throttle-time-avg (as rate / responses)',
    },
  ),
  spec(
    'connection',
    'vltava_connection_throttle_max_seconds',
    'gauge',
    'seconds',
    ['broker'],
    'Longest quota throttle time the broker reported',
    { java: 'produce-throttle-time-max, fetch-throttle-time-max' },
  ),
  spec(
    'connection',
    'vltava_connection_throttled',
    'gauge',
    'boolean',
    ['broker'],
    "1 while a quota holds the connection's requests, else 0",
    { otel: { name: 'vltava.client.connection.throttled', unit: '1' } },
  ),
  // Producer -------------------------------------------------------------------------------------------------------
  spec(
    'producer',
    'vltava_producer_records_sent_total',
    'counter',
    'records',
    [],
    'Records acknowledged by the broker',
    { java: 'record-send-total' },
  ),
  spec('producer', 'vltava_producer_records_failed_total', 'counter', 'records', [], 'Records whose send failed', {
    java: 'record-error-total',
  }),
  spec('producer', 'vltava_producer_batches_sent_total', 'counter', 'batches', [], 'Batches sent, retries included'),
  spec('producer', 'vltava_producer_bytes_sent_total', 'counter', 'bytes', [], 'Batch bytes sent, retries included', {
    java: 'byte-total',
  }),
  spec('producer', 'vltava_producer_requests_total', 'counter', 'requests', [], 'Produce requests sent', {
    java: 'request-total',
  }),
  spec(
    'producer',
    'vltava_producer_batch_retries_total',
    'counter',
    'batches',
    [],
    'Batches sent again after an error',
    { java: 'record-retry-total (per batch)' },
  ),
  spec(
    'producer',
    'vltava_producer_batch_splits_total',
    'counter',
    'batches',
    [],
    'Batches split because the broker refused them as too large',
    { java: 'batch-split-total' },
  ),
  spec(
    'producer',
    'vltava_producer_errors_total',
    'counter',
    'errors',
    ['code'],
    'Batch errors by error code (retried or not)',
  ),
  spec(
    'producer',
    'vltava_producer_request_latency_seconds',
    'histogram',
    'seconds',
    [],
    'Time from sending a Produce request to its response',
    { java: 'request-latency-avg/max' },
  ),
  spec('producer', 'vltava_producer_batch_size_bytes', 'histogram', 'bytes', [], 'Size of sent batches (compressed)', {
    java: 'batch-size-avg/max',
  }),
  spec('producer', 'vltava_producer_batch_records', 'histogram', 'records', [], 'Records per sent batch', {
    java: 'records-per-request-avg',
  }),
  spec('producer', 'vltava_producer_buffer_bytes_in_use', 'gauge', 'bytes', [], 'Bytes of bufferMemory in use', {
    otel: { name: 'vltava.producer.buffer.usage', unit: 'By' },
  }),
  spec('producer', 'vltava_producer_buffer_limit_bytes', 'gauge', 'bytes', [], 'bufferMemory', {
    java: 'buffer-total-bytes',
  }),
  spec('producer', 'vltava_producer_buffer_waiters', 'gauge', 'sends', [], 'Sends waiting for buffer space', {
    java: 'waiting-threads',
  }),
  spec(
    'producer',
    'vltava_producer_requests_in_flight',
    'gauge',
    'requests',
    [],
    'Produce requests awaiting a response',
    { java: 'requests-in-flight' },
  ),
  spec(
    'producer',
    'vltava_producer_batches_incomplete',
    'gauge',
    'batches',
    [],
    'Batches not yet acknowledged or failed',
  ),
  // Consumer -------------------------------------------------------------------------------------------------------
  spec(
    'consumer',
    'vltava_consumer_records_consumed_total',
    'counter',
    'records',
    [],
    'Records handed to the application',
    { java: 'records-consumed-total' },
  ),
  spec(
    'consumer',
    'vltava_consumer_records_fetched_total',
    'counter',
    'records',
    [],
    'Records fetched from brokers (buffered or handed out)',
  ),
  spec(
    'consumer',
    'vltava_consumer_broker_records_fetched_total',
    'counter',
    'records',
    ['broker'],
    'Records fetched, by the broker they came from (leader or KIP-392 replica)',
  ),
  spec(
    'consumer',
    'vltava_consumer_bytes_fetched_total',
    'counter',
    'bytes',
    [],
    'Bytes of record data fetched (before decompression)',
    { java: 'bytes-consumed-total' },
  ),
  spec('consumer', 'vltava_consumer_fetch_requests_total', 'counter', 'requests', [], 'Fetch requests sent', {
    java: 'fetch-total',
  }),
  spec(
    'consumer',
    'vltava_consumer_fetch_errors_total',
    'counter',
    'errors',
    [],
    'Fetch requests or partitions that failed',
  ),
  spec(
    'consumer',
    'vltava_consumer_fetch_latency_avg_seconds',
    'gauge',
    'seconds',
    [],
    "Average Fetch round trip, the broker's long poll included",
    { java: 'fetch-latency-avg' },
  ),
  spec('consumer', 'vltava_consumer_fetch_latency_max_seconds', 'gauge', 'seconds', [], 'Longest Fetch round trip', {
    java: 'fetch-latency-max',
  }),
  spec('consumer', 'vltava_consumer_buffered_records', 'gauge', 'records', [], 'Records in the prefetch buffer', {
    otel: { name: 'vltava.consumer.buffer.records', unit: '{message}' },
  }),
  spec(
    'consumer',
    'vltava_consumer_buffered_bytes',
    'gauge',
    'bytes',
    [],
    'Bytes in the prefetch buffer (after decompression)',
  ),
  spec(
    'consumer',
    'vltava_consumer_rebalances_total',
    'counter',
    'rebalances',
    [],
    'Rebalances that changed the assignment',
    { java: 'rebalance-total' },
  ),
  spec(
    'consumer',
    'vltava_consumer_last_rebalance_timestamp_seconds',
    'gauge',
    'seconds',
    [],
    'Time of the last such rebalance, seconds since the epoch',
    { java: 'last-rebalance-seconds-ago' },
  ),
  spec('consumer', 'vltava_consumer_commits_total', 'counter', 'commits', [], 'Offset commits that succeeded', {
    java: 'commit-total',
  }),
  spec('consumer', 'vltava_consumer_commit_failures_total', 'counter', 'commits', [], 'Offset commits that failed'),
  spec(
    'consumer',
    'vltava_consumer_group_state',
    'gauge',
    'boolean',
    ['state'],
    "1 for the group membership's current state",
  ),
  spec(
    'consumer',
    'vltava_consumer_records_lag',
    'gauge',
    'records',
    ['topic', 'partition'],
    'High watermark minus position: records not yet handed out',
    { java: 'records-lag', otel: { name: 'kafka.consumer_group.lag', unit: '{message}' } },
  ),
  spec(
    'consumer',
    'vltava_consumer_position',
    'gauge',
    'offset',
    ['topic', 'partition'],
    'Next offset to hand to the application',
  ),
  spec(
    'consumer',
    'vltava_consumer_committed_offset',
    'gauge',
    'offset',
    ['topic', 'partition'],
    'Last offset committed',
  ),
  spec(
    'consumer',
    'vltava_consumer_high_watermark',
    'gauge',
    'offset',
    ['topic', 'partition'],
    'High watermark from the last fetch',
  ),
  spec(
    'consumer',
    'vltava_consumer_partition_buffered_bytes',
    'gauge',
    'bytes',
    ['topic', 'partition'],
    'Bytes prefetched for the partition and not handed out',
  ),
  spec(
    'consumer',
    'vltava_consumer_partition_paused',
    'gauge',
    'boolean',
    ['topic', 'partition'],
    '1 when the application paused the partition',
  ),
  // Share consumer -------------------------------------------------------------------------------------------------
  spec(
    'share_consumer',
    'vltava_share_consumer_records_consumed_total',
    'counter',
    'records',
    [],
    'Records handed to the application',
    { java: 'records-consumed-total' },
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_records_acquired_total',
    'counter',
    'records',
    [],
    'Records the broker acquired for this consumer',
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_bytes_fetched_total',
    'counter',
    'bytes',
    [],
    'Bytes of record data fetched (before decompression)',
    { java: 'bytes-fetched-total' },
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_fetch_requests_total',
    'counter',
    'requests',
    [],
    'ShareFetch requests sent',
    { java: 'fetch-total' },
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_acknowledge_requests_total',
    'counter',
    'requests',
    [],
    'ShareAcknowledge requests sent',
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_fetch_errors_total',
    'counter',
    'errors',
    [],
    'Requests or partitions that failed',
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_fetch_latency_avg_seconds',
    'gauge',
    'seconds',
    [],
    'Average ShareFetch round trip',
    { java: 'fetch-latency-avg' },
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_fetch_latency_max_seconds',
    'gauge',
    'seconds',
    [],
    'Longest ShareFetch round trip',
    { java: 'fetch-latency-max' },
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_acknowledgements_sent_total',
    'counter',
    'acknowledgements',
    [],
    'Acknowledgements sent, gaps included',
    { java: 'acknowledgements-send-total' },
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_acknowledgements_failed_total',
    'counter',
    'acknowledgements',
    [],
    'Acknowledgements the broker did not apply',
    { java: 'acknowledgements-error-total' },
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_acknowledged_total',
    'counter',
    'records',
    ['type'],
    'Records acknowledged, by type (accept, release, reject, renew)',
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_buffered_records',
    'gauge',
    'records',
    [],
    'Records fetched ahead and not handed out',
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_buffered_bytes',
    'gauge',
    'bytes',
    [],
    'Bytes fetched ahead and not handed out',
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_acquired_records',
    'gauge',
    'records',
    [],
    'Records held under an acquisition lock and not settled',
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_acquisition_lock_timeout_seconds',
    'gauge',
    'seconds',
    [],
    'The acquisition lock duration the broker last reported',
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_member_state',
    'gauge',
    'boolean',
    ['state'],
    "1 for the membership's current state",
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_member_epoch',
    'gauge',
    'epoch',
    [],
    'The member epoch (0 before joining)',
  ),
  spec(
    'share_consumer',
    'vltava_share_consumer_assignments_received_total',
    'counter',
    'assignments',
    [],
    'Assignments received from the coordinator',
  ),
  // Admin ----------------------------------------------------------------------------------------------------------
  spec(
    'admin',
    'vltava_admin_calls_total',
    'counter',
    'calls',
    ['method'],
    'Admin method calls that completed (successfully or not)',
  ),
  spec(
    'admin',
    'vltava_admin_call_errors_total',
    'counter',
    'calls',
    ['method', 'code'],
    'Admin method calls that rejected, by error code',
  ),
  spec(
    'admin',
    'vltava_admin_call_duration_seconds',
    'histogram',
    'seconds',
    ['method'],
    'Duration of admin method calls, retries included',
  ),
];

const BY_NAME: ReadonlyMap<string, MetricSpec> = new Map(METRIC_CATALOGUE.map((m) => [m.name, m]));

/** The declaration of a metric, by name; undefined for a name not in the catalogue. */
export function metricSpec(name: string): MetricSpec | undefined {
  return BY_NAME.get(name);
}

/**
 * A family of a catalogued metric with the given series (type, unit and help from the catalogue). Throws on a
 * name the catalogue does not declare: every metric is declared before it is reported.
 */
export function metricFamily(name: string, points: readonly MetricPoint[]): MetricFamily {
  const declared = BY_NAME.get(name);
  if (declared === undefined) throw new InternalError(`Metric ${name} is not declared in METRIC_CATALOGUE`);
  return { name, type: declared.type, unit: declared.unit, help: declared.help, points };
}
