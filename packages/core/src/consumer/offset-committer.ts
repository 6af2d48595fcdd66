import { diagnosticChannels } from '../diagnostics/channels.js';
import type { CommitPayload } from '../diagnostics/payloads.js';
import { KafkaTimeoutError } from '../errors/client-errors.js';
import { isCoordinatorMoved } from '../errors/error-classification.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { createBrokerError } from '../errors/index.js';
import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import { delay } from '../utils/delay.js';
import type { Logger } from '../utils/logger.js';
import { partitionKey, type TopicPartition, type TopicPartitionOffset } from '../vocabulary/topic-partition.js';
import { CommitFailedError, InvalidGroupStateError } from './consumer-errors.js';
import type { PartitionState } from './partition-state.js';
import type { SubscriptionState } from './subscription-state.js';

/**
 * Who commits: the group generation (classic protocol) or member epoch (KIP-848) and the member, as the
 * coordinator checks them. A consumer with `assign()` and a `groupId` commits with generation -1 and no member.
 */
export interface GroupGeneration {
  /** Classic: the generation id. Consumer protocol: the member epoch. -1 outside group management. */
  readonly generationId: number;
  /** Member id, or '' outside group management. */
  readonly memberId: string;
  /** `groupInstanceId` of a static member, or null. */
  readonly groupInstanceId: string | null;
}

/** The generation used outside group management. */
export const NO_GENERATION: GroupGeneration = Object.freeze({ generationId: -1, memberId: '', groupInstanceId: null });

/** Where the current generation is read (the consumer's group membership). */
export interface GenerationSource {
  /** The generation commits and offset reads carry, or `undefined` while a member has none (rebalancing). */
  generation(): GroupGeneration | undefined;
}

/** One offset to commit. */
export interface CommitEntry {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
}

/** A committed offset as OffsetFetch returns it. */
export interface CommittedOffset {
  readonly topic: string;
  readonly partition: number;
  /** -1 when the group has no offset for the partition. */
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string | null;
  readonly errorCode: number;
}

/** The requests the committer sends to the group coordinator. Implemented over the cluster by `GroupCoordinator`. */
export interface OffsetTransport {
  /** OffsetCommit; resolves with the error code of each partition (by `topic:partition`). */
  commitOffsets(generation: GroupGeneration, entries: readonly CommitEntry[]): Promise<Map<string, number>>;
  /** OffsetFetch with `requireStable`; resolves with each partition's committed offset. Top-level errors reject. */
  fetchOffsets(partitions: readonly TopicPartition[], generation: GroupGeneration): Promise<CommittedOffset[]>;
}

/** Settings of the {@link OffsetCommitter}. */
export interface OffsetCommitterOptions {
  readonly groupId: string | undefined;
  /** Backoff between retries of retriable failures. */
  readonly retryDelay: (attempt: number) => number;
  readonly logger: Logger;
  /** `client.id`, for the `vltava:commit` channel. */
  readonly clientId?: string;
}

/**
 * Commits offsets to the group coordinator.
 *
 * - **Generation-aware.** Each commit carries the generation (or member epoch) current when its offsets were
 *   taken. If the coordinator says it is stale (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID,
 *   STALE_MEMBER_EPOCH, REBALANCE_IN_PROGRESS) the commit is dropped with `CommitFailedError`: another member may
 *   have processed past those offsets, so retrying them under a newer generation could move the group backwards.
 * - **Retries** what is retriable (coordinator moved or loading, timeouts, broken connections) with backoff until
 *   the deadline, with the same generation.
 * - **Ordered.** Commits run one after another in the order requested, so a later commit never lands before an
 *   earlier one.
 * - **Acknowledging.** Committing an offset acknowledges it in the partition's state, so automatic commits never
 *   move a partition back behind an explicit commit.
 */
export class OffsetCommitter {
  private readonly transport: OffsetTransport;
  private readonly subscriptions: SubscriptionState;
  private readonly options: OffsetCommitterOptions;
  private tail: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  /** Commits that succeeded. */
  commitsSucceeded = 0;
  /** Commits that failed. */
  commitsFailed = 0;

  constructor(transport: OffsetTransport, subscriptions: SubscriptionState, options: OffsetCommitterOptions) {
    this.transport = transport;
    this.subscriptions = subscriptions;
    this.options = options;
  }

  /** Commits requested and not finished. */
  get pending(): number {
    return this.inFlight;
  }

  /**
   * The offsets an automatic commit would send: the acknowledged offset of every assigned partition (or of
   * `states`, assigned or just unassigned) that differs from what was last committed.
   */
  acknowledgedOffsets(states: Iterable<PartitionState> = this.subscriptions.states()): CommitEntry[] {
    const entries: CommitEntry[] = [];
    for (const state of states) {
      const offset = state.ackedOffset;
      if (offset === undefined || offset < 0n || offset === state.committedOffset) continue;
      entries.push({
        topic: state.topic,
        partition: state.partition,
        offset,
        leaderEpoch: state.ackedEpoch ?? -1,
        metadata: null,
      });
    }
    return entries;
  }

  /**
   * The offsets an explicit `commit()` without arguments sends: every record delivered so far (the position of
   * each assigned partition), as Java's `commitSync()` commits what `poll()` returned.
   */
  deliveredOffsets(): CommitEntry[] {
    const entries: CommitEntry[] = [];
    for (const state of this.subscriptions.states()) {
      if (!state.hasPosition || state.state === 'failed') continue;
      entries.push({
        topic: state.topic,
        partition: state.partition,
        offset: state.position,
        leaderEpoch: state.positionEpoch ?? -1,
        metadata: null,
      });
    }
    return entries;
  }

  /** Converts application-given offsets, checking them. */
  static fromUser(offsets: readonly TopicPartitionOffset[]): CommitEntry[] {
    return offsets.map((o) => ({
      topic: o.topic,
      partition: o.partition,
      offset: o.offset,
      leaderEpoch: o.leaderEpoch ?? -1,
      metadata: o.metadata ?? null,
    }));
  }

  /**
   * Commits `entries` with `generation`, after any commit already requested. Acknowledges each offset in its
   * partition's state (explicit commits count as processed). Resolves when the coordinator accepted every
   * partition.
   *
   * @throws CommitFailedError when the generation is stale; the broker's error for a partition-level failure;
   *   KafkaTimeoutError when retriable failures last past `deadline`.
   */
  commit(
    entries: readonly CommitEntry[],
    generation: GroupGeneration,
    deadline: number,
    kind: CommitPayload['kind'] = 'auto',
  ): Promise<void> {
    const groupId = this.options.groupId;
    if (groupId === undefined) {
      return Promise.reject(
        new InvalidGroupStateError('Cannot commit offsets without a groupId; set groupId in the consumer options'),
      );
    }
    if (entries.length === 0) return Promise.resolve();
    for (const entry of entries) {
      const state = this.subscriptions.get(entry.topic, entry.partition);
      state?.acknowledgeOffset(entry.offset, entry.leaderEpoch < 0 ? undefined : entry.leaderEpoch);
    }
    this.inFlight++;
    const trace = diagnosticChannels.commit.hasSubscribers ? this.beginTrace(groupId, entries, kind) : undefined;
    let run = this.tail.then(() => this.send(groupId, entries, generation, deadline));
    if (trace !== undefined) {
      run = run.then(
        () => diagnosticChannels.commit.settle(trace, undefined),
        (error: unknown) => {
          diagnosticChannels.commit.settle(trace, error);
          throw error;
        },
      );
    }
    this.tail = run.catch(() => undefined);
    return run.finally(() => {
      this.inFlight--;
    });
  }

  /** Opens the `vltava:commit` trace of a commit (only with a subscriber). */
  private beginTrace(groupId: string, entries: readonly CommitEntry[], kind: CommitPayload['kind']): CommitPayload {
    const payload: CommitPayload = {
      clientId: this.options.clientId ?? '',
      groupId,
      kind,
      offsets: entries.map((e) => ({ topic: e.topic, partition: e.partition, offset: e.offset })),
    };
    diagnosticChannels.commit.begin(payload);
    return payload;
  }

  /** Resolves when every commit requested so far has finished (successfully or not). */
  drain(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  /**
   * The group's committed offsets for `partitions` (OffsetFetch, waiting for pending transactional commits to
   * settle), retrying what is retriable until `deadline`.
   */
  async fetchCommitted(
    partitions: readonly TopicPartition[],
    generation: GroupGeneration,
    deadline: number,
  ): Promise<CommittedOffset[]> {
    const groupId = this.options.groupId;
    if (groupId === undefined) {
      throw new InvalidGroupStateError('Cannot read committed offsets without a groupId; set groupId in the options');
    }
    if (partitions.length === 0) return [];
    for (let attempt = 0; ; attempt++) {
      let retry: KafkaError;
      try {
        const offsets = await this.transport.fetchOffsets(partitions, generation);
        const unstable = offsets.find((o) => o.errorCode === ErrorCodes.UNSTABLE_OFFSET_COMMIT);
        const failed = offsets.find(
          (o) => o.errorCode !== ErrorCodes.NONE && o.errorCode !== ErrorCodes.UNSTABLE_OFFSET_COMMIT,
        );
        if (failed !== undefined) {
          throw createBrokerError(failed.errorCode, {
            groupId,
            topic: failed.topic,
            partition: failed.partition,
            api: 'OffsetFetch',
          });
        }
        if (unstable === undefined) return offsets;
        retry = createBrokerError(unstable.errorCode, { groupId, topic: unstable.topic, api: 'OffsetFetch' });
      } catch (error) {
        if (!isKafkaError(error) || !error.retriable) throw error;
        retry = error;
      }
      await this.backoff(attempt, deadline, retry, 'fetch committed offsets');
    }
  }

  private async send(
    groupId: string,
    entries: readonly CommitEntry[],
    generation: GroupGeneration,
    deadline: number,
  ): Promise<void> {
    let remaining = entries;
    for (let attempt = 0; ; attempt++) {
      let errors: Map<string, number>;
      try {
        errors = await this.transport.commitOffsets(generation, remaining);
      } catch (error) {
        if (!isKafkaError(error)) throw error;
        if (isStaleGenerationError(error.kafkaErrorCode)) throw this.stale(groupId, error.kafkaErrorCode!, generation);
        if (!error.retriable) {
          this.commitsFailed++;
          throw error;
        }
        await this.backoff(attempt, deadline, error, 'commit offsets');
        continue;
      }
      const retryable: CommitEntry[] = [];
      let fatal: KafkaError | undefined;
      let lastRetriable: KafkaError | undefined;
      for (const entry of remaining) {
        const code = errors.get(partitionKey(entry.topic, entry.partition)) ?? ErrorCodes.NONE;
        if (code === ErrorCodes.NONE) {
          const state = this.subscriptions.get(entry.topic, entry.partition);
          if (state !== undefined && (state.committedOffset === undefined || entry.offset >= state.committedOffset)) {
            state.markCommitted(entry.offset, entry.leaderEpoch);
          }
          continue;
        }
        if (isStaleGenerationError(code)) throw this.stale(groupId, code, generation);
        const error = createBrokerError(code, {
          groupId,
          topic: entry.topic,
          partition: entry.partition,
          api: 'OffsetCommit',
        });
        if (error.retriable || isCoordinatorMoved(code)) {
          retryable.push(entry);
          lastRetriable = error;
        } else {
          fatal ??= error;
        }
      }
      if (fatal !== undefined) {
        this.commitsFailed++;
        throw fatal;
      }
      if (retryable.length === 0) {
        this.commitsSucceeded++;
        return;
      }
      remaining = retryable;
      await this.backoff(attempt, deadline, lastRetriable!, 'commit offsets');
    }
  }

  private stale(groupId: string, code: number, generation: GroupGeneration): CommitFailedError {
    this.commitsFailed++;
    const cause = createBrokerError(code, { groupId, api: 'OffsetCommit' });
    return new CommitFailedError(
      `Commit rejected: generation ${generation.generationId} of member '${generation.memberId}' is no longer ` +
        `current (${cause.kafkaErrorName ?? code}). A rebalance moved the partitions; the commit was dropped and ` +
        'its records may be read again by their new owner',
      { groupId, cause, kafkaErrorName: cause.kafkaErrorName, kafkaErrorCode: code },
    );
  }

  private async backoff(attempt: number, deadline: number, cause: KafkaError, what: string): Promise<void> {
    const wait = this.options.retryDelay(attempt);
    if (Date.now() + wait >= deadline) {
      this.commitsFailed++;
      throw new KafkaTimeoutError(`Could not ${what} before the deadline: ${cause.message}`, {
        groupId: this.options.groupId,
        cause,
      });
    }
    this.options.logger.debug(`retrying to ${what}`, { error: cause, attempt });
    await delay(wait);
  }
}

/** Error codes meaning the commit's generation (or member epoch) is no longer the group's. */
export function isStaleGenerationError(code: number | undefined): boolean {
  return (
    code === ErrorCodes.ILLEGAL_GENERATION ||
    code === ErrorCodes.UNKNOWN_MEMBER_ID ||
    code === ErrorCodes.FENCED_INSTANCE_ID ||
    code === ErrorCodes.STALE_MEMBER_EPOCH ||
    code === ErrorCodes.REBALANCE_IN_PROGRESS ||
    code === ErrorCodes.FENCED_MEMBER_EPOCH
  );
}
