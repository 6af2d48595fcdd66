/**
 * Vltava through `@vltava/streams`, against the core driver on the same Node and settings (what the stream layer
 * costs):
 * - produce, variant `write`: `pipeline(Readable, createWriteStream(producer, target))` with the write stream's
 *   default high-water mark; keyless, the readable gives values and the target is `{ topic }` (as the Rx driver maps
 *   to values for `sendTo(producer, { topic })`); keyed, it gives indexes and a mapper builds each keyed record. The
 *   producer is the core one with the core driver's options.
 * - produce, variant `send`: the same with `createSendStream` and a sink of its results after it, the middle of an
 *   at-least-once pipeline (the results carry their source, as a committer needs).
 * - consume: `pipeline(createReadStream(consumer), createCommitStream(consumer))` with their defaults, the
 *   at-least-once shape (every record read reaches the committer, which commits it), timed to the last record
 *   reaching the committer; `stopAfterRecords` ends the read stream there and the committer closes the consumer.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Consumer, type ConsumerRecord, Producer } from '../../../packages/core/src/index.js';
import {
  createCommitStream,
  createReadStream,
  createSendStream,
  createWriteStream,
} from '../../../packages/streams/src/index.js';
import { payloadPool } from '../payload.js';
import { type ClientDriver, DrainCounter, drained, keyPool } from './driver.js';
import { nativeLz4For, vltavaProducerOptions } from './vltava.js';

/** The driver; `variant` is `write` (the default) or `send`. */
export async function load(peerDir: string, variant?: string): Promise<ClientDriver> {
  const lz4 = await nativeLz4For(peerDir);
  const send = variant === 'send';
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
            if (!this.push(keyed === undefined ? pool[n % pool.length]! : n)) return;
          }
          this.push(null);
        },
      });
      const topic = job.topic;
      const toRecord = (n: number) => ({ topic, key: keyed![n % keyed!.length]!, value: pool[n % pool.length]! });
      const started = performance.now();
      if (send) {
        const sink = new Writable({ objectMode: true, highWaterMark: 4096, writev: (_chunks, done) => done() });
        await (keyed === undefined
          ? pipeline(source, createSendStream(producer, { topic }), sink)
          : pipeline(source, createSendStream(producer, toRecord), sink));
      } else {
        await (keyed === undefined
          ? pipeline(source, createWriteStream(producer, { topic }))
          : pipeline(source, createWriteStream(producer, toRecord)));
      }
      const ms = performance.now() - started;
      await producer.close();
      const how = send ? 'createSendStream into a sink' : 'createWriteStream';
      const note = `${lz4}; ${how} with its defaults`;
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
      await drained(counter, () =>
        pipeline(
          createReadStream(consumer, { stopAfterRecords: job.records }),
          createCommitStream(consumer, {
            sourceOf: (record: ConsumerRecord) => {
              counter.add(1, record.serializedValueSize);
              return record;
            },
          }),
        ),
      );
      await consumer.close();
      return counter.result('pipeline(createReadStream, createCommitStream), their defaults');
    },
  };
}
