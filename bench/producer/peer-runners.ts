/**
 * kafkajs and @platformatic/kafka driven the way their documentation recommends for throughput: arrays of
 * messages per `send` call, several calls in flight. Both come from `bench/package.json`, never from the
 * packages' dependencies.
 */
import type { BenchResult } from './bench-support.js';

/** Messages per `send` call of the peers, and calls in flight. */
const CHUNK = 1000;
const CONCURRENCY = 5;

async function drive(records: number, sendChunk: (count: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < records) {
      const count = Math.min(CHUNK, records - next);
      next += count;
      await sendChunk(count);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return performance.now() - started;
}

/** kafkajs 2.x, idempotent (acks -1) or acks 1. */
export async function runKafkajs(
  name: string,
  bootstrap: string,
  topic: string,
  records: number,
  size: number,
  idempotent: boolean,
): Promise<BenchResult> {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: bootstrap.split(','), logLevel: logLevel.ERROR });
  const producer = kafka.producer(idempotent ? { idempotent: true, maxInFlightRequests: CONCURRENCY } : {});
  await producer.connect();
  const value = Buffer.alloc(size, 0x61);
  const messages = Array.from({ length: CHUNK }, () => ({ value }));
  const acks = idempotent ? -1 : 1;
  await producer.send({ topic, acks, messages: [{ value }] });
  const ms = await drive(records, (count) =>
    producer.send({ topic, acks, messages: count === CHUNK ? messages : messages.slice(0, count) }),
  );
  await producer.disconnect();
  return { name, records, bytes: records * size, ms };
}

/** @platformatic/kafka 2.x (it needs `Promise.withResolvers`, missing before Node 22: polyfilled here). */
export async function runPlatformatic(
  name: string,
  bootstrap: string,
  topic: string,
  records: number,
  size: number,
  idempotent: boolean,
): Promise<BenchResult> {
  const promise = Promise as unknown as { withResolvers?: () => unknown };
  promise.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const p = new Promise((a, b) => {
      resolve = a;
      reject = b;
    });
    return { promise: p, resolve, reject };
  };
  const { Producer } = await import('@platformatic/kafka');
  const producer = new Producer({
    clientId: 'bench-platformatic',
    bootstrapBrokers: bootstrap.split(','),
    idempotent,
    acks: idempotent ? -1 : 1,
  });
  const value = Buffer.alloc(size, 0x61);
  const messages = Array.from({ length: CHUNK }, () => ({ topic, value }));
  await producer.send({ messages: [{ topic, value }] });
  const ms = await drive(records, (count) =>
    producer.send({ messages: count === CHUNK ? messages : messages.slice(0, count) }),
  );
  await producer.close();
  return { name, records, bytes: records * size, ms };
}
