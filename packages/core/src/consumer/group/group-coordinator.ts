import { CoordinatorType } from '../../cluster/cluster.js';
import { isCoordinatorMoved } from '../../errors/error-classification.js';
import { ErrorCodes } from '../../errors/error-codes.generated.js';
import { createBrokerError } from '../../errors/index.js';
import { isKafkaError } from '../../errors/kafka-error.js';
import type { RequestOptions } from '../../network/connection.js';
import type { ApiDefinition } from '../../protocol/messages/api-definition.js';
import { OffsetCommit } from '../../protocol/messages/generated/offset-commit.js';
import { OffsetFetch } from '../../protocol/messages/generated/offset-fetch.js';
import { groupByTopic, partitionKey, type TopicPartition } from '../../vocabulary/topic-partition.js';
import type { ConsumerCluster } from '../cluster-view.js';
import type { CommitEntry, CommittedOffset, GroupGeneration, OffsetTransport } from '../offset-committer.js';

/** The connection lane of group coordinator traffic: never queued behind a long-polling Fetch. */
export const GROUP_LANE = 'group';

/** Highest OffsetCommit version used: v10 names topics by id, which buys nothing here. */
const OFFSET_COMMIT_MAX_VERSION = 9;
/** Highest OffsetFetch version used (v10 names topics by id). */
const OFFSET_FETCH_MAX_VERSION = 9;

/** Requests to a group's coordinator, as the group members use it (a scripted fake in unit tests). */
export interface CoordinatorClient {
  /**
   * Sends a request to the coordinator. Rejects with the transport error (after forgetting the coordinator when the
   * connection broke); response error codes are the caller's to read.
   */
  send<Req, Res>(api: ApiDefinition<Req, Res>, request: Req, options?: RequestOptions): Promise<Res>;
  /** Checks a response error code: when it says the coordinator moved, forgets it. Returns true in that case. */
  coordinatorMoved(errorCode: number): boolean;
  /** Forgets the cached coordinator: the next request looks it up again. */
  forget(): void;
}

/** What the coordinator client uses of the cluster. */
export type CoordinatorAccess = Pick<ConsumerCluster, 'findCoordinator' | 'invalidateCoordinator' | 'connection'>;

/**
 * Requests to the coordinator of one group (consumer or share): finds the coordinator (cached by the cluster), sends
 * on the `group` lane, and forgets the coordinator when it moves (NOT_COORDINATOR and friends, or a broken
 * connection), so the next request looks it up again. Also the {@link OffsetTransport} of the offset committer.
 */
export class GroupCoordinator implements CoordinatorClient, OffsetTransport {
  readonly groupId: string;
  private readonly cluster: CoordinatorAccess;

  constructor(cluster: CoordinatorAccess, groupId: string) {
    this.cluster = cluster;
    this.groupId = groupId;
  }

  /**
   * Sends a request to the coordinator. Rejects with the transport error (after forgetting the coordinator when the
   * connection broke); response error codes are the caller's to read (it calls {@link coordinatorMoved} for those
   * meaning the coordinator moved).
   */
  async send<Req, Res>(api: ApiDefinition<Req, Res>, request: Req, options: RequestOptions = {}): Promise<Res> {
    const coordinator = await this.cluster.findCoordinator(CoordinatorType.group, this.groupId);
    try {
      const connection = await this.cluster.connection(coordinator.nodeId, GROUP_LANE);
      return await connection.send(api, request, options);
    } catch (error) {
      if (isKafkaError(error) && error.retriable) this.forget();
      throw error;
    }
  }

  /** Checks a response error code: when it says the coordinator moved, forgets it. Returns true in that case. */
  coordinatorMoved(errorCode: number): boolean {
    if (!isCoordinatorMoved(errorCode)) return false;
    this.forget();
    return true;
  }

  /** Forgets the cached coordinator. */
  forget(): void {
    this.cluster.invalidateCoordinator(CoordinatorType.group, this.groupId);
  }

  async commitOffsets(generation: GroupGeneration, entries: readonly CommitEntry[]): Promise<Map<string, number>> {
    const byTopic = new Map<string, CommitEntry[]>();
    for (const entry of entries) {
      let list = byTopic.get(entry.topic);
      if (list === undefined) {
        list = [];
        byTopic.set(entry.topic, list);
      }
      list.push(entry);
    }
    const response = await this.send(
      OffsetCommit,
      {
        groupId: this.groupId,
        generationIdOrMemberEpoch: generation.generationId,
        memberId: generation.memberId,
        groupInstanceId: generation.groupInstanceId,
        topics: [...byTopic].map(([name, list]) => ({
          name,
          partitions: list.map((e) => ({
            partitionIndex: e.partition,
            committedOffset: e.offset,
            committedLeaderEpoch: e.leaderEpoch,
            committedMetadata: e.metadata,
          })),
        })),
      },
      { maxVersion: OFFSET_COMMIT_MAX_VERSION },
    );
    const errors = new Map<string, number>();
    for (const topic of response.topics) {
      for (const p of topic.partitions) {
        errors.set(partitionKey(topic.name, p.partitionIndex), p.errorCode);
        this.coordinatorMoved(p.errorCode);
      }
    }
    return errors;
  }

  async fetchOffsets(partitions: readonly TopicPartition[], generation: GroupGeneration): Promise<CommittedOffset[]> {
    const topics = [...groupByTopic(partitions)].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
    const coordinator = await this.cluster.findCoordinator(CoordinatorType.group, this.groupId);
    const connection = await this.cluster.connection(coordinator.nodeId, GROUP_LANE);
    const version = connection.versionFor(OffsetFetch, OFFSET_FETCH_MAX_VERSION);
    const withEpoch = generation.memberId !== '' && generation.generationId >= 0;
    const response = await this.send(
      OffsetFetch,
      version >= 8
        ? {
            groups: [
              {
                groupId: this.groupId,
                // v9+ (KIP-848): members of consumer groups send their id and epoch; others send null / -1.
                memberId: withEpoch ? generation.memberId : null,
                memberEpoch: withEpoch ? generation.generationId : -1,
                topics,
              },
            ],
            requireStable: true,
          }
        : { groupId: this.groupId, topics, requireStable: true },
      { version },
    );
    let errorCode: number;
    let responseTopics: ReadonlyArray<{
      name: string;
      partitions: ReadonlyArray<{
        partitionIndex: number;
        committedOffset: bigint;
        committedLeaderEpoch: number;
        metadata: string | null;
        errorCode: number;
      }>;
    }>;
    if (version >= 8) {
      const group = response.groups.find((g) => g.groupId === this.groupId);
      errorCode = group?.errorCode ?? ErrorCodes.NONE;
      responseTopics = group?.topics ?? [];
    } else {
      errorCode = response.errorCode;
      responseTopics = response.topics;
    }
    if (errorCode !== ErrorCodes.NONE) {
      this.coordinatorMoved(errorCode);
      throw createBrokerError(errorCode, { groupId: this.groupId, api: 'OffsetFetch' });
    }
    const result: CommittedOffset[] = [];
    for (const topic of responseTopics) {
      for (const p of topic.partitions) {
        this.coordinatorMoved(p.errorCode);
        result.push({
          topic: topic.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          leaderEpoch: p.committedLeaderEpoch,
          metadata: p.metadata,
          errorCode: p.errorCode,
        });
      }
    }
    return result;
  }
}
