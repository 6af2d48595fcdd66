/** One topic's pauses: the whole topic (but for partitions resumed since), and single partitions. */
interface TopicPauses {
  all: boolean;
  readonly partitions: Set<number>;
  readonly resumed: Set<number>;
}

/**
 * The partitions the application paused, by topic, as KafkaJS keeps them: pausing a topic covers its partitions
 * assigned later too, until it is resumed; resuming one partition of a paused topic leaves the others paused.
 * Kept by the consumer across runs and rebalances.
 */
export class PauseState {
  private readonly topics = new Map<string, TopicPauses>();

  /** Pauses a whole topic (`partitions` undefined) or some of its partitions. */
  pause(topic: string, partitions?: readonly number[]): void {
    const state = this.state(topic);
    if (partitions === undefined) {
      state.all = true;
      state.partitions.clear();
      state.resumed.clear();
      return;
    }
    for (const partition of partitions) {
      state.partitions.add(partition);
      state.resumed.delete(partition);
    }
  }

  /** Resumes a whole topic (`partitions` undefined) or some of its partitions. */
  resume(topic: string, partitions?: readonly number[]): void {
    const state = this.topics.get(topic);
    if (state === undefined) return;
    if (partitions === undefined) {
      this.topics.delete(topic);
      return;
    }
    for (const partition of partitions) {
      state.partitions.delete(partition);
      if (state.all) state.resumed.add(partition);
    }
  }

  /** Whether the application paused this partition. */
  isPaused(topic: string, partition: number): boolean {
    if (this.topics.size === 0) return false;
    const state = this.topics.get(topic);
    if (state === undefined) return false;
    return (state.all && !state.resumed.has(partition)) || state.partitions.has(partition);
  }

  private state(topic: string): TopicPauses {
    let state = this.topics.get(topic);
    if (state === undefined) {
      state = { all: false, partitions: new Set(), resumed: new Set() };
      this.topics.set(topic, state);
    }
    return state;
  }
}
