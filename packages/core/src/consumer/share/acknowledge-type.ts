/**
 * How a share consumer settles a record it acquired. Java: `AcknowledgeType` (`ACCEPT`, `RELEASE`, `REJECT`,
 * `RENEW`).
 *
 * - `accept`: processed; the record is never delivered again (to any member of the group).
 * - `release`: not processed; the record becomes available again at once, for another delivery attempt (counted in
 *   `deliveryCount`; past `share.delivery.count.limit` the broker archives it).
 * - `reject`: unprocessable; the record is archived and never delivered again.
 * - `renew`: still being processed; the acquisition lock starts over (KIP-1222, ShareAcknowledge v2, Kafka 4.2+).
 *   The record stays in the application's hands and must still be settled.
 */
export type AcknowledgeType = 'accept' | 'release' | 'reject' | 'renew';

/** The acknowledge types of the ShareFetch and ShareAcknowledge requests (`AcknowledgeTypes` array elements). */
export const AcknowledgeTypeCode = {
  /** An acquired offset with no record to hand out (a transaction marker, a compacted record): settled as a gap. */
  gap: 0,
  accept: 1,
  release: 2,
  reject: 3,
  renew: 4,
} as const;

/** A wire code of {@link AcknowledgeTypeCode}. */
export type AcknowledgeTypeCode = (typeof AcknowledgeTypeCode)[keyof typeof AcknowledgeTypeCode];

const NAMES: ReadonlySet<string> = new Set(['accept', 'release', 'reject', 'renew']);

/** True for an {@link AcknowledgeType} name. */
export function isAcknowledgeType(value: unknown): value is AcknowledgeType {
  return typeof value === 'string' && NAMES.has(value);
}
