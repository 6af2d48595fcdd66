import type { AcknowledgeType } from '../consumer/share/acknowledge-type.js';
import type { ShareConsumerRecord } from '../consumer/share/share-consumer-record.js';
import { recordBytes } from './record-bytes.js';

/** How a {@link ShareMessage} was settled (renewing a lock does not settle it). */
export type ShareOutcome = Exclude<AcknowledgeType, 'renew'>;

/**
 * A share group record (KIP-932) as the adapters hand it out (`@vltava/rx`'s `fromShareConsumer`, `@vltava/streams`'
 * `createShareReadStream`): the core's `ShareConsumerRecord`, unchanged, with the handles that settle it. Settle
 * every message exactly once, from wherever the work happens (a `mergeMap` task, a stream stage, a worker):
 *
 * - `accept()`: processed; never delivered again.
 * - `release()`: not processed; delivered again (to any member), with a higher `deliveryCount`.
 * - `reject()`: unprocessable; never delivered again (the broker archives it).
 * - `renew()`: still working on it; its acquisition lock starts over (Kafka 4.2+). Settle it later.
 *
 * The first settlement counts; later calls return false and change nothing (also after the adapter ended, which
 * released the message). A message left unsettled keeps its place in the adapter's in-flight bound until its lock
 * expires on the broker, which then delivers it again.
 *
 * @typeParam K Type of record keys after the consumer's key deserializer.
 * @typeParam V Type of record values after the consumer's value deserializer.
 */
export class ShareMessage<K = Buffer | null, V = Buffer | null> {
  /** The record, exactly as the share consumer delivered it. */
  readonly record: ShareConsumerRecord<K, V>;
  /** Bytes the record counts for in an adapter's byte bound (key, value and headers before deserialization). */
  readonly bytes: number;
  private readonly settleWith: (message: ShareMessage<K, V>, type: AcknowledgeType) => boolean;
  private outcome: ShareOutcome | undefined;

  /**
   * Made by an adapter, which passes the function that settles a message (it tells the share consumer and returns
   * false when the message is no longer held). Applications receive messages; they do not build them.
   */
  constructor(
    record: ShareConsumerRecord<K, V>,
    settle: (message: ShareMessage<K, V>, type: AcknowledgeType) => boolean,
  ) {
    this.record = record;
    this.bytes = recordBytes(record);
    this.settleWith = settle;
  }

  /** Accepts the record (processed). Returns false when the message was settled already. */
  accept(): boolean {
    return this.settle('accept');
  }

  /** Releases the record for another delivery attempt. Returns false when the message was settled already. */
  release(): boolean {
    return this.settle('release');
  }

  /** Rejects the record (never delivered again). Returns false when the message was settled already. */
  reject(): boolean {
    return this.settle('reject');
  }

  /** Renews the record's acquisition lock; the message stays unsettled. Returns false once it is settled. */
  renew(): boolean {
    return this.outcome === undefined && this.settleWith(this, 'renew');
  }

  /** How the message was settled, or undefined while it is not. */
  get settled(): ShareOutcome | undefined {
    return this.outcome;
  }

  /** How many times the record has been delivered, this delivery included. */
  get deliveryCount(): number {
    return this.record.deliveryCount;
  }

  /**
   * Marks the message settled without telling anyone (the adapter's settle function calls it once the consumer
   * took the settlement, and the adapter calls it when it releases what is unsettled at its end). Returns false
   * when it was settled already.
   */
  markSettled(type: ShareOutcome): boolean {
    if (this.outcome !== undefined) return false;
    this.outcome = type;
    return true;
  }

  private settle(type: ShareOutcome): boolean {
    return this.outcome === undefined && this.settleWith(this, type);
  }
}
