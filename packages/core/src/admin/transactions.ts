import { CoordinatorType } from '../cluster/cluster.js';
import { createBrokerError } from '../errors/broker-error-factory.js';
import { InvalidArgumentError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { DescribeProducers } from '../protocol/messages/generated/describe-producers.js';
import { DescribeTransactions } from '../protocol/messages/generated/describe-transactions.js';
import { ListTransactions } from '../protocol/messages/generated/list-transactions.js';
import { WriteTxnMarkers } from '../protocol/messages/generated/write-txn-markers.js';
import { partitionKey, type TopicPartition } from '../vocabulary/topic-partition.js';
import { exchange } from './admin-exchange.js';
import type { AdminCallOptions } from './admin-options.js';
import {
  type AdminRouter,
  brokerError,
  type Outcomes,
  retryIfCoordinatorMoved,
  retryIfRetriable,
  settle,
  throwIfError,
} from './admin-request.js';
import { byTopic, type ItemResult, offsetOrNull, timestampOrNull } from './admin-types.js';
import { listOnEveryBroker } from './every-broker-listing.js';
import { comparePartitions } from './groups.js';
import { itemOutcomes, partitionOutcomes } from './item-outcomes.js';
import { fromKafkaNames } from './kafka-names.js';
import { checkPartition } from './records-and-offsets.js';

/**
 * The state of a transaction. Java: `TransactionState` (`PREPARE_COMMIT` is `'prepareCommit'`, ...).
 */
export type TransactionState =
  | 'unknown'
  | 'empty'
  | 'ongoing'
  | 'prepareCommit'
  | 'prepareAbort'
  | 'completeCommit'
  | 'completeAbort'
  | 'prepareEpochFence';

/** A transactional id as `listTransactions` lists it. Java: `TransactionListing`. */
export interface TransactionListing {
  /** Transactional id. */
  readonly transactionalId: string;
  /** Producer id currently bound to it. */
  readonly producerId: bigint;
  /** State. */
  readonly state: TransactionState;
}

/** Options of `listTransactions`. Java: `ListTransactionsOptions`. */
export interface ListTransactionsOptions extends AdminCallOptions {
  /** Only transactions in these states. Java: `filterStates`. */
  readonly states?: readonly TransactionState[];
  /** Only transactions of these producer ids. Java: `filterProducerIds`. */
  readonly producerIds?: readonly bigint[];
  /** Only transactions running longer than this (ListTransactions v1+, KIP-994). Java: `filterOnDuration`. */
  readonly durationMs?: number;
  /** Only transactional ids matching this RE2/J regex (v2+, KIP-1152). Java: `filterOnTransactionalIdPattern`. */
  readonly transactionalIdPattern?: string;
}

/** A transaction as its coordinator describes it. Java: `TransactionDescription`. */
export interface TransactionDescription {
  /** Node id of the transaction coordinator. */
  readonly coordinatorId: number;
  /** State. */
  readonly state: TransactionState;
  /** Producer id. */
  readonly producerId: bigint;
  /** Producer epoch. */
  readonly producerEpoch: number;
  /** The transaction timeout. */
  readonly transactionTimeoutMs: number;
  /** When the ongoing transaction started (ms since the epoch), or null when none is. */
  readonly transactionStartTimeMs: number | null;
  /** The partitions in the transaction (those without a marker yet, while completing). */
  readonly topicPartitions: readonly TopicPartition[];
}

/**
 * The result of `describeTransactions` for one transactional id. Java:
 * `DescribeTransactionsResult.description(transactionalId)`.
 */
export type DescribeTransactionResult = ItemResult<{ readonly transactionalId: string }, TransactionDescription>;

/** An active producer of a partition. Java: `ProducerState`. */
export interface ProducerState {
  /** Producer id. */
  readonly producerId: bigint;
  /** Producer epoch. */
  readonly producerEpoch: number;
  /** Last sequence number written, or -1. */
  readonly lastSequence: number;
  /** Timestamp of its last write (ms since the epoch), or null. */
  readonly lastTimestamp: number | null;
  /**
   * Epoch of the transaction coordinator that last wrote a marker for it, or null before any marker (then abort
   * with coordinator epoch 0, as `kafka-transactions abort` does).
   */
  readonly coordinatorEpoch: number | null;
  /** First offset of its open transaction in the partition, or null when it has none. */
  readonly currentTransactionStartOffset: bigint | null;
}

/** The result of `describeProducers` for one partition. Java: `PartitionProducerState`. */
export type DescribeProducersResult = ItemResult<
  TopicPartition,
  { readonly activeProducers: readonly ProducerState[] }
>;

/** Options of `describeProducers`. Java: `DescribeProducersOptions`. */
export interface DescribeProducersOptions extends AdminCallOptions {
  /** Ask this broker (a follower, say) instead of each partition's leader. Java: `brokerId`. */
  readonly brokerId?: number;
}

/**
 * What `abortTransaction` aborts: a hanging transaction of one producer in one partition, as `describeProducers`
 * reports it. Java: `AbortTransactionSpec`.
 */
export interface AbortTransactionSpec extends TopicPartition {
  /** Producer id. */
  readonly producerId: bigint;
  /** Producer epoch. */
  readonly producerEpoch: number;
  /** Coordinator epoch (`ProducerState.coordinatorEpoch`, or 0 when that is null). */
  readonly coordinatorEpoch: number;
}

const KAFKA_STATES: Readonly<Record<TransactionState, string>> = {
  unknown: 'Unknown',
  empty: 'Empty',
  ongoing: 'Ongoing',
  prepareCommit: 'PrepareCommit',
  prepareAbort: 'PrepareAbort',
  completeCommit: 'CompleteCommit',
  completeAbort: 'CompleteAbort',
  prepareEpochFence: 'PrepareEpochFence',
};
const stateFromKafkaName = fromKafkaNames(KAFKA_STATES);

/** A transaction state from Kafka's name (`Ongoing`, any case). */
export function transactionStateOf(name: string): TransactionState {
  return stateFromKafkaName(name);
}

/**
 * `listTransactions`: ListTransactions to every broker (each coordinates some transactional ids), merged. Rejects
 * when a broker cannot be asked within the timeout, since the listing would be incomplete.
 */
export async function listTransactions(
  router: AdminRouter,
  options: ListTransactionsOptions = {},
): Promise<TransactionListing[]> {
  const call = router.call('listTransactions', options);
  for (const state of options.states ?? []) {
    if (KAFKA_STATES[state] === undefined) {
      throw new InvalidArgumentError(`listTransactions: unknown transaction state '${state}'`);
    }
  }
  if (options.durationMs !== undefined && (!Number.isInteger(options.durationMs) || options.durationMs < 0)) {
    throw new InvalidArgumentError('listTransactions: durationMs is a whole number of milliseconds ≥ 0');
  }
  await router.ready(call);
  return listOnEveryBroker(
    router,
    call,
    (listing) => listing.transactionalId,
    async (connection) => {
      const response = await exchange(router, call, connection, {
        api: ListTransactions,
        needs:
          options.transactionalIdPattern !== undefined
            ? { minVersion: 2, feature: 'listTransactions with transactionalIdPattern' }
            : options.durationMs !== undefined
              ? { minVersion: 1, feature: 'listTransactions with durationMs' }
              : {},
        request: (version) => ({
          stateFilters: (options.states ?? []).map((s) => KAFKA_STATES[s]),
          producerIdFilters: options.producerIds ?? [],
          ...(version >= 1 ? { durationFilter: BigInt(options.durationMs ?? -1) } : {}),
          ...(version >= 2 ? { transactionalIdPattern: options.transactionalIdPattern ?? null } : {}),
        }),
      });
      throwIfError(response.errorCode, null, { api: 'ListTransactions' }, connection);
      return response.transactionStates.map(
        (t): TransactionListing => ({
          transactionalId: t.transactionalId,
          producerId: t.producerId,
          state: transactionStateOf(t.transactionState),
        }),
      );
    },
  );
}

/**
 * `describeTransactions`: DescribeTransactions to each transactional id's coordinator. An unknown id fails alone
 * (`TransactionalIdNotFoundError`).
 */
export async function describeTransactions(
  router: AdminRouter,
  transactionalIds: readonly string[],
  options: AdminCallOptions = {},
): Promise<DescribeTransactionResult[]> {
  const call = router.call('describeTransactions', options);
  for (const id of transactionalIds) {
    if (typeof id !== 'string' || id === '') {
      throw new InvalidArgumentError('describeTransactions: transactional ids are non-empty strings');
    }
  }
  if (transactionalIds.length === 0) return [];
  await router.ready(call);
  const outcomes = await router.coordinatorItems(
    call,
    CoordinatorType.transaction,
    transactionalIds,
    async (connection, keys) => {
      const response = await exchange(router, call, connection, {
        api: DescribeTransactions,
        request: () => ({ transactionalIds: keys }),
      });
      return itemOutcomes(response.transactionStates, connection, {
        key: (t) => t.transactionalId,
        context: (t) => ({ groupId: t.transactionalId, api: 'DescribeTransactions' }),
        value: (t): TransactionDescription => {
          const topicPartitions: TopicPartition[] = [];
          for (const topic of t.topics)
            for (const partition of topic.partitions) topicPartitions.push({ topic: topic.topic, partition });
          return {
            coordinatorId: connection.nodeId ?? -1,
            state: transactionStateOf(t.transactionState),
            producerId: t.producerId,
            producerEpoch: t.producerEpoch,
            transactionTimeoutMs: t.transactionTimeoutMs,
            transactionStartTimeMs: timestampOrNull(t.transactionStartTimeMs),
            topicPartitions: topicPartitions.sort(comparePartitions),
          };
        },
        retryIf: retryIfCoordinatorMoved,
      });
    },
    { batch: true },
  );
  return transactionalIds.map((transactionalId) => settle(outcomes.get(transactionalId), { transactionalId }));
}

/**
 * `describeProducers`: the active (idempotent or transactional) producers of partitions, from each partition's
 * leader (or `brokerId`). One result per partition.
 */
export async function describeProducers(
  router: AdminRouter,
  partitions: readonly TopicPartition[],
  options: DescribeProducersOptions = {},
): Promise<DescribeProducersResult[]> {
  const call = router.call('describeProducers', options);
  for (const tp of partitions) checkPartition(tp, 'describeProducers');
  if (partitions.length === 0) return [];
  await router.ready(call);
  const outcomes = await router.leaderItems(
    call,
    partitions,
    async (connection, group) => {
      const response = await exchange(router, call, connection, {
        api: DescribeProducers,
        request: () => ({
          topics: byTopic(group, (tp) => tp.partition).map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
        }),
      });
      return partitionOutcomes(response.topics, connection, {
        api: 'DescribeProducers',
        value: (p) => ({
          activeProducers: p.activeProducers.map(
            (s): ProducerState => ({
              producerId: s.producerId,
              producerEpoch: s.producerEpoch,
              lastSequence: s.lastSequence,
              lastTimestamp: timestampOrNull(s.lastTimestamp),
              coordinatorEpoch: s.coordinatorEpoch < 0 ? null : s.coordinatorEpoch,
              currentTransactionStartOffset: offsetOrNull(s.currentTxnStartOffset),
            }),
          ),
        }),
        retryIf: retryIfRetriable,
      });
    },
    options.brokerId === undefined ? {} : { brokerId: options.brokerId },
  );
  return partitions.map((tp) =>
    settle(outcomes.get(partitionKey(tp.topic, tp.partition)), { topic: tp.topic, partition: tp.partition }),
  );
}

/**
 * `abortTransaction`: writes an abort marker for a producer's hanging transaction in one partition, as its
 * coordinator would (WriteTxnMarkers to the partition's leader; needs ClusterAction permission, KIP-664). Use it
 * only for transactions their coordinator has lost track of: find them with `describeProducers` (an open
 * transaction start offset) and `describeTransactions`/`listTransactions`.
 */
export async function abortTransaction(
  router: AdminRouter,
  spec: AbortTransactionSpec,
  options: AdminCallOptions = {},
): Promise<void> {
  const call = router.call('abortTransaction', options);
  checkPartition(spec, 'abortTransaction');
  if (
    typeof spec.producerId !== 'bigint' ||
    !Number.isInteger(spec.producerEpoch) ||
    !Number.isInteger(spec.coordinatorEpoch)
  ) {
    throw new InvalidArgumentError(
      'abortTransaction: producerId (bigint), producerEpoch and coordinatorEpoch are required',
    );
  }
  await router.ready(call);
  const outcomes = await router.leaderItems(call, [spec], async (connection) => {
    const response = await exchange(router, call, connection, {
      api: WriteTxnMarkers,
      request: () => ({
        markers: [
          {
            producerId: spec.producerId,
            producerEpoch: spec.producerEpoch,
            transactionResult: false,
            topics: [{ name: spec.topic, partitionIndexes: [spec.partition] }],
            coordinatorEpoch: spec.coordinatorEpoch,
          },
        ],
      }),
    });
    const context = { topic: spec.topic, partition: spec.partition, api: 'WriteTxnMarkers' };
    const answer = response.markers[0]?.topics[0]?.partitions[0];
    const answers: Outcomes<null> = new Map();
    answers.set(
      partitionKey(spec.topic, spec.partition),
      answer === undefined
        ? {
            error: createBrokerError(ErrorCodes.UNKNOWN_SERVER_ERROR, {
              ...context,
              serverMessage: 'no marker result',
            }),
          }
        : answer.errorCode === ErrorCodes.NONE
          ? { value: null }
          : { error: brokerError(answer.errorCode, null, context, connection) },
    );
    return answers;
  });
  const outcome = outcomes.get(partitionKey(spec.topic, spec.partition));
  if (outcome !== undefined && 'error' in outcome) throw outcome.error;
}
