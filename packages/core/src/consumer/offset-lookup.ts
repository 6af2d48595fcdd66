import { KafkaTimeoutError, toKafkaError } from '../errors/client-errors.js';
import { isStaleMetadata } from '../errors/error-classification.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { createBrokerError } from '../errors/index.js';
import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import { ListOffsets } from '../protocol/messages/generated/list-offsets.js';
import { delay } from '../utils/delay.js';
import { formatPartition, partitionKey, type TopicPartition } from '../vocabulary/topic-partition.js';
import type { BrokerAccess } from './cluster-view.js';

/** ListOffsets timestamp meaning "the first offset". */
export const EARLIEST_TIMESTAMP = -2n;
/** ListOffsets timestamp meaning "the offset after the last record" (the LSO under read_committed). */
export const LATEST_TIMESTAMP = -1n;

/** One partition to look up, at a timestamp or one of the special ones. */
export interface OffsetQuery extends TopicPartition {
  readonly timestamp: bigint;
}

/** What ListOffsets found for a partition: `offset` -1 when no record is at or after the timestamp. */
export interface OffsetAnswer extends TopicPartition {
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly leaderEpoch: number;
}

/**
 * ListOffsets for the consumer: groups partitions by leader, one request per leader, and retries partitions whose
 * leader moved (after a metadata refresh) until the deadline. Used to reset positions (`autoOffsetReset`,
 * `seekToBeginning`, `seekToEnd`) and by `beginningOffsets`, `endOffsets` and `offsetsForTimes`.
 */
export class OffsetLookup {
  private readonly cluster: BrokerAccess;
  private readonly readCommitted: boolean;
  private readonly requestTimeoutMs: number;

  constructor(cluster: BrokerAccess, options: { readonly readCommitted: boolean; readonly requestTimeoutMs: number }) {
    this.cluster = cluster;
    this.readCommitted = options.readCommitted;
    this.requestTimeoutMs = options.requestTimeoutMs;
  }

  /**
   * Looks offsets up, retrying what is retriable until `deadline`.
   *
   * @throws The broker's error for a partition that failed for good (`UnknownTopicOrPartitionError` after the
   *   deadline, `TopicAuthorizationFailedError`, ...), or `KafkaTimeoutError`.
   */
  async lookup(queries: readonly OffsetQuery[], deadline: number): Promise<OffsetAnswer[]> {
    // A request may name a partition once: the same partition at several timestamps goes in several waves.
    const waves: OffsetQuery[][] = [];
    for (const query of queries) {
      const key = partitionKey(query.topic, query.partition);
      let wave = waves.find((w) => !w.some((q) => partitionKey(q.topic, q.partition) === key));
      if (wave === undefined) {
        wave = [];
        waves.push(wave);
      }
      wave.push(query);
    }
    const results = new Map<OffsetQuery, OffsetAnswer>();
    for (const wave of waves) {
      const answers = await this.lookupWave(wave, deadline);
      for (let i = 0; i < wave.length; i++) results.set(wave[i]!, answers[i]!);
    }
    return queries.map((q) => results.get(q)!);
  }

  private async lookupWave(queries: readonly OffsetQuery[], deadline: number): Promise<OffsetAnswer[]> {
    const answers = new Map<string, OffsetAnswer>();
    let pending = [...queries];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const { found, retry, fatal } = await this.lookupOnce(pending);
      for (const answer of found) answers.set(partitionKey(answer.topic, answer.partition), answer);
      if (fatal !== undefined) throw fatal;
      if (retry.length === 0) break;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const first = retry[0]!;
        throw new KafkaTimeoutError(
          `Could not list offsets of ${formatPartition(first.query)}${retry.length > 1 ? ` and ${retry.length - 1} more` : ''} ` +
            `before the deadline: ${first.error.message}`,
          { topic: first.query.topic, partition: first.query.partition, cause: first.error },
        );
      }
      await delay(Math.min(remaining, this.cluster.retryDelay(attempt)));
      await this.cluster.refreshMetadata({ topics: retry.map((r) => r.query.topic) }).catch(() => undefined);
      pending = retry.map((r) => r.query);
    }
    return queries.map((q) => answers.get(partitionKey(q.topic, q.partition))!);
  }

  /**
   * One round: a request to each leader. Returns what was found, what to retry (with why) and the first error
   * that retrying cannot fix.
   */
  async lookupOnce(queries: readonly OffsetQuery[]): Promise<{
    found: OffsetAnswer[];
    retry: Array<{ query: OffsetQuery; error: KafkaError }>;
    fatal: KafkaError | undefined;
  }> {
    const found: OffsetAnswer[] = [];
    const retry: Array<{ query: OffsetQuery; error: KafkaError }> = [];
    let fatal: KafkaError | undefined;
    const byLeader = new Map<number, OffsetQuery[]>();
    for (const query of queries) {
      const info = this.cluster.partition(query.topic, query.partition);
      if (info === undefined || info.leader < 0) {
        retry.push({
          query,
          error: createBrokerError(
            info === undefined ? ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION : ErrorCodes.LEADER_NOT_AVAILABLE,
            { topic: query.topic, partition: query.partition },
          ),
        });
        continue;
      }
      let list = byLeader.get(info.leader);
      if (list === undefined) {
        list = [];
        byLeader.set(info.leader, list);
      }
      list.push(query);
    }
    await Promise.all(
      [...byLeader].map(async ([leader, list]) => {
        const byTopic = new Map<string, OffsetQuery[]>();
        for (const q of list) {
          const entry = byTopic.get(q.topic);
          if (entry === undefined) byTopic.set(q.topic, [q]);
          else entry.push(q);
        }
        try {
          const connection = await this.cluster.connection(leader);
          const response = await connection.send(ListOffsets, {
            replicaId: -1,
            isolationLevel: this.readCommitted ? 1 : 0,
            topics: [...byTopic].map(([name, qs]) => ({
              name,
              partitions: qs.map((q) => ({
                partitionIndex: q.partition,
                currentLeaderEpoch: this.cluster.partition(q.topic, q.partition)?.leaderEpoch ?? -1,
                timestamp: q.timestamp,
              })),
            })),
            timeoutMs: this.requestTimeoutMs,
          });
          const byKey = new Map(list.map((q) => [partitionKey(q.topic, q.partition), q]));
          for (const topic of response.topics) {
            for (const p of topic.partitions) {
              const query = byKey.get(partitionKey(topic.name, p.partitionIndex));
              if (query === undefined) continue;
              byKey.delete(partitionKey(topic.name, p.partitionIndex));
              if (p.errorCode === ErrorCodes.NONE) {
                found.push({
                  topic: topic.name,
                  partition: p.partitionIndex,
                  offset: p.offset,
                  timestamp: p.timestamp,
                  leaderEpoch: p.leaderEpoch,
                });
                continue;
              }
              const error = createBrokerError(p.errorCode, {
                topic: topic.name,
                partition: p.partitionIndex,
                api: 'ListOffsets',
                broker: String(leader),
              });
              if (isStaleMetadata(p.errorCode) || error.retriable) retry.push({ query, error });
              else fatal ??= error;
            }
          }
          for (const query of byKey.values()) {
            retry.push({
              query,
              error: createBrokerError(ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION, {
                topic: query.topic,
                partition: query.partition,
                api: 'ListOffsets',
              }),
            });
          }
        } catch (error) {
          if (!isKafkaError(error) || !error.retriable) {
            fatal ??= toKafkaError(error, { api: 'ListOffsets' });
            return;
          }
          for (const query of list) retry.push({ query, error });
        }
      }),
    );
    return { found, retry, fatal };
  }
}
