/**
 * @platformatic/kafka, as its documentation shows for throughput: `send` with arrays of messages (its batch; it has
 * no linger), a few sends in flight; the consumer's `consume()` stream in `earliest` mode read through `data`
 * events. Its defaults otherwise (isolation `read_committed`, `maxBytes` 50 MiB, `highWaterMark` 1024). `variant`
 * names the installed package: `@platformatic/kafka` (2.x, Node 22.22 and later) or `@platformatic/kafka-1` (1.35,
 * the newest that supports Node 20).
 */
import type * as Platformatic from '@platformatic/kafka';
import { payloadPool } from '../payload.js';
import { type ClientDriver, DrainCounter, driveArrays, importPeer, runLatency } from './driver.js';

/** The driver. */
export async function load(peerDir: string, variant = '@platformatic/kafka'): Promise<ClientDriver> {
  const { Producer, Consumer } = await importPeer<typeof Platformatic>(peerDir, variant);
  const producerOf = (bootstrap: string, idempotent: boolean, compression?: 'lz4' | 'zstd') =>
    new Producer({
      clientId: 'bench-platformatic',
      bootstrapBrokers: bootstrap.split(','),
      idempotent,
      acks: idempotent ? -1 : 1,
      autocreateTopics: false,
      ...(compression ? { compression } : {}),
    });
  const consumerOf = (bootstrap: string, groupId: string) =>
    new Consumer({ clientId: 'bench-platformatic', groupId, bootstrapBrokers: bootstrap.split(',') });

  return {
    async produce(job) {
      const { records, size, acks, compression, arrayLength, arraysInFlight } = job.settings;
      const producer = producerOf(job.bootstrap, acks === 'all', compression === 'none' ? undefined : compression);
      const pool = payloadPool(size);
      const topic = job.topic;
      await producer.send({ messages: [{ topic, value: Buffer.alloc(1) }] });
      // 1.x fails idempotent sends with OUT_OF_ORDER_SEQUENCE_NUMBER when several are in flight (seen here with 5
      // on Kafka 4.4): it gets one send at a time then, the most it handles.
      const oneAtATime = variant === '@platformatic/kafka-1' && acks === 'all';
      const inFlight = oneAtATime ? 1 : arraysInFlight;
      const ms = await driveArrays(records, arrayLength, inFlight, (start, count) => {
        const messages = new Array(count);
        for (let i = 0; i < count; i++) messages[i] = { topic, value: pool[(start + i) % pool.length] };
        return producer.send({ messages });
      });
      await producer.close();
      return { records, bytes: records * size, ms, note: `${inFlight} send(s) of ${arrayLength} in flight` };
    },

    async consume(job) {
      const consumer = consumerOf(job.bootstrap, job.groupId);
      const counter = new DrainCounter(job.records);
      const stream = await consumer.consume({ topics: [job.topic], mode: 'earliest' });
      stream.on('data', (message: { value?: Buffer }) => counter.add(1, message.value?.length ?? 0));
      await counter.done;
      await stream.close();
      await consumer.close(true);
      return counter.result('consume() stream in earliest mode, data events, defaults');
    },

    async latency(job) {
      const producer = producerOf(job.bootstrap, true);
      const consumer = consumerOf(job.bootstrap, job.groupId);
      let stream: Awaited<ReturnType<typeof consumer.consume>> | undefined;
      let failure: unknown;
      const topic = job.topic;
      return runLatency(job, {
        async startConsumer(onValue) {
          stream = await consumer.consume({ topics: [topic], mode: 'earliest' });
          stream.on('data', (message: { value: Buffer }) => onValue(message.value));
        },
        send(values) {
          producer.send({ messages: values.map((value) => ({ topic, value })) }).catch((error: unknown) => {
            failure ??= error;
          });
        },
        async close() {
          await producer.close();
          await stream?.close();
          await consumer.close(true);
        },
        failure: () => failure,
      });
    },
  };
}
