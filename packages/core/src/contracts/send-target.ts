import type { ProducerRecord } from '../producer/producer.js';

/** What a mapper may return for one input: a record, several, or none (`null`, `undefined`, `[]`). */
export type RecordsOf<K, V> = ProducerRecord<K, V> | readonly ProducerRecord<K, V>[] | null | undefined;

/**
 * Where the Rx and stream adapters send an input (an emission, a chunk):
 *
 * - `{ topic }`: the input is the value of one record for that topic (no key; the producer's partitioner chooses
 *   the partition);
 * - a mapper: makes the record(s) for the input, or none (the input still gets its result, with no metadata, so
 *   that a committer downstream counts it processed).
 */
export type SendTarget<T, K, V> = { readonly topic: string } | ((input: T) => RecordsOf<K, V>);
