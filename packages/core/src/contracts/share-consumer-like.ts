import type { AcknowledgeType } from '../consumer/share/acknowledge-type.js';
import type { AcknowledgeableRecord } from '../consumer/share/share-consumer.js';
import type { ShareConsumerRecord } from '../consumer/share/share-consumer-record.js';

/**
 * The share consumer contract (KIP-932) that `@vltava/rx`'s `fromShareConsumer` and `@vltava/streams`'
 * `createShareReadStream` build on: exactly the part of {@link ShareConsumer} they use. A `ShareConsumer<K, V>`
 * created with `shareAcknowledgementMode: 'explicit'` is one.
 *
 * @typeParam K Type of record keys after the consumer's key deserializer.
 * @typeParam V Type of record values after the consumer's value deserializer.
 */
export interface ShareConsumerLike<K = Buffer | null, V = Buffer | null> {
  /** `'explicit'` is what the adapters need: records are settled one by one, in any order. */
  readonly acknowledgementMode: 'implicit' | 'explicit';
  /** `client.id`, for the diagnostics payloads of the adapters (optional: test doubles may leave it out). */
  readonly clientId?: string;
  /** The share group, for the diagnostics payloads of the adapters (optional, as {@link clientId}). */
  readonly groupId?: string;
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
