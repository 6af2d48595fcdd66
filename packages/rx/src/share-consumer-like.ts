import type { AcknowledgeableRecord, AcknowledgeType, ShareConsumerRecord } from '@vltava/core';

/**
 * The part of `@vltava/core`'s `ShareConsumer` that `fromShareConsumer` uses. A `ShareConsumer<K, V>` created with
 * `shareAcknowledgementMode: 'explicit'` is one; the interface names exactly what the operator relies on.
 */
export interface ShareConsumerLike<K, V> {
  /** `'explicit'` is required: records are settled one by one, in any order. */
  readonly acknowledgementMode: 'implicit' | 'explicit';
  /** Subscribes the share group member to topics. */
  subscribe(topics: string | readonly string[]): void;
  /** Drops the subscription and leaves the group (the consumer stays open). */
  unsubscribe(): Promise<void>;
  /** Up to `maxRecords` acquired records, waiting up to `timeoutMs`. */
  poll(options?: {
    readonly timeoutMs?: number;
    readonly maxRecords?: number;
  }): Promise<Iterable<ShareConsumerRecord<K, V>>>;
  /** Settles a record (or renews its lock). */
  acknowledge(record: AcknowledgeableRecord, type?: AcknowledgeType): void;
  /** Releases what it holds, leaves the group and closes the connections. */
  close(): Promise<void>;
}
