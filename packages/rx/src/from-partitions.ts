import { InvalidArgumentError, type TopicPartition } from '@vltava/core';
import { checkOptions } from '@vltava/core/internal';
import { Observable, type Subscriber } from 'rxjs';
import { type ConsumerInput, ConsumerSource, type ConsumerSourceOptions } from './consumer-source.js';
import type { KafkaMessage } from './kafka-message.js';
import { CONSUMER_SOURCE_OPTIONS_SCHEMA } from './option-schemas.js';

/** Options of {@link fromPartitions}. */
export type FromPartitionsOptions = ConsumerSourceOptions;

/**
 * The records of one assigned partition, as {@link fromPartitions} emits them: an Observable that completes when
 * the partition is revoked (once its in-flight records are acknowledged, or `drainTimeoutMs` passed) or lost, or
 * when the outer subscription ends. Records that arrive before it is subscribed to are kept for its first
 * subscriber; it accepts one subscriber.
 */
export class KafkaPartition<K, V> extends Observable<KafkaMessage<K, V>> implements TopicPartition {
  /** The partition's topic. */
  readonly topic: string;
  /** The partition number. */
  readonly partition: number;

  /** @internal Made by `fromPartitions`. */
  constructor(topic: string, partition: number, stream: PartitionStream<K, V>) {
    super((subscriber) => stream.attach(subscriber));
    this.topic = topic;
    this.partition = partition;
  }
}

/**
 * A consumer as an Observable of its partitions, each an Observable of its records ({@link KafkaPartition}): a new
 * one for each partition assigned, completing when the partition is revoked after its in-flight records are
 * acknowledged (or `drainTimeoutMs` passed). Suits per-partition processing: `mergeMap` over the partitions,
 * `concatMap` inside each keeps each partition in order while the partitions proceed in parallel.
 *
 * Reading, backpressure (counted over all partitions), acknowledgement, commits, rebalances, teardown and errors
 * are those of {@link fromConsumer}; an error also errors every open partition Observable. Under the eager
 * classic protocol every partition is revoked at every rebalance, so every partition Observable completes and new
 * ones are emitted; with `cooperative-sticky` or the KIP-848 protocol only the partitions that move do.
 *
 * @example
 * ```ts
 * fromPartitions(() => new Consumer({ brokers, groupId: 'ledger' }), { topics: ['payments'] })
 *   .pipe(
 *     mergeMap((partition) =>
 *       partition.pipe(
 *         concatMap(async (message) => {
 *           await apply(partition.partition, message.record);
 *           return message;
 *         }),
 *       ),
 *     ),
 *     commitOffsets({ maxIntervalMs: 1000 }),
 *   )
 *   .subscribe();
 * ```
 *
 * @param consumer A consumer, or a factory that makes one per subscription (see {@link fromConsumer}).
 * @see fromConsumer
 * @see KafkaPartition
 */
export function fromPartitions<K, V>(
  consumer: ConsumerInput<K, V>,
  options: FromPartitionsOptions = {},
): Observable<KafkaPartition<K, V>> {
  checkOptions(options, CONSUMER_SOURCE_OPTIONS_SCHEMA, 'fromPartitions()', 'call');
  return new Observable<KafkaPartition<K, V>>((subscriber) => {
    const streams = new Map<string, PartitionStream<K, V>>();
    const open = (tp: TopicPartition): PartitionStream<K, V> => {
      const key = `${tp.topic}:${tp.partition}`;
      let stream = streams.get(key);
      if (stream === undefined) {
        stream = new PartitionStream<K, V>();
        streams.set(key, stream);
        subscriber.next(new KafkaPartition<K, V>(tp.topic, tp.partition, stream));
      }
      return stream;
    };
    const source = new ConsumerSource<K, V>(consumer, options, {
      deliver: (message) => open(message.record).next(message),
      assigned: (partitions) => {
        for (const tp of partitions) open(tp);
      },
      revoked: (partitions) => {
        for (const tp of partitions) {
          const key = `${tp.topic}:${tp.partition}`;
          streams.get(key)?.complete();
          streams.delete(key);
        }
      },
      error: (error) => {
        for (const stream of streams.values()) stream.error(error);
        streams.clear();
        subscriber.error(error);
      },
    });
    source.start();
    return () => {
      for (const stream of streams.values()) stream.complete();
      streams.clear();
      void source.stop();
    };
  });
}

/**
 * @internal The unicast channel behind a {@link KafkaPartition}: keeps what arrives until its subscriber comes, then passes
 * everything through.
 */
export class PartitionStream<K, V> {
  private subscriber: Subscriber<KafkaMessage<K, V>> | undefined;
  private attached = false;
  private queue: KafkaMessage<K, V>[] = [];
  private ended: { error: unknown } | 'complete' | undefined;

  /** Connects the subscriber (once); replays what arrived before. */
  attach(subscriber: Subscriber<KafkaMessage<K, V>>): () => void {
    if (this.attached) {
      subscriber.error(
        new InvalidArgumentError('A KafkaPartition accepts one subscriber; share() it to read it more than once'),
      );
      return () => undefined;
    }
    this.attached = true;
    const queue = this.queue;
    this.queue = [];
    for (const message of queue) subscriber.next(message);
    if (this.ended !== undefined) {
      this.settle(subscriber, this.ended);
      return () => undefined;
    }
    this.subscriber = subscriber;
    return () => {
      this.subscriber = undefined;
    };
  }

  next(message: KafkaMessage<K, V>): void {
    if (this.ended !== undefined) return;
    if (this.subscriber !== undefined) this.subscriber.next(message);
    else if (!this.attached) this.queue.push(message);
  }

  complete(): void {
    this.end('complete');
  }

  error(error: unknown): void {
    this.end({ error });
  }

  private end(how: { error: unknown } | 'complete'): void {
    if (this.ended !== undefined) return;
    this.ended = how;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber !== undefined) this.settle(subscriber, how);
  }

  private settle(subscriber: Subscriber<KafkaMessage<K, V>>, how: { error: unknown } | 'complete'): void {
    if (how === 'complete') subscriber.complete();
    else subscriber.error(how.error);
  }
}
