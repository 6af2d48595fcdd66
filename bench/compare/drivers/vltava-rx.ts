/**
 * Vltava through `@vltava/rx`, on the core clients with the same options as the core driver; the difference to it
 * is what the Rx layer costs.
 *
 * - produce: `range(...).pipe(map(to a value), sendTo(producer, { topic }))`, subscribed until it completes (every
 *   record acknowledged);
 * - consume: `fromConsumer(consumer, { topics })`, each message acknowledged by the subscriber (`message.ack()`),
 *   the consumer's automatic commits committing them, as the core driver's `batches()` loop does at-least-once.
 */
import { ignoreElements, lastValueFrom, map, range } from 'rxjs';
import { Consumer, Producer } from '../../../packages/core/src/index.js';
import { fromConsumer, sendTo } from '../../../packages/rx/src/index.js';
import { payloadPool } from '../payload.js';
import { type ClientDriver, DrainCounter, type Measured } from './driver.js';
import { nativeLz4For, vltavaProducerOptions } from './vltava.js';

/** The driver. */
export async function load(peerDir: string): Promise<ClientDriver> {
  const lz4 = await nativeLz4For(peerDir);
  return {
    async produce(job) {
      const { records, size } = job.settings;
      const pool = payloadPool(size);
      const producer = new Producer(vltavaProducerOptions(job));
      await producer.send({ topic: job.topic, value: Buffer.alloc(1) });
      const started = performance.now();
      await lastValueFrom(
        range(0, records).pipe(
          map((i) => pool[i % pool.length]!),
          sendTo(producer, { topic: job.topic }),
          ignoreElements(),
        ),
        { defaultValue: undefined },
      );
      const ms = performance.now() - started;
      await producer.close();
      return { records, bytes: records * size, ms, note: `${lz4}; sendTo maxInFlight 10000 (default)` };
    },

    async consume(job): Promise<Measured> {
      const consumer = new Consumer({
        brokers: job.bootstrap,
        groupId: job.groupId,
        autoOffsetReset: 'earliest',
        logLevel: 'error',
      });
      const counter = new DrainCounter(job.records);
      let failure: unknown;
      const subscription = fromConsumer(consumer, { topics: [job.topic], closeConsumer: true }).subscribe({
        next: (message) => {
          counter.add(1, message.record.serializedValueSize);
          message.ack();
        },
        error: (error: unknown) => {
          failure = error;
        },
      });
      await Promise.race([counter.done, failed(() => failure)]);
      subscription.unsubscribe();
      await consumer.close();
      return counter.result('fromConsumer, every message acknowledged by the subscriber');
    },
  };
}

/** Rejects once `failure()` returns an error (checked every 50 ms). */
async function failed(failure: () => unknown): Promise<never> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const error = failure();
    if (error !== undefined) throw error;
  }
}
