import type { TopicPartitionOffset } from '@vltava/core';
import { PartitionProgress } from './partition-progress.js';

/**
 * Processing progress of every partition a stream pipeline reads (see {@link PartitionProgress}): the read stream
 * registers each record it hands out, the committer each record that reached it, and commits take the offsets
 * that moved.
 */
export class OffsetTracker {
  private readonly partitions = new Map<string, PartitionProgress>();
  private last: PartitionProgress | undefined;

  /** Records handed to the pipeline and not processed yet, over all partitions. */
  get inFlight(): number {
    let count = 0;
    for (const progress of this.partitions.values()) count += progress.inFlight;
    return count;
  }

  /** The progress of a partition, created on first use. */
  progress(topic: string, partition: number): PartitionProgress {
    const last = this.last;
    if (last !== undefined && last.partition === partition && last.topic === topic) return last;
    const key = `${topic}:${partition}`;
    let progress = this.partitions.get(key);
    if (progress === undefined) {
      progress = new PartitionProgress(topic, partition);
      this.partitions.set(key, progress);
    }
    this.last = progress;
    return progress;
  }

  /** Registers a record handed to the pipeline. */
  delivered(topic: string, partition: number, offset: bigint, leaderEpoch: number | undefined): void {
    this.progress(topic, partition).delivered(offset, leaderEpoch);
  }

  /** Registers a processed record; returns its partition's progress when the committable offset moved. */
  completed(
    topic: string,
    partition: number,
    offset: bigint,
    leaderEpoch: number | undefined,
  ): PartitionProgress | undefined {
    const progress = this.progress(topic, partition);
    return progress.completed(offset, leaderEpoch) ? progress : undefined;
  }

  /** The committable offsets that moved since the last call (see {@link PartitionProgress.takeCommittable}). */
  takeCommittable(): TopicPartitionOffset[] {
    const offsets: TopicPartitionOffset[] = [];
    for (const progress of this.partitions.values()) {
      const next = progress.takeCommittable();
      if (next !== undefined) {
        offsets.push({
          topic: progress.topic,
          partition: progress.partition,
          offset: next.offset,
          leaderEpoch: next.leaderEpoch,
        });
      }
    }
    return offsets;
  }

  /** A commit of offsets from {@link takeCommittable} failed: offer those partitions again. */
  uncommitted(offsets: readonly TopicPartitionOffset[]): void {
    for (const o of offsets) this.progress(o.topic, o.partition).uncommitted();
  }

  /** The committable offset of every partition that has one (whether or not committed already). */
  committed(): TopicPartitionOffset[] {
    const offsets: TopicPartitionOffset[] = [];
    for (const progress of this.partitions.values()) {
      const offset = progress.committable;
      if (offset !== undefined) {
        offsets.push({
          topic: progress.topic,
          partition: progress.partition,
          offset,
          leaderEpoch: progress.committableEpoch,
        });
      }
    }
    return offsets;
  }
}
