import type { ProducerRecord, SendBatchResult, SendCallback } from '@vltava/core';

/**
 * What the stream adapters use of a producer: a `Producer` from `@vltava/core` is one. Written as an interface so
 * that anything with the producer's contract (a wrapper, a test double) fits.
 */
export interface StreamProducer<K = string | Uint8Array, V = string | Uint8Array> {
  /** Sends records; resolves once each has its outcome (metadata or error, by index), never rejects per record. */
  sendBatch(records: Iterable<ProducerRecord<K, V>>): Promise<SendBatchResult>;
  /** Sends one record; `callback` gets its outcome. */
  send(record: ProducerRecord<K, V>, callback: SendCallback): void;
  /** Resolves when the buffer has room for `bytes` and no send waits for memory. Never rejects. */
  waitForBuffer(bytes?: number): Promise<void>;
  /** The partitions of a topic, loading its metadata if needed. */
  partitionsFor(topic: string): Promise<readonly unknown[]>;
  /** Sends what is buffered now and resolves once every record sent so far has its outcome. */
  flush(options?: { readonly timeoutMs?: number }): Promise<void>;
  /** Flushes, then closes the producer. */
  close(options?: { readonly timeoutMs?: number }): Promise<void>;
}
