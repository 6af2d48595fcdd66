import type { ProducerLike, RecordsOf, SendTarget } from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { WRITE_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';
import { SendWindow } from './send-window.js';
import { DEFAULT_WRITE_HIGH_WATER_MARK, type WriteStreamOptions, windowOptions } from './write-stream.js';

/**
 * A producer as a Web `WritableStream`, with the guarantees of {@link createWriteStream}:
 *
 * - `writer.write(chunk)` resolves once the broker acknowledged the record (rejects with its typed error, which
 *   also errors the stream). A Web stream hands its sink one chunk at a time, each after the previous one settled,
 *   so each write is flushed at once (nothing else can join it), and arrays of chunks make the throughput:
 *   `writer.write([a, b, c])` sends them as one batch.
 * - Each write waits for room in the producer's buffer rather than failing; while it waits, the stream's queue
 *   (`highWaterMark` writes) fills and `writer.ready` stays pending.
 * - `close()` flushes (and closes the producer with `closeProducer`); `abort()` leaves nothing in flight behind
 *   (the write in progress settles first).
 */
export function createWebWriteStream<K, V, T extends V = V>(
  producer: ProducerLike<K, V>,
  target: { readonly topic: string },
  options?: WriteStreamOptions,
): WritableStream<T | readonly T[]>;
export function createWebWriteStream<T, K, V>(
  producer: ProducerLike<K, V>,
  mapper: (chunk: T) => RecordsOf<K, V>,
  options?: WriteStreamOptions,
): WritableStream<T | readonly T[]>;
export function createWebWriteStream<T, K, V>(
  producer: ProducerLike<K, V>,
  target: SendTarget<T, K, V>,
  options: WriteStreamOptions = {},
): WritableStream<T | readonly T[]> {
  checkOptions(options, WRITE_STREAM_OPTIONS_SCHEMA, 'createWebWriteStream()', 'call');
  const window = new SendWindow(producer, target, windowOptions(options, 'createWebWriteStream()'), {
    failed: () => undefined, // the write in progress rejects with it
  });
  return new WritableStream<T | readonly T[]>(
    {
      async write(chunk) {
        const chunks = Array.isArray(chunk) ? (chunk as readonly T[]) : [chunk as T];
        if (chunks.length === 0) return;
        const acknowledged = new Promise<void>((resolve) => {
          for (let i = 0; i < chunks.length; i++)
            window.accepted(i === chunks.length - 1 ? () => resolve() : undefined);
        });
        await window.hand(chunks);
        window.flush();
        await acknowledged;
        if (window.failure !== undefined) throw window.failure;
      },
      async close() {
        await window.finish();
      },
      async abort() {
        await window.dispose();
      },
    },
    new CountQueuingStrategy({ highWaterMark: options.highWaterMark ?? DEFAULT_WRITE_HIGH_WATER_MARK }),
  );
}
