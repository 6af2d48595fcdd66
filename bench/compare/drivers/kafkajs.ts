/**
 * kafkajs 2.2.4, as its documentation recommends for throughput: `send` with arrays of messages (it has no linger;
 * the array is its batch) at the run's array length and depth, and `eachBatch` on the consumer. LZ4 through `kafkajs-lz4` (the
 * codec its documentation points to); zstd through a codec over `zstd-napi` registered the documented way
 * (`CompressionCodecs[CompressionTypes.ZSTD]`), because the documented `@kafkajs/zstd` depends on `cppzst` 2.0.6,
 * which no longer compiles against Node 20's headers.
 */
import type * as Kafkajs from 'kafkajs';
import type { Compression } from '../job.js';
import { payloadPool } from '../payload.js';
import {
  type ClientDriver,
  DrainCounter,
  driveArrays,
  importPeer,
  keyPool,
  requirePeer,
  runLatency,
} from './driver.js';

type KafkajsModule = typeof Kafkajs;

/** What the KafkaJS API driver needs of a module exposing that API (kafkajs itself, or @vltava/kafkajs). */
export type KafkajsApi = Pick<KafkajsModule, 'Kafka' | 'logLevel' | 'CompressionTypes'>;

/** The driver. */
export async function load(peerDir: string): Promise<ClientDriver> {
  const kafkajs = await importPeer<KafkajsModule & { default: KafkajsModule }>(peerDir, 'kafkajs');
  const { Kafka, logLevel, CompressionTypes, CompressionCodecs } = kafkajs.default ?? kafkajs;
  const Lz4Codec = requirePeer<new () => { codec: unknown }>(peerDir, 'kafkajs-lz4');
  const zstd = (await import('zstd-napi')) as unknown as {
    compress(data: Buffer): Buffer;
    decompress(data: Buffer): Buffer;
  };
  const codecs = CompressionCodecs as unknown as Record<number, unknown>;
  codecs[CompressionTypes.LZ4] = new Lz4Codec().codec;
  codecs[CompressionTypes.ZSTD] = () => ({
    compress: async (encoder: { buffer: Buffer }) => zstd.compress(encoder.buffer),
    decompress: async (buffer: Buffer) => zstd.decompress(buffer),
  });
  return kafkajsApiDriver({ Kafka, logLevel, CompressionTypes }, 'bench-kafkajs', {
    consume: 'eachBatch, defaults (maxBytesPerPartition 1 MiB, maxBytes 10 MiB)',
  });
}

/**
 * The runs of the KafkaJS API, as kafkajs's documentation recommends them for throughput: `send` with arrays of
 * messages, a few sends in flight, `eachBatch` on the consumer. Shared by the kafkajs row and the @vltava/kafkajs row,
 * so both are driven by the same calls.
 */
export function kafkajsApiDriver(
  { Kafka, logLevel, CompressionTypes }: KafkajsApi,
  clientId: string,
  notes: { readonly produce?: string; readonly consume: string },
): ClientDriver {
  const compressionType = (compression: Compression) =>
    compression === 'lz4'
      ? CompressionTypes.LZ4
      : compression === 'zstd'
        ? CompressionTypes.ZSTD
        : CompressionTypes.None;
  const client = (bootstrap: string) =>
    new Kafka({ clientId, brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });

  return {
    async produce(job) {
      const { records, size, acks, compression, arrayLength, arraysInFlight, keys } = job.settings;
      const idempotent = acks === 'all';
      const producer = client(job.bootstrap).producer({
        idempotent,
        maxInFlightRequests: idempotent ? 5 : undefined,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      const pool = payloadPool(size);
      const keyed = keyPool(keys);
      const ack = idempotent ? -1 : 1;
      const codec = compressionType(compression);
      await producer.send({ topic: job.topic, acks: ack, messages: [{ value: Buffer.alloc(1) }] });
      const { ms, steady } = await driveArrays(records, arrayLength, arraysInFlight, (start, count) => {
        const messages = new Array(count);
        if (keyed === undefined)
          for (let i = 0; i < count; i++) messages[i] = { value: pool[(start + i) % pool.length] };
        else
          for (let i = 0; i < count; i++)
            messages[i] = { key: keyed[(start + i) % keyed.length], value: pool[(start + i) % pool.length] };
        return producer.send({ topic: job.topic, acks: ack, compression: codec, messages });
      });
      await producer.disconnect();
      const note = notes.produce === undefined ? {} : { note: notes.produce };
      return { records, bytes: records * size, ms, steady, produced: records + 1, ...note };
    },

    async consume(job) {
      const consumer = client(job.bootstrap).consumer({ groupId: job.groupId, allowAutoTopicCreation: false });
      const counter = new DrainCounter(job.records); // before connect(): the clock rule of every consumer
      await consumer.connect();
      await consumer.subscribe({ topics: [job.topic], fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch }) => {
          let bytes = 0;
          for (const message of batch.messages) bytes += message.value?.length ?? 0;
          counter.add(batch.messages.length, bytes);
        },
      });
      await counter.done;
      await consumer.disconnect();
      return counter.result(notes.consume);
    },

    async latency(job) {
      const kafka = client(job.bootstrap);
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5, allowAutoTopicCreation: false });
      const consumer = kafka.consumer({ groupId: job.groupId, allowAutoTopicCreation: false });
      await producer.connect();
      let failure: unknown;
      return runLatency(job, {
        async startConsumer(onValue) {
          await consumer.connect();
          await consumer.subscribe({ topics: [job.topic], fromBeginning: true });
          await consumer.run({
            eachBatch: async ({ batch }) => {
              for (const message of batch.messages) onValue(message.value as Buffer);
            },
          });
        },
        send(values) {
          producer
            .send({ topic: job.topic, acks: -1, messages: values.map((value) => ({ value })) })
            .catch((error: unknown) => {
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
