import type { ProducerRecord, RecordsOf } from '@vltava/core';

const NONE: readonly never[] = [];

/** What a mapper returned (a record, several, or none), as an array. */
export function recordArray<K, V>(records: RecordsOf<K, V>): readonly ProducerRecord<K, V>[] {
  if (records === null || records === undefined) return NONE;
  return Array.isArray(records) ? (records as readonly ProducerRecord<K, V>[]) : [records as ProducerRecord<K, V>];
}
