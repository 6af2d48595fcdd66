import type { RecordHeader } from '../protocol/records/record.js';

/** What a deserializer knows about the record whose key or value it turns into a value. */
export interface DeserializerContext {
  /** Topic of the record. */
  readonly topic: string;
  /** Partition of the record. */
  readonly partition: number;
  /** The record's headers. */
  readonly headers: readonly RecordHeader[];
}

/**
 * Turns a record's key or value bytes into a value. `data` is `null` for a null key or value (a tombstone), and
 * is a view into the fetched bytes: copy it (`Buffer.from(data)`) to keep it beyond the record. A deserializer
 * that throws stops the consumer at that record with a `RecordDeserializationError`. Java: `Deserializer<T>`
 * (`key.deserializer`, `value.deserializer`).
 */
export type Deserializer<T> = (data: Buffer | null, context: DeserializerContext) => T;

/** Returns the bytes as they are (a view, not a copy), or `null`. The default for keys and values. */
export const bufferDeserializer: Deserializer<Buffer | null> = (data) => data;

/** Decodes UTF-8 text; `null` stays `null`. Java: `StringDeserializer`. */
export const stringDeserializer: Deserializer<string | null> = (data) => (data === null ? null : data.toString('utf8'));

/**
 * Parses JSON (UTF-8); `null` stays `null`. Invalid JSON throws, which stops the consumer at that record with a
 * `RecordDeserializationError`. The type parameter is not checked at run time.
 */
export function jsonDeserializer<T = unknown>(): Deserializer<T | null> {
  return (data) => (data === null ? null : (JSON.parse(data.toString('utf8')) as T));
}

/** The deserializers Vltava provides: `deserializers.string`, `deserializers.json<T>()`, `deserializers.buffer`. */
export const deserializers = {
  buffer: bufferDeserializer,
  string: stringDeserializer,
  json: jsonDeserializer,
} as const;
