/**
 * Kafka's text form of the all-zero UUID (`Uuid.ZERO_UUID`), which Kafka uses where a UUID is absent.
 */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/**
 * Matches Kafka's text form of a UUID: 16 bytes as URL-safe base64 without padding (22 characters). The last
 * character carries only two significant bits, so it is one of `A`, `Q`, `g`, `w`.
 */
const UUID_TEXT = /^[A-Za-z0-9_-]{21}[AQgw]$/;

/** True when `value` is a UUID in Kafka's text form (`Uuid.toString()`). */
export function isUuid(value: string): boolean {
  return value.length === 22 && UUID_TEXT.test(value);
}
