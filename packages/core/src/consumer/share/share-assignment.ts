import { diagnosticChannels } from '../../diagnostics/channels.js';
import type { TracedPartition } from '../../diagnostics/payloads.js';
import { sortPartitions, type TopicPartition } from '../../vocabulary/topic-partition.js';
import { Signal } from '../signal.js';
import type { SharePartitionRef } from './share-session.js';

const NONE: readonly TracedPartition[] = Object.freeze([]);

/**
 * The partitions a share group member reads now: the coordinator's assignment (by topic id), resolved to names
 * through metadata. Topic ids metadata does not know yet wait ({@link unresolved}) until a later snapshot names
 * them. Every change is announced on {@link changed} with the partitions that left, so that the share fetcher
 * fetches the new set and the consumer releases what it fetched ahead of the ones that left.
 */
export class ShareAssignment {
  /** The assignment changed; the value holds the keys (`topic:partition`) of the partitions that left it. */
  readonly changed = new Signal<ReadonlySet<string>>();
  private target: ReadonlyMap<string, readonly number[]> = new Map();
  private resolved = new Map<string, SharePartitionRef>();
  private waiting = false;
  /**
   * The partitions the change being announced added (filled only while `vltava:rebalance` has a subscriber, for
   * its trace; empty otherwise).
   */
  added: readonly TracedPartition[] = NONE;

  /** True while a topic id of the assignment has no name in metadata. */
  get unresolved(): boolean {
    return this.waiting;
  }

  /** The assigned partitions, in their topic-id form. */
  refs(): Iterable<SharePartitionRef> {
    return this.resolved.values();
  }

  /** True when the partition (`topic:partition`) is assigned. */
  has(key: string): boolean {
    return this.resolved.has(key);
  }

  /** The assigned partitions, sorted. */
  partitions(): TopicPartition[] {
    return sortPartitions([...this.resolved.values()].map((r) => ({ topic: r.topic, partition: r.partition })));
  }

  /** The coordinator assigned `target` (topic id -> partitions), named through `names` (topic names by id). */
  assign(target: ReadonlyMap<string, readonly number[]>, names: ReadonlyMap<string, string>): void {
    this.target = target;
    this.resolve(names);
  }

  /** Metadata changed: names topic ids that were waiting. */
  resolve(names: ReadonlyMap<string, string>): void {
    const next = new Map<string, SharePartitionRef>();
    let waiting = false;
    for (const [topicId, partitions] of this.target) {
      const topic = names.get(topicId);
      if (topic === undefined) {
        waiting = true;
        continue;
      }
      for (const partition of partitions) {
        const key = `${topic}:${partition}`;
        next.set(key, { key, topic, topicId, partition });
      }
    }
    const left = new Set<string>();
    for (const key of this.resolved.keys()) if (!next.has(key)) left.add(key);
    if (diagnosticChannels.rebalance.hasSubscribers) {
      const added: TracedPartition[] = [];
      for (const [key, ref] of next)
        if (!this.resolved.has(key)) added.push({ topic: ref.topic, partition: ref.partition });
      this.added = added;
    }
    this.resolved = next;
    this.waiting = waiting;
    this.changed.emit(left);
    this.added = NONE;
  }

  /** The member left its group: nothing is assigned (announced with no partitions leaving: the caller drops all). */
  clear(): void {
    this.target = new Map();
    this.resolved = new Map();
    this.waiting = false;
    this.changed.emit(new Set());
  }
}
