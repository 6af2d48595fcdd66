import type { ConsumerRecord } from '../consumer/consumer-record.js';

/**
 * The bytes a consumed record counts for in an adapter's byte bound (`highWaterMarkBytes`): its key, value and
 * headers as fetched, before deserialization.
 */
export function recordBytes(record: ConsumerRecord<unknown, unknown>): number {
  let bytes = Math.max(0, record.serializedKeySize) + Math.max(0, record.serializedValueSize);
  const headers = record.headers;
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!;
    bytes += header.key.length + (header.value === null ? 0 : header.value.length);
  }
  return bytes;
}
