import { InvalidArgumentError } from '../errors/client-errors.js';
import { formatPartition, partitionKey, sortPartitions, type TopicPartition } from '../vocabulary/topic-partition.js';
import { PartitionEvents } from './partition-events.js';
import { PartitionState } from './partition-state.js';

/** How the consumer got its partitions. */
export type SubscriptionType = 'none' | 'topics' | 'pattern' | 'manual';

/**
 * What the consumer reads: its subscription (topics or a pattern, for group management) or manual assignment,
 * the partitions currently assigned with their {@link PartitionState}, and the partitions the application paused.
 *
 * Pauses chosen by the application live in their own set, apart from the assignment: they survive revocation and
 * reassignment of the partition, and they never mix with the consumer's own backpressure (a partition whose
 * prefetch buffer is full is simply not fetched; see `FetchBuffer`).
 *
 * Its changes are announced on {@link events} (see {@link PartitionEvents}): partitions added, released, sought,
 * failed, removed or resumed. The fetcher, the position updater, the fetch buffer and the delivery subscribe to
 * them; nothing wakes them by hand.
 */
export class SubscriptionState {
  private kind: SubscriptionType = 'none';
  private topics = new Set<string>();
  private regex: RegExp | undefined;
  /** For a pattern: the topics that currently match. */
  private matched = new Set<string>();
  private readonly assigned = new Map<string, PartitionState>();
  private readonly userPaused = new Set<string>();
  /** Partitions whose fetching a layer above (Rx, streams) paused for backpressure; apart from user pauses. */
  private readonly flowPaused = new Set<string>();
  /** What the assigned partitions announce. */
  readonly events = new PartitionEvents();

  /** How partitions are obtained. */
  get type(): SubscriptionType {
    return this.kind;
  }

  /** The subscription pattern, if any. */
  get pattern(): RegExp | undefined {
    return this.regex;
  }

  /**
   * Subscribes to topics (group management). Replaces any earlier subscription.
   *
   * @throws InvalidArgumentError when the consumer has a manual assignment, or a topic name is empty.
   */
  subscribe(topics: readonly string[]): void {
    this.checkNotManual('subscribe');
    for (const topic of topics) {
      if (typeof topic !== 'string' || topic === '') {
        throw new InvalidArgumentError(`subscribe() got an empty or non-string topic name: ${String(topic)}`);
      }
    }
    this.kind = 'topics';
    this.topics = new Set(topics);
    this.regex = undefined;
    this.matched.clear();
  }

  /** Subscribes to every topic matching `pattern` (group management), now and as topics are created. */
  subscribePattern(pattern: RegExp): void {
    this.checkNotManual('subscribe');
    this.kind = 'pattern';
    this.regex = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    this.topics = new Set();
    this.matched.clear();
  }

  /**
   * Applies the pattern to the topics the cluster has (internal topics never match). Returns true when the set of
   * matching topics changed.
   */
  matchTopics(allTopics: Iterable<{ readonly name: string; readonly isInternal: boolean }>): boolean {
    const regex = this.regex;
    if (this.kind !== 'pattern' || regex === undefined) return false;
    const next = new Set<string>();
    for (const topic of allTopics) if (!topic.isInternal && regex.test(topic.name)) next.add(topic.name);
    const changed = next.size !== this.matched.size || [...next].some((t) => !this.matched.has(t));
    this.matched = next;
    return changed;
  }

  /** The topics subscribed to: the listed ones, or those matching the pattern now. */
  subscribedTopics(): ReadonlySet<string> {
    return this.kind === 'pattern' ? this.matched : this.topics;
  }

  /**
   * Assigns partitions manually (no group). Replaces the previous assignment: partitions kept keep their
   * positions; others are dropped.
   *
   * @throws InvalidArgumentError when the consumer is subscribed, or a partition is invalid.
   */
  assignManually(partitions: readonly TopicPartition[]): { added: PartitionState[]; removed: PartitionState[] } {
    if (this.kind === 'topics' || this.kind === 'pattern') {
      throw new InvalidArgumentError(
        'assign() cannot be used while subscribed; call unsubscribe() first (subscribe and assign do not mix)',
      );
    }
    for (const tp of partitions) checkPartition(tp, 'assign');
    this.kind = partitions.length === 0 ? 'none' : 'manual';
    const wanted = new Set(partitions.map((tp) => partitionKey(tp.topic, tp.partition)));
    const removed: PartitionState[] = [];
    for (const [key, state] of this.assigned) {
      if (!wanted.has(key)) removed.push(state);
    }
    this.remove(removed);
    return { added: this.add(partitions), removed };
  }

  /** Drops the subscription or manual assignment and every assigned partition. Pauses are kept. */
  unsubscribe(): PartitionState[] {
    const removed = [...this.assigned.values()];
    this.remove(removed);
    this.kind = 'none';
    this.topics = new Set();
    this.regex = undefined;
    this.matched.clear();
    return removed;
  }

  /**
   * Adds partitions to the assignment (group assignment). Already assigned ones are left as they are. With `held`,
   * the new partitions wait for `release()` before their positions are initialised (`onPartitionsAssigned` runs).
   */
  add(partitions: Iterable<TopicPartition>, held = false): PartitionState[] {
    const added: PartitionState[] = [];
    for (const { topic, partition } of partitions) {
      const key = partitionKey(topic, partition);
      if (this.assigned.has(key)) continue;
      const state = new PartitionState(topic, partition, this.events);
      if (held) state.hold();
      this.assigned.set(key, state);
      added.push(state);
    }
    for (const state of added) this.events.changed.emit(state);
    return added;
  }

  /** Removes partitions from the assignment; their prefetched data is dropped. */
  remove(states: Iterable<PartitionState>): void {
    for (const state of states) {
      if (this.assigned.get(state.key) !== state) continue;
      this.assigned.delete(state.key);
      state.markRevoked();
    }
  }

  /** The state of an assigned partition, or `undefined`. */
  get(topic: string, partition: number): PartitionState | undefined {
    return this.assigned.get(partitionKey(topic, partition));
  }

  /** The state of an assigned partition by key, or `undefined`. */
  getByKey(key: string): PartitionState | undefined {
    return this.assigned.get(key);
  }

  /**
   * The state of an assigned partition.
   *
   * @throws InvalidArgumentError naming the call when the partition is not assigned (as Java's
   *   `IllegalStateException: No current assignment for partition`).
   */
  require(tp: TopicPartition, call: string): PartitionState {
    checkPartition(tp, call);
    const state = this.assigned.get(partitionKey(tp.topic, tp.partition));
    if (state === undefined) {
      throw new InvalidArgumentError(
        `${call}(): partition ${formatPartition(tp)} is not assigned to this consumer; ` +
          'it can only be used for partitions in assignment()',
        { topic: tp.topic, partition: tp.partition },
      );
    }
    return state;
  }

  /** Every assigned partition's state. */
  states(): IterableIterator<PartitionState> {
    return this.assigned.values();
  }

  /** Number of assigned partitions. */
  get size(): number {
    return this.assigned.size;
  }

  /** The assigned partitions, sorted. */
  assignment(): TopicPartition[] {
    return sortPartitions([...this.assigned.values()].map(({ topic, partition }) => ({ topic, partition })));
  }

  /** Pauses partitions on the application's behalf. They stay paused across rebalances until resumed. */
  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.require(tp, 'pause');
    for (const tp of partitions) this.userPaused.add(partitionKey(tp.topic, tp.partition));
  }

  /** Resumes partitions the application paused. Resuming a partition that is not paused does nothing. */
  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) checkPartition(tp, 'resume');
    for (const tp of partitions) {
      const key = partitionKey(tp.topic, tp.partition);
      if (this.userPaused.delete(key)) this.announceResumed(key);
    }
  }

  /** True when the application paused the partition. */
  isPaused(key: string): boolean {
    return this.userPaused.size !== 0 && this.userPaused.has(key);
  }

  /** True when the partition's buffered records may be handed out: not paused by the application, not revoked. */
  isDeliverable(state: PartitionState): boolean {
    return !state.revoking && (this.userPaused.size === 0 || !this.userPaused.has(state.key));
  }

  /** The assigned partitions the application has paused, sorted. */
  paused(): TopicPartition[] {
    const result: TopicPartition[] = [];
    for (const state of this.assigned.values()) {
      if (this.userPaused.has(state.key)) result.push({ topic: state.topic, partition: state.partition });
    }
    return sortPartitions(result);
  }

  /**
   * Stops fetching partitions for backpressure, on behalf of a layer above the consumer. Unlike {@link pause}, records
   * already buffered are still delivered, unassigned partitions are accepted (the pause applies if they come back),
   * and the application's own pauses are not touched.
   */
  pauseFetching(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      checkPartition(tp, 'backpressure.pause');
      this.flowPaused.add(partitionKey(tp.topic, tp.partition));
    }
  }

  /** Lifts backpressure pauses set by {@link pauseFetching}. */
  resumeFetching(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) checkPartition(tp, 'backpressure.resume');
    for (const tp of partitions) {
      const key = partitionKey(tp.topic, tp.partition);
      if (this.flowPaused.delete(key)) this.announceResumed(key);
    }
  }

  /** Partitions (assigned or not) whose fetching is paused for backpressure, sorted. */
  fetchingPaused(): TopicPartition[] {
    return sortPartitions(
      [...this.flowPaused].map((key) => {
        const at = key.lastIndexOf(':');
        return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
      }),
    );
  }

  /**
   * True when the partition may be fetched: assigned, with a valid position, not paused by the application or for
   * backpressure, and not being revoked. (Whether its buffer has room is the fetch buffer's call.)
   */
  isFetchable(state: PartitionState): boolean {
    return (
      state.state === 'fetching' &&
      !state.revoking &&
      !this.isPaused(state.key) &&
      (this.flowPaused.size === 0 || !this.flowPaused.has(state.key))
    );
  }

  private announceResumed(key: string): void {
    const state = this.assigned.get(key);
    if (state !== undefined) this.events.resumed.emit(state);
  }

  private checkNotManual(call: string): void {
    if (this.kind === 'manual') {
      throw new InvalidArgumentError(
        `${call}() cannot be used with a manual assignment; call unsubscribe() (or assign([])) first`,
      );
    }
  }
}

function checkPartition(tp: TopicPartition, call: string): void {
  if (
    tp === null ||
    typeof tp !== 'object' ||
    typeof tp.topic !== 'string' ||
    tp.topic === '' ||
    !Number.isInteger(tp.partition) ||
    tp.partition < 0
  ) {
    throw new InvalidArgumentError(
      `${call}() needs { topic: non-empty string, partition: integer >= 0 }, got ${safeDescribe(tp)}`,
    );
  }
}

function safeDescribe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
