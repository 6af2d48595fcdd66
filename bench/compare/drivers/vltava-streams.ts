/**
 * Vltava through `@vltava/streams`: `pipeline(Readable of values, createWriteStream(producer, toRecord))` with the
 * default high-water mark (4096). The producer is the core one with the same options as the core driver; the
 * difference to it is what the stream layer costs.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Producer } from '../../../packages/core/src/index.js';
import { createWriteStream } from '../../../packages/streams/src/index.js';
import { payloadPool } from '../payload.js';
import type { ClientDriver } from './driver.js';
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
      let i = 0;
      const source = new Readable({
        objectMode: true,
        highWaterMark: 4096,
        read() {
          while (i < records) if (!this.push(pool[i++ % pool.length])) return;
          this.push(null);
        },
      });
      const topic = job.topic;
      const started = performance.now();
      await pipeline(
        source,
        createWriteStream(producer, (value: Buffer) => ({ topic, value })),
      );
      const ms = performance.now() - started;
      await producer.close();
      return { records, bytes: records * size, ms, note: `${lz4}; createWriteStream highWaterMark 4096 (default)` };
    },
  };
}
