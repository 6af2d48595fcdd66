/**
 * A partition of a topic, the word every layer uses (assignors, consumer, admin, the contracts of rx and streams),
 * and the few things done with it everywhere: its map key, its sort order, its printed form.
 *
 * @module
 */

/** One partition of one topic. Java: `TopicPartition`. */
export interface TopicPartition {
  /** Topic name. */
  readonly topic: string;
  /** Partition number, from 0. */
  readonly partition: number;
}

/** A partition with an offset: what `commit`, `committed` and `offsetsForTimes` take and return. */
export interface TopicPartitionOffset extends TopicPartition {
  /** The offset. For commits: the offset of the next record to read, i.e. the last processed offset plus one. */
  readonly offset: bigint;
  /** Leader epoch of the last processed record (KIP-320), when known. Lets a restarted consumer detect truncation. */
  readonly leaderEpoch?: number | undefined;
  /** Metadata string stored with a committed offset. Default none. */
  readonly metadata?: string | null | undefined;
}

/** The map key of a partition: `topic:partition` (topic names cannot contain `:`). */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** Sorts partitions by topic, then partition number. Returns a new array. */
export function sortPartitions<T extends TopicPartition>(partitions: Iterable<T>): T[] {
  return [...partitions].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}

/** Groups partitions by topic: `topic -> partition numbers`, in first-seen order. */
export function groupByTopic(partitions: Iterable<TopicPartition>): Map<string, number[]> {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    let list = byTopic.get(topic);
    if (list === undefined) {
      list = [];
      byTopic.set(topic, list);
    }
    list.push(partition);
  }
  return byTopic;
}

/** Formats a partition for messages: `orders-3`, as Kafka tools print it. */
export function formatPartition(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}
