import { RebalanceHandler } from '../../../src/consumer/group/rebalance-handler.js';
import type { PartitionState } from '../../../src/consumer/partition-state.js';
import { SubscriptionState } from '../../../src/consumer/subscription-state.js';
import type { KafkaError } from '../../../src/errors/kafka-error.js';
import { silentLogger } from '../../../src/utils/logger.js';
import type { TopicPartition } from '../../../src/vocabulary/topic-partition.js';

/**
 * A real rebalance handler over a real subscription state, for unit tests of the group members, with everything it
 * tells the application recorded: listener calls as `assigned 0,1` / `revoked 2` / `lost 3` in `events`, the
 * partitions committed before each revocation in `commits`, and errors raised to the reader in `raised`.
 */
export function recordingRebalance(topics: readonly string[]) {
  const events: string[] = [];
  const commits: TopicPartition[][] = [];
  const raised: KafkaError[] = [];
  const subscriptions = new SubscriptionState();
  subscriptions.subscribe(topics);
  const partitions = (p: readonly TopicPartition[]) => p.map((x) => x.partition).join(',');
  const handler = new RebalanceHandler(
    {
      subscriptions,
      readers: { whenIdle: async () => {}, raise: (error) => raised.push(error) },
      commits: {
        beforeRevoke: async (states: readonly PartitionState[]) => {
          commits.push(states.map(({ topic, partition }) => ({ topic, partition })));
        },
      },
      logger: silentLogger,
    },
    10_000,
  );
  handler.listener = {
    onPartitionsAssigned: (p) => {
      events.push(`assigned ${partitions(p)}`);
    },
    onPartitionsRevoked: (p) => {
      events.push(`revoked ${partitions(p)}`);
    },
    onPartitionsLost: (p) => {
      events.push(`lost ${partitions(p)}`);
    },
  };
  return {
    subscriptions,
    handler,
    events,
    commits,
    raised,
    subscribedTopics: () => [...subscriptions.subscribedTopics()],
    raise: (error: KafkaError) => raised.push(error),
  };
}
