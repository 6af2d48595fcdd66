import type { CoreConsumerRecord as ConsumerRecord } from '../core.js';
import type { IHeaders } from '../producer/message.js';

/** A message as KafkaJS hands it to `eachMessage` and `eachBatch`: Buffers, and 64-bit numbers as strings. */
export interface KafkaMessage {
  key: Buffer | null;
  value: Buffer | null;
  /** Milliseconds since the epoch, as a string. */
  timestamp: string;
  /** Record attributes (always 0 for record batch v2 records). */
  attributes: number;
  /** The offset, as a string. */
  offset: string;
  /** Headers by key: a Buffer, or an array of Buffers when a key repeats. */
  headers: IHeaders;
  size?: never;
}

/**
 * Turns a record of the engine into KafkaJS's message shape. Keys and values stay the engine's Buffers (views into
 * the fetched data, as in KafkaJS); headers become an object whose repeated keys hold arrays, as KafkaJS decodes
 * them.
 */
export function toKafkaMessage(record: ConsumerRecord): KafkaMessage {
  return {
    key: record.key,
    value: record.value,
    timestamp: String(record.timestamp),
    attributes: 0,
    offset: record.offset.toString(),
    headers: toHeaders(record.headers),
  };
}

function toHeaders(headers: ConsumerRecord['headers']): IHeaders {
  const out: IHeaders = {};
  for (const { key, value } of headers) {
    const existing = out[key];
    const item = value as Buffer;
    if (existing === undefined) out[key] = item;
    else if (Array.isArray(existing)) existing.push(item);
    else out[key] = [existing, item];
  }
  return out;
}
