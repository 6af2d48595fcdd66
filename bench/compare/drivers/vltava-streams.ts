/**
 * Vltava through `@vltava/streams`, on the core clients with the same options as the core driver; the difference to
 * it is what the stream layer costs.
 *
 * - produce, variant `write`: `pipeline(Readable of values, createWriteStream(producer, { topic }))`;
 * - produce, variant `send`: `pipeline(Readable of values, createSendStream(producer, { topic }), a sink of the
 *   results)`, the middle of an at-least-once pipeline;
 * - consume: `pipeline(createReadStream(consumer), createCommitStream(consumer))`: every record read reaches the
 *   committer, which commits it (the at-least-once shape), timed to the last record reaching the committer.
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
import { type ClientDriver, DrainCounter, type Measured } from './driver.js';
import { nativeLz4For, vltavaProducerOptions } from './vltava.js';

/** The driver; `variant` is `write` (default) or `send`. */
export async function load(peerDir: string, variant?: string): Promise<ClientDriver> {
  const lz4 = await nativeLz4For(peerDir);
  const send = variant === 'send';
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
      if (send) {
        await pipeline(
          source,
          createSendStream(producer, { topic }),
          new Writable({ objectMode: true, highWaterMark: 4096, writev: (_chunks, done) => done() }),
        );
      } else {
        await pipeline(source, createWriteStream(producer, { topic }));
      }
      const ms = performance.now() - started;
      await producer.close();
      const how = send ? 'createSendStream into a sink' : 'createWriteStream';
      return { records, bytes: records * size, ms, note: `${lz4}; ${how}, highWaterMark 4096 (default)` };
    },

    async consume(job): Promise<Measured> {
      const consumer = new Consumer({
        brokers: job.bootstrap,
        groupId: job.groupId,
        autoOffsetReset: 'earliest',
        logLevel: 'error',
      });
      consumer.subscribe([job.topic]);
      const counter = new DrainCounter(job.records);
      await pipeline(
        createReadStream(consumer, { stopAfterRecords: job.records }),
        createCommitStream(consumer, {
          sourceOf: (record: ConsumerRecord) => {
            counter.add(1, record.serializedValueSize);
            return record;
          },
        }),
      );
      return counter.result('createReadStream -> createCommitStream (closes the consumer)');
    },
  };
}
