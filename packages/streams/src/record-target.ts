import { InvalidArgumentError, isKafkaError, type KafkaError, type ProducerRecord } from '@vltava/core';

/** A record for a topic named elsewhere: a `ProducerRecord` without its `topic` (a `ConsumerRecord` fits too). */
export type TopicRecord<K, V> = Omit<ProducerRecord<K, V>, 'topic'>;

/**
 * Where a write or send stream sends each chunk:
 *
 * - `{ topic }`: the chunks are records (`key`, `value`, `headers`, and `partition`/`timestamp` when set) for that
 *   topic;
 * - a function: maps each chunk to the `ProducerRecord` to send, or to `null` to send nothing for it (the send
 *   stream still emits its result, with no metadata, so that the committer counts it processed).
 */
export type RecordTarget<T, K, V> =
  | { readonly topic: string }
  | ((chunk: T) => ProducerRecord<K, V> | null | undefined);

/** Turns a {@link RecordTarget} into a mapping function. */
export function recordMapper<T, K, V>(
  target: RecordTarget<T, K, V>,
): (chunk: T) => ProducerRecord<K, V> | null | undefined {
  if (typeof target === 'function') return target;
  if (typeof target !== 'object' || target === null || typeof target.topic !== 'string' || target.topic === '') {
    throw new InvalidArgumentError(
      'The target of a write stream is { topic: "name" } or a function mapping each chunk to a ProducerRecord',
    );
  }
  const topic = target.topic;
  return (chunk: T) => {
    const c = chunk as TopicRecord<K, V>;
    if (typeof c !== 'object' || c === null) {
      throw new InvalidArgumentError(
        `A write stream to topic ${topic} takes records ({ key, value, headers? }), got ${typeof chunk}; give it a ` +
          'mapping function for other chunks',
        { topic },
      );
    }
    return {
      topic,
      key: c.key,
      value: c.value,
      headers: c.headers,
      partition: c.partition,
      timestamp: c.timestamp,
    };
  };
}

/** A mapping function's failure as a typed error. */
export function mappingError(error: unknown): KafkaError {
  if (isKafkaError(error)) return error;
  return new InvalidArgumentError(`Mapping a chunk to a producer record failed: ${String(error)}`, { cause: error });
}
