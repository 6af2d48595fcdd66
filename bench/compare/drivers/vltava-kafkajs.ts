/**
 * `@vltava/kafkajs`, the KafkaJS API on Vltava, driven exactly as the kafkajs driver drives kafkajs 2.2.4 (the
 * same calls, options and array sizes): `send` with arrays of messages, a few in flight, and `eachBatch` on the
 * consumer. The difference to the kafkajs row is what changing the import buys; the difference to the Vltava row
 * is what the KafkaJS API costs over the native one. Every codec is built in: nothing is registered.
 */
import { Kafka, type KafkaMessage, logLevel } from '../../../packages/kafkajs/src/index.js';
import type { Compression } from '../job.js';
import { payloadPool } from '../payload.js';
import { type ClientDriver, DrainCounter, driveArrays, runLatency } from './driver.js';
import { nativeLz4For } from './vltava.js';

const CODES: Record<Compression, 0 | 3 | 4> = { none: 0, lz4: 3, zstd: 4 };

/** The driver. */
export async function load(peerDir: string): Promise<ClientDriver> {
  const lz4 = await nativeLz4For(peerDir);
  const client = (bootstrap: string) =>
    new Kafka({ clientId: 'bench-vltava-kafkajs', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });

  return {
    async produce(job) {
      const { records, size, acks, compression, arrayLength, arraysInFlight } = job.settings;
      const idempotent = acks === 'all';
      const producer = client(job.bootstrap).producer({
        idempotent,
        maxInFlightRequests: idempotent ? 5 : undefined,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      const pool = payloadPool(size);
      const ack = idempotent ? -1 : 1;
      const codec = CODES[compression];
      await producer.send({ topic: job.topic, acks: ack, messages: [{ value: Buffer.alloc(1) }] });
      const ms = await driveArrays(records, arrayLength, arraysInFlight, (start, count) => {
        const messages = new Array(count);
        for (let i = 0; i < count; i++) messages[i] = { value: pool[(start + i) % pool.length] };
        return producer.send({ topic: job.topic, acks: ack, compression: codec, messages });
      });
      await producer.disconnect();
      return { records, bytes: records * size, ms, note: `${lz4}; facade defaults (lingerMs 0, batchSize 262144)` };
    },

    async consume(job) {
      const consumer = client(job.bootstrap).consumer({ groupId: job.groupId, allowAutoTopicCreation: false });
      await consumer.connect();
      const counter = new DrainCounter(job.records);
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
      return counter.result('eachBatch, defaults (maxBatchSize 5000, maxBytesPerPartition 1 MiB, maxBytes 10 MiB)');
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
              for (const message of batch.messages as KafkaMessage[]) onValue(message.value as Buffer);
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
