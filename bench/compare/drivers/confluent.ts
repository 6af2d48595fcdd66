/**
 * @confluentinc/kafka-javascript (librdkafka), both of its APIs, configured as its INTRODUCTION.md recommends for
 * throughput:
 * - `kafkajs`: the KafkaJS-style API; `send` with arrays of messages, not awaited one by one ("use sends without
 *   awaiting them, then await all of them together"): up to 50 arrays in flight; `linger.ms` and `batch.size` as
 *   for every client that has them; `eachBatch` on the consumer with `js.consumer.max.batch.size` -1 (batches as
 *   large as what was fetched, instead of 32).
 * - `native`: the node-rdkafka-style API; `produce()` per record with delivery reports polled in the background
 *   (`setPollInBackground`, "more efficient for high-throughput producers"), waiting on a full queue
 *   (ERR__QUEUE_FULL); `consume(1000)` in a loop on the consumer (non-flowing mode), flowing mode for latency.
 */
import { once } from 'node:events';
import type { Compression } from '../job.js';
import { payloadPool } from '../payload.js';
import { type ClientDriver, DrainCounter, driveArrays, requirePeer, runLatency, waitUntil } from './driver.js';

/** Arrays in flight of the KafkaJS-style API (its documentation: send without awaiting each). */
const KAFKAJS_ARRAYS_IN_FLIGHT = 50;
const QUEUE_FULL = -184;

// biome-ignore lint/suspicious/noExplicitAny: the peer ships loose types; this driver only calls documented methods.
type Loose = any;

/** The driver; `variant` is `kafkajs` or `native`. */
export async function load(peerDir: string, variant = 'kafkajs'): Promise<ClientDriver> {
  const rdkafka = requirePeer<Loose>(peerDir, '@confluentinc/kafka-javascript');
  const note = `librdkafka ${rdkafka.librdkafkaVersion}`;
  return variant === 'native' ? nativeDriver(rdkafka, note) : kafkajsDriver(rdkafka, note);
}

function producerConfig(
  bootstrap: string,
  acks: 1 | 'all',
  compression: Compression,
  lingerMs: number,
  batchSize: number,
): Record<string, unknown> {
  return {
    'bootstrap.servers': bootstrap,
    acks: acks === 'all' ? -1 : 1,
    'enable.idempotence': acks === 'all',
    'compression.type': compression,
    'linger.ms': lingerMs,
    'batch.size': batchSize,
    'allow.auto.create.topics': false,
  };
}

function kafkajsDriver(rdkafka: Loose, note: string): ClientDriver {
  const { Kafka, logLevel, CompressionTypes } = rdkafka.KafkaJS;
  const kafka = (bootstrap: string) =>
    new Kafka({ kafkaJS: { brokers: bootstrap.split(','), logLevel: logLevel.NOTHING } });
  // Its CompressionTypes has no member for "none": leave the option out then.
  const compressionOption = (compression: Compression) =>
    compression === 'lz4'
      ? { compression: CompressionTypes.LZ4 }
      : compression === 'zstd'
        ? { compression: CompressionTypes.ZSTD }
        : {};
  return {
    async produce(job) {
      const { records, size, acks, compression, lingerMs, batchSize, arrayLength } = job.settings;
      const producer = kafka(job.bootstrap).producer({
        kafkaJS: { acks: acks === 'all' ? -1 : 1, idempotent: acks === 'all', ...compressionOption(compression) },
        'linger.ms': lingerMs,
        'batch.size': batchSize,
      });
      await producer.connect();
      const pool = payloadPool(size);
      await producer.send({ topic: job.topic, messages: [{ value: Buffer.alloc(1) }] });
      const ms = await driveArrays(records, arrayLength, KAFKAJS_ARRAYS_IN_FLIGHT, (start, count) => {
        const messages = new Array(count);
        for (let i = 0; i < count; i++) messages[i] = { value: pool[(start + i) % pool.length] };
        return producer.send({ topic: job.topic, messages });
      });
      await producer.disconnect();
      return { records, bytes: records * size, ms, note };
    },

    async consume(job) {
      const consumer = kafka(job.bootstrap).consumer({
        kafkaJS: { groupId: job.groupId, fromBeginning: true },
        'js.consumer.max.batch.size': -1,
      });
      await consumer.connect();
      const counter = new DrainCounter(job.records);
      await consumer.subscribe({ topics: [job.topic] });
      await consumer.run({
        eachBatch: async ({ batch }: Loose) => {
          let bytes = 0;
          for (const message of batch.messages) bytes += message.value?.length ?? 0;
          counter.add(batch.messages.length, bytes);
        },
      });
      await counter.done;
      await consumer.disconnect();
      return counter.result(`${note}; eachBatch, js.consumer.max.batch.size -1`);
    },

    async latency(job) {
      const client = kafka(job.bootstrap);
      const producer = client.producer({
        kafkaJS: { acks: -1, idempotent: true },
        'linger.ms': job.lingerMs,
        'batch.size': job.batchSize,
      });
      const consumer = client.consumer({ kafkaJS: { groupId: job.groupId, fromBeginning: true } });
      await producer.connect();
      let failure: unknown;
      return runLatency(job, {
        async startConsumer(onValue) {
          await consumer.connect();
          await consumer.subscribe({ topics: [job.topic] });
          await consumer.run({ eachMessage: async ({ message }: Loose) => onValue(message.value) });
        },
        send(values) {
          producer.send({ topic: job.topic, messages: values.map((value) => ({ value })) }).catch((error: unknown) => {
            failure ??= error;
          });
        },
        async close() {
          await producer.disconnect();
          await consumer.disconnect();
        },
        failure: () => failure,
      });
    },
  };
}

/** A connected native producer that counts delivery reports. */
async function nativeProducer(rdkafka: Loose, config: Record<string, unknown>) {
  const producer = new rdkafka.Producer({ ...config, dr_cb: true });
  let delivered = 0;
  let failure: unknown;
  producer.on('delivery-report', (error: unknown) => {
    if (error) failure ??= error;
    delivered++;
  });
  producer.connect();
  await once(producer, 'ready');
  producer.setPollInBackground(true);
  return {
    producer,
    delivered: () => delivered,
    failure: () => failure,
    /** Produces one value, waiting while librdkafka's queue is full. */
    async produce(topic: string, value: Buffer) {
      for (;;) {
        try {
          producer.produce(topic, null, value, null, null);
          return;
        } catch (error) {
          if ((error as { code?: number }).code !== QUEUE_FULL) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
    },
    disconnect: () => new Promise<void>((resolve) => producer.disconnect(() => resolve())),
  };
}

function nativeDriver(rdkafka: Loose, note: string): ClientDriver {
  return {
    async produce(job) {
      const { records, size, acks, compression, lingerMs, batchSize } = job.settings;
      const client = await nativeProducer(
        rdkafka,
        producerConfig(job.bootstrap, acks, compression, lingerMs, batchSize),
      );
      const pool = payloadPool(size);
      await client.produce(job.topic, Buffer.alloc(1));
      await waitUntil(() => client.delivered() === 1, 'the first delivery report');
      const started = performance.now();
      for (let i = 0; i < records; i++) {
        const value = pool[i % pool.length]!;
        try {
          client.producer.produce(job.topic, null, value, null, null);
        } catch {
          await client.produce(job.topic, value);
        }
      }
      await waitUntil(() => client.delivered() === records + 1, 'every delivery report', 600_000, 1);
      const ms = performance.now() - started;
      await client.disconnect();
      if (client.failure() !== undefined) throw client.failure();
      return { records, bytes: records * size, ms, note };
    },

    async consume(job) {
      const consumer = new rdkafka.KafkaConsumer(
        {
          'bootstrap.servers': job.bootstrap,
          'group.id': job.groupId,
          'auto.offset.reset': 'earliest',
          'allow.auto.create.topics': false,
        },
        // A topic configuration replaces the global one's topic properties: name the reset policy here too.
        { 'auto.offset.reset': 'earliest' },
      );
      consumer.connect();
      await once(consumer, 'ready');
      const counter = new DrainCounter(job.records);
      consumer.subscribe([job.topic]);
      let failure: unknown;
      const next = () =>
        consumer.consume(1000, (error: unknown, messages: Array<{ value: Buffer | null }>) => {
          if (error) failure ??= error;
          let bytes = 0;
          for (const message of messages ?? []) bytes += message.value?.length ?? 0;
          counter.add(messages?.length ?? 0, bytes);
          if (counter.count < job.records && failure === undefined) next();
        });
      next();
      await Promise.race([counter.done, waitUntil(() => failure !== undefined, 'a failure', 180_000)]);
      if (failure !== undefined) throw failure;
      await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
      return counter.result(`${note}; consume(1000) loop`);
    },

    async latency(job) {
      const client = await nativeProducer(
        rdkafka,
        producerConfig(job.bootstrap, 'all', 'none', job.lingerMs, job.batchSize),
      );
      const consumer = new rdkafka.KafkaConsumer(
        { 'bootstrap.servers': job.bootstrap, 'group.id': job.groupId, 'auto.offset.reset': 'earliest' },
        { 'auto.offset.reset': 'earliest' },
      );
      return runLatency(job, {
        async startConsumer(onValue) {
          consumer.connect();
          await once(consumer, 'ready');
          consumer.on('data', (message: { value: Buffer }) => onValue(message.value));
          consumer.subscribe([job.topic]);
          consumer.consume();
        },
        send(values) {
          for (const value of values) void client.produce(job.topic, value);
        },
        async close() {
          await client.disconnect();
          await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
        },
        failure: () => client.failure(),
      });
    },
  };
}
