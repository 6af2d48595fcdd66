import type { AcknowledgeType, ShareConsumerRecord } from '@vltava/core';

/**
 * A record as `fromShareConsumer` emits it: the core's `ShareConsumerRecord`, unchanged, with the handles that
 * settle it. Settle every message exactly once, from wherever the work happens (a `mergeMap` task, a worker):
 *
 * - `accept()`: processed; never delivered again.
 * - `release()`: not processed; delivered again (to any member), with a higher `deliveryCount`.
 * - `reject()`: unprocessable; never delivered again (the broker archives it).
 * - `renew()`: still working on it; its acquisition lock starts over (Kafka 4.2+). Settle it later.
 *
 * The first settlement counts; later calls return false and change nothing (also after the subscription ended,
 * which released the message). A message left unsettled keeps its place under the source's high-water mark until
 * its lock expires on the broker, which then delivers it again.
 *
 * @typeParam K Type of record keys after the consumer's `keyDeserializer`.
 * @typeParam V Type of record values after the consumer's `valueDeserializer`.
 * @see fromShareConsumer
 */
export class ShareMessage<K = Buffer | null, V = Buffer | null> {
  /** The record, exactly as the share consumer delivered it. */
  readonly record: ShareConsumerRecord<K, V>;
  /** @internal Bytes the record counts for under `highWaterMarkBytes`. */
  readonly bytes: number;
  private readonly settleWith: (message: ShareMessage<K, V>, type: AcknowledgeType) => boolean;
  private outcome: Exclude<AcknowledgeType, 'renew'> | undefined;

  /** @internal Made by the source; applications receive messages, they do not build them. */
  constructor(
    record: ShareConsumerRecord<K, V>,
    bytes: number,
    settle: (message: ShareMessage<K, V>, type: AcknowledgeType) => boolean,
  ) {
    this.record = record;
    this.bytes = bytes;
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
    if (this.outcome !== undefined) return false;
    return this.settleWith(this, 'renew');
  }

  /** How the message was settled, or undefined while it is not. */
  get settled(): Exclude<AcknowledgeType, 'renew'> | undefined {
    return this.outcome;
  }

  /** How many times the record has been delivered, this delivery included. */
  get deliveryCount(): number {
    return this.record.deliveryCount;
  }

  /** @internal Marks the message settled by the source (released when the subscription ended). */
  markSettled(type: Exclude<AcknowledgeType, 'renew'>): boolean {
    if (this.outcome !== undefined) return false;
    this.outcome = type;
    return true;
  }

  private settle(type: Exclude<AcknowledgeType, 'renew'>): boolean {
    if (this.outcome !== undefined) return false;
    return this.settleWith(this, type);
  }
}
