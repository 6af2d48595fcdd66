/**
 * Metrics endpoint: a producer, a consumer and an admin client report their metrics in one shape, gathered by a
 * `MetricRegistry` and served as Prometheus text on http://127.0.0.1:<port>/metrics.
 *
 *   npx tsx --conditions=@vltava/source examples/src/metrics-endpoint.ts            # scrape once, print, exit
 *   npx tsx --conditions=@vltava/source examples/src/metrics-endpoint.ts --serve    # keep serving until Ctrl-C
 *
 * (Uses the cluster in KAFKA_BROKERS, or starts a local broker for the run.)
 */
import { createServer, type Server } from 'node:http';
import { Admin, Consumer, MetricRegistry, PROMETHEUS_CONTENT_TYPE, Producer, toPrometheusText } from '@vltava/core';
import { type Log, runExample, uniqueName } from './support/run-example.js';

/** What the example served. */
export interface MetricsEndpointResult {
  readonly topic: string;
  /** The endpoint's URL. */
  readonly url: string;
  /** The `Content-Type` it answered with. */
  readonly contentType: string | null;
  /** The text it served. */
  readonly body: string;
  /** The client ids the series carry. */
  readonly clientIds: { readonly producer: string; readonly consumer: string; readonly admin: string };
}

const RECORDS = 20;

export async function main(
  brokers: string,
  log: Log,
  options: { serve?: boolean; port?: number } = {},
): Promise<MetricsEndpointResult> {
  const topic = uniqueName('metrics');
  const clientIds = {
    producer: uniqueName('metrics-producer'),
    consumer: uniqueName('metrics-consumer'),
    admin: uniqueName('metrics-admin'),
  };
  const admin = new Admin({ brokers, clientId: clientIds.admin });
  const producer = new Producer<string, string>({ brokers, clientId: clientIds.producer });
  const consumer = new Consumer({ brokers, clientId: clientIds.consumer, autoOffsetReset: 'earliest' });

  // 1. One registry for the process. Every client's metrics() is in the one shape, labelled client_id and
  //    client_type already.
  const registry = new MetricRegistry();
  registry.register(() => admin.metrics());
  registry.register(() => producer.metrics());
  registry.register(() => consumer.metrics());

  // 2. The endpoint: GET /metrics answers the registry's snapshot as Prometheus text, as it is.
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(toPrometheusText(registry.collect()));
  });
  const port = await listen(server, options.port ?? 0);
  const url = `http://127.0.0.1:${port}/metrics`;
  log(`serving ${url}`);

  try {
    // 3. Some work to measure: a topic, records sent, records read back.
    const [created] = await admin.createTopics([{ topic, numPartitions: 2 }], { waitForMetadata: true });
    if (created?.error !== undefined) throw created.error;
    await Promise.all(
      Array.from({ length: RECORDS }, (_, i) => producer.send({ topic, key: `k${i}`, value: `v${i}` })),
    );
    consumer.assign([
      { topic, partition: 0 },
      { topic, partition: 1 },
    ]);
    let read = 0;
    for await (const batch of consumer.batches({ signal: AbortSignal.timeout(60_000) })) {
      read += batch.count;
      if (read >= RECORDS) break;
    }
    log(`sent and read ${RECORDS} records`);

    // 4. Scrape the endpoint, as Prometheus would.
    const response = await fetch(url);
    const body = await response.text();
    const contentType = response.headers.get('content-type');
    for (const line of body.split('\n')) {
      if (/^vltava_(producer_records_sent|consumer_records_consumed|admin_calls)_total|_records_lag\{/.test(line)) {
        log(line);
      }
    }
    if (options.serve === true) {
      log('serving until Ctrl-C');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    return { topic, url, contentType, body, clientIds };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await consumer.close();
    await producer.close();
    await admin.close();
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

await runExample(import.meta.url, (brokers, log) =>
  main(brokers, log, { serve: process.argv.includes('--serve'), port: 9464 }),
);
