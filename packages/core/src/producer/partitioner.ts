import { InvalidArgumentError } from '../errors/client-errors.js';
import { partitionForKey } from './murmur2.js';
import type { Serialized } from './serializers.js';
import { StickyPartitioner, type TopicPartitions } from './sticky-partitioner.js';

export type { TopicPartitions } from './sticky-partitioner.js';

/** What a custom partitioner function sees of a record and its topic. */
export interface PartitionerContext {
  /** Topic of the record. */
  readonly topic: string;
  /** The serialized key (bytes, or a string that will be written as UTF-8), or `null`. */
  readonly key: Serialized;
  /** The serialized value, or `null`. */
  readonly value: Serialized;
  /** Number of partitions of the topic. */
  readonly partitionCount: number;
  /** Partitions that have a leader now. */
  readonly availablePartitions: readonly number[];
}

/**
 * A custom partitioner: returns the partition (an integer in `[0, partitionCount)`) for a record. A function that
 * throws or returns anything else fails that record's send with `InvalidArgumentError`.
 * Java: `partitioner.class`.
 */
export type PartitionerFunction = (context: PartitionerContext) => number;

/**
 * How records without an explicit partition are spread. Java: `partitioner.class` (unset = the built-in
 * partitioner).
 *
 * - `'default'`: keyed records go to `toPositive(murmur2(key)) % partitionCount`, exactly as the Java client
 *   (and kafka-python, librdkafka's `murmur2_random`) place them; records without a key use the uniform sticky
 *   partitioner (KIP-794).
 * - `'round-robin'`: every record, keyed or not, goes to the next partition with a leader in turn
 *   (Java: `RoundRobinPartitioner`).
 * - a {@link PartitionerFunction}.
 */
export type PartitionerOption = 'default' | 'round-robin' | PartitionerFunction;

/**
 * Picks partitions for the producer. `partition` is called once per record without an explicit partition;
 * `onAppend` afterwards with the record's size so that the sticky partitioner can count bytes.
 */
export interface Partitioner {
  /** The partition for a record. Throws `InvalidArgumentError` when a custom function misbehaves. */
  partition(topic: string, key: Serialized, value: Serialized, partitions: TopicPartitions): number;
  /** Called after a record chosen by {@link partition} was appended with `bytes` bytes. */
  onAppend(topic: string, partition: number, key: Serialized, bytes: number, partitions: TopicPartitions): void;
}

/** The built-in partitioner: murmur2 for keys, uniform sticky without. */
export class DefaultPartitioner implements Partitioner {
  private readonly sticky: StickyPartitioner;

  /**
   * @param batchSize bytes after which the sticky partitioner switches (the producer's `batchSize`).
   * @param random random source for the sticky choice, for tests.
   */
  constructor(batchSize: number, random?: () => number) {
    this.sticky = new StickyPartitioner(batchSize, random);
  }

  partition(topic: string, key: Serialized, _value: Serialized, partitions: TopicPartitions): number {
    if (key !== null) return partitionForKey(key, partitions.partitionCount);
    return this.sticky.partition(topic, partitions);
  }

  onAppend(topic: string, partition: number, key: Serialized, bytes: number, partitions: TopicPartitions): void {
    if (key === null) this.sticky.onAppend(topic, partition, bytes, partitions);
  }
}

/** Each record to the next partition with a leader (all partitions when none has one), per topic. */
export class RoundRobinPartitioner implements Partitioner {
  private readonly counters = new Map<string, number>();

  partition(topic: string, _key: Serialized, _value: Serialized, partitions: TopicPartitions): number {
    const counter = this.counters.get(topic) ?? 0;
    this.counters.set(topic, counter === 0x7fffffff ? 0 : counter + 1);
    const available = partitions.available;
    if (available.length > 0) return available[counter % available.length]!;
    return counter % partitions.partitionCount;
  }

  onAppend(): void {}
}

/** Adapts a user function, checking what it returns. */
export class FunctionPartitioner implements Partitioner {
  constructor(private readonly fn: PartitionerFunction) {}

  partition(topic: string, key: Serialized, value: Serialized, partitions: TopicPartitions): number {
    let partition: number;
    try {
      partition = this.fn({
        topic,
        key,
        value,
        partitionCount: partitions.partitionCount,
        availablePartitions: partitions.available,
      });
    } catch (error) {
      throw new InvalidArgumentError(`The partitioner function threw: ${(error as Error)?.message ?? error}`, {
        topic,
        cause: error,
      });
    }
    if (!Number.isInteger(partition) || partition < 0 || partition >= partitions.partitionCount) {
      throw new InvalidArgumentError(
        `The partitioner function returned ${String(partition)}; topic ${topic} has partitions 0 to ` +
          `${partitions.partitionCount - 1}`,
        { topic },
      );
    }
    return partition;
  }

  onAppend(): void {}
}

/** The partitioner an option names. */
export function createPartitioner(option: PartitionerOption, batchSize: number): Partitioner {
  if (typeof option === 'function') return new FunctionPartitioner(option);
  return option === 'round-robin' ? new RoundRobinPartitioner() : new DefaultPartitioner(batchSize);
}
