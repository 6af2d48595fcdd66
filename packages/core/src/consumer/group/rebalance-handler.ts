import type { KafkaError } from '../../errors/kafka-error.js';
import { isKafkaError } from '../../errors/kafka-error.js';
import type { Logger } from '../../utils/logger.js';
import { sortPartitions, type TopicPartition } from '../../vocabulary/topic-partition.js';
import { RebalanceListenerError } from '../consumer-errors.js';
import type { ConsumerRebalanceListener } from '../consumer-record.js';
import type { PartitionState } from '../partition-state.js';
import type { SubscriptionState } from '../subscription-state.js';
import { type RebalanceRecording, record } from './rebalance-trace.js';

/** The parts a rebalance works with. */
export interface RebalanceParts {
  /** The assignment it changes (its announcements move fetching and positions). */
  readonly subscriptions: SubscriptionState;
  /** The application's side (the consumer's record delivery). */
  readonly readers: {
    /** Resolves when the application holds no delivered records (it came back for more, or ended its reader). */
    whenIdle(): Promise<void>;
    /** Raises an error to the application at its next read. */
    raise(error: KafkaError): void;
  };
  /** Commits before revocation (the consumer's commit policy). */
  readonly commits: { beforeRevoke(states: readonly PartitionState[]): Promise<void> };
  readonly logger: Logger;
}

/**
 * Applies the partition changes a rebalance decides, in the order that keeps at-least-once delivery, for both group
 * protocols:
 *
 * - **revoke** (orderly): stop handing out the partitions' records, wait until the application is done with the
 *   records it holds (it asks for more, or ends its loop; bounded by the rebalance timeout), commit what it
 *   processed, call `onPartitionsRevoked` and wait for it, then drop the partitions;
 * - **lose** (no orderly handover): drop the partitions without committing and call `onPartitionsLost`;
 * - **assign**: add the partitions, call `onPartitionsAssigned` and wait for it (so a `seek` there decides where
 *   reading starts), then let their positions be initialised.
 *
 * A listener that throws does not stop the rebalance (the group must move on); its error is raised to the
 * application at its next read, as Java's `poll()` does.
 */
export class RebalanceHandler {
  private readonly parts: RebalanceParts;
  private readonly rebalanceTimeoutMs: number;
  /** The application's listener of the current subscription, if any. */
  listener: ConsumerRebalanceListener | undefined;
  /** Rebalances in which this member's assignment changed. */
  rebalances = 0;
  /** `Date.now()` when the last rebalance completed. */
  lastRebalanceAt: number | undefined;
  /** Set while a rebalance is traced (`vltava:rebalance`): what it assigned, revoked and lost. */
  recording: RebalanceRecording | undefined;

  constructor(
    parts: RebalanceParts,
    rebalanceTimeoutMs: number,
    /** `client.id` of the consumer, for the `vltava:rebalance` channel. */
    readonly clientId = '',
  ) {
    this.parts = parts;
    this.rebalanceTimeoutMs = rebalanceTimeoutMs;
  }

  /** Partitions currently owned, sorted. */
  owned(): TopicPartition[] {
    return this.parts.subscriptions.assignment();
  }

  /**
   * Revokes partitions in an orderly way (see the class description). `waitForApplication` false skips waiting
   * for the application to hand its records back: when the application itself asked to leave (`unsubscribe`,
   * `close`), the records it holds are not processed, so they are simply not committed.
   */
  async revoke(partitions: readonly TopicPartition[], waitForApplication = true): Promise<void> {
    const states = this.states(partitions);
    if (states.length === 0) return;
    for (const state of states) state.beginRevoke();
    if (waitForApplication) await this.idle();
    try {
      await this.parts.commits.beforeRevoke(states);
    } catch (error) {
      this.parts.logger.warn('commit before revoking partitions failed; their records may be read again', {
        error: isKafkaError(error) ? error : String(error),
      });
    }
    const list = toList(states);
    record(this.recording?.revoked, list);
    await this.call('onPartitionsRevoked', list, (l) => l.onPartitionsRevoked?.(list));
    this.parts.subscriptions.remove(states);
    this.changed();
  }

  /** Drops partitions that were lost (session expired, fenced): no commit, `onPartitionsLost`. */
  async lose(partitions: readonly TopicPartition[]): Promise<void> {
    const states = this.states(partitions);
    if (states.length === 0) return;
    this.parts.subscriptions.remove(states);
    const list = toList(states);
    record(this.recording?.lost, list);
    await this.call('onPartitionsLost', list, (l) =>
      l.onPartitionsLost !== undefined ? l.onPartitionsLost(list) : l.onPartitionsRevoked?.(list),
    );
    this.changed();
  }

  /**
   * Adds partitions and calls `onPartitionsAssigned` with them (also when there are none: it marks the end of a
   * rebalance, as in Java). Their positions are initialised once the listener returns.
   */
  async assign(partitions: readonly TopicPartition[]): Promise<void> {
    const added = this.parts.subscriptions.add(partitions, true);
    const list = toList(added);
    record(this.recording?.assigned, list);
    try {
      await this.call('onPartitionsAssigned', list, (l) => l.onPartitionsAssigned?.(list));
    } finally {
      for (const state of added) state.release();
      this.changed();
    }
  }

  private states(partitions: readonly TopicPartition[]): PartitionState[] {
    const states: PartitionState[] = [];
    for (const tp of partitions) {
      const state = this.parts.subscriptions.get(tp.topic, tp.partition);
      if (state !== undefined) states.push(state);
    }
    return states;
  }

  private async idle(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.rebalanceTimeoutMs);
    });
    try {
      await Promise.race([this.parts.readers.whenIdle(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private changed(): void {
    this.rebalances++;
    this.lastRebalanceAt = Date.now();
  }

  private async call(
    name: string,
    partitions: TopicPartition[],
    invoke: (listener: ConsumerRebalanceListener) => void | Promise<void> | undefined,
  ): Promise<void> {
    const listener = this.listener;
    if (listener === undefined) return;
    try {
      await invoke(listener);
    } catch (error) {
      this.parts.logger.error(`rebalance listener ${name} failed`, { error: String(error) });
      this.parts.readers.raise(
        new RebalanceListenerError(
          `The rebalance listener's ${name}(${partitions.length} partitions) threw: ${(error as Error)?.message ?? String(error)}`,
          { cause: error },
        ),
      );
    }
  }
}

function toList(states: readonly PartitionState[]): TopicPartition[] {
  return sortPartitions(states.map(({ topic, partition }) => ({ topic, partition })));
}
