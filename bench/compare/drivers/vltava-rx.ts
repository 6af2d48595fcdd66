/**
 * Vltava through `@vltava/rx`: `range(...).pipe(map(to a value), sendTo(producer, { topic }))`, subscribed until it
 * completes (every record acknowledged). The producer is the core one with the same options as the core driver;
 * the difference to it is what the Rx layer costs.
 */
import { ignoreElements, lastValueFrom, map, range } from 'rxjs';
import { Producer } from '../../../packages/core/src/index.js';
import { sendTo } from '../../../packages/rx/src/index.js';
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
  };
}
