import type { ProducerRecord, RecordsOf } from '@vltava/core';

const NONE: readonly never[] = [];

/** What a mapper returned (a record, several, or none), as an array. */
export function recordArray<K, V>(records: RecordsOf<K, V>): readonly ProducerRecord<K, V>[] {
  if (records === null || records === undefined) return NONE;
  return Array.isArray(records) ? (records as readonly ProducerRecord<K, V>[]) : [records as ProducerRecord<K, V>];
}

/** What a mapper returned, kept as it came: several records as an array, one record as itself (no array made). */
export type MappedRecords<K, V> = readonly ProducerRecord<K, V>[] | ProducerRecord<K, V>;

/** What a mapper returned (a record, several, or none), without wrapping a single record in an array. */
export function mappedRecords<K, V>(records: RecordsOf<K, V>): MappedRecords<K, V> {
  if (records === null || records === undefined) return NONE;
  return records as MappedRecords<K, V>;
}

/** How many records {@link mappedRecords} holds. */
export function mappedCount<K, V>(records: MappedRecords<K, V>): number {
  return Array.isArray(records) ? records.length : 1;
}
