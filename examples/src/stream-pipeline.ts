/**
 * Node streams end to end: `stream.pipeline` from a consumer, through an async transform, into a producer, with the
 * source offsets committed only once the transformed records are acknowledged (at-least-once).
 *
 *   npx tsx examples/src/stream-pipeline.ts
 *
 * (Uses the cluster in KAFKA_BROKERS, or starts a local broker for the run.)
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Consumer, type ConsumerRecord, deserializers, jsonSerializer, Producer } from '@vltava/core';
import { createCommitStream, createReadStream, createSendStream, createWriteStream } from '@vltava/streams';
import { createTopics } from './support/create-topics.js';
import { type Log, runExample, uniqueName } from './support/run-example.js';

interface Order {
  readonly id: number;
  readonly customer: string;
  readonly amount: number;
}

interface Invoice {
  readonly order: number;
  readonly customer: string;
  readonly total: number;
}

/** What the example did. */
export interface StreamPipelineResult {
  readonly orders: string;
  readonly invoices: string;
  readonly groupId: string;
  readonly count: number;
}

/** A stand-in for an asynchronous lookup (a database, a service): the customer's VAT rate. */
async function vatRate(customer: string): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  return customer.endsWith('7') ? 0.1 : 0.21;
}

export async function main(brokers: string, log: Log, count = 5000): Promise<StreamPipelineResult> {
  const orders = uniqueName('orders');
  const invoices = uniqueName('invoices');
  const groupId = uniqueName('invoicing');
  await createTopics(brokers, [orders, invoices], 3);

  // Some orders to work on, written with a write stream: its callbacks (and `pipeline`) complete once the broker
  // acknowledged the records.
  const producer = new Producer<string, Order | Invoice>({ brokers, valueSerializer: jsonSerializer() });
  const generated = Array.from({ length: count }, (_, id) => ({ id, customer: `c${id % 10}`, amount: 10 + (id % 90) }));
  await pipeline(
    Readable.from(generated),
    createWriteStream(producer, (order: Order) => ({ topic: orders, key: order.customer, value: order })),
  );
  log(`wrote ${count} orders to ${orders}`);

  // The pipeline: read orders, price them (asynchronously), send invoices, commit the orders once their invoice
  // is acknowledged. `stopAfterRecords` ends it cleanly after `count` records: what is in flight drains and is committed.
  const consumer = new Consumer({
    brokers,
    groupId,
    autoOffsetReset: 'earliest',
    valueDeserializer: deserializers.json<Order>(),
  });
  consumer.subscribe([orders]);
  let sent = 0;
  await pipeline(
    createReadStream(consumer, { stopAfterRecords: count }),
    // An async transform. It keeps each record's topic, partition and offset (`...record`): the committer needs them.
    async function* (records: AsyncIterable<ConsumerRecord<Buffer | null, Order | null>>) {
      for await (const record of records) {
        const order = record.value!;
        const total = Math.round(order.amount * (1 + (await vatRate(order.customer))) * 100) / 100;
        yield { ...record, invoice: { order: order.id, customer: order.customer, total } satisfies Invoice };
      }
    },
    createSendStream(producer, (r: { invoice: Invoice }) => ({
      topic: invoices,
      key: r.invoice.customer,
      value: r.invoice,
    })),
    // Emits { ok, source, metadata } per acknowledged invoice; the committer commits each source order's offset.
    async function* (results) {
      for await (const result of results) {
        if (++sent % 1000 === 0) log(`${sent} invoices written`);
        yield result;
      }
    },
    createCommitStream(consumer),
  );
  await producer.close();
  log(`done: ${count} orders invoiced, their offsets committed in group ${groupId}; the consumer left its group`);
  return { orders, invoices, groupId, count };
}

await runExample(import.meta.url, main);
