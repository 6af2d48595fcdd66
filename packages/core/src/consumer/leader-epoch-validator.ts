import { toKafkaError } from '../errors/client-errors.js';
import { isStaleMetadata } from '../errors/error-classification.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { createBrokerError } from '../errors/index.js';
import type { KafkaError } from '../errors/kafka-error.js';
import { OffsetForLeaderEpoch } from '../protocol/messages/generated/offset-for-leader-epoch.js';
import type { BrokerAccess } from './cluster-view.js';
import type { PartitionState } from './partition-state.js';

/** What the leader said about the epoch of a position. */
export type ValidationOutcome =
  /** The position is inside the leader's log: fetch on. */
  | { readonly kind: 'valid'; readonly leaderEpoch: number }
  /** The leader's log ends before the position in that epoch: records were truncated (KIP-320). */
  | { readonly kind: 'truncated'; readonly divergentOffset: bigint; readonly divergentEpoch: number }
  /** The leader does not know the epoch or offset at all: reset by policy. */
  | { readonly kind: 'unknown' }
  /** Try again later (leader moved, not available). */
  | { readonly kind: 'retry'; readonly error: KafkaError }
  /** An error retrying cannot fix. */
  | { readonly kind: 'failed'; readonly error: KafkaError };

/**
 * Decides what an OffsetForLeaderEpoch answer means for a position, as the Java consumer does: the end offset of
 * the position's epoch on the leader below the position means the log was truncated under the consumer; an
 * undefined epoch or offset means the leader knows nothing of it.
 */
export function evaluateEpochEndOffset(
  position: bigint,
  answer: { readonly errorCode: number; readonly leaderEpoch: number; readonly endOffset: bigint },
  currentLeaderEpoch: number,
  context: { topic: string; partition: number },
): ValidationOutcome {
  if (answer.errorCode !== ErrorCodes.NONE) {
    const error = createBrokerError(answer.errorCode, { ...context, api: 'OffsetForLeaderEpoch' });
    return isStaleMetadata(answer.errorCode) || error.retriable ? { kind: 'retry', error } : { kind: 'failed', error };
  }
  if (answer.leaderEpoch < 0 || answer.endOffset < 0n) return { kind: 'unknown' };
  if (answer.endOffset < position) {
    return { kind: 'truncated', divergentOffset: answer.endOffset, divergentEpoch: answer.leaderEpoch };
  }
  return { kind: 'valid', leaderEpoch: currentLeaderEpoch };
}

/**
 * Validates fetch positions against their leaders' logs (KIP-320) with OffsetForLeaderEpoch, after a leader change
 * or when a position comes from a committed offset that carries a leader epoch. One request per leader.
 */
export class LeaderEpochValidator {
  private readonly cluster: BrokerAccess;

  constructor(cluster: BrokerAccess) {
    this.cluster = cluster;
  }

  /** Validates positions; resolves with each partition's outcome (never rejects). */
  async validate(states: readonly PartitionState[]): Promise<Map<PartitionState, ValidationOutcome>> {
    const outcomes = new Map<PartitionState, ValidationOutcome>();
    const byLeader = new Map<number, Array<{ state: PartitionState; currentLeaderEpoch: number }>>();
    for (const state of states) {
      const info = this.cluster.partition(state.topic, state.partition);
      if (info === undefined || info.leader < 0) {
        outcomes.set(state, {
          kind: 'retry',
          error: createBrokerError(ErrorCodes.LEADER_NOT_AVAILABLE, { topic: state.topic, partition: state.partition }),
        });
        continue;
      }
      const list = byLeader.get(info.leader) ?? [];
      list.push({ state, currentLeaderEpoch: info.leaderEpoch });
      byLeader.set(info.leader, list);
    }
    await Promise.all(
      [...byLeader].map(async ([leader, list]) => {
        const byTopic = new Map<string, Array<{ state: PartitionState; currentLeaderEpoch: number }>>();
        for (const entry of list) {
          const topicList = byTopic.get(entry.state.topic) ?? [];
          topicList.push(entry);
          byTopic.set(entry.state.topic, topicList);
        }
        try {
          const connection = await this.cluster.connection(leader);
          const response = await connection.send(OffsetForLeaderEpoch, {
            replicaId: -1,
            topics: [...byTopic].map(([topic, entries]) => ({
              topic,
              partitions: entries.map((e) => ({
                partition: e.state.partition,
                currentLeaderEpoch: e.currentLeaderEpoch,
                leaderEpoch: e.state.positionEpoch ?? -1,
              })),
            })),
          });
          for (const topic of response.topics) {
            for (const answer of topic.partitions) {
              const entry = byTopic.get(topic.topic)?.find((e) => e.state.partition === answer.partition);
              if (entry === undefined) continue;
              outcomes.set(
                entry.state,
                evaluateEpochEndOffset(entry.state.position, answer, entry.currentLeaderEpoch, {
                  topic: topic.topic,
                  partition: answer.partition,
                }),
              );
            }
          }
        } catch (error) {
          const failure = toKafkaError(error, { api: 'OffsetForLeaderEpoch' });
          for (const { state } of list) {
            outcomes.set(
              state,
              failure.retriable ? { kind: 'retry', error: failure } : { kind: 'failed', error: failure },
            );
          }
        }
      }),
    );
    for (const state of states) {
      if (!outcomes.has(state)) {
        outcomes.set(state, {
          kind: 'retry',
          error: createBrokerError(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, {
            topic: state.topic,
            partition: state.partition,
            api: 'OffsetForLeaderEpoch',
          }),
        });
      }
    }
    return outcomes;
  }
}
