import { InvalidArgumentError, RecordTooLargeError } from '../errors/client-errors.js';
import type { RecordHeaderInput } from '../protocol/records/record.js';
import { RecordSerializationError } from './producer-errors.js';
import { BATCH_OVERHEAD, type PendingRecord, recordSizeBound } from './record-accumulator.js';
import { type Serialized, type Serializer, serializedSize } from './serializers.js';

/** Record headers: an object (one value per key) or a list (order kept, keys may repeat). Values are UTF-8 strings
 * or bytes. */
export type ProducerRecordHeaders =
  | Readonly<Record<string, string | Uint8Array | null | undefined>>
  | ReadonlyArray<{ readonly key: string; readonly value: string | Uint8Array | null }>;

/** A record to send. Java: `ProducerRecord`. */
export interface ProducerRecord<K, V> {
  /** Topic to write to. */
  readonly topic: string;
  /** Key, typed by the key serializer; absent or null for no key (the sticky partitioner then picks a partition). */
  readonly key?: K | null;
  /** Value, typed by the value serializer; absent or null with a key makes a tombstone. */
  readonly value?: V | null;
  /** Headers. */
  readonly headers?: ProducerRecordHeaders;
  /** Partition to write to, overriding the partitioner; must exist. */
  readonly partition?: number;
  /** Create time in milliseconds since the epoch (or a Date); default now. */
  readonly timestamp?: number | Date;
}

/** A {@link PendingRecord} being filled in. */
export type MutablePendingRecord = { -readonly [P in keyof PendingRecord]: PendingRecord[P] };

/** What preparing a record needs from the producer options. */
export interface PreparationOptions<K, V> {
  readonly keySerializer: Serializer<K>;
  readonly valueSerializer: Serializer<V>;
  /** Java: max.request.size. */
  readonly maxRequestSize: number;
  /** Java: buffer.memory. */
  readonly bufferMemory: number;
}

/** A reusable {@link PendingRecord} for the synchronous send path. */
export function emptyPendingRecord(): MutablePendingRecord {
  return {
    timestamp: 0,
    key: null,
    value: null,
    headers: undefined,
    keySize: -1,
    valueSize: -1,
    recordBound: 0,
    sendTime: 0,
  };
}

/**
 * Checks, serializes and sizes a record sent at `now` into `out`; throws the error its send must fail with:
 * `InvalidArgumentError` for a malformed record, `RecordSerializationError` when a serializer throws,
 * `RecordTooLargeError` when it can never fit in a request or in the buffer.
 */
export function prepareRecord<K, V>(
  record: ProducerRecord<K, V>,
  now: number,
  options: PreparationOptions<K, V>,
  out: MutablePendingRecord,
): void {
  if (record === null || typeof record !== 'object') throw new InvalidArgumentError('send needs a record object');
  const topic = record.topic;
  if (typeof topic !== 'string') throw new InvalidArgumentError('A record needs a topic');
  const partition = record.partition;
  if (partition !== undefined && (!Number.isInteger(partition) || partition < 0)) {
    throw new InvalidArgumentError(`Partition must be a non-negative integer, got ${String(partition)}`, { topic });
  }
  const rawKey = record.key;
  const rawValue = record.value;
  const hasKey = rawKey !== undefined && rawKey !== null;
  const hasValue = rawValue !== undefined && rawValue !== null;
  // A record with headers alone carries them (NestJS sends its error replies so, as KafkaJS allows); a record
  // with nothing at all is refused as a mistake.
  const hasHeaders = hasAnyHeader(record.headers);
  if (!hasKey && !hasValue && !hasHeaders) {
    throw new InvalidArgumentError(
      'A record needs a key, a value or headers (a key without a value is a tombstone); all are absent',
      { topic },
    );
  }
  const key: Serialized = hasKey ? serialize(options.keySerializer, rawKey, topic, 'key') : null;
  const value: Serialized = hasValue ? serialize(options.valueSerializer, rawValue, topic, 'value') : null;
  if (key === null && value === null && !hasHeaders) {
    throw new InvalidArgumentError('The serializers returned no key and no value', { topic });
  }
  let timestamp = now;
  if (record.timestamp !== undefined) {
    timestamp = record.timestamp instanceof Date ? record.timestamp.getTime() : record.timestamp;
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
      throw new InvalidArgumentError(`Timestamp must be a non-negative integer (ms), got ${String(timestamp)}`, {
        topic,
      });
    }
  }
  let headers: RecordHeaderInput[] | undefined;
  let headerBytes = 0;
  if (record.headers !== undefined && record.headers !== null) {
    headers = normalizeHeaders(record.headers, topic);
    for (const header of headers) headerBytes += 10 + Buffer.byteLength(header.key) + serializedSizeOf(header.value);
  }
  const keySize = serializedSize(key);
  const valueSize = serializedSize(value);
  const recordBound = recordSizeBound(keySize, valueSize, headerBytes);
  const batchBound = BATCH_OVERHEAD + recordBound;
  if (batchBound > options.maxRequestSize || batchBound > options.bufferMemory) {
    const limit =
      batchBound > options.maxRequestSize
        ? `maxRequestSize (${options.maxRequestSize})`
        : `bufferMemory (${options.bufferMemory})`;
    throw new RecordTooLargeError(
      `The record is ${batchBound} bytes when serialized (key ${Math.max(keySize, 0)}, value ` +
        `${Math.max(valueSize, 0)}, headers and framing), more than ${limit}; it was not sent`,
      { topic, ...(partition === undefined ? {} : { partition }) },
    );
  }
  out.timestamp = timestamp;
  out.key = key;
  out.value = value;
  out.headers = headers;
  out.keySize = keySize;
  out.valueSize = valueSize;
  out.recordBound = recordBound;
  out.sendTime = now;
}

/** Runs a serializer; what it throws fails this record's send as a `RecordSerializationError`. */
function serialize<T>(
  serializer: (data: T, topic: string) => Serialized,
  data: T,
  topic: string,
  part: 'key' | 'value',
): Serialized {
  try {
    return serializer(data, topic);
  } catch (error) {
    throw new RecordSerializationError(
      `The ${part} serializer threw: ${error instanceof Error ? error.message : String(error)}; the record was not sent`,
      { topic, part, cause: error },
    );
  }
}

function serializedSizeOf(value: string | Uint8Array | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** True when a record's headers hold at least one header (an object with a key, or a non-empty list). */
function hasAnyHeader(headers: ProducerRecordHeaders | undefined | null): boolean {
  if (headers === undefined || headers === null) return false;
  if (Array.isArray(headers)) return headers.length > 0;
  return Object.values(headers).some((value) => value !== undefined);
}

function normalizeHeaders(headers: ProducerRecordHeaders, topic: string): RecordHeaderInput[] {
  const out: RecordHeaderInput[] = [];
  const check = (key: unknown, value: unknown) => {
    if (typeof key !== 'string') throw new InvalidArgumentError('Header keys must be strings', { topic });
    if (value !== null && value !== undefined && typeof value !== 'string' && !(value instanceof Uint8Array)) {
      throw new InvalidArgumentError(`Header ${key} must be a string, a Buffer or null`, { topic });
    }
  };
  if (Array.isArray(headers)) {
    for (const header of headers as ReadonlyArray<{ key: string; value: string | Uint8Array | null }>) {
      check(header?.key, header?.value);
      out.push({ key: header.key, value: header.value ?? null });
    }
  } else {
    for (const key of Object.keys(headers)) {
      const value = (headers as Record<string, string | Uint8Array | null | undefined>)[key];
      check(key, value);
      out.push({ key, value: value ?? null });
    }
  }
  return out;
}
