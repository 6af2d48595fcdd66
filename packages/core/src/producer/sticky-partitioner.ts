/** The partitions of one topic a partitioner chooses from. */
export interface TopicPartitions {
  /** Number of partitions of the topic. */
  readonly partitionCount: number;
  /** Partitions that have a leader now, ascending. May be empty while leaders are being elected. */
  readonly available: readonly number[];
  /** `hasLeader[p]` says whether partition `p` has a leader; same information as `available`, O(1). */
  readonly hasLeader: readonly boolean[];
}

interface StickyState {
  partition: number;
  producedBytes: number;
}

/**
 * The uniform sticky partitioner of KIP-794 (the Java client's built-in partitioner for records without a key,
 * without its adaptive weighting): records of a topic go to one partition until `batchSize` bytes have been
 * produced to it, then to another partition chosen at random among those with a leader. Sticking fills batches
 * (fewer, larger requests); switching by bytes, not by batch, spreads load evenly even when one partition is slow
 * (KIP-480's stick-per-batch rule sent more to slower partitions, whose batches stayed open longer).
 *
 * If the current partition loses its leader, the next record switches at once.
 */
export class StickyPartitioner {
  private readonly topics = new Map<string, StickyState>();

  /**
   * @param batchSize bytes to produce to one partition before switching (the producer's `batchSize`).
   * @param random random source in [0, 1), for tests.
   */
  constructor(
    private readonly batchSize: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The partition for the next keyless record of `topic`. */
  partition(topic: string, partitions: TopicPartitions): number {
    let state = this.topics.get(topic);
    if (state === undefined) {
      state = { partition: this.choose(partitions, -1), producedBytes: 0 };
      this.topics.set(topic, state);
    } else if (state.partition >= partitions.partitionCount || partitions.hasLeader[state.partition] !== true) {
      state.partition = this.choose(partitions, state.partition);
      state.producedBytes = 0;
    }
    return state.partition;
  }

  /**
   * Records that `bytes` were appended to `partition` of `topic` by a keyless record; switches partition once the
   * sticky partition has received `batchSize` bytes.
   */
  onAppend(topic: string, partition: number, bytes: number, partitions: TopicPartitions): void {
    const state = this.topics.get(topic);
    if (state === undefined || state.partition !== partition) return;
    state.producedBytes += bytes;
    if (state.producedBytes >= this.batchSize) {
      state.partition = this.choose(partitions, partition);
      state.producedBytes = 0;
    }
  }

  /** A random partition with a leader, other than `current` when there is a choice; any partition if none has one. */
  private choose(partitions: TopicPartitions, current: number): number {
    const available = partitions.available;
    if (available.length === 0) return Math.floor(this.random() * partitions.partitionCount);
    if (available.length === 1) return available[0]!;
    // Pick among the others: index in [0, n-1), shifted past the current one.
    const currentIndex = current >= 0 && partitions.hasLeader[current] === true ? available.indexOf(current) : -1;
    if (currentIndex < 0) return available[Math.floor(this.random() * available.length)]!;
    const index = Math.floor(this.random() * (available.length - 1));
    return available[index >= currentIndex ? index + 1 : index]!;
  }
}
