import type { PartitionState } from './partition-state.js';
import { Signal } from './signal.js';

/**
 * What the assigned partitions announce, so that the consumer's loops react to it instead of being woken by the
 * facade. One instance per consumer, owned by its `SubscriptionState`; every `PartitionState` emits on it from its
 * intent methods (never per record).
 *
 * | signal        | emitted when                                                           | who listens              |
 * | ------------- | ---------------------------------------------------------------------- | ------------------------ |
 * | `changed`     | assigned, released after `onPartitionsAssigned`, sought, reset or      | fetcher, position        |
 * |               | validation requested, validated, rewound, failed, removed              | updater, delivery,       |
 * |               |                                                                        | `position()` waiters     |
 * | `invalidated` | the prefetched records no longer continue the position (any of the     | fetch buffer             |
 * |               | above but assignment, validation and release)                          |                          |
 * | `resumed`     | a pause (the application's, or a backpressure one) was lifted          | fetcher, delivery        |
 */
export class PartitionEvents {
  /** A partition's fetch state changed (see `PartitionFetchState`), or it left the assignment (`revoked`). */
  readonly changed = new Signal<PartitionState>();
  /** A partition's prefetched records no longer continue its position: drop them. */
  readonly invalidated = new Signal<PartitionState>();
  /** A paused partition was resumed: it may be fetched, and its buffered records handed out, again. */
  readonly resumed = new Signal<PartitionState>();
}
