import type { PartitionInfo } from '../cluster/metadata.js';
import type { ProducerRecord } from '../producer/producer.js';
import type { SendCallback } from '../producer/record-metadata.js';
import type { SendBatchOptions, SendBatchResult } from '../producer/send-batch-result.js';
import type { TransactionGroupMetadata, TransactionOffset } from '../producer/transaction-coordinator.js';

/**
 * The producer contract that `@vltava/rx` and `@vltava/streams` build on: exactly the part of {@link Producer} they
 * use. A `Producer<K, V>` is one; so is anything with the same contract (a wrapper, a test double).
 *
 * The adapters hand records over in arrays (`sendBatch`: one Promise per array, not per record), wait for buffer
 * space instead of failing (`waitForBuffer`), load a topic's metadata before its first large array
 * (`partitionsFor`), and `flush` when nothing more will join the producer's batches.
 *
 * @typeParam K Type of record keys before the producer's key serializer.
 * @typeParam V Type of record values before the producer's value serializer.
 */
export interface ProducerLike<K = string | Uint8Array, V = string | Uint8Array> {
  /** Sends one record; `callback` gets its metadata or its typed error, once. */
  send(record: ProducerRecord<K, V>, callback: SendCallback): void;
  /**
   * Sends records; resolves once each has its outcome (metadata or error, by index), never rejects per record.
   * The adapters pass `{ linger: true }`: the producer's linger gathers their trickles.
   */
  sendBatch(records: Iterable<ProducerRecord<K, V>>, options?: SendBatchOptions): Promise<SendBatchResult>;
  /** Resolves when the buffer has room for `bytes` (default `batchSize`) and no send waits for memory. */
  waitForBuffer(bytes?: number): Promise<void>;
  /** The partitions of a topic, loading its metadata if needed. */
  partitionsFor(topic: string): Promise<readonly PartitionInfo[]>;
  /** Sends what is buffered without waiting for `lingerMs`; resolves once every record sent before has an outcome. */
  flush(): Promise<void>;
  /** Flushes, then closes the producer. */
  close(): Promise<void>;
}

/** The part of a transactional {@link Producer} (one with a `transactionalId`) that `sendTransactionally` uses. */
export interface TransactionalProducerLike<K = string | Uint8Array, V = string | Uint8Array>
  extends ProducerLike<K, V> {
  /** Starts a transaction. */
  beginTransaction(): void;
  /** Adds consumed offsets to the transaction (KIP-98, KIP-447 with the consumer's group metadata). */
  sendOffsetsToTransaction(
    offsets: readonly TransactionOffset[],
    groupMetadata: TransactionGroupMetadata | string,
  ): Promise<void>;
  /** Sends the transaction's records and commits it with its offsets. */
  commitTransaction(): Promise<void>;
  /** Aborts the transaction: its records are never visible to `read_committed` consumers. */
  abortTransaction(): Promise<void>;
}
