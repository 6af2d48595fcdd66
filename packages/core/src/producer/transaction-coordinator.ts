import { type Cluster, CoordinatorType } from '../cluster/cluster.js';
import { InvalidArgumentError, KafkaTimeoutError } from '../errors/client-errors.js';
import { isCoordinatorMoved } from '../errors/error-classification.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { createBrokerError } from '../errors/index.js';
import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import type { Connection } from '../network/connection.js';
import { AddOffsetsToTxn } from '../protocol/messages/generated/add-offsets-to-txn.js';
import { AddPartitionsToTxn } from '../protocol/messages/generated/add-partitions-to-txn.js';
import { EndTxn } from '../protocol/messages/generated/end-txn.js';
import { TxnOffsetCommit } from '../protocol/messages/generated/txn-offset-commit.js';
import { delay } from '../utils/delay.js';
import type { Logger } from '../utils/logger.js';
import type { PartitionState } from './partition-state.js';
import { initProducerId, type ProducerIdAndEpoch, type ProducerIdGrant } from './producer-id.js';
import { FATAL_CODES, type TransactionManager } from './transaction-manager.js';

/** TxnOffsetCommit codes that mean the consumer's group membership is stale: the transaction must abort. */
const GROUP_FENCING_CODES: ReadonlySet<number> = new Set([
  ErrorCodes.ILLEGAL_GENERATION,
  ErrorCodes.UNKNOWN_MEMBER_ID,
  ErrorCodes.FENCED_INSTANCE_ID,
]);

/** An offset to commit within a transaction (KIP-98/447). */
export interface TransactionOffset {
  /** Topic of the consumed partition. */
  readonly topic: string;
  /** Consumed partition. */
  readonly partition: number;
  /** The next offset to consume (the last processed offset + 1). */
  readonly offset: bigint;
  /** Leader epoch of the last consumed record, if known (KIP-320). */
  readonly leaderEpoch?: number;
  /** Metadata to keep with the offset. */
  readonly metadata?: string | null;
}

/**
 * The consumer group a transaction commits offsets for. With a consumer, pass its group metadata (KIP-447: the
 * generation and member id let the coordinator fence a zombie consumer). A bare `groupId` works without those
 * checks. Java: `ConsumerGroupMetadata`.
 */
export interface TransactionGroupMetadata {
  /** Group id. */
  readonly groupId: string;
  /** Generation (classic protocol) or member epoch (KIP-848); -1 when unknown. */
  readonly generationId?: number;
  /** Member id; empty when unknown. */
  readonly memberId?: string;
  /** Static member id (`groupInstanceId`), if any. */
  readonly groupInstanceId?: string | null;
}

/**
 * The requests a transactional producer sends to its transaction coordinator (and, for offsets, to the group
 * coordinator), with the retries each needs: a coordinator that moved or is loading is looked up again,
 * CONCURRENT_TRANSACTIONS (the previous transaction is still completing) and other retriable errors are retried
 * with backoff, until the caller's deadline. Fatal errors move the {@link TransactionManager} to its fatal state and
 * errors that doom the current transaction to its abortable state; both are thrown as the manager's error.
 */
export class TransactionCoordinator {
  constructor(
    private readonly cluster: Cluster,
    private readonly manager: TransactionManager,
    private readonly transactionalId: string,
    private readonly transactionTimeoutMs: number,
    private readonly logger: Logger,
  ) {}

  /**
   * InitProducerId with the coordinator: a fresh id and epoch (fencing older instances), or with `current` set, a
   * bump of the current epoch (KIP-360, after an abort). Also says whether transactions v2 are in use.
   */
  async initProducerId(deadline: number, current?: ProducerIdAndEpoch): Promise<ProducerIdGrant> {
    const request = {
      transactionalId: this.transactionalId,
      transactionTimeoutMs: this.transactionTimeoutMs,
      ...(current === undefined ? {} : { current }),
    };
    return this.withRetries('InitProducerId', deadline, (connection) =>
      initProducerId(connection, request).catch((error: unknown) => {
        // Every error InitProducerId answers that retrying cannot fix is fatal: the producer has no id.
        throw isKafkaError(error) ? this.escalate(error, true) : error;
      }),
    );
  }

  /** AddPartitionsToTxn (transactions v1) for partitions about to be written in the current transaction. */
  async addPartitions(states: readonly PartitionState[], deadline: number): Promise<void> {
    const topics = new Map<string, number[]>();
    for (const state of states) {
      const list = topics.get(state.topic);
      if (list === undefined) topics.set(state.topic, [state.partition]);
      else list.push(state.partition);
    }
    await this.withRetries('AddPartitionsToTxn', deadline, async (connection) => {
      const version = connection.versionFor(AddPartitionsToTxn, 3);
      const response = await connection.send(
        AddPartitionsToTxn,
        {
          v3AndBelowTransactionalId: this.transactionalId,
          v3AndBelowProducerId: this.manager.producerId,
          v3AndBelowProducerEpoch: this.manager.producerEpoch,
          v3AndBelowTopics: [...topics].map(([name, partitions]) => ({ name, partitions })),
        },
        { version },
      );
      // One error for the request: the first that is not OPERATION_NOT_ATTEMPTED (55).
      let code = 0;
      let where: { topic: string; partition: number } | undefined;
      for (const topic of response.resultsByTopicV3AndBelow) {
        for (const result of topic.resultsByPartition) {
          if (
            result.partitionErrorCode !== ErrorCodes.NONE &&
            result.partitionErrorCode !== ErrorCodes.OPERATION_NOT_ATTEMPTED &&
            code === ErrorCodes.NONE
          ) {
            code = result.partitionErrorCode;
            where = { topic: topic.name, partition: result.partitionIndex };
          }
        }
      }
      this.check(code, 'AddPartitionsToTxn', connection, where);
    });
  }

  /**
   * Adds the offsets of `group` to the current transaction: AddOffsetsToTxn (transactions v1 only) then
   * TxnOffsetCommit to the group coordinator.
   */
  async sendOffsets(
    offsets: readonly TransactionOffset[],
    group: TransactionGroupMetadata,
    deadline: number,
    transactionV2: boolean,
  ): Promise<void> {
    if (offsets.length === 0) return;
    if (!transactionV2) {
      await this.withRetries('AddOffsetsToTxn', deadline, async (connection) => {
        const response = await connection.send(AddOffsetsToTxn, {
          transactionalId: this.transactionalId,
          producerId: this.manager.producerId,
          producerEpoch: this.manager.producerEpoch,
          groupId: group.groupId,
        });
        this.check(response.errorCode, 'AddOffsetsToTxn', connection);
      });
    }
    const topics = new Map<
      string,
      Array<{
        partitionIndex: number;
        committedOffset: bigint;
        committedLeaderEpoch: number;
        committedMetadata: string | null;
      }>
    >();
    for (const offset of offsets) {
      if (typeof offset.offset !== 'bigint' || offset.offset < 0n) {
        throw new InvalidArgumentError(`Offset for ${offset.topic}-${offset.partition} must be a bigint >= 0`);
      }
      const list = topics.get(offset.topic) ?? [];
      list.push({
        partitionIndex: offset.partition,
        committedOffset: offset.offset,
        committedLeaderEpoch: offset.leaderEpoch ?? -1,
        committedMetadata: offset.metadata ?? '',
      });
      topics.set(offset.topic, list);
    }
    let pending = [...topics].map(([name, partitions]) => ({ name, partitions }));
    await this.withRetries(
      'TxnOffsetCommit',
      deadline,
      async (connection) => {
        // Transactions v1 may not use v5+ (which adds the offsets implicitly); v6 needs topic ids.
        const version = connection.versionFor(TxnOffsetCommit, transactionV2 ? 5 : 4);
        const response = await connection.send(
          TxnOffsetCommit,
          {
            transactionalId: this.transactionalId,
            groupId: group.groupId,
            producerId: this.manager.producerId,
            producerEpoch: this.manager.producerEpoch,
            generationIdOrMemberEpoch: group.generationId ?? -1,
            memberId: group.memberId ?? '',
            groupInstanceId: group.groupInstanceId ?? null,
            topics: pending,
          },
          { version },
        );
        const retry: typeof pending = [];
        let retriable: KafkaError | undefined;
        for (const topic of response.topics) {
          for (const result of topic.partitions) {
            if (result.errorCode === ErrorCodes.NONE) continue;
            const error = createBrokerError(result.errorCode, {
              topic: topic.name,
              partition: result.partitionIndex,
              groupId: group.groupId,
              api: 'TxnOffsetCommit',
              broker: connection.label,
            });
            if (error.retriable) {
              retriable = error;
              const entry = pending
                .find((t) => t.name === topic.name)
                ?.partitions.find((p) => p.partitionIndex === result.partitionIndex);
              if (entry !== undefined) {
                const existing = retry.find((t) => t.name === topic.name);
                if (existing === undefined) retry.push({ name: topic.name, partitions: [entry] });
                else existing.partitions.push(entry);
              }
              continue;
            }
            if (GROUP_FENCING_CODES.has(result.errorCode)) throw this.manager.setAbortable(error);
            this.check(result.errorCode, 'TxnOffsetCommit', connection, {
              topic: topic.name,
              partition: result.partitionIndex,
            });
          }
        }
        if (retriable !== undefined) {
          pending = retry;
          throw retriable;
        }
      },
      () => this.cluster.findCoordinator(CoordinatorType.group, group.groupId),
      CoordinatorType.group,
      group.groupId,
    );
  }

  /**
   * EndTxn: commits or aborts the transaction. With transactions v2 (EndTxn v5) the coordinator bumps the epoch
   * and returns the new producer id and epoch.
   */
  async endTransaction(commit: boolean, deadline: number): Promise<ProducerIdAndEpoch | undefined> {
    return this.withRetries('EndTxn', deadline, async (connection) => {
      const version = connection.versionFor(EndTxn, this.manager.transactionV2 ? 5 : 4);
      const response = await connection.send(
        EndTxn,
        {
          transactionalId: this.transactionalId,
          producerId: this.manager.producerId,
          producerEpoch: this.manager.producerEpoch,
          committed: commit,
        },
        { version },
      );
      this.check(response.errorCode, 'EndTxn', connection);
      return version >= 5 && response.producerId >= 0n
        ? { producerId: response.producerId, producerEpoch: response.producerEpoch }
        : undefined;
    });
  }

  /** Throws the error a non-zero error code means for the producer (see {@link escalate}). */
  private check(code: number, api: string, connection: Connection, where?: { topic: string; partition: number }): void {
    if (code === ErrorCodes.NONE) return;
    throw this.escalate(
      createBrokerError(code, {
        api,
        broker: connection.label,
        groupId: this.transactionalId,
        ...(where === undefined ? {} : where),
      }),
    );
  }

  /**
   * What an error from the coordinator means for the producer: coordinator-stale and other retriable errors stay
   * themselves (the retry loop handles them), fatal codes (any code at all while `initializing`) move the manager
   * to its fatal state, others to its abortable state; the manager's error is returned then.
   */
  private escalate(error: KafkaError, initializing = false): KafkaError {
    const code = error.kafkaErrorCode;
    if (code === undefined || error.retriable || isCoordinatorMoved(code)) return error;
    if (code === ErrorCodes.CONCURRENT_TRANSACTIONS) return error;
    if (initializing || FATAL_CODES.has(code) || code === ErrorCodes.INVALID_PRODUCER_EPOCH) {
      return this.manager.setFatal(error);
    }
    return this.manager.setAbortable(error);
  }

  /**
   * Runs `attempt` against the coordinator, looking it up again when it moved and retrying retriable errors with
   * backoff until `deadline`; then fails with `KafkaTimeoutError` carrying the last error.
   */
  private async withRetries<T>(
    api: string,
    deadline: number,
    attempt: (connection: Connection) => Promise<T>,
    locate: () => Promise<{ nodeId: number }> = () =>
      this.cluster.findCoordinator(CoordinatorType.transaction, this.transactionalId),
    type: CoordinatorType = CoordinatorType.transaction,
    key: string = this.transactionalId,
  ): Promise<T> {
    for (let round = 0; ; round++) {
      let error: KafkaError;
      try {
        const coordinator = await locate();
        const connection = await this.cluster.connection(coordinator.nodeId);
        return await attempt(connection);
      } catch (thrown) {
        error = isKafkaError(thrown)
          ? thrown
          : new KafkaTimeoutError(`${api} failed unexpectedly: ${String(thrown)}`, { cause: thrown });
        if (!error.retriable || this.cluster.isClosed) throw error;
        if (
          error.kafkaErrorCode === undefined ||
          isCoordinatorMoved(error.kafkaErrorCode) ||
          error.code === 'ERR_CONNECTION' ||
          error.code === 'ERR_REQUEST_TIMEOUT'
        ) {
          this.cluster.invalidateCoordinator(type, key);
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new KafkaTimeoutError(
          `${api} for transactional id ${this.transactionalId} did not succeed within maxBlockMs; last error: ` +
            `${error.message}. The call may be retried.`,
          { groupId: this.transactionalId, api, cause: error },
        );
      }
      this.logger.debug(`${api} failed; retrying`, { error: error.code, round });
      await delay(Math.min(remaining, this.cluster.retryDelay(round)));
    }
  }
}
