/**
 * IxJS operators over the consumer: the consumer is an async iterable, so `filter`, `map` and `bufferCountOrTime`
 * compose over it; the loop acknowledges what it finished (manual mode), and only that is committed.
 *
 *   npx tsx examples/src/ix-operators.ts
 *
 * (Uses the cluster in KAFKA_BROKERS, or starts a local broker for the run.)
 */
import { Consumer, type ConsumerRecord, deserializers, jsonSerializer, Producer } from '@vltava/core';
import { from } from 'ix/asynciterable';
import { bufferCountOrTime, filter, map } from 'ix/asynciterable/operators';
import { createTopics } from './support/create-topics.js';
import { type Log, runExample, uniqueName } from './support/run-example.js';

interface PageView {
  readonly page: string;
  readonly ms: number;
}

/** What the example did. */
export interface IxOperatorsResult {
  readonly topic: string;
  readonly groupId: string;
  /** Views per page (health checks filtered out). */
  readonly views: Record<string, number>;
  /** Slowest view per page, in ms. */
  readonly slowest: Record<string, number>;
  /** Per partition, the offset after the last record acknowledged. */
  readonly acknowledged: Record<number, string>;
}

const PAGES = ['/', '/cart', '/checkout', '/health'];

export async function main(brokers: string, log: Log, count = 2000): Promise<IxOperatorsResult> {
  const topic = uniqueName('page-views');
  const groupId = uniqueName('page-stats');
  await createTopics(brokers, [topic], 2);

  const producer = new Producer<string, PageView>({ brokers, valueSerializer: jsonSerializer() });
  const sent = await producer.sendBatch(
    Array.from({ length: count }, (_, i) => ({
      topic,
      key: `session-${i % 40}`,
      value: { page: PAGES[i % PAGES.length]!, ms: (i * 37) % 900 },
    })),
  );
  if (sent.firstError !== undefined) throw sent.firstError;
  await producer.close();
  let expected = 0; // views that are not health checks
  for (let i = 0; i < count; i++) if (PAGES[i % PAGES.length] !== '/health') expected++;
  log(`wrote ${count} page views to ${topic}`);

  const consumer = new Consumer({
    brokers,
    groupId,
    autoOffsetReset: 'earliest',
    keyDeserializer: deserializers.string,
    valueDeserializer: deserializers.json<PageView>(),
  });
  consumer.subscribe([topic]);
  const stop = new AbortController();
  const views: Record<string, number> = {};
  const slowest: Record<string, number> = {};
  const acknowledged: Record<number, string> = {};
  let seen = 0;

  // `manual` mode: a record counts as processed once acknowledged, whatever the operators pulled ahead.
  const windows = from(consumer.records({ signal: stop.signal, mode: 'manual' })).pipe(
    filter((record: ConsumerRecord<string | null, PageView | null>) => record.value?.page !== '/health'),
    map((record) => ({ record, page: record.value!.page, ms: record.value!.ms })),
    bufferCountOrTime(200, 250), // windows of up to 200 views, or whatever came within 250 ms
  );
  try {
    for await (const window of windows) {
      for (const view of window) {
        views[view.page] = (views[view.page] ?? 0) + 1;
        slowest[view.page] = Math.max(slowest[view.page] ?? 0, view.ms);
        // Acknowledging a record acknowledges the earlier ones of its partition (the filtered health checks too).
        consumer.acknowledge(view.record);
        acknowledged[view.record.partition] = String(view.record.offset + 1n);
      }
      seen += window.length;
      log(`window of ${window.length} views: ${JSON.stringify(views)}`);
      if (seen >= expected) stop.abort(); // ends the loop; the acknowledged records are committed
    }
  } finally {
    // `bufferCountOrTime` does not pass `return()` on to its source: the signal ends the consumer's iterator.
    stop.abort();
  }
  await consumer.close();
  return { topic, groupId, views, slowest, acknowledged };
}

await runExample(import.meta.url, main);
