import {
  InvalidArgumentError,
  isKafkaError,
  type KafkaError,
  type ProducerRecord,
  type RecordsOf,
  type SendTarget,
} from '@vltava/core';

/**
 * Turns a `SendTarget` into a mapping function: `{ topic }` makes each chunk the value of one record for that
 * topic (as `@vltava/rx`'s `sendTo` does with an emission); a function is used as it is.
 *
 * @throws InvalidArgumentError for a target that is neither.
 */
export function recordMapper<T, K, V>(target: SendTarget<T, K, V>, where: string): (chunk: T) => RecordsOf<K, V> {
  if (typeof target === 'function') return target;
  if (typeof target !== 'object' || target === null || typeof target.topic !== 'string' || target.topic === '') {
    throw new InvalidArgumentError(
      `${where}: the target is { topic: "name" } (each chunk is a record's value) or a function mapping each chunk ` +
        'to its ProducerRecord(s)',
    );
  }
  const topic = target.topic;
  return (chunk: T): ProducerRecord<K, V> => ({ topic, value: chunk as unknown as V });
}

/** A mapping function's failure as a typed error. */
export function mappingError(error: unknown): KafkaError {
  if (isKafkaError(error)) return error;
  return new InvalidArgumentError(`Mapping a chunk to a producer record failed: ${String(error)}`, { cause: error });
}
