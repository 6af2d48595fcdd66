import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import type { Logger } from '../utils/logger.js';
import { RetryTimer } from '../utils/retry-timer.js';
import { FetchOffsetOutOfRangeError, LogTruncationError, NoOffsetForPartitionError } from './consumer-errors.js';
import type { AutoOffsetReset } from './consumer-options.js';
import type { LeaderEpochValidator } from './leader-epoch-validator.js';
import { type GroupGeneration, NO_GENERATION, type OffsetCommitter } from './offset-committer.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, type OffsetLookup } from './offset-lookup.js';
import type { PartitionState } from './partition-state.js';
import type { SubscriptionState } from './subscription-state.js';
import { formatPartition, partitionKey } from './topic-partition.js';

/** What the position updater needs from the consumer. */
export interface PositionHost {
  readonly subscriptions: SubscriptionState;
  readonly logger: Logger;
  /** The committer, when the consumer has a `groupId`. */
  readonly committer: OffsetCommitter | undefined;
  /** The generation to read committed offsets with (KIP-848 sends the member epoch). */
  generation(): GroupGeneration | undefined;
  /** Drops a partition's prefetched records. */
  discard(state: PartitionState): void;
  /** Raises a partition's error to the application. */
  failPartition(state: PartitionState, error: KafkaError): void;
  /** Positions became valid: fetch. */
  positionsReady(): void;
  /** Requests a metadata refresh (leaders moved). */
  refreshMetadata(): void;
}

/** Settings of the position updater. */
export interface PositionUpdaterOptions {
  readonly autoOffsetReset: AutoOffsetReset;
  readonly defaultApiTimeoutMs: number;
  readonly retryDelay: (attempt: number) => number;
}

/**
 * Gives every assigned partition a valid fetch position, in the background:
 *
 * - newly assigned partitions (once `onPartitionsAssigned` returned) start at the group's committed offset
 *   (OffsetFetch); one with a leader epoch is validated first (KIP-320); without a committed offset (or a
 *   `groupId`), `autoOffsetReset` decides: `earliest`/`latest` look the offset up (ListOffsets), `none` raises
 *   `NoOffsetForPartitionError`;
 * - resets (out of range, `seekToBeginning`, `seekToEnd`) look offsets up with ListOffsets;
 * - validations ask the leader whether the log still holds the position (OffsetForLeaderEpoch); a truncated log
 *   resets to the first offset known to diverge, or raises `LogTruncationError` with `autoOffsetReset: 'none'`.
 *
 * Failures back off per partition and are retried; errors retrying cannot fix are raised to the application.
 */
export class PositionUpdater {
  private readonly host: PositionHost;
  private readonly lookup: OffsetLookup;
  private readonly validator: LeaderEpochValidator;
  private readonly options: PositionUpdaterOptions;
  private scheduled = false;
  private readonly retryTimer = new RetryTimer(() => this.wake());
  private closed = false;
  private attempts = new Map<string, number>();

  constructor(
    host: PositionHost,
    lookup: OffsetLookup,
    validator: LeaderEpochValidator,
    options: PositionUpdaterOptions,
  ) {
    this.host = host;
    this.lookup = lookup;
    this.validator = validator;
    this.options = options;
  }

  /** Schedules a run (coalesced). */
  wake(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.run();
    });
  }

  /** Stops for good. */
  close(): void {
    this.closed = true;
    this.retryTimer.cancel();
  }

  /** True when every assigned partition that is not failed has a valid position. */
  allValid(): boolean {
    for (const state of this.host.subscriptions.states()) {
      if (state.state !== 'fetching' && state.state !== 'failed') return false;
    }
    return true;
  }

  /**
   * Handles an out-of-range fetch offset: reset by `autoOffsetReset`, or raise `OffsetOutOfRangeError` with
   * `none`.
   */
  outOfRange(state: PartitionState): void {
    const offset = state.fetchOffset;
    this.host.discard(state);
    if (this.options.autoOffsetReset === 'none') {
      this.host.failPartition(
        state,
        new FetchOffsetOutOfRangeError(
          `Fetch offset ${offset} of ${formatPartition(state)} is out of range and autoOffsetReset is 'none'; seek ` +
            'the partition to continue',
          { topic: state.topic, partition: state.partition, offset },
        ),
      );
      return;
    }
    this.host.logger.info('fetch offset out of range; resetting', {
      topic: state.topic,
      partition: state.partition,
      offset,
      strategy: this.options.autoOffsetReset,
    });
    state.requestReset(this.options.autoOffsetReset);
    this.wake();
  }

  /**
   * Handles a divergence the leader reported (Fetch v12+ `DivergingEpoch`, or validation): below the position it
   * is a truncation; at or above it only prefetched records are affected, which are fetched again.
   */
  diverged(state: PartitionState, epoch: number, endOffset: bigint): void {
    this.host.discard(state);
    if (endOffset < state.position) {
      this.truncated(state, endOffset, epoch);
    } else {
      state.rewindFetch();
      this.host.positionsReady();
    }
  }

  private truncated(state: PartitionState, divergentOffset: bigint, divergentEpoch: number): void {
    const position = state.position;
    if (this.options.autoOffsetReset === 'none') {
      this.host.failPartition(
        state,
        new LogTruncationError(
          `The log of ${formatPartition(state)} was truncated to offset ${divergentOffset} below the consumer's ` +
            `position ${position} (an unclean leader election lost records); seek to continue`,
          { topic: state.topic, partition: state.partition, offset: position, divergentOffset },
        ),
      );
      return;
    }
    this.host.logger.warn('log truncation detected; resuming from the first offset known to diverge', {
      topic: state.topic,
      partition: state.partition,
      position,
      divergentOffset,
    });
    state.seek(divergentOffset, divergentEpoch);
    this.host.positionsReady();
  }

  private run(): void {
    if (this.closed) return;
    const now = Date.now();
    const initializing: PartitionState[] = [];
    const resetting: PartitionState[] = [];
    const validating: PartitionState[] = [];
    let nextAt = Number.POSITIVE_INFINITY;
    for (const state of this.host.subscriptions.states()) {
      if (state.requestInFlight || state.held || state.revoking) continue;
      if (state.state === 'fetching' || state.state === 'failed') continue;
      if (state.nextAttemptAt > now) {
        nextAt = Math.min(nextAt, state.nextAttemptAt);
        continue;
      }
      if (state.state === 'initializing') initializing.push(state);
      else if (state.state === 'await-reset') resetting.push(state);
      else validating.push(state);
    }
    if (initializing.length > 0) void this.initialize(initializing);
    if (resetting.length > 0) void this.reset(resetting);
    if (validating.length > 0) void this.validate(validating);
    if (Number.isFinite(nextAt)) this.wakeAt(nextAt);
  }

  private async initialize(states: PartitionState[]): Promise<void> {
    const committer = this.host.committer;
    if (committer === undefined) {
      for (const state of states) this.resetByPolicy(state);
      this.wake();
      return;
    }
    const versions = states.map((s) => s.version);
    for (const state of states) state.requestInFlight = true;
    try {
      const committed = await committer.fetchCommitted(
        states,
        this.host.generation() ?? NO_GENERATION,
        Date.now() + this.options.defaultApiTimeoutMs,
      );
      const byKey = new Map(committed.map((c) => [partitionKey(c.topic, c.partition), c]));
      let ready = false;
      states.forEach((state, i) => {
        if (state.version !== versions[i] || state.state !== 'initializing' || state.revoking) return;
        const entry = byKey.get(state.key);
        if (entry !== undefined && entry.offset >= 0n) {
          const epoch = entry.leaderEpoch >= 0 ? entry.leaderEpoch : undefined;
          state.committedOffset = entry.offset;
          state.committedEpoch = entry.leaderEpoch;
          state.seek(entry.offset, epoch, epoch === undefined ? 'fetching' : 'await-validation');
          ready ||= epoch === undefined;
          this.attempts.delete(state.key);
        } else {
          this.resetByPolicy(state);
        }
      });
      if (ready) this.host.positionsReady();
    } catch (error) {
      this.backoff(states, error, 'read committed offsets');
    } finally {
      for (const state of states) state.requestInFlight = false;
      this.wake();
    }
  }

  /** No committed offset: reset by `autoOffsetReset`, or raise with `none`. */
  private resetByPolicy(state: PartitionState): void {
    if (this.options.autoOffsetReset === 'none') {
      this.host.failPartition(
        state,
        new NoOffsetForPartitionError(
          `${formatPartition(state)} has no committed offset and autoOffsetReset is 'none'; seek the partition ` +
            '(seek, seekToBeginning, seekToEnd) to choose where to start',
          { topic: state.topic, partition: state.partition },
        ),
      );
      return;
    }
    state.requestReset(this.options.autoOffsetReset);
  }

  private async reset(states: PartitionState[]): Promise<void> {
    const active: PartitionState[] = [];
    for (const state of states) {
      if (state.resetStrategy === 'none' || state.resetStrategy === undefined) this.resetByPolicy(state);
      else active.push(state);
    }
    if (active.length === 0) return;
    const versions = active.map((s) => s.version);
    for (const state of active) state.requestInFlight = true;
    try {
      const { found, retry, fatal } = await this.lookup.lookupOnce(
        active.map((s) => ({
          topic: s.topic,
          partition: s.partition,
          timestamp: s.resetStrategy === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP,
        })),
      );
      const byKey = new Map(found.map((f) => [partitionKey(f.topic, f.partition), f]));
      let ready = false;
      active.forEach((state, i) => {
        if (state.version !== versions[i] || state.state !== 'await-reset') return;
        const answer = byKey.get(state.key);
        if (answer === undefined) return;
        state.seek(answer.offset, undefined);
        this.attempts.delete(state.key);
        ready = true;
      });
      if (retry.length > 0) {
        const keys = new Set(retry.map((r) => partitionKey(r.query.topic, r.query.partition)));
        this.backoff(
          active.filter((s) => keys.has(s.key)),
          retry[0]!.error,
          'look up offsets',
        );
        this.host.refreshMetadata();
      }
      if (fatal !== undefined) {
        for (const state of active) {
          if (state.state === 'await-reset' && state.topic === fatal.topic) this.host.failPartition(state, fatal);
        }
      }
      if (ready) this.host.positionsReady();
    } catch (error) {
      this.backoff(active, error, 'look up offsets');
    } finally {
      for (const state of active) state.requestInFlight = false;
      this.wake();
    }
  }

  private async validate(states: PartitionState[]): Promise<void> {
    const versions = states.map((s) => s.version);
    for (const state of states) state.requestInFlight = true;
    try {
      const outcomes = await this.validator.validate(states);
      let ready = false;
      const retry: PartitionState[] = [];
      let retryError: KafkaError | undefined;
      states.forEach((state, i) => {
        if (state.version !== versions[i] || state.state !== 'await-validation') return;
        const outcome = outcomes.get(state)!;
        switch (outcome.kind) {
          case 'valid':
            state.leaderEpoch = outcome.leaderEpoch;
            state.state = 'fetching';
            this.attempts.delete(state.key);
            ready = true;
            break;
          case 'truncated':
            this.host.discard(state);
            this.truncated(state, outcome.divergentOffset, outcome.divergentEpoch);
            break;
          case 'unknown':
            this.host.discard(state);
            this.resetByPolicy(state);
            break;
          case 'retry':
            retry.push(state);
            retryError = outcome.error;
            break;
          case 'failed':
            this.host.failPartition(state, outcome.error);
            break;
        }
      });
      if (retry.length > 0) {
        this.backoff(retry, retryError, 'validate positions');
        this.host.refreshMetadata();
      }
      if (ready) this.host.positionsReady();
    } finally {
      for (const state of states) state.requestInFlight = false;
      this.wake();
    }
  }

  private backoff(states: readonly PartitionState[], error: unknown, what: string): void {
    const now = Date.now();
    for (const state of states) {
      const attempt = this.attempts.get(state.key) ?? 0;
      this.attempts.set(state.key, attempt + 1);
      state.nextAttemptAt = now + this.options.retryDelay(attempt);
    }
    this.host.logger.debug(`could not ${what}; retrying`, {
      partitions: states.length,
      error: isKafkaError(error) ? error : String(error),
    });
  }

  private wakeAt(at: number): void {
    if (!this.closed) this.retryTimer.fireAt(at);
  }
}
