import { checkOptions } from '@vltava/core/internal';
import { Observable } from 'rxjs';
import { type ConsumerInput, ConsumerSource, type ConsumerSourceOptions } from './consumer-source.js';
import type { KafkaMessage } from './kafka-message.js';
import { CONSUMER_SOURCE_OPTIONS_SCHEMA } from './option-schemas.js';

/** Options of {@link fromConsumer}. */
export type FromConsumerOptions = ConsumerSourceOptions;

/**
 * A consumer as an Observable of records, with backpressure and at-least-once commits.
 *
 * Each subscription subscribes the consumer to `options.topics` (or reads the partitions it was assigned) and emits
 * every record as a {@link KafkaMessage}: the core's `ConsumerRecord` with an `ack()`. Records count as processed
 * only once acknowledged (the consumer reads in `manual` mode).
 *
 * - **Backpressure.** RxJS pushes, so the records emitted and not yet acknowledged are what piles up downstream
 *   (in a `concatMap` queue, a buffer, a slow sink). When they reach `highWaterMark` (or `highWaterMarkBytes`), the
 *   source stops pulling from the consumer and pauses fetching of the partitions holding them (the consumer's
 *   backpressure pauses, kept apart from your own `pause()`); at `lowWaterMark` it resumes. Memory stays bounded by
 *   the marks plus the consumer's prefetch bounds (`maxPrefetchBytes`, `maxPrefetchRecords`).
 * - **Commits.** Acknowledged offsets are committed by {@link commitOffsets} in batches, by the consumer's automatic
 *   commits (`enableAutoCommit`), after a revoked partition is drained, and when the subscription ends. Only offsets
 *   below which every record was acknowledged are committed, whatever the order of the acknowledgements.
 * - **Rebalances.** A revoked partition's emitted records get `drainTimeoutMs` to be acknowledged before the
 *   rebalance goes on; records of a partition revoked or lost since they were emitted belong to an old generation,
 *   and their acknowledgements are ignored.
 * - **Unsubscribing** (or an error, or `take`/`takeUntil` ending the stream) stops fetching, commits the
 *   acknowledged offsets and leaves the group promptly, even when no record is arriving. Given a factory, each
 *   subscription makes its own consumer and closes it at the end, so `retry()` starts a fresh consumer cleanly.
 * - **Errors** the consumer raises while reading (`RecordDeserializationError`, `CorruptRecordError`,
 *   `MaxPollIntervalExceededError`, ...) reach the subscriber as the core's typed `KafkaError`s.
 *
 * @example
 * ```ts
 * import { Consumer, deserializers } from '@vltava/core';
 * import { commitOffsets, fromConsumer } from '@vltava/rx';
 * import { concatMap, retry } from 'rxjs';
 *
 * fromConsumer(
 *   () => new Consumer({ brokers, groupId: 'billing', valueDeserializer: deserializers.json<Order>() }),
 *   { topics: ['orders'], highWaterMark: 500 },
 * )
 *   .pipe(
 *     concatMap(async (message) => {
 *       await bill(message.record.value);
 *       return message; // acknowledged by commitOffsets
 *     }),
 *     commitOffsets({ maxBatch: 100, maxIntervalMs: 1000 }),
 *     retry({ delay: 1000 }),
 *   )
 *   .subscribe();
 * ```
 *
 * @param consumer A consumer (the source subscribes it and unsubscribes it at the end; you close it), or a factory
 *   that makes one per subscription (the source closes it at the end).
 * @see KafkaMessage
 * @see commitOffsets
 * @see fromPartitions
 */
export function fromConsumer<K, V>(
  consumer: ConsumerInput<K, V>,
  options: FromConsumerOptions = {},
): Observable<KafkaMessage<K, V>> {
  checkOptions(options, CONSUMER_SOURCE_OPTIONS_SCHEMA, 'fromConsumer()', 'call');
  return new Observable<KafkaMessage<K, V>>((subscriber) => {
    const source = new ConsumerSource<K, V>(consumer, options, {
      deliver: (message) => subscriber.next(message),
      assigned: () => undefined,
      revoked: () => undefined,
      error: (error) => subscriber.error(error),
    });
    source.start();
    return () => {
      void source.stop();
    };
  });
}
