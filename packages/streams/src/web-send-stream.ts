import { checkOptions, type KafkaError, type RecordMetadata } from '@vltava/core';
import { KnownTopics } from './known-topics.js';
import { SEND_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';
import { mappingError, type RecordTarget, recordMapper } from './record-target.js';
import type { SendResult, SendStreamOptions } from './send-stream.js';
import type { StreamProducer } from './stream-producer.js';
import { DEFAULT_WRITE_HIGH_WATER_MARK } from './write-stream.js';

interface Pending<T> {
  readonly chunk: T;
  readonly outcome: Promise<{ error: KafkaError | undefined; metadata: RecordMetadata | undefined }> | undefined;
}

/**
 * The Web Streams send step: a `TransformStream` that sends each chunk (mapped by `target`) and emits
 * `{ source, metadata }` once the broker acknowledged it, in the order written; pipe it into
 * {@link createWebCommitStream} for an at-least-once Web pipeline.
 *
 * Unlike a `WritableStream`, a transform may take the next chunk before the previous one is acknowledged: up to
 * `highWaterMark` records are in flight at once (each waiting for room in the producer's buffer first), so single
 * records flow at batch speed. A failed record errors the stream with its typed error; its chunk is never emitted.
 */
export function createWebSendStream<T, K = unknown, V = unknown>(
  producer: StreamProducer<K, V>,
  target: RecordTarget<T, K, V>,
  options: SendStreamOptions = {},
): TransformStream<T, SendResult<T>> {
  checkOptions(options, SEND_STREAM_OPTIONS_SCHEMA, 'createWebSendStream()', 'call');
  const map = recordMapper(target);
  const topics = new KnownTopics(producer as StreamProducer<unknown, unknown>);
  const limit = options.highWaterMark ?? DEFAULT_WRITE_HIGH_WATER_MARK;
  const queue: Pending<T>[] = [];
  let draining: Promise<void> | undefined;
  let failure: KafkaError | undefined;
  let room: (() => void) | undefined;

  /** Emits results in order as their records are acknowledged. */
  const drain = async (controller: TransformStreamDefaultController<SendResult<T>>): Promise<void> => {
    while (queue.length > 0) {
      const head = queue[0]!;
      const outcome = head.outcome === undefined ? undefined : await head.outcome;
      queue.shift();
      const wake = room;
      room = undefined;
      wake?.();
      if (outcome?.error !== undefined) {
        failure ??= outcome.error;
        controller.error(outcome.error);
        return;
      }
      controller.enqueue({ source: head.chunk, metadata: outcome?.metadata });
    }
  };
  const startDrain = (controller: TransformStreamDefaultController<SendResult<T>>) => {
    draining ??= drain(controller).finally(() => {
      draining = undefined;
      if (queue.length > 0 && failure === undefined) startDrain(controller);
    });
  };

  return new TransformStream<T, SendResult<T>>(
    {
      async transform(chunk, controller) {
        if (failure !== undefined) throw failure;
        let record: ReturnType<typeof map>;
        try {
          record = map(chunk);
        } catch (error) {
          throw mappingError(error);
        }
        let outcome: Pending<T>['outcome'];
        if (record != null) {
          const loading = topics.ensure([record]);
          if (loading !== undefined) await loading;
          await producer.waitForBuffer();
          const r = record;
          outcome = new Promise((resolve) =>
            producer.send(r, (error, metadata) => resolve({ error: error ?? undefined, metadata })),
          );
        }
        queue.push({ chunk, outcome });
        startDrain(controller);
        while (queue.length >= limit && failure === undefined) {
          await new Promise<void>((resolve) => {
            room = resolve;
          });
        }
      },
      async flush() {
        while (draining !== undefined) await draining;
        if (failure !== undefined) throw failure;
      },
    },
    new CountQueuingStrategy({ highWaterMark: limit }),
    new CountQueuingStrategy({ highWaterMark: options.readableHighWaterMark ?? limit }),
  );
}
