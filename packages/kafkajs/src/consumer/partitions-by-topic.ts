/** Partitions grouped by topic, as KafkaJS shapes assignments: `{ topic: [partition, ...] }`, in the given order. */
export function partitionsByTopic(
  partitions: Iterable<{ readonly topic: string; readonly partition: number }>,
): Record<string, number[]> {
  const byTopic: Record<string, number[]> = {};
  for (const { topic, partition } of partitions) {
    const list = byTopic[topic];
    if (list === undefined) byTopic[topic] = [partition];
    else list.push(partition);
  }
  return byTopic;
}
