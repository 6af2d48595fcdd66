/**
 * @platformatic/kafka, as its documentation shows for throughput: `send` with arrays of messages (its batch; it has
 * no linger) at the run's array length and depth; the consumer's `consume()` stream in `earliest` mode read through
 * `data` events, with its defaults otherwise (2.x: isolation `read_committed`, `maxBytes` 50 MiB, `highWaterMark`
 * 1024; 1.x: `maxBytes` 10 MiB). The clock of the consumer starts before `consume()`, its first network call (the
 * constructor connects nothing). `variant` names the installed package: `@platformatic/kafka` (2.x, Node 22.22 and
 * 24.6 on) or `@platformatic/kafka-1` (1.35, the newest that supports Node 20).
 */
import type * as Platformatic from '@platformatic/kafka';
import { payloadPool } from '../payload.js';
import { type ClientDriver, DrainCounter, driveArrays, importPeer, keyPool, runLatency } from './driver.js';

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
      const { records, size, acks, compression, arrayLength, arraysInFlight, keys } = job.settings;
      const producer = producerOf(job.bootstrap, acks === 'all', compression === 'none' ? undefined : compression);
      const pool = payloadPool(size);
      const keyed = keyPool(keys);
      const topic = job.topic;
      await producer.send({ messages: [{ topic, value: Buffer.alloc(1) }] });
      // 1.x fails idempotent sends with OUT_OF_ORDER_SEQUENCE_NUMBER when several are in flight (seen here with 5
      // on Kafka 4.4): it gets one send at a time then, the most it handles.
      const oneAtATime = variant === '@platformatic/kafka-1' && acks === 'all';
      const inFlight = oneAtATime ? 1 : arraysInFlight;
      const { ms, steady } = await driveArrays(records, arrayLength, inFlight, (start, count) => {
        const messages = new Array(count);
        if (keyed === undefined)
          for (let i = 0; i < count; i++) messages[i] = { topic, value: pool[(start + i) % pool.length] };
        else
          for (let i = 0; i < count; i++)
            messages[i] = { topic, key: keyed[(start + i) % keyed.length], value: pool[(start + i) % pool.length] };
        return producer.send({ messages });
      });
      await producer.close();
      const note = `${inFlight} send(s) of ${arrayLength} in flight`;
      return { records, bytes: records * size, ms, steady, produced: records + 1, note };
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
