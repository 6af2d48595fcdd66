import type { ProducerRecord, SendCallback, TransactionGroupMetadata, TransactionOffset } from '@vltava/core';

/**
 * The part of `@vltava/core`'s `Producer` that `sendTo` uses: the callback form of `send` (no Promise per record)
 * and `flush`. A `Producer<K, V>` is one; the interface lets the operators be tested against a fake.
 */
export interface ProducerLike<K, V> {
  /** Appends a record to the producer's batches; `callback` gets its metadata or its typed error, once. */
  send(record: ProducerRecord<K, V>, callback: SendCallback): void;
  /** Sends what is batched without waiting for `lingerMs`; resolves once every record sent before has an outcome. */
  flush(): Promise<void>;
}

/** The part of a transactional `Producer` (one with a `transactionalId`) that `sendTransactionally` uses. */
export interface TransactionalProducerLike<K, V> extends ProducerLike<K, V> {
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
