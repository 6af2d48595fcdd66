import type { ProducerRecord } from '@vltava/core';

/** What a mapper may return for one emission: a record, several, or none (`null`, `undefined`, `[]`). */
export type RecordsOf<K, V> = ProducerRecord<K, V> | readonly ProducerRecord<K, V>[] | null | undefined;

/**
 * Where `sendTo` and `toProducer` send an emission: `{ topic }` sends it as the value of one record (no key, the
 * producer's partitioner chooses), a mapper makes the record(s) from it.
 */
export type SendTarget<T, K, V> = { readonly topic: string } | ((value: T) => RecordsOf<K, V>);

const NONE: readonly never[] = [];

/** Applies a target to an emission: the records to send, as an array. */
export function recordsFor<T, K, V>(target: SendTarget<T, K, V>, value: T): readonly ProducerRecord<K, V>[] {
  if (typeof target !== 'function') return [{ topic: target.topic, value: value as unknown as V }];
  return recordArray(target(value));
}

/** What a mapper returned, as an array. */
export function recordArray<K, V>(records: RecordsOf<K, V>): readonly ProducerRecord<K, V>[] {
  if (records === null || records === undefined) return NONE;
  return Array.isArray(records) ? (records as readonly ProducerRecord<K, V>[]) : [records as ProducerRecord<K, V>];
}
