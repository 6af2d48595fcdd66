import type { KafkaError } from '../errors/kafka-error.js';
import type { AutoOffsetReset } from './consumer-options.js';
import type { TopicPartition } from './topic-partition.js';

/**
 * Where a partition's fetch position stands (as Java's `FetchStates`):
 *
 * - `initializing`: assigned, waiting for its committed offset (OffsetFetch).
 * - `await-reset`: needs a ListOffsets lookup (no committed offset, out of range, `seekToBeginning`/`End`).
 * - `await-validation`: has a position whose leader epoch must be checked against the leader's log (KIP-320)
 *   after a leader change or a seek to a committed offset with an epoch.
 * - `fetching`: has a valid position; fetched when not paused.
 * - `failed`: stopped on an error the application must handle (`autoOffsetReset: 'none'`, truncation); the error
 *   is raised by the next `poll()` or iterator step, and a seek clears it.
 */
export type PartitionFetchState = 'initializing' | 'await-reset' | 'await-validation' | 'fetching' | 'failed';

/** The part of a delivered record the position tracking needs. */
export interface DeliveredRecordRef {
  readonly offset: bigint;
  readonly leaderEpoch: number | undefined;
}

/**
 * Everything the consumer tracks for one assigned partition: three offsets that move at different times, and the
 * state of the position.
 *
 * - The **fetch offset** is the next offset to request from the broker; it runs ahead of the position by what is
 *   prefetched.
 * - The **position** is the next offset to hand to the application (Java's `position()`).
 * - The **acknowledged offset** is one past the last record the application finished with: a record counts as
 *   finished when the application asks for the next one (or acknowledges it explicitly). Automatic commits
 *   (periodic, on revocation, on close) commit this offset, never the position, so a record whose processing did
 *   not complete is read again after a restart.
 *
 * Position and acknowledgement are kept as references to the last record plus a base offset, so delivering a
 * record costs two field writes instead of 64-bit arithmetic.
 */
export class PartitionState implements TopicPartition {
  readonly topic: string;
  readonly partition: number;
  /** `topic:partition`. */
  readonly key: string;

  state: PartitionFetchState = 'initializing';
  /** The reset to perform in `await-reset`. */
  resetStrategy: AutoOffsetReset | undefined;
  /** The error that put the partition in `failed`. */
  error: KafkaError | undefined;
  /** Earliest time (ms) the next reset or validation request may be sent; backoff after a failure. */
  nextAttemptAt = 0;
  /** True while a reset, validation or committed-offset request for this partition is in flight. */
  requestInFlight = false;

  /** Bumped on every seek, reset and revocation: fetched data for an older version is dropped. */
  version = 0;

  /** Next offset to fetch. */
  fetchOffset = -1n;
  /** Leader epoch of the last fetched batch (Fetch v12+ `LastFetchedEpoch`), or -1. */
  fetchEpoch = -1;

  private positionBase = -1n;
  private positionBaseEpoch: number | undefined;
  private lastDelivered: DeliveredRecordRef | undefined;
  private ackedBase: bigint | undefined;
  private ackedBaseEpoch: number | undefined;
  private ackedRecord: DeliveredRecordRef | undefined;

  /** The offset (and epoch) last committed by this consumer or read from the group; skips unchanged commits. */
  committedOffset: bigint | undefined;
  /** Leader epoch of the committed offset. */
  committedEpoch: number | undefined;

  /** Current leader epoch the position was last validated against (from metadata), or -1. */
  leaderEpoch = -1;
  /** From the last fetch response. */
  highWatermark: bigint | undefined;
  /** From the last fetch response. */
  logStartOffset: bigint | undefined;
  /** From the last fetch response (read_committed). */
  lastStableOffset: bigint | undefined;
  /** KIP-392: the replica the leader told us to fetch from, and until when (ms). */
  preferredReadReplica: number | undefined;
  preferredReadReplicaExpiresAt = 0;

  /** Being revoked: its records are no longer handed out. */
  revoking = false;
  /** Just assigned and `onPartitionsAssigned` is running: the position is not initialised until it returns. */
  held = false;

  constructor(topic: string, partition: number) {
    this.topic = topic;
    this.partition = partition;
    this.key = `${topic}:${partition}`;
  }

  /** True when the partition has a position (any state after the first offset is known). */
  get hasPosition(): boolean {
    return this.positionBase >= 0n || this.lastDelivered !== undefined;
  }

  /** The next offset to hand to the application, or -1 when not known yet. */
  get position(): bigint {
    const last = this.lastDelivered;
    return last === undefined ? this.positionBase : last.offset + 1n;
  }

  /** Leader epoch of the record before the position, when known. */
  get positionEpoch(): number | undefined {
    const last = this.lastDelivered;
    return last === undefined ? this.positionBaseEpoch : last.leaderEpoch;
  }

  /** One past the last record the application finished with, or `undefined` before the first. */
  get ackedOffset(): bigint | undefined {
    const record = this.ackedRecord;
    return record === undefined ? this.ackedBase : record.offset + 1n;
  }

  /** Leader epoch that goes with {@link ackedOffset}. */
  get ackedEpoch(): number | undefined {
    const record = this.ackedRecord;
    return record === undefined ? this.ackedBaseEpoch : record.leaderEpoch;
  }

  /** Records that `record` (of this partition) was handed to the application. */
  delivered(record: DeliveredRecordRef): void {
    this.lastDelivered = record;
  }

  /**
   * Moves the position to `offset` without a record: after the last record of a batch (to skip control records and
   * compacted gaps that follow it), or past batches with nothing to deliver (aborted, control).
   */
  advancePosition(offset: bigint, epoch: number | undefined): void {
    if (offset > this.position) {
      this.positionBase = offset;
      this.positionBaseEpoch = epoch;
      this.lastDelivered = undefined;
    }
  }

  /** Marks everything delivered so far as processed. */
  acknowledgeDelivered(): void {
    this.ackedRecord = this.lastDelivered;
    this.ackedBase = this.positionBase;
    this.ackedBaseEpoch = this.positionBaseEpoch;
  }

  /**
   * Marks `offset` (one past a processed record) as processed, if it is ahead of what is already acknowledged and
   * not past the position (explicit acknowledgement).
   */
  acknowledgeOffset(offset: bigint, epoch: number | undefined): void {
    const acked = this.ackedOffset;
    if ((acked === undefined || offset > acked) && offset <= this.position) {
      this.ackedRecord = undefined;
      this.ackedBase = offset;
      this.ackedBaseEpoch = epoch;
    }
  }

  /**
   * Sets a new position (seek, reset, committed offset): drops what was prefetched (the caller clears the buffer),
   * and makes the acknowledged offset follow, as a Java commit after a seek commits the sought position.
   */
  seek(offset: bigint, epoch: number | undefined, state: PartitionFetchState = 'fetching'): void {
    this.version++;
    this.positionBase = offset;
    this.positionBaseEpoch = epoch;
    this.lastDelivered = undefined;
    this.ackedRecord = undefined;
    this.ackedBase = offset;
    this.ackedBaseEpoch = epoch;
    this.fetchOffset = offset;
    this.fetchEpoch = epoch ?? -1;
    this.state = state;
    this.resetStrategy = undefined;
    this.error = undefined;
    this.preferredReadReplica = undefined;
  }

  /**
   * Rewinds the fetch offset to the position, dropping prefetched data (the caller clears the buffer). Used when
   * a fetch must be redone from where the application is, for example after validation.
   */
  rewindFetch(): void {
    this.version++;
    this.fetchOffset = this.position;
    this.fetchEpoch = this.positionEpoch ?? -1;
  }

  /** Asks for a ListOffsets reset with `strategy`. */
  requestReset(strategy: AutoOffsetReset): void {
    this.version++;
    this.state = 'await-reset';
    this.resetStrategy = strategy;
    this.nextAttemptAt = 0;
  }

  /** Asks for the position to be validated against the leader's log (KIP-320). */
  requestValidation(): void {
    if (this.state !== 'fetching' && this.state !== 'await-validation') return;
    this.version++;
    this.fetchOffset = this.position;
    this.fetchEpoch = this.positionEpoch ?? -1;
    this.state = 'await-validation';
    this.nextAttemptAt = 0;
  }

  /** Stops the partition on an error the application must see. */
  fail(error: KafkaError): void {
    this.version++;
    this.state = 'failed';
    this.error = error;
  }
}
