import type { ProducerLike, RecordsOf, SendSuccess, SendTarget } from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { SEND_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';
import type { SendStreamOptions } from './send-stream.js';
import { SendWindow } from './send-window.js';
import { DEFAULT_WRITE_HIGH_WATER_MARK, windowOptions } from './write-stream.js';

/**
 * The Web Streams send step: a `TransformStream` that sends each chunk (mapped by `target`) and emits its
 * `SendSuccess` (`{ ok: true, source, metadata }`) once the broker acknowledged it, in the order written; pipe it
 * into {@link createWebCommitStream} for an at-least-once Web pipeline.
 *
 * Unlike a `WritableStream`, a transform takes the next chunk before the previous one is acknowledged: up to
 * `maxInFlight` records are in flight at once (the producer's linger gathers them into requests), so single records
 * flow at batch speed. A failed record errors the stream with its typed error; its chunk is never emitted.
 */
export function createWebSendStream<K, V, T extends V = V>(
  producer: ProducerLike<K, V>,
  target: { readonly topic: string },
  options?: SendStreamOptions,
): TransformStream<T, SendSuccess<T>>;
export function createWebSendStream<T, K, V>(
  producer: ProducerLike<K, V>,
  mapper: (chunk: T) => RecordsOf<K, V>,
  options?: SendStreamOptions,
): TransformStream<T, SendSuccess<T>>;
export function createWebSendStream<T, K, V>(
  producer: ProducerLike<K, V>,
  target: SendTarget<T, K, V>,
  options: SendStreamOptions = {},
): TransformStream<T, SendSuccess<T>> {
  checkOptions(options, SEND_STREAM_OPTIONS_SCHEMA, 'createWebSendStream()', 'call');
  let controller: TransformStreamDefaultController<SendSuccess<T>> | undefined;
  const window = new SendWindow(producer, target, windowOptions(options, 'createWebSendStream()'), {
    acknowledged: (chunks, outcome, end) => {
      for (let i = 0; i < end; i++) controller?.enqueue(outcome.resultOf(chunks[i]!, i) as SendSuccess<T>);
    },
    failed: (error) => controller?.error(error),
  });
  const limit = options.highWaterMark ?? DEFAULT_WRITE_HIGH_WATER_MARK;
  return new TransformStream<T, SendSuccess<T>>(
    {
      start(c) {
        controller = c;
      },
      async transform(chunk) {
        if (window.failure !== undefined) throw window.failure;
        window.accepted(undefined);
        await window.hand([chunk]);
      },
      async flush() {
        await window.finish();
        if (window.failure !== undefined) throw window.failure;
      },
    },
    new CountQueuingStrategy({ highWaterMark: limit }),
    new CountQueuingStrategy({ highWaterMark: options.readableHighWaterMark ?? limit }),
  );
}
