/**
 * Vltava through `@vltava/rx`, against the core driver on the same Node and settings (what the Rx layer costs):
 * - produce: `range(...).pipe(map(to a value or a keyed record), sendTo(producer, ...))`, subscribed until it
 *   completes (every record acknowledged); the producer is the core one with the core driver's options.
 * - consume: `fromConsumer(consumer, { topics })`, each message acknowledged as it arrives (`ack()`), offsets
 *   committed by the consumer's automatic commits, as the core driver's `batches()` loop commits.
 */
import { ignoreElements, lastValueFrom, map, range, tap } from 'rxjs';
import { Consumer, Producer } from '../../../packages/core/src/index.js';
import { fromConsumer, sendTo } from '../../../packages/rx/src/index.js';
import { payloadPool } from '../payload.js';
import { type ClientDriver, DrainCounter, keyPool, SteadyClock } from './driver.js';
import { nativeLz4For, vltavaProducerOptions } from './vltava.js';

/** The driver. */
export async function load(peerDir: string): Promise<ClientDriver> {
  const lz4 = await nativeLz4For(peerDir);
  return {
    async produce(job) {
      const { records, size, keys } = job.settings;
      const pool = payloadPool(size);
      const keyed = keyPool(keys);
      const topic = job.topic;
      const producer = new Producer(vltavaProducerOptions(job));
      await producer.send({ topic, value: Buffer.alloc(1) });
      const clock = new SteadyClock(records);
      const counted = tap(() => clock.acknowledge(1));
      const sent =
        keyed === undefined
          ? range(0, records).pipe(
              map((i) => pool[i % pool.length]!),
              sendTo(producer, { topic }),
              counted,
            )
          : range(0, records).pipe(
              sendTo(producer, (i: number) => ({
                topic,
                key: keyed[i % keyed.length]!,
                value: pool[i % pool.length]!,
              })),
              counted,
            );
      await lastValueFrom(sent.pipe(ignoreElements()), { defaultValue: undefined });
      const { ms, steady } = clock.stop();
      await producer.close();
      const note = `${lz4}; sendTo with its defaults`;
      return { records, bytes: records * size, ms, steady, produced: records + 1, note };
    },

    async consume(job) {
      const consumer = new Consumer({
        brokers: job.bootstrap,
        groupId: job.groupId,
        autoOffsetReset: 'earliest',
        logLevel: 'error',
      });
      const counter = new DrainCounter(job.records);
      let failure: unknown;
      const subscription = fromConsumer(consumer, { topics: [job.topic] }).subscribe({
        next(message) {
          counter.add(1, message.record.serializedValueSize);
          message.ack();
        },
        error(error: unknown) {
          failure = error;
        },
      });
      await Promise.race([counter.done, new Promise<void>((resolve) => subscription.add(() => resolve()))]);
      subscription.unsubscribe();
      await consumer.close();
      if (counter.count < job.records) throw failure ?? new Error('fromConsumer completed before the last record');
      return counter.result('fromConsumer, ack() per message, automatic commits, its defaults');
    },
  };
}
