/**
 * Visibility of transactional records, for the consumer's fetches and the admin's ListOffsets.
 *
 * @module
 */

/**
 * Which records a read returns from transactional producers. Java: `isolation.level` / `IsolationLevel`
 * (`read_uncommitted`, `read_committed`).
 */
export type IsolationLevel = 'read_uncommitted' | 'read_committed';

/** The protocol value of an isolation level (Fetch, ListOffsets): 0 read_uncommitted, 1 read_committed. */
export function isolationLevelCode(level: IsolationLevel | undefined): number {
  return level === 'read_committed' ? 1 : 0;
}
