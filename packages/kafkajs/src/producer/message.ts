import type { CoreProducerRecord } from '../core.js';
import { KafkaJSNonRetriableError } from '../errors/errors.js';
import type { CompressionTypes } from './compression.js';

/** Headers by key; an array sends the key once per value. */
export interface IHeaders {
  [key: string]: Buffer | string | (Buffer | string)[] | undefined;
}

/** A message to send. `timestamp` is milliseconds since the epoch, as a string. */
export interface Message {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  partition?: number;
  headers?: IHeaders;
  timestamp?: string;
}

/** What `producer.send` takes. `timeout` is accepted for compatibility (the engine bounds sends itself). */
export interface ProducerRecord {
  topic: string;
  messages: Message[];
  acks?: number;
  timeout?: number;
  compression?: CompressionTypes;
}

/** Messages for one topic in `sendBatch`. */
export interface TopicMessages {
  topic: string;
  messages: Message[];
}

/** What `producer.sendBatch` takes. */
export interface ProducerBatch {
  acks?: number;
  timeout?: number;
  compression?: CompressionTypes;
  topicMessages?: TopicMessages[];
}

type CoreRecord = CoreProducerRecord<Buffer | string, Buffer | string>;
type CoreHeaders = Array<{ key: string; value: string | Uint8Array | null }>;

/** Checks the messages of a send as KafkaJS does: a topic, an array, and a `value` on every message. */
export function checkTopicMessages(topic: unknown, messages: unknown): asserts messages is Message[] {
  if (typeof topic !== 'string' || topic === '') throw new KafkaJSNonRetriableError('Invalid topic');
  if (!Array.isArray(messages)) {
    throw new KafkaJSNonRetriableError(`Invalid messages array [${String(messages)}] for topic "${topic}"`);
  }
  for (const message of messages as Message[]) {
    if (message === null || typeof message !== 'object' || message.value === undefined) {
      throw new KafkaJSNonRetriableError(`Invalid message without value for topic "${topic}": ${safeJson(message)}`);
    }
  }
}

/** The engine's record for a message, written to `partition`. */
export function toCoreRecord(topic: string, message: Message, partition: number): CoreRecord {
  const record: {
    topic: string;
    partition: number;
    key: Buffer | string | null;
    value: Buffer | string | null;
    headers?: CoreHeaders;
    timestamp?: number;
  } = {
    topic,
    partition,
    key: message.key ?? null,
    value: message.value,
  };
  if (message.headers !== undefined && message.headers !== null) record.headers = toCoreHeaders(message.headers);
  if (message.timestamp !== undefined && message.timestamp !== null) {
    const timestamp = Number(message.timestamp);
    if (!Number.isFinite(timestamp)) {
      throw new KafkaJSNonRetriableError(`Invalid message timestamp "${String(message.timestamp)}" for topic ${topic}`);
    }
    record.timestamp = timestamp;
  }
  return record;
}

function toCoreHeaders(headers: IHeaders): CoreHeaders {
  const list: CoreHeaders = [];
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) list.push({ key, value: item });
    } else {
      list.push({ key, value });
    }
  }
  return list;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
