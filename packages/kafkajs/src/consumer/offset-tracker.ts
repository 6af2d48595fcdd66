/** One partition's offsets as the KafkaJS run loop tracks them. */
interface PartitionOffsets {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to consume: one past the last resolved message. */
  resolved: bigint | undefined;
  /** The offset last committed by this consumer, if any. */
  committed: bigint | undefined;
  /** The first offset handed out since the partition was assigned: what resolved offsets count from. */
  base: bigint | undefined;
}

/** An offset to commit, by partition. */
export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/**
 * KafkaJS's offset bookkeeping: resolved offsets (one past the last message resolved, by `eachMessage` returning,
 * `resolveOffset` or the end of an `eachBatch`), the offsets this consumer committed, and from them the uncommitted
 * offsets and their count for `autoCommitThreshold`, and the time of the last commit for `autoCommitInterval`.
 */
export class OffsetTracker {
  private readonly partitions = new Map<string, PartitionOffsets>();
  /** `Date.now()` of the last commit (or of the start). */
  lastCommit = Date.now();

  /** A partition's first message of a batch was handed out: resolved offsets count from it. */
  delivered(topic: string, partition: number, firstOffset: bigint): void {
    const entry = this.entry(topic, partition);
    entry.base ??= firstOffset;
  }

  /** Marks `offset` (a message's offset) as processed: the next offset to consume is `offset + 1`. */
  resolve(topic: string, partition: number, offset: bigint): void {
    this.entry(topic, partition).resolved = offset + 1n;
  }

  /** Sets the next offset to consume (after a seek). */
  setNext(topic: string, partition: number, next: bigint | undefined): void {
    const entry = this.entry(topic, partition);
    entry.resolved = next;
    entry.base = next;
  }

  /** The next offset to consume of a partition, if any message was resolved. */
  resolvedOf(topic: string, partition: number): bigint | undefined {
    return this.partitions.get(`${topic}:${partition}`)?.resolved;
  }

  /** Resolved offsets not committed yet, restricted to `owned` when given. */
  uncommitted(owned?: (topic: string, partition: number) => boolean): PartitionOffset[] {
    const list: PartitionOffset[] = [];
    for (const entry of this.partitions.values()) {
      if (entry.resolved === undefined || entry.resolved < 0n || entry.resolved === entry.committed) continue;
      if (owned !== undefined && !owned(entry.topic, entry.partition)) continue;
      list.push({ topic: entry.topic, partition: entry.partition, offset: entry.resolved });
    }
    return list;
  }

  /** Messages resolved and not committed, over every partition. */
  countResolved(): bigint {
    let count = 0n;
    for (const entry of this.partitions.values()) {
      if (entry.resolved === undefined) continue;
      const from = entry.committed ?? entry.base ?? entry.resolved;
      if (entry.resolved > from) count += entry.resolved - from;
    }
    return count;
  }

  /** Whether `autoCommitInterval` or `autoCommitThreshold` says it is time to commit. */
  commitDue(interval: number | null | undefined, threshold: number | null | undefined, now = Date.now()): boolean {
    if (interval !== null && interval !== undefined && now >= this.lastCommit + interval) return true;
    return threshold !== null && threshold !== undefined && this.countResolved() >= BigInt(threshold);
  }

  /** Records a successful commit of these offsets. */
  committed(offsets: readonly PartitionOffset[], now = Date.now()): void {
    for (const { topic, partition, offset } of offsets) this.entry(topic, partition).committed = offset;
    this.lastCommit = now;
  }

  /** Forgets partitions that left the assignment. */
  forget(partitions: ReadonlyArray<{ readonly topic: string; readonly partition: number }>): void {
    for (const { topic, partition } of partitions) this.partitions.delete(`${topic}:${partition}`);
  }

  private entry(topic: string, partition: number): PartitionOffsets {
    const key = `${topic}:${partition}`;
    let entry = this.partitions.get(key);
    if (entry === undefined) {
      entry = { topic, partition, resolved: undefined, committed: undefined, base: undefined };
      this.partitions.set(key, entry);
    }
    return entry;
  }
}
