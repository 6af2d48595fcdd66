import { type ConsumerLike, type ConsumerRecord, diagnosticChannels } from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { READ_STREAM_OPTIONS_SCHEMA } from './option-schemas.js';
import { DEFAULT_READ_HIGH_WATER_MARK, type ReadStreamOptions } from './read-stream.js';
import { RecordSource } from './record-source.js';

/** What `cancel()` passes on when the stream is cancelled without a reason. */
const CANCELLED = 'the read stream was cancelled';

/**
 * A consumer as a Web `ReadableStream` of its records, with the guarantees of {@link createReadStream}:
 *
 * - a pull-based source: records are taken from the consumer only when the stream's queue has room
 *   (`highWaterMark` records, default 1024); when it fills, fetching of the partitions that filled it pauses;
 * - records count as processed when they reach {@link createWebCommitStream} (or {@link createCommitStream}) of the
 *   same consumer;
 * - `cancel()` (also what `pipeTo`/`pipeThrough` do when their `signal` aborts or the destination fails) stops
 *   fetching, commits what was processed and closes the consumer (unless `closeConsumer: false`);
 * - `stopAfterRecords` and `stopSignal` close the stream cleanly: what is in flight drains, is committed, then the consumer
 *   closes.
 *
 * ```ts
 * await createWebReadStream(consumer, { stopAfterRecords: 1000 })
 *   .pipeThrough(new TransformStream({ transform: (r, c) => c.enqueue({ ...r, value: upper(r.value) }) }))
 *   .pipeTo(createWebCommitStream(consumer));
 * ```
 */
export function createWebReadStream<K, V>(
  consumer: ConsumerLike<K, V>,
  options: ReadStreamOptions = {},
): ReadableStream<ConsumerRecord<K, V>> {
  checkOptions(options, READ_STREAM_OPTIONS_SCHEMA, 'createWebReadStream()', 'call');
  const highWaterMark = options.highWaterMark ?? DEFAULT_READ_HIGH_WATER_MARK;
  const source = new RecordSource(consumer, options, highWaterMark);
  let cancelled = false;
  let enqueue: ((record: ConsumerRecord<K, V>) => void) | undefined;
  return new ReadableStream<ConsumerRecord<K, V>>(
    {
      async pull(controller) {
        enqueue ??= (record) => controller.enqueue(record);
        if ((controller.desiredSize ?? 0) >= highWaterMark / 2) source.resume();
        try {
          for (;;) {
            const record = source.take();
            if (record === undefined) {
              if (await source.fill()) continue;
              if (cancelled) return;
              controller.close();
              await source.finish(null);
              return;
            }
            // The reader's code runs after a promise resolves, outside any context given here: the trace marks
            // the hand-over and ends when the record reaches the committer.
            if (diagnosticChannels.consumerProcess.hasSubscribers) source.deliverTraced(record, enqueue, record);
            else controller.enqueue(record);
            if ((controller.desiredSize ?? 0) <= 0) {
              source.full();
              return;
            }
          }
        } catch (error) {
          await source.finish(error);
          throw error;
        }
      },
      async cancel(reason: unknown) {
        cancelled = true;
        await source.finish(reason ?? CANCELLED);
      },
    },
    new CountQueuingStrategy({ highWaterMark }),
  );
}
