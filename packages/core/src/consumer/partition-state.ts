import type { KafkaError } from '../errors/kafka-error.js';
import type { TopicPartition } from '../vocabulary/topic-partition.js';
import type { AutoOffsetReset } from './consumer-options.js';
import { PartitionEvents } from './partition-events.js';

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
 * Everything the consumer tracks for one assigned partition: three offsets that move at different times, the state
 * of the position, and what the last fetch said about the log.
 *
 * - The **fetch offset** is the next offset to request from the broker; it runs ahead of the position by what is
 *   prefetched.
 * - The **position** is the next offset to hand to the application (Java's `position()`).
 * - The **acknowledged offset** is one past the last record the application finished with: a record counts as
 *   finished when the application asks for the next one (or acknowledges it explicitly). Automatic commits
 *   (periodic, on revocation, on close) commit this offset, never the position, so a record whose processing did
 *   not complete is read again after a restart.
 *
 * Fields are read-only from outside; the state changes only through intent methods named for what happened
 * (`seek`, `requestReset`, `markValidated`, `markFetched`, `fail`, ...). Those that change the fetch state or
 * invalidate prefetched records announce it on the consumer's {@link PartitionEvents}; the per-record ones
 * (`delivered`, `advancePosition`, acknowledgements) announce nothing and cost a field write or two: position and
 * acknowledgement are kept as references to the last record plus a base offset, not as 64-bit arithmetic.
 */
export class PartitionState implements TopicPartition {
  readonly topic: string;
  readonly partition: number;
  /** `topic:partition`. */
  readonly key: string;
  private readonly events: PartitionEvents;

  private fetchState: PartitionFetchState = 'initializing';
  private reset: AutoOffsetReset | undefined;
  private failure: KafkaError | undefined;
  private versionNumber = 0;
  private nextFetchOffset = -1n;
  private nextFetchEpoch = -1;

  private positionBase = -1n;
  private positionBaseEpoch: number | undefined;
  private lastDelivered: DeliveredRecordRef | undefined;
  private ackedBase: bigint | undefined;
  private ackedBaseEpoch: number | undefined;
  private ackedRecord: DeliveredRecordRef | undefined;

  private committed: bigint | undefined;
  private committedLeaderEpoch: number | undefined;
  private validatedEpoch = -1;
  private highWatermarkValue: bigint | undefined;
  private logStartOffsetValue: bigint | undefined;
  private lastStableOffsetValue: bigint | undefined;
  private readReplica: number | undefined;
  private readReplicaExpiresAt = 0;

  private revokingFlag = false;
  private revokedFlag = false;
  private heldFlag = false;

  /** @param events Where the state announces its changes (a private set when omitted, as in unit tests). */
  constructor(topic: string, partition: number, events: PartitionEvents = new PartitionEvents()) {
    this.topic = topic;
    this.partition = partition;
    this.key = `${topic}:${partition}`;
    this.events = events;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading

  /** Where the position stands. */
  get state(): PartitionFetchState {
    return this.fetchState;
  }

  /** In `await-reset`: the reset to perform, or `undefined` for the one `autoOffsetReset` chooses. */
  get resetStrategy(): AutoOffsetReset | undefined {
    return this.reset;
  }

  /** In `failed`: the error the application must see. */
  get error(): KafkaError | undefined {
    return this.failure;
  }

  /** Bumped whenever prefetched data stops continuing the position: fetched data of an older version is dropped. */
  get version(): number {
    return this.versionNumber;
  }

  /** Next offset to fetch. */
  get fetchOffset(): bigint {
    return this.nextFetchOffset;
  }

  /** Leader epoch of the last fetched batch (Fetch v12+ `LastFetchedEpoch`), or -1. */
  get fetchEpoch(): number {
    return this.nextFetchEpoch;
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

  /** The offset last committed by this consumer or read from the group; automatic commits skip it unchanged. */
  get committedOffset(): bigint | undefined {
    return this.committed;
  }

  /** Leader epoch of the committed offset. */
  get committedEpoch(): number | undefined {
    return this.committedLeaderEpoch;
  }

  /** The leader epoch (from metadata) the position was last validated against, or -1. */
  get leaderEpoch(): number {
    return this.validatedEpoch;
  }

  /** From the last fetch response. */
  get highWatermark(): bigint | undefined {
    return this.highWatermarkValue;
  }

  /** From the last fetch response. */
  get logStartOffset(): bigint | undefined {
    return this.logStartOffsetValue;
  }

  /** From the last fetch response (read_committed). */
  get lastStableOffset(): bigint | undefined {
    return this.lastStableOffsetValue;
  }

  /** KIP-392: the replica the leader told us to fetch from, while that advice holds. */
  get preferredReadReplica(): number | undefined {
    return this.readReplica;
  }

  /** Being revoked: its records are no longer handed out nor fetched. */
  get revoking(): boolean {
    return this.revokingFlag;
  }

  /** No longer assigned: nothing about it matters any more. */
  get revoked(): boolean {
    return this.revokedFlag;
  }

  /** Just assigned and `onPartitionsAssigned` is running: the position is not initialised until it returns. */
  get held(): boolean {
    return this.heldFlag;
  }

  /** True while the partition needs a position from the position updater. */
  get needsPosition(): boolean {
    const s = this.fetchState;
    return s === 'initializing' || s === 'await-reset' || s === 'await-validation';
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Delivery (per record: no announcements)

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
   * not past the position (explicit acknowledgement, explicit commit).
   */
  acknowledgeOffset(offset: bigint, epoch: number | undefined): void {
    const acked = this.ackedOffset;
    if ((acked === undefined || offset > acked) && offset <= this.position) {
      this.ackedRecord = undefined;
      this.ackedBase = offset;
      this.ackedBaseEpoch = epoch;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Position (announced)

  /**
   * Sets a new position (seek, reset, committed offset, truncation): drops what was prefetched, and makes the
   * acknowledged offset follow, as a Java commit after a seek commits the sought position. With `then`
   * `await-validation` the position is checked against the leader's log before it is fetched.
   */
  seek(offset: bigint, epoch: number | undefined, then: 'fetching' | 'await-validation' = 'fetching'): void {
    this.positionBase = offset;
    this.positionBaseEpoch = epoch;
    this.lastDelivered = undefined;
    this.ackedRecord = undefined;
    this.ackedBase = offset;
    this.ackedBaseEpoch = epoch;
    this.nextFetchOffset = offset;
    this.nextFetchEpoch = epoch ?? -1;
    this.reset = undefined;
    this.failure = undefined;
    this.readReplica = undefined;
    this.transition(then, true);
  }

  /**
   * Rewinds the fetch offset to the position, dropping prefetched data: a fetch must be redone from where the
   * application is (the leader reported a divergence above the position).
   */
  rewindFetch(): void {
    this.nextFetchOffset = this.position;
    this.nextFetchEpoch = this.positionEpoch ?? -1;
    this.transition(this.fetchState, true);
  }

  /**
   * Asks for a ListOffsets reset: with `strategy` (`seekToBeginning`, `seekToEnd`, a reset by policy), or without
   * one for whatever `autoOffsetReset` decides (the fetch offset was out of range; the position updater applies the
   * policy, and with `none` fails the partition).
   */
  requestReset(strategy?: AutoOffsetReset): void {
    this.reset = strategy;
    this.transition('await-reset', true);
  }

  /** Asks for the position to be validated against the leader's log (KIP-320), when it is fetching or validating. */
  requestValidation(): void {
    if (this.fetchState !== 'fetching' && this.fetchState !== 'await-validation') return;
    this.nextFetchOffset = this.position;
    this.nextFetchEpoch = this.positionEpoch ?? -1;
    this.transition('await-validation', true);
  }

  /** The leader's log holds the position in `leaderEpoch`: fetch on. */
  markValidated(leaderEpoch: number): void {
    this.validatedEpoch = leaderEpoch;
    this.transition('fetching', false);
  }

  /**
   * Metadata names a leader epoch: a newer one under a fetching position with a known epoch asks for validation
   * (the new leader's log may not hold the position); otherwise it is just remembered.
   */
  observeLeaderEpoch(epoch: number): void {
    if (this.fetchState !== 'fetching' || epoch <= this.validatedEpoch) return;
    if (this.validatedEpoch >= 0 && this.positionEpoch !== undefined) this.requestValidation();
    else this.validatedEpoch = epoch;
  }

  /** Stops the partition on an error the application must see; a seek clears it. */
  fail(error: KafkaError): void {
    this.failure = error;
    this.transition('failed', true);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fetching (per fetch response: no announcements)

  /** A fetch consumed the log up to `nextOffset`; `lastEpoch` is the leader epoch of its last batch, or -1. */
  markFetched(nextOffset: bigint, lastEpoch: number): void {
    this.nextFetchOffset = nextOffset;
    if (lastEpoch >= 0) this.nextFetchEpoch = lastEpoch;
  }

  /** What a fetch response said of the log: high watermark, last stable offset and log start (-1: not sent). */
  recordLogBounds(highWatermark: bigint, lastStableOffset: bigint, logStartOffset: bigint): void {
    this.highWatermarkValue = highWatermark;
    if (lastStableOffset >= 0n) this.lastStableOffsetValue = lastStableOffset;
    if (logStartOffset >= 0n) this.logStartOffsetValue = logStartOffset;
  }

  /** KIP-392: the leader prefers the consumer to read from `node` until `until` (ms). */
  preferReadReplica(node: number, until: number): void {
    this.readReplica = node;
    this.readReplicaExpiresAt = until;
  }

  /** The preferred read replica while its advice holds at `now`; forgets it once expired. */
  readReplicaAt(now: number): number | undefined {
    const replica = this.readReplica;
    if (replica !== undefined && this.readReplicaExpiresAt <= now) this.readReplica = undefined;
    return this.readReplica;
  }

  /** Reads from the leader again (the replica failed, lagged, or the leader stopped advising one). */
  forgetReadReplica(): void {
    this.readReplica = undefined;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Commits

  /** The group holds `offset` (with `epoch`, -1 when none) for this partition: read from it, or committed by us. */
  markCommitted(offset: bigint, epoch: number): void {
    this.committed = offset;
    this.committedLeaderEpoch = epoch;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Assignment (the subscription state and the rebalance handler)

  /** `onPartitionsAssigned` is about to run: keep the position uninitialised until {@link release}. */
  hold(): void {
    this.heldFlag = true;
  }

  /** `onPartitionsAssigned` returned: the position may be initialised. */
  release(): void {
    if (!this.heldFlag) return;
    this.heldFlag = false;
    this.events.changed.emit(this);
  }

  /** A revocation began: stop handing out and fetching the partition's records. */
  beginRevoke(): void {
    this.revokingFlag = true;
  }

  /** The partition left the assignment. Called by `SubscriptionState`. */
  markRevoked(): void {
    this.revokingFlag = true;
    this.revokedFlag = true;
    this.versionNumber++;
    this.events.invalidated.emit(this);
    this.events.changed.emit(this);
  }

  private transition(next: PartitionFetchState, invalidates: boolean): void {
    this.fetchState = next;
    if (invalidates) {
      this.versionNumber++;
      this.events.invalidated.emit(this);
    }
    this.events.changed.emit(this);
  }
}
