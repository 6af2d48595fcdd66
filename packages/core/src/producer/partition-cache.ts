import type { TopicInfo } from '../cluster/metadata.js';
import { InvalidArgumentError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import type { PartitionState } from './partition-state.js';
import type { Partitioner, TopicPartitions } from './partitioner.js';
import type { MetadataView } from './producer-cluster.js';
import type { Serialized } from './serializers.js';

/** A topic the producer writes to: its metadata, which partitions have a leader, and its partitions' states. */
export interface TopicEntry {
  /** The topic's metadata this entry was built from. */
  info: TopicInfo;
  /** Partition count and availability, as the partitioners read them. */
  partitions: TopicPartitions;
  /** The state of each partition written to so far, by index. */
  readonly states: Array<PartitionState | undefined>;
}

/**
 * The producer's view of the topics it writes to, kept from metadata: which partitions exist and have a leader,
 * which partition a record goes to, and each partition's state (its batch queue), so that the send path never
 * looks a partition up by name.
 *
 * A topic enters the cache once metadata has it with partitions and the producer asked for it (it is tracked).
 * {@link refresh} rebuilds the entries whose metadata changed, keeping the entry objects (and their partition
 * states). Most sends go to the topic of the send before: {@link get} remembers the last entry.
 */
export class PartitionCache {
  private readonly topics = new Map<string, TopicEntry>();
  private last: TopicEntry | undefined;

  /**
   * @param view The latest metadata and the tracked topics.
   * @param partitioner Picks the partition of a record without one.
   * @param stateFor The state of a partition (the accumulator's, created on first use).
   */
  constructor(
    private readonly view: MetadataView,
    private readonly partitioner: Partitioner,
    private readonly stateFor: (topic: string, partition: number) => PartitionState,
  ) {}

  /** The entry of a topic, or undefined while metadata does not have it. */
  get(topic: string): TopicEntry | undefined {
    let entry = this.last;
    if (entry === undefined || entry.info.name !== topic) {
      entry = this.topics.get(topic);
      this.last = entry;
    }
    return entry;
  }

  /** Rebuilds the partition lists of the topics the producer writes to from the latest metadata. */
  refresh(): void {
    const view = this.view;
    for (const [name, info] of view.metadata.topics) {
      if (info.errorCode !== ErrorCodes.NONE || info.partitions.length === 0) continue;
      const entry = this.topics.get(name);
      if (entry === undefined && !view.trackedTopics.has(name)) continue;
      if (entry !== undefined && entry.info === info) continue;
      const hasLeader = info.partitions.map((p) => p.leader >= 0);
      const partitions: TopicPartitions = {
        partitionCount: info.partitions.length,
        hasLeader,
        available: hasLeader.flatMap((ok, p) => (ok ? [p] : [])),
      };
      if (entry === undefined) this.topics.set(name, { info, partitions, states: [] });
      else {
        entry.info = info;
        entry.partitions = partitions;
      }
    }
  }

  /**
   * The partition a record goes to: `explicit` when given (it must exist: `InvalidArgumentError` otherwise), else
   * the partitioner's choice from its key and value.
   */
  choosePartition(entry: TopicEntry, explicit: number | undefined, key: Serialized, value: Serialized): number {
    if (explicit !== undefined) {
      if (explicit >= entry.partitions.partitionCount) {
        throw new InvalidArgumentError(
          `Partition ${explicit} does not exist: topic ${entry.info.name} has ${entry.partitions.partitionCount} ` +
            `partition(s)`,
          { topic: entry.info.name, partition: explicit },
        );
      }
      return explicit;
    }
    return this.partitioner.partition(entry.info.name, key, value, entry.partitions);
  }

  /** The state of partition `partition` of the topic. */
  stateOf(entry: TopicEntry, partition: number): PartitionState {
    let state = entry.states[partition];
    if (state === undefined) {
      state = this.stateFor(entry.info.name, partition);
      entry.states[partition] = state;
    }
    return state;
  }

  /**
   * A record the partitioner placed joined a batch of `state`: `bytes` is its (estimated, on the wire) size, which
   * the sticky partitioner counts towards switching partitions.
   */
  appended(entry: TopicEntry, state: PartitionState, key: Serialized, bytes: number): void {
    this.partitioner.onAppend(state.topic, state.partition, key, bytes, entry.partitions);
  }
}
