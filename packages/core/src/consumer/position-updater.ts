import type { MetadataSnapshot } from '../cluster/metadata.js';
import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import type { Logger } from '../utils/logger.js';
import { partitionKey } from '../vocabulary/topic-partition.js';
import type { MetadataView } from './cluster-view.js';
import type { LeaderEpochValidator } from './leader-epoch-validator.js';
import { type GenerationSource, NO_GENERATION, type OffsetCommitter } from './offset-committer.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, type OffsetLookup } from './offset-lookup.js';
import type { OffsetResetPolicy } from './offset-reset-policy.js';
import type { PartitionState } from './partition-state.js';
import { PassScheduler } from './pass-scheduler.js';
import type { SubscriptionState } from './subscription-state.js';

/** The parts the position updater works with. */
export interface PositionUpdaterParts {
  /** The partitions; their announcements start runs. */
  readonly subscriptions: SubscriptionState;
  /** Leader epochs (a newer one asks for validation) and refreshes when leaders moved. */
  readonly metadata: MetadataView;
  /** Reads committed offsets (OffsetFetch); `undefined` without a `groupId`. */
  readonly committed: Pick<OffsetCommitter, 'fetchCommitted'> | undefined;
  /** The generation committed offsets are read with (KIP-848 sends the member epoch). */
  readonly generation: GenerationSource;
  /** ListOffsets, one round per run. */
  readonly lookup: Pick<OffsetLookup, 'lookupOnce'>;
  /** OffsetForLeaderEpoch. */
  readonly validator: Pick<LeaderEpochValidator, 'validate'>;
  /** What `autoOffsetReset` decides. */
  readonly policy: OffsetResetPolicy;
  readonly logger: Logger;
}

/** Settings of the position updater. */
export interface PositionUpdaterOptions {
  readonly defaultApiTimeoutMs: number;
  readonly retryDelay: (attempt: number) => number;
}

/** Failed attempts of one partition, and when it may be tried again. */
interface Backoff {
  failures: number;
  until: number;
}

/**
 * Gives every assigned partition a valid fetch position, in the background:
 *
 * - newly assigned partitions (once `onPartitionsAssigned` returned) start at the group's committed offset
 *   (OffsetFetch); one with a leader epoch is validated first (KIP-320); without a committed offset (or a
 *   `groupId`), the reset policy decides: `earliest`/`latest` look the offset up (ListOffsets), `none` raises
 *   `NoOffsetForPartitionError`;
 * - resets (out of range, `seekToBeginning`, `seekToEnd`) look offsets up with ListOffsets;
 * - validations ask the leader whether the log still holds the position (OffsetForLeaderEpoch): after a seek with
 *   an epoch, and when metadata names a newer leader epoch under a fetching position; a truncated log goes to the
 *   reset policy.
 *
 * It runs when a partition announces that it needs a position, when metadata changes, and when a backoff ends.
 * Failures back off per partition and are retried; errors retrying cannot fix fail the partition.
 */
export class PositionUpdater {
  private readonly parts: PositionUpdaterParts;
  private readonly options: PositionUpdaterOptions;
  private readonly scheduler = new PassScheduler(() => this.run());
  private readonly inFlight = new Set<PartitionState>();
  private readonly backoffs = new Map<PartitionState, Backoff>();

  constructor(parts: PositionUpdaterParts, options: PositionUpdaterOptions) {
    this.parts = parts;
    this.options = options;
    parts.subscriptions.events.changed.on((state) => this.changed(state));
    parts.metadata.onMetadata((snapshot) => this.leadersChanged(snapshot));
  }

  /** Stops for good. */
  close(): void {
    this.scheduler.close();
  }

  private changed(state: PartitionState): void {
    if (state.revoked) {
      this.backoffs.delete(state);
      return;
    }
    if (!state.needsPosition) return;
    // A new request (a seek, a reset, a validation) does not wait for the backoff of an earlier one.
    const backoff = this.backoffs.get(state);
    if (backoff !== undefined) backoff.until = 0;
    this.scheduler.schedule();
  }

  /** Metadata names leader epochs: a newer one under a fetching position asks for validation. */
  private leadersChanged(snapshot: MetadataSnapshot): void {
    for (const state of this.parts.subscriptions.states()) {
      if (state.state !== 'fetching') continue;
      const info = snapshot.topics.get(state.topic)?.partitions[state.partition];
      if (info !== undefined) state.observeLeaderEpoch(info.leaderEpoch);
    }
  }

  private run(): void {
    const now = Date.now();
    const initializing: PartitionState[] = [];
    const resetting: PartitionState[] = [];
    const validating: PartitionState[] = [];
    let nextAt = Number.POSITIVE_INFINITY;
    for (const state of this.parts.subscriptions.states()) {
      if (!state.needsPosition || state.held || state.revoking || this.inFlight.has(state)) continue;
      const until = this.backoffs.get(state)?.until ?? 0;
      if (until > now) {
        nextAt = Math.min(nextAt, until);
        continue;
      }
      if (state.state === 'initializing') initializing.push(state);
      else if (state.state === 'await-reset') resetting.push(state);
      else validating.push(state);
    }
    if (initializing.length > 0) void this.initialize(initializing);
    if (resetting.length > 0) void this.reset(resetting);
    if (validating.length > 0) void this.validate(validating);
    if (Number.isFinite(nextAt)) this.scheduler.scheduleAt(nextAt);
  }

  private async initialize(states: PartitionState[]): Promise<void> {
    const committed = this.parts.committed;
    if (committed === undefined) {
      for (const state of states) this.parts.policy.noOffset(state);
      return;
    }
    const versions = states.map((s) => s.version);
    this.begin(states);
    try {
      const offsets = await committed.fetchCommitted(
        states,
        this.parts.generation.generation() ?? NO_GENERATION,
        Date.now() + this.options.defaultApiTimeoutMs,
      );
      const byKey = new Map(offsets.map((c) => [partitionKey(c.topic, c.partition), c]));
      states.forEach((state, i) => {
        if (state.version !== versions[i] || state.state !== 'initializing' || state.revoking) return;
        const entry = byKey.get(state.key);
        if (entry !== undefined && entry.offset >= 0n) {
          const epoch = entry.leaderEpoch >= 0 ? entry.leaderEpoch : undefined;
          state.markCommitted(entry.offset, entry.leaderEpoch);
          this.backoffs.delete(state);
          state.seek(entry.offset, epoch, epoch === undefined ? 'fetching' : 'await-validation');
        } else {
          this.parts.policy.noOffset(state);
        }
      });
    } catch (error) {
      this.backoff(states, error, 'read committed offsets');
    } finally {
      this.end(states);
    }
  }

  private async reset(states: PartitionState[]): Promise<void> {
    const active: PartitionState[] = [];
    for (const state of states) {
      if (state.resetStrategy === 'none' || state.resetStrategy === undefined) this.parts.policy.noOffset(state);
      else active.push(state);
    }
    if (active.length === 0) return;
    const versions = active.map((s) => s.version);
    this.begin(active);
    try {
      const { found, retry, fatal } = await this.parts.lookup.lookupOnce(
        active.map((s) => ({
          topic: s.topic,
          partition: s.partition,
          timestamp: s.resetStrategy === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP,
        })),
      );
      const byKey = new Map(found.map((f) => [partitionKey(f.topic, f.partition), f]));
      active.forEach((state, i) => {
        if (state.version !== versions[i] || state.state !== 'await-reset') return;
        const answer = byKey.get(state.key);
        if (answer === undefined) return;
        this.backoffs.delete(state);
        state.seek(answer.offset, undefined);
      });
      if (retry.length > 0) {
        const keys = new Set(retry.map((r) => partitionKey(r.query.topic, r.query.partition)));
        this.backoff(
          active.filter((s) => keys.has(s.key)),
          retry[0]!.error,
          'look up offsets',
        );
        this.refreshMetadata();
      }
      if (fatal !== undefined) {
        for (const state of active) {
          if (state.state === 'await-reset' && state.topic === fatal.topic) state.fail(fatal);
        }
      }
    } catch (error) {
      this.backoff(active, error, 'look up offsets');
    } finally {
      this.end(active);
    }
  }

  private async validate(states: PartitionState[]): Promise<void> {
    const versions = states.map((s) => s.version);
    this.begin(states);
    try {
      const outcomes = await this.parts.validator.validate(states);
      const retry: PartitionState[] = [];
      let retryError: KafkaError | undefined;
      states.forEach((state, i) => {
        if (state.version !== versions[i] || state.state !== 'await-validation') return;
        const outcome = outcomes.get(state)!;
        switch (outcome.kind) {
          case 'valid':
            this.backoffs.delete(state);
            state.markValidated(outcome.leaderEpoch);
            break;
          case 'truncated':
            this.parts.policy.truncated(state, outcome.divergentOffset, outcome.divergentEpoch);
            break;
          case 'unknown':
            this.parts.policy.noOffset(state);
            break;
          case 'retry':
            retry.push(state);
            retryError = outcome.error;
            break;
          case 'failed':
            state.fail(outcome.error);
            break;
        }
      });
      if (retry.length > 0) {
        this.backoff(retry, retryError, 'validate positions');
        this.refreshMetadata();
      }
    } finally {
      this.end(states);
    }
  }

  private begin(states: readonly PartitionState[]): void {
    for (const state of states) this.inFlight.add(state);
  }

  /** A request ended: its partitions may be picked up again (a failure waits for its backoff). */
  private end(states: readonly PartitionState[]): void {
    for (const state of states) this.inFlight.delete(state);
    this.scheduler.schedule();
  }

  private backoff(states: readonly PartitionState[], error: unknown, what: string): void {
    const now = Date.now();
    for (const state of states) {
      if (state.revoked) continue;
      let backoff = this.backoffs.get(state);
      if (backoff === undefined) {
        backoff = { failures: 0, until: 0 };
        this.backoffs.set(state, backoff);
      }
      backoff.until = now + this.options.retryDelay(backoff.failures++);
    }
    this.parts.logger.debug(`could not ${what}; retrying`, {
      partitions: states.length,
      error: isKafkaError(error) ? error : String(error),
    });
  }

  private refreshMetadata(): void {
    this.parts.metadata.refreshMetadata().catch(() => undefined);
  }
}
