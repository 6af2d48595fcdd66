import { InvalidArgumentError } from '../errors/client-errors.js';
import { isKafkaError } from '../errors/kafka-error.js';
import type { Logger } from '../utils/logger.js';
import type { TopicPartitionOffset } from '../vocabulary/topic-partition.js';
import { InvalidGroupStateError } from './consumer-errors.js';
import type { GroupMembership } from './group/group-membership.js';
import { NO_GENERATION, OffsetCommitter } from './offset-committer.js';
import type { PartitionState } from './partition-state.js';

/** Settings of the {@link CommitPolicy}. */
export interface CommitPolicyOptions {
  readonly enableAutoCommit: boolean;
  readonly autoCommitIntervalMs: number;
  readonly defaultApiTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
}

/**
 * When the consumer commits, what, and by when: every commit goes through here.
 *
 * | trigger                                   | offsets                        | with                              |
 * | ----------------------------------------- | ------------------------------ | --------------------------------- |
 * | every `autoCommitIntervalMs`              | acknowledged, changed          | `enableAutoCommit`                |
 * | before partitions are revoked (rebalance, | acknowledged, of those         | `enableAutoCommit` (on `close()`: |
 * | `unsubscribe()`, `close()`)               | partitions                     | its `autoCommit`)                 |
 * | `assign()` drops partitions               | acknowledged, of those         | `enableAutoCommit`                |
 * | an iterator ends                          | acknowledged                   | `enableAutoCommit`                |
 * | an at-most-once iterator hands out a      | acknowledged (the chunk just   | always (it needs a `groupId`)     |
 * | chunk                                     | taken)                         |                                   |
 * | `commit()`, `commitAsync()`               | delivered, or the given ones   | always (it needs a `groupId`)     |
 *
 * **Deadlines: one rule.** A commit may take the timeout of the call that asked for it (`timeoutMs` of `commit()`;
 * `defaultApiTimeoutMs` for every other call and for commits the consumer starts itself), and no longer than the
 * window in which it matters: `rebalanceTimeoutMs` before a revocation (the group waits no longer for this
 * member), two `autoCommitIntervalMs` for a periodic commit (later ones carry newer offsets). Retriable failures are
 * retried until then (see {@link OffsetCommitter}).
 *
 * Commits the consumer starts itself carry the member's generation and are skipped while the member has none
 * (rebalancing); an explicit or at-most-once commit without a generation fails with a retriable `CommitFailedError`.
 */
export class CommitPolicy {
  private readonly committer: OffsetCommitter | undefined;
  private readonly membership: GroupMembership;
  private readonly options: CommitPolicyOptions;
  private readonly logger: Logger;
  private started = false;
  private closing = false;
  private closeAutoCommit = false;
  private timer: NodeJS.Timeout | undefined;
  private intervalRunning = false;

  /**
   * @param committer The offset committer, when the consumer has a `groupId`.
   * @param membership The generation commits carry.
   */
  constructor(
    committer: OffsetCommitter | undefined,
    membership: GroupMembership,
    options: CommitPolicyOptions,
    logger: Logger,
  ) {
    this.committer = committer;
    this.membership = membership;
    this.options = options;
    this.logger = logger;
  }

  /** The consumer is connected: commits may go out, and the periodic one starts (with `enableAutoCommit`). */
  start(): void {
    this.started = true;
    if (!this.options.enableAutoCommit || this.committer === undefined || this.timer !== undefined) return;
    this.timer = setInterval(() => void this.commitInterval(), this.options.autoCommitIntervalMs);
    this.timer.unref();
  }

  /**
   * `close()` was called: no more periodic commits, and the commits before revocation that closing makes follow
   * `autoCommit` rather than `enableAutoCommit`.
   */
  close(autoCommit: boolean): void {
    this.closing = true;
    this.closeAutoCommit = autoCommit;
    this.stop();
  }

  /** Stops the periodic commit. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves when every commit requested so far has finished. */
  drain(): Promise<void> {
    return this.committer?.drain() ?? Promise.resolve();
  }

  /**
   * Before partitions are revoked (a rebalance, `unsubscribe()`, `close()`): commits what the application
   * processed of them. Failures reject (the caller logs them: the revocation goes on).
   */
  async beforeRevoke(states: Iterable<PartitionState>): Promise<void> {
    const committer = this.committer;
    const autoCommit = this.closing ? this.closeAutoCommit : this.options.enableAutoCommit;
    if (committer === undefined || !autoCommit || !this.started) return;
    const generation = this.membership.generation();
    if (generation === undefined) return;
    await committer.commit(committer.acknowledgedOffsets(states), generation, this.deadline('revoke'));
  }

  /** `assign()` dropped partitions: commits what the application processed of them, in the background. */
  unassigned(states: readonly PartitionState[]): void {
    const committer = this.committer;
    if (committer === undefined || states.length === 0 || !this.options.enableAutoCommit || !this.started) return;
    committer.commit(committer.acknowledgedOffsets(states), NO_GENERATION, this.deadline('call')).catch((error) => {
      this.logger.warn('commit of unassigned partitions failed', { error: String(error) });
    });
  }

  /** An iterator ended: commits what the application processed (with `enableAutoCommit`). */
  async readerExited(): Promise<void> {
    const committer = this.committer;
    if (committer === undefined || !this.options.enableAutoCommit || !this.started) return;
    const generation = this.membership.generation();
    if (generation === undefined) return;
    await committer.commit(committer.acknowledgedOffsets(), generation, this.deadline('call'));
  }

  /**
   * An at-most-once iterator took a chunk of records and acknowledged it: commits it before the first record is
   * handed out. Rejects when the commit fails (the iterator raises it).
   */
  async atMostOnce(): Promise<void> {
    const committer = this.committer;
    if (committer === undefined) {
      throw new InvalidGroupStateError('at-most-once reading commits offsets and needs a groupId');
    }
    if (!this.started) return;
    const generation = this.membership.commitGeneration();
    await committer.commit(committer.acknowledgedOffsets(), generation, this.deadline('call'));
  }

  /**
   * `commit()` / `commitAsync()`: without offsets, every record handed out so far (as Java's `commitSync()`
   * commits what `poll()` returned); with offsets, exactly those. `onOffsets` learns what is sent before it is.
   * `deadline` is the call's own (its `timeoutMs` from when it was called).
   */
  async commit(
    offsets: readonly TopicPartitionOffset[] | undefined,
    deadline: number,
    onOffsets?: (offsets: readonly TopicPartitionOffset[]) => void,
    kind: 'sync' | 'async' = 'sync',
  ): Promise<void> {
    const committer = this.requireCommitter('commit');
    const entries =
      offsets === undefined ? committer.deliveredOffsets() : OffsetCommitter.fromUser(checkOffsets(offsets));
    onOffsets?.(
      entries.map((e) => ({
        topic: e.topic,
        partition: e.partition,
        offset: e.offset,
        leaderEpoch: e.leaderEpoch < 0 ? undefined : e.leaderEpoch,
        metadata: e.metadata,
      })),
    );
    await committer.commit(entries, this.membership.commitGeneration(), deadline, kind);
  }

  /**
   * The deadline of a commit the consumer starts itself, by the one rule (see the class description): a call's
   * default timeout, bounded by the window of the trigger.
   */
  deadline(trigger: 'call' | 'revoke' | 'interval'): number {
    const o = this.options;
    const window =
      trigger === 'revoke'
        ? o.rebalanceTimeoutMs
        : trigger === 'interval'
          ? 2 * o.autoCommitIntervalMs
          : Number.POSITIVE_INFINITY;
    return Date.now() + Math.min(o.defaultApiTimeoutMs, window);
  }

  /**
   * The committer.
   *
   * @throws InvalidGroupStateError naming `call` without a `groupId`.
   */
  requireCommitter(call: string): OffsetCommitter {
    if (this.committer === undefined) {
      throw new InvalidGroupStateError(`${call}() needs a groupId: offsets are stored per consumer group`);
    }
    return this.committer;
  }

  private async commitInterval(): Promise<void> {
    const committer = this.committer;
    if (committer === undefined || this.intervalRunning || this.closing) return;
    const generation = this.membership.generation();
    if (generation === undefined) return;
    const entries = committer.acknowledgedOffsets();
    if (entries.length === 0) return;
    this.intervalRunning = true;
    try {
      await committer.commit(entries, generation, this.deadline('interval'));
    } catch (error) {
      this.logger.warn('auto-commit failed; the offsets are committed again at the next interval if still owned', {
        error: isKafkaError(error) ? error : String(error),
      });
    } finally {
      this.intervalRunning = false;
    }
  }
}

function checkOffsets(offsets: readonly TopicPartitionOffset[]): readonly TopicPartitionOffset[] {
  for (const o of offsets) {
    if (
      typeof o?.topic !== 'string' ||
      !Number.isInteger(o.partition) ||
      typeof o.offset !== 'bigint' ||
      o.offset < 0n
    ) {
      throw new InvalidArgumentError(
        `commit(): each offset needs { topic, partition, offset: bigint >= 0 }, got ${String(o?.topic)}-${String(o?.partition)}@${String(o?.offset)}`,
      );
    }
  }
  return offsets;
}
