import type { CommitFailedError, TopicPartitionOffset } from '@vltava/core';

/**
 * One commit made by `commitOffsets` (and what it emits): the offsets sent, by partition, each the offset of the
 * next record to read.
 *
 * When the group coordinator refused the commit because it belongs to an older generation of the group (a
 * rebalance happened since the offsets were taken), the commit is dropped, not retried, and `dropped` holds the
 * coordinator's `CommitFailedError`: another member may own those partitions now. The records are read again by
 * whichever member owns them, as at-least-once delivery allows.
 */
export interface OffsetCommit {
  /** The offsets committed (or, when `dropped`, offered). */
  readonly offsets: readonly TopicPartitionOffset[];
  /** Set when the commit was refused as stale and dropped. */
  readonly dropped?: CommitFailedError;
}
