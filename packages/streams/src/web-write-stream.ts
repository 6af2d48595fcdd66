import { checkOptions } from '@vltava/core';
import { BatchSender } from './batch-sender.js';
import { WRITE_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';
import type { RecordTarget } from './record-target.js';
import type { StreamProducer } from './stream-producer.js';
import { DEFAULT_WRITE_HIGH_WATER_MARK, type WriteStreamOptions } from './write-stream.js';

/**
 * A producer as a Web `WritableStream`, with the guarantees of {@link createWriteStream}:
 *
 * - `writer.write(chunk)` resolves once the broker acknowledged the record (rejects with its typed error, which
 *   also errors the stream). A Web stream hands its sink one chunk at a time, each after the previous one
 *   settled, so write **arrays of chunks** for throughput: `writer.write([a, b, c])` sends them as one batch.
 * - Each write waits for room in the producer's buffer rather than failing; while it waits, the stream's queue
 *   (`highWaterMark` writes) fills and `writer.ready` stays pending.
 * - `close()` flushes (and closes the producer with `closeProducer`); `abort()` leaves nothing in flight behind
 *   (the write in progress settles first).
 */
export function createWebWriteStream<T, K = unknown, V = unknown>(
  producer: StreamProducer<K, V>,
  target: RecordTarget<T, K, V>,
  options: WriteStreamOptions = {},
): WritableStream<T | readonly T[]> {
  checkOptions(options, WRITE_STREAM_OPTIONS_SCHEMA, 'createWebWriteStream()', 'call');
  const sender = new BatchSender(producer, target, options.closeProducer ?? false);
  return new WritableStream<T | readonly T[]>(
    {
      async write(chunk) {
        const chunks = Array.isArray(chunk) ? (chunk as readonly T[]) : [chunk as T];
        const outcome = await sender.send(chunks);
        if (outcome.firstError !== undefined) throw outcome.firstError;
      },
      async close() {
        await sender.finish();
      },
      async abort() {
        await sender.settle();
      },
    },
    new CountQueuingStrategy({ highWaterMark: options.highWaterMark ?? DEFAULT_WRITE_HIGH_WATER_MARK }),
  );
}
