import { Consumer, isKafkaError, Producer, type SendSuccess } from '@vltava/core';
import { type KafkaCluster, kafkaBrokers, startCluster, uniqueName } from '@vltava/kafka-harness/vitest';
import { interval, lastValueFrom, map, mergeMap, range, take, tap, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendTo, toProducer } from '../src/index.js';
import { producerMetric } from './support/kafka-figures.js';
import { TopicWriter } from './support/topic-writer.js';

const RECORDS = 50_000;

describe('sendTo against the broker', () => {
  const brokers = kafkaBrokers();
  const writer = new TopicWriter(brokers);
  afterAll(() => writer.close());

  it('on a completed source of 50,000 records, completes only after every record is acknowledged', async ({
    annotate,
  }) => {
    const topic = uniqueName('rx-send');
    await writer.createTopic(topic, 3);
    const producer = new Producer<string, string>({ brokers, logLevel: 'error' });
    let acknowledgedAtCompletion = -1;
    let resultsAtCompletion = -1;
    let results = 0;
    const started = Date.now();
    const all = await lastValueFrom(
      range(0, RECORDS).pipe(
        map((i) => `value-${i}`),
        sendTo(producer, { topic }),
        tap({
          next: () => {
            results++;
          },
          complete: () => {
            acknowledgedAtCompletion = producerMetric(producer, 'vltava_producer_records_sent_total');
            resultsAtCompletion = results;
          },
        }),
        toArray(),
      ),
    );
    const elapsedMs = Date.now() - started;
    await annotate(
      `${RECORDS} records sent and acknowledged in ${elapsedMs} ms, ` +
        `${producerMetric(producer, 'vltava_producer_requests_total')} produce requests`,
    );
    expect(acknowledgedAtCompletion).toBe(RECORDS);
    expect(resultsAtCompletion).toBe(RECORDS);
    // Each emission comes back with its own record's metadata, in order.
    expect(all.map((r) => r.source)).toEqual(Array.from({ length: RECORDS }, (_, i) => `value-${i}`));
    expect(all.every((r: SendSuccess<string>) => r.metadata.length === 1 && r.metadata[0]!.offset >= 0n)).toBe(true);
    const offsets = new Set(all.map((r) => `${r.metadata[0]!.partition}:${r.metadata[0]!.offset}`));
    expect(offsets.size).toBe(RECORDS);
    await producer.close();
  });
});

describe('toProducer against the broker', () => {
  const brokers = kafkaBrokers();
  const writer = new TopicWriter(brokers);
  afterAll(() => writer.close());

  it('sends every value of a subscription and reports completion once all are acknowledged', async () => {
    const topic = uniqueName('rx-sink');
    await writer.createTopic(topic, 2);
    const producer = new Producer<string, string>({ brokers, logLevel: 'error' });
    await new Promise<void>((resolve, reject) =>
      range(0, 1000)
        .pipe(map((i) => `value-${i}`))
        .subscribe(toProducer(producer, { topic }, { onComplete: resolve, onError: reject })),
    );
    expect(producerMetric(producer, 'vltava_producer_records_sent_total')).toBe(1000);
    const reader = new Consumer({ brokers, logLevel: 'error' });
    const ends = await reader.endOffsets([0, 1].map((partition) => ({ topic, partition })));
    expect(ends.reduce((sum, e) => sum + e.offset, 0n)).toBe(1000n);
    await reader.close();
    await producer.close();
  });
});

describe('sendTo when the broker stops mid-way', () => {
  let cluster: KafkaCluster;
  beforeAll(async () => {
    cluster = await startCluster({ nodes: 1 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('errors with a typed error instead of completing', async ({ annotate }) => {
    const topic = uniqueName('rx-stop');
    const writer = new TopicWriter(cluster.bootstrap);
    await writer.createTopic(topic, 2);
    await writer.close();
    const producer = new Producer<string, string>({
      brokers: cluster.bootstrap,
      logLevel: 'silent',
      requestTimeoutMs: 2000,
      deliveryTimeoutMs: 5000,
      maxBlockMs: 3000,
    });
    let results = 0;
    let completed = false;
    let stopping: Promise<void> | undefined;
    // 50,000 records over 10 s (1000 every 200 ms), so that the broker stops with most of them still to come.
    const outcome = lastValueFrom(
      interval(200).pipe(
        take(RECORDS / 1000),
        mergeMap((chunk) => range(chunk * 1000, 1000)),
        map((i) => `value-${i}`),
        sendTo(producer, { topic }, { maxInFlight: 1000 }),
        tap({
          next: () => {
            results++;
            if (results === 10_000) stopping = cluster.stopNode(cluster.nodes[0]!.nodeId);
          },
          complete: () => {
            completed = true;
          },
        }),
      ),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    const started = Date.now();
    const error = await outcome;
    await stopping;
    await annotate(
      `${results} of ${RECORDS} acknowledged before the broker stopped; the stream errored with ` +
        `${(error as Error)?.name} (${(error as { code?: string })?.code}) ${Date.now() - started} ms after the start`,
    );
    expect(completed).toBe(false);
    expect(isKafkaError(error)).toBe(true);
    expect(results).toBeGreaterThanOrEqual(10_000);
    expect(results).toBeLessThan(RECORDS);
    await producer.close({ timeoutMs: 1000 });
  });
});
