/**
 * @confluentinc/kafka-javascript (librdkafka), both of its APIs, configured as its INTRODUCTION.md recommends for
 * throughput:
 * - `kafkajs`: the KafkaJS-style API; `send` with arrays of messages at the run's array length and depth (its
 *   documentation's own advice, "use sends without awaiting them, then await all of them together", is the
 *   client's own setting of 50 arrays in flight); `linger.ms` and `batch.size` as for every client that has them;
 *   `eachBatch` on the consumer with `js.consumer.max.batch.size` -1 (batches as large as what was fetched, instead
 *   of 32).
 * - `native`: the node-rdkafka-style API; `produce()` per record with delivery reports polled in the background
 *   (`setPollInBackground`, "more efficient for high-throughput producers"), waiting on a full queue
 *   (ERR__QUEUE_FULL); on the consumer the mode {@link NATIVE_CONSUME_MODE} (the fastest measured, see
 *   bench/README.md), flowing mode for latency.
 *
 * The variant may name a consumer mode after a colon (`native:flowing`, `native:consume-10000`,
 * `kafkajs:each-batch-6`), which `compare/confluent-modes.ts` uses to measure them against each other.
 */
import { once } from 'node:events';
import type { Compression } from '../job.js';
import { payloadPool } from '../payload.js';
import {
  type ClientDriver,
  DrainCounter,
  driveArrays,
  keyPool,
  requirePeer,
  runLatency,
  SteadyClock,
  waitUntil,
} from './driver.js';

const QUEUE_FULL = -184;

/** Ways to drive the native consumer (node-rdkafka's API), as its INTRODUCTION.md documents them. */
export const NATIVE_CONSUME_MODES = ['flowing', 'consume-1000', 'consume-10000'] as const;
/** Ways to drive the KafkaJS-style consumer: `eachBatch`, one partition at a time or 6 concurrently. */
export const KAFKAJS_CONSUME_MODES = ['each-batch', 'each-batch-6'] as const;
/** The native consumer's mode in the comparison: the fastest of {@link NATIVE_CONSUME_MODES} measured here. */
export const NATIVE_CONSUME_MODE: (typeof NATIVE_CONSUME_MODES)[number] = 'consume-1000';
/** The KafkaJS-style consumer's mode in the comparison: the fastest of {@link KAFKAJS_CONSUME_MODES}. */
export const KAFKAJS_CONSUME_MODE: (typeof KAFKAJS_CONSUME_MODES)[number] = 'each-batch';

// biome-ignore lint/suspicious/noExplicitAny: the peer ships loose types; this driver only calls documented methods.
type Loose = any;

/** The driver; `variant` is `kafkajs` or `native`, optionally with a consumer mode (`native:flowing`). */
export async function load(peerDir: string, variant = 'kafkajs'): Promise<ClientDriver> {
  const rdkafka = requirePeer<Loose>(peerDir, '@confluentinc/kafka-javascript');
  const note = `librdkafka ${rdkafka.librdkafkaVersion}`;
  const driver = driverOf(rdkafka, note, variant);
  const features = rdkafka.features as readonly string[];
  const check = (compression: Compression) => {
    if (compression !== 'none' && !features.includes(compression)) {
      throw new Error(
        `this install's librdkafka was built without ${compression} (features: ${features.join(', ')}); install the ` +
          'development package of the codec (Debian: libzstd-dev, liblz4-dev) and delete bench/.node*/ to rebuild',
      );
    }
  };
  return {
    ...driver,
    ...(driver.produce && {
      produce: (job) => {
        check(job.settings.compression);
        return driver.produce!(job);
      },
    }),
    ...(driver.consume && {
      consume: (job) => {
        check(job.compression);
        return driver.consume!(job);
      },
    }),
  };
}

/** The driver of an API and consumer mode. */
function driverOf(rdkafka: Loose, note: string, variant: string): ClientDriver {
  const [api, mode] = variant.split(':');
  if (api === 'native') {
    const chosen = mode ?? NATIVE_CONSUME_MODE;
    if (!(NATIVE_CONSUME_MODES as readonly string[]).includes(chosen)) throw new Error(`unknown mode ${chosen}`);
    return nativeDriver(rdkafka, note, chosen as (typeof NATIVE_CONSUME_MODES)[number]);
  }
  const chosen = mode ?? KAFKAJS_CONSUME_MODE;
  if (!(KAFKAJS_CONSUME_MODES as readonly string[]).includes(chosen)) throw new Error(`unknown mode ${chosen}`);
  return kafkajsDriver(rdkafka, note, chosen as (typeof KAFKAJS_CONSUME_MODES)[number]);
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

function kafkajsDriver(
  rdkafka: Loose,
  note: string,
  consumeMode: (typeof KAFKAJS_CONSUME_MODES)[number],
): ClientDriver {
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
      const { records, size, acks, compression, lingerMs, batchSize, arrayLength, arraysInFlight, keys } = job.settings;
      const producer = kafka(job.bootstrap).producer({
        kafkaJS: { acks: acks === 'all' ? -1 : 1, idempotent: acks === 'all', ...compressionOption(compression) },
        'linger.ms': lingerMs,
        'batch.size': batchSize,
      });
      await producer.connect();
      const pool = payloadPool(size);
      const keyed = keyPool(keys);
      await producer.send({ topic: job.topic, messages: [{ value: Buffer.alloc(1) }] });
      const { ms, steady } = await driveArrays(records, arrayLength, arraysInFlight, (start, count) => {
        const messages = new Array(count);
        if (keyed === undefined)
          for (let i = 0; i < count; i++) messages[i] = { value: pool[(start + i) % pool.length] };
        else
          for (let i = 0; i < count; i++)
            messages[i] = { key: keyed[(start + i) % keyed.length], value: pool[(start + i) % pool.length] };
        return producer.send({ topic: job.topic, messages });
      });
      await producer.disconnect();
      return { records, bytes: records * size, ms, steady, produced: records + 1, note };
    },

    async consume(job) {
      const consumer = kafka(job.bootstrap).consumer({
        kafkaJS: { groupId: job.groupId, fromBeginning: true },
        'js.consumer.max.batch.size': -1,
      });
      const counter = new DrainCounter(job.records); // before connect(): the clock rule of every consumer
      await consumer.connect();
      await consumer.subscribe({ topics: [job.topic] });
      const concurrently = consumeMode === 'each-batch-6' ? 6 : 1;
      await consumer.run({
        partitionsConsumedConcurrently: concurrently,
        eachBatch: async ({ batch }: Loose) => {
          let bytes = 0;
          for (const message of batch.messages) bytes += message.value?.length ?? 0;
          counter.add(batch.messages.length, bytes);
        },
      });
      await counter.done;
      await consumer.disconnect();
      return counter.result(
        `${note}; eachBatch, js.consumer.max.batch.size -1, partitionsConsumedConcurrently ${concurrently}`,
      );
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
  let onDelivered: (() => void) | undefined;
  producer.on('delivery-report', (error: unknown) => {
    if (error) failure ??= error;
    delivered++;
    onDelivered?.();
  });
  producer.connect();
  await once(producer, 'ready');
  producer.setPollInBackground(true);
  return {
    producer,
    delivered: () => delivered,
    failure: () => failure,
    /** Calls `listener` on every delivery report from now on. */
    onDelivered(listener: () => void) {
      onDelivered = listener;
    },
    /** Produces one value, waiting while librdkafka's queue is full. */
    async produce(topic: string, value: Buffer, key: Buffer | null = null) {
      for (;;) {
        try {
          producer.produce(topic, null, value, key, null);
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

/** Messages per `consume(number)` call of a non-flowing mode. */
const size = (mode: (typeof NATIVE_CONSUME_MODES)[number]) => (mode === 'consume-1000' ? 1000 : 10_000);

function nativeDriver(rdkafka: Loose, note: string, consumeMode: (typeof NATIVE_CONSUME_MODES)[number]): ClientDriver {
  return {
    async produce(job) {
      const { records, size, acks, compression, lingerMs, batchSize, keys } = job.settings;
      const client = await nativeProducer(
        rdkafka,
        producerConfig(job.bootstrap, acks, compression, lingerMs, batchSize),
      );
      const pool = payloadPool(size);
      const keyed = keyPool(keys);
      await client.produce(job.topic, Buffer.alloc(1));
      await waitUntil(() => client.delivered() === 1, 'the first delivery report');
      const clock = new SteadyClock(records);
      client.onDelivered(() => clock.acknowledge(1));
      for (let i = 0; i < records; i++) {
        const value = pool[i % pool.length]!;
        const key = keyed === undefined ? null : keyed[i % keyed.length]!;
        try {
          client.producer.produce(job.topic, null, value, key, null);
        } catch {
          await client.produce(job.topic, value, key);
        }
      }
      await waitUntil(() => client.delivered() === records + 1, 'every delivery report', 600_000, 1);
      const { ms, steady } = clock.stop();
      await client.disconnect();
      if (client.failure() !== undefined) throw client.failure();
      return { records, bytes: records * size, ms, steady, produced: records + 1, note };
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
      const counter = new DrainCounter(job.records); // before connect(): the clock rule of every consumer
      consumer.connect();
      await once(consumer, 'ready');
      consumer.subscribe([job.topic]);
      let failure: unknown;
      if (consumeMode === 'flowing') {
        consumer.on('data', (message: { value: Buffer | null }) => counter.add(1, message.value?.length ?? 0));
        consumer.consume((error: unknown) => {
          if (error) failure ??= error;
        });
      } else {
        const next = () =>
          consumer.consume(size(consumeMode), (error: unknown, messages: Array<{ value: Buffer | null }>) => {
            if (error) failure ??= error;
            let bytes = 0;
            for (const message of messages ?? []) bytes += message.value?.length ?? 0;
            counter.add(messages?.length ?? 0, bytes);
            if (counter.count < job.records && failure === undefined) next();
          });
        next();
      }
      await Promise.race([counter.done, waitUntil(() => failure !== undefined, 'a failure', 180_000)]);
      if (failure !== undefined) throw failure;
      await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
      const how =
        consumeMode === 'flowing' ? 'flowing mode (consume(), data events)' : `consume(${size(consumeMode)}) loop`;
      return counter.result(`${note}; ${how}`);
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
