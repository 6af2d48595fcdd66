/**
 * Vltava through `@vltava/streams`, against the core driver on the same Node and settings (what the stream layer
 * costs):
 * - produce: `pipeline(Readable of values or keyed records, createWriteStream(producer, toRecord))` with the write
 *   stream's default high-water mark; the producer is the core one with the core driver's options.
 * - consume: `for await` over `createReadStream(consumer)` with its defaults (the loop the core driver runs over
 *   `batches()`, record by record); leaving the loop closes the consumer.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Consumer, Producer } from '../../../packages/core/src/index.js';
import { createReadStream, createWriteStream } from '../../../packages/streams/src/index.js';
import { payloadPool } from '../payload.js';
import { type ClientDriver, DrainCounter, drained, keyPool } from './driver.js';
import { nativeLz4For, vltavaProducerOptions } from './vltava.js';

/** The driver. */
export async function load(peerDir: string): Promise<ClientDriver> {
  const lz4 = await nativeLz4For(peerDir);
  return {
    async produce(job) {
      const { records, size, keys } = job.settings;
      const pool = payloadPool(size);
      const keyed = keyPool(keys);
      const producer = new Producer(vltavaProducerOptions(job));
      await producer.send({ topic: job.topic, value: Buffer.alloc(1) });
      let i = 0;
      const source = new Readable({
        objectMode: true,
        highWaterMark: 4096,
        read() {
          while (i < records) {
            const n = i++;
            if (!this.push(n)) return;
          }
          this.push(null);
        },
      });
      const topic = job.topic;
      const started = performance.now();
      await pipeline(
        source,
        createWriteStream(producer, (n: number) =>
          keyed === undefined
            ? { topic, value: pool[n % pool.length]! }
            : { topic, key: keyed[n % keyed.length]!, value: pool[n % pool.length]! },
        ),
      );
      const ms = performance.now() - started;
      await producer.close();
      const note = `${lz4}; createWriteStream with its defaults`;
      return { records, bytes: records * size, ms, produced: records + 1, note };
    },

    async consume(job) {
      const consumer = new Consumer({
        brokers: job.bootstrap,
        groupId: job.groupId,
        autoOffsetReset: 'earliest',
        logLevel: 'error',
      });
      const counter = new DrainCounter(job.records);
      consumer.subscribe([job.topic]);
      await drained(counter, async () => {
        for await (const record of createReadStream(consumer)) {
          counter.add(1, (record as { serializedValueSize: number }).serializedValueSize);
          if (counter.count >= job.records) break;
        }
      });
      await consumer.close();
      return counter.result('for await over createReadStream, its defaults');
    },
  };
}
