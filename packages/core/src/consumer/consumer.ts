import { clientMetricFamilies } from '../cluster/client-metric-families.js';
import { resolveClientOptions } from '../cluster/client-options.js';
import { Cluster } from '../cluster/cluster.js';
import type { PartitionInfo, TopicInfo } from '../cluster/metadata.js';
import { checkTopicName } from '../cluster/topic-name.js';
import { checkOptions } from '../config/check-options.js';
import { diagnosticChannels } from '../diagnostics/channels.js';
import { ClientClosedError, InvalidArgumentError, KafkaTimeoutError } from '../errors/client-errors.js';
import { isFatal } from '../errors/error-classification.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { createBrokerError } from '../errors/index.js';
import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import type { MetricFamily } from '../metrics/metric-family.js';
import { ConsumerGroupHeartbeat } from '../protocol/messages/generated/consumer-group-heartbeat.js';
import { maxDecompressedBytesFor } from '../protocol/records/decompression-limit.js';
import { loadRecordCodecs } from '../protocol/records/load-record-codecs.js';
import { nextClientInstance } from '../utils/client-instance.js';
import { settleBy } from '../utils/deadline.js';
import { delay } from '../utils/delay.js';
import type { Logger } from '../utils/logger.js';
import type { CloseOptions } from '../vocabulary/close-options.js';
import { formatPartition, type TopicPartition, type TopicPartitionOffset } from '../vocabulary/topic-partition.js';
import { createAssignor, type PartitionAssignor } from './assignors/index.js';
import { CommitPolicy } from './commit-policy.js';
import { CommitFailedError, InvalidGroupStateError } from './consumer-errors.js';
import { consumerMetricFamilies } from './consumer-metric-families.js';
import { type ConsumerMetrics, fetchFigures, partitionMetrics } from './consumer-metrics.js';
import { type ConsumerOptions, type ResolvedConsumerOptions, resolveConsumerOptions } from './consumer-options.js';
import {
  BATCH_ITERATOR_OPTIONS_SCHEMA,
  CLOSE_OPTIONS_SCHEMA,
  POLL_OPTIONS_SCHEMA,
  RECORD_ITERATOR_OPTIONS_SCHEMA,
  SUBSCRIBE_OPTIONS_SCHEMA,
  TIMEOUT_OPTIONS_SCHEMA,
} from './consumer-options-schema.js';
import {
  type ConsumerRebalanceListener,
  type ConsumerRecord,
  ConsumerRecords,
  type PartitionRecords,
} from './consumer-record.js';
import { FetchBuffer } from './fetch-buffer.js';
import { Fetcher } from './fetcher.js';
import { ClassicGroupMember } from './group/classic-group-member.js';
import { ConsumerGroupMember } from './group/consumer-group-member.js';
import { GroupCoordinator } from './group/group-coordinator.js';
import type { GroupMember } from './group/group-member.js';
import { GroupMembership } from './group/group-membership.js';
import { RebalanceHandler } from './group/rebalance-handler.js';
import { LeaderEpochValidator } from './leader-epoch-validator.js';
import { NO_GENERATION, OffsetCommitter } from './offset-committer.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, OffsetLookup, type OffsetQuery } from './offset-lookup.js';
import { OffsetResetPolicy } from './offset-reset-policy.js';
import { PositionUpdater } from './position-updater.js';
import { createRecordConverter } from './record-converter.js';
import { RecordDelivery } from './record-delivery.js';
import {
  BatchIterator,
  type BatchIteratorOptions,
  type IteratorHost,
  RecordIterator,
  type RecordIteratorOptions,
} from './record-iterator.js';
import { SubscriptionState } from './subscription-state.js';
import { traceDeliver, UNNAMED } from './traced-consumer.js';
import { Waiters } from './waiters.js';

/** Options of {@link Consumer.poll}. */
export interface PollOptions {
  /** Longest wait for records when none is buffered. Default 1000. */
  readonly timeoutMs?: number;
  /** Most records to return. Default `maxPollRecords`. */
  readonly maxRecords?: number;
}

/** Options of {@link Consumer.close}: the clients' {@link CloseOptions} (default timeout 30000), and the commit. */
export interface ConsumerCloseOptions extends CloseOptions {
  /** Commit the processed offsets before leaving. Default `enableAutoCommit`. */
  readonly autoCommit?: boolean;
}

/** Options of calls that talk to the cluster. */
export interface TimeoutOptions {
  /** Bound of the call. Default `defaultApiTimeoutMs`. */
  readonly timeoutMs?: number;
}

/** A committed offset as {@link Consumer.committed} returns it; `offset` null when the group has none. */
export interface CommittedOffsetInfo extends TopicPartition {
  /** The committed offset (the next record to read), or null when the group has none for the partition. */
  readonly offset: bigint | null;
  /** Leader epoch committed with the offset (KIP-320), when known. */
  readonly leaderEpoch: number | undefined;
  /** Metadata string committed with the offset. */
  readonly metadata: string | null;
}

/** What {@link Consumer.offsetsForTimes} found: the first offset at or after the timestamp, or null. */
export interface OffsetForTime extends TopicPartition {
  /** The first offset whose timestamp is at or after the one asked for, or null when there is none. */
  readonly offset: bigint | null;
  /** The timestamp of the record at `offset` (milliseconds since the epoch), or null. */
  readonly timestamp: number | null;
  /** Leader epoch of the record at `offset`, when known. */
  readonly leaderEpoch: number | undefined;
}

/** The consumer's group position for transactional producers (`sendOffsetsToTransaction`). */
export interface ConsumerGroupMetadata {
  /** The group. Java: `group.id`. */
  readonly groupId: string;
  /** The group's generation this consumer joined. */
  readonly generationId: number;
  /** This consumer's member id in the group. */
  readonly memberId: string;
  /** Static membership id (KIP-345), or null. Java: `group.instance.id`. */
  readonly groupInstanceId: string | null;
}

/** Backpressure pauses of a consumer: see {@link Consumer.backpressure}. */
export interface ConsumerBackpressure {
  /** Stops fetching these partitions (assigned or not) until resumed. Buffered records are still delivered. */
  pause(partitions: readonly TopicPartition[]): void;
  /** Resumes fetching partitions paused by {@link ConsumerBackpressure.pause}. */
  resume(partitions: readonly TopicPartition[]): void;
  /** Partitions whose fetching is paused for backpressure. */
  paused(): TopicPartition[];
}

/** Callback of {@link Consumer.commitAsync}: the outcome, and the offsets the commit carried. */
export type CommitCallback = (error: KafkaError | undefined, offsets: readonly TopicPartitionOffset[]) => void;

/**
 * An Apache Kafka consumer: group membership (classic protocol or KIP-848), a pipelined fetcher with bounded
 * prefetch, offset management, and three ways to read (`poll()`, `for await`, `batches()`).
 *
 * ```ts
 * const consumer = new Consumer({ brokers: ['127.0.0.1:9092'], groupId: 'billing', valueDeserializer: deserializers.string });
 * consumer.subscribe(['orders']);
 * for await (const record of consumer) {
 *   await handle(record.value); // committed once the loop asks for the next record
 * }
 * ```
 *
 * The contract of reading (which records get committed when) is in the package README and on
 * {@link RecordIterator}. All methods are safe to call from rebalance listeners.
 *
 * @typeParam K Type of record keys after `keyDeserializer`.
 * @typeParam V Type of record values after `valueDeserializer`.
 */
export class Consumer<K = Buffer | null, V = Buffer | null>
  implements AsyncIterable<ConsumerRecord<K, V>>, AsyncDisposable
{
  private readonly options: ResolvedConsumerOptions<K, V>;
  private readonly cluster: Cluster;
  private readonly logger: Logger;
  private readonly subscriptions: SubscriptionState;
  private readonly buffer: FetchBuffer;
  private readonly fetcher: Fetcher;
  private readonly delivery: RecordDelivery<ConsumerRecord<K, V>>;
  private readonly membership: GroupMembership;
  private readonly coordinator: GroupCoordinator | undefined;
  private readonly committer: OffsetCommitter | undefined;
  private readonly commits: CommitPolicy;
  private readonly lookup: OffsetLookup;
  private readonly positions: PositionUpdater;
  private readonly handler: RebalanceHandler;
  private readonly assignors: PartitionAssignor[];
  private connecting: Promise<void> | undefined;
  private connected = false;
  private closing: Promise<void> | undefined;
  /** Set as soon as `close()` is called. */
  private closed = false;
  private watchdog: NodeJS.Timeout | undefined;
  private patternTimer: NodeJS.Timeout | undefined;
  /** `position()` calls waiting for a partition's state to change. */
  private readonly positionWaiters = new Waiters();
  /** Topics whose metadata carries an error retrying cannot fix, with the metadata that raised it (raised once each). */
  private readonly topicErrors = new Map<string, TopicInfo>();
  private lastTopicErrorRefresh = 0;
  private readonly iteratorHost: IteratorHost<ConsumerRecord<K, V>>;

  /**
   * This client object's name, unique in the process (`consumer-1`, `consumer-2`, ...): the `clientInstance` of its
   * connections and requests in the diagnostics channels, where clients that share a `clientId` are told apart.
   */
  readonly instance: string = nextClientInstance('consumer');

  /**
   * A consumer with these options. It connects on first use.
   *
   * Builds the parts in dependency order, each given the parts it uses. Each part subscribes to the state it reacts
   * to (partition announcements, buffer room, metadata), so nothing here wakes a loop by hand; see
   * docs/ARCHITECTURE.md for who owns which state.
   */
  constructor(options: ConsumerOptions<K, V>) {
    this.options = resolveConsumerOptions(options);
    const clientOptions = resolveClientOptions(options);
    const o = this.options;
    const logger = clientOptions.logger;
    const cluster = new Cluster(clientOptions, {
      allowAutoTopicCreation: o.allowAutoCreateTopics,
      clientInstance: this.instance,
    });
    const retryDelay = (attempt: number) => cluster.retryDelay(attempt);
    const subscriptions = new SubscriptionState();
    const buffer = new FetchBuffer(
      { maxBytes: o.maxPrefetchBytes, maxRecords: o.maxPrefetchRecords, partitionBytes: o.maxPartitionFetchBytes },
      subscriptions,
    );
    const policy = new OffsetResetPolicy(o.autoOffsetReset, logger);
    const fetcher = new Fetcher(
      { cluster, subscriptions, buffer, policy, logger },
      {
        fetchMinBytes: o.fetchMinBytes,
        fetchMaxWaitMs: o.fetchMaxWaitMs,
        fetchMaxBytes: o.fetchMaxBytes,
        maxPartitionFetchBytes: o.maxPartitionFetchBytes,
        readCommitted: o.isolationLevel === 'read_committed',
        checkCrcs: o.checkCrcs,
        maxDecompressedBytes: maxDecompressedBytesFor(o.fetchMaxBytes, o.maxPartitionFetchBytes),
        clientRack: o.clientRack,
        requestTimeoutMs: o.requestTimeoutMs,
        preferredReplicaTtlMs: clientOptions.metadataMaxAgeMs,
        retryDelay,
        identity: { clientId: clientOptions.clientId, groupId: o.groupId },
      },
    );
    const delivery = new RecordDelivery(
      buffer,
      subscriptions.events,
      createRecordConverter(o.keyDeserializer, o.valueDeserializer),
      { onRead: () => this.onRead(), onIdle: () => fetcher.setEnabled(false) },
    );
    const membership = new GroupMembership(o.groupId);
    const coordinator = o.groupId === undefined ? undefined : new GroupCoordinator(cluster, o.groupId);
    const committer =
      coordinator === undefined
        ? undefined
        : new OffsetCommitter(coordinator, subscriptions, {
            groupId: o.groupId,
            retryDelay,
            logger,
            clientId: clientOptions.clientId,
          });
    const commits = new CommitPolicy(committer, membership, o, logger);
    const lookup = new OffsetLookup(cluster, {
      readCommitted: o.isolationLevel === 'read_committed',
      requestTimeoutMs: cluster.options.requestTimeoutMs,
    });
    const positions = new PositionUpdater(
      {
        subscriptions,
        metadata: cluster,
        committed: committer,
        generation: membership,
        lookup,
        validator: new LeaderEpochValidator(cluster),
        policy,
        logger,
      },
      { defaultApiTimeoutMs: o.defaultApiTimeoutMs, retryDelay },
    );
    const handler = new RebalanceHandler(
      { subscriptions, readers: delivery, commits, logger },
      o.rebalanceTimeoutMs,
      clientOptions.clientId,
    );
    subscriptions.events.changed.on(() => this.positionWaiters.wakeAll());
    this.cluster = cluster;
    this.logger = logger;
    this.subscriptions = subscriptions;
    this.buffer = buffer;
    this.fetcher = fetcher;
    this.delivery = delivery;
    this.membership = membership;
    this.coordinator = coordinator;
    this.committer = committer;
    this.commits = commits;
    this.lookup = lookup;
    this.positions = positions;
    this.handler = handler;
    this.assignors = o.partitionAssignors.map((a) => (typeof a === 'string' ? createAssignor(a) : a));
    this.iteratorHost = {
      delivery,
      maxPollRecords: o.maxPollRecords,
      logger,
      commitOnExit: () => commits.readerExited(),
      commitAcknowledged: () => commits.atMostOnce(),
      identity: { clientId: clientOptions.clientId, groupId: o.groupId, groupKind: 'consumer' },
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Lifecycle

  /**
   * Connects to the cluster (bootstrap, metadata, compression codecs). Optional: the first read, lookup or commit
   * connects. Rejects with `ConnectionError`, `AuthenticationError` or `TlsError`.
   */
  connect(): Promise<void> {
    this.connecting ??= (async () => {
      await loadRecordCodecs();
      await this.cluster.connect();
      this.cluster.onMetadata(() => this.onMetadata());
      this.connected = true;
      this.checkTopicErrors();
      this.startTimers();
      if (this.subscriptions.type === 'pattern') this.refreshPattern();
    })();
    this.connecting.catch(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /**
   * Closes the consumer: ends every reader, commits the processed offsets (with `autoCommit`), calls
   * `onPartitionsRevoked`, leaves the group (a static member keeps its session so that a restart within
   * `sessionTimeoutMs` keeps its partitions), and closes the connections. The record a loop body was processing
   * when `close()` was called is not committed. Idempotent.
   */
  close(options: ConsumerCloseOptions = {}): Promise<void> {
    try {
      checkOptions(options, CLOSE_OPTIONS_SCHEMA, 'consumer.close()', 'call');
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.closing === undefined) {
      // Set before doClose runs: the leave it starts commits (or not) synchronously up to its first await.
      this.closed = true;
      this.commits.close(options.autoCommit ?? this.options.enableAutoCommit);
      this.closing = this.doClose(options);
    }
    return this.closing;
  }

  /**
   * Connects for a call with a deadline: a retriable failure (no broker reachable yet) is retried with backoff
   * until the deadline, as the call's own retries are; what retrying cannot fix rejects at once.
   */
  private async connectBy(deadline: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.connect();
        return;
      } catch (error) {
        if (!isKafkaError(error) || !error.retriable || this.closed) throw error;
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          throw new KafkaTimeoutError(`Could not connect to the cluster before the call's deadline: ${error.message}`, {
            cause: error,
          });
        }
        await delay(Math.min(remaining, this.cluster.retryDelay(attempt)));
      }
    }
  }

  /** `await using consumer = new Consumer(...)` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async doClose(options: ConsumerCloseOptions): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.delivery.acknowledgePolled();
    this.delivery.close();
    this.fetcher.setEnabled(false);
    this.stopTimers();
    const work = (async () => {
      if (!this.connected) return;
      // Beside the leave: each takes a round trip to a different place.
      const sessions = this.fetcher.closeSessions();
      const member = this.membership.member;
      if (member !== undefined) await member.leave('the consumer is closing');
      else await this.commits.beforeRevoke([...this.subscriptions.states()]);
      await this.commits.drain();
      await sessions;
    })();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        work.catch((error: unknown) =>
          this.logger.warn('closing the consumer did not complete', { error: String(error) }),
        ),
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            this.logger.warn(`close() did not complete within ${timeoutMs} ms; closing anyway`);
            resolve();
          }, timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.membership.member?.close();
      this.fetcher.close();
      this.positions.close();
      this.cluster.close();
      this.positionWaiters.wakeAll();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Subscription and assignment

  /**
   * Subscribes to topics, or to every topic matching a pattern (picked up as topics are created, checked every
   * `metadataMaxAgeMs`), with group management. Replaces an earlier subscription. Java: `subscribe`.
   *
   * @throws InvalidGroupStateError without a `groupId`; InvalidArgumentError with a manual assignment, or for a
   *   listener written as an object literal with a key that is not a listener callback (`onPartitionAssigned`);
   *   InvalidTopicError for a name Kafka does not allow.
   */
  subscribe(topics: string | readonly string[] | RegExp, listener?: ConsumerRebalanceListener): void {
    this.checkOpen('subscribe');
    if (listener !== undefined) checkOptions({ listener }, SUBSCRIBE_OPTIONS_SCHEMA, 'consumer.subscribe()', 'call');
    if (this.options.groupId === undefined) {
      throw new InvalidGroupStateError('subscribe() needs a groupId; set groupId, or use assign() without a group');
    }
    if (topics instanceof RegExp) {
      this.subscriptions.subscribePattern(topics);
    } else {
      const list = typeof topics === 'string' ? [topics] : [...topics];
      for (const topic of list) checkTopicName(topic, 'subscribe');
      this.subscriptions.subscribe(list);
      this.cluster.trackTopics(list);
      if (this.connected) this.cluster.refreshMetadata().catch(() => undefined);
    }
    this.handler.listener = listener;
    const member = this.membership.member;
    if (member === undefined) this.membership.join(this.createMember());
    else member.subscriptionChanged();
    if (this.connected && topics instanceof RegExp) this.refreshPattern();
  }

  /** The subscribed topics (for a pattern: those matching it now), sorted. Java: `subscription()`. */
  subscription(): string[] {
    return [...this.subscriptions.subscribedTopics()].sort();
  }

  /**
   * Drops the subscription: revokes the partitions (committing processed offsets with `enableAutoCommit`,
   * calling `onPartitionsRevoked`) and leaves the group. Also drops a manual assignment.
   */
  async unsubscribe(): Promise<void> {
    this.delivery.acknowledgePolled();
    const member = this.membership.detach();
    if (member !== undefined) {
      if (this.connected) await member.leave('the consumer unsubscribed');
      member.close();
    } else if (this.subscriptions.type === 'manual') {
      await this.commits.beforeRevoke([...this.subscriptions.states()]);
    }
    this.subscriptions.unsubscribe();
    this.stopPatternTimer();
  }

  /**
   * Assigns partitions manually, without a group. Replaces the previous assignment; partitions kept keep their
   * positions. Positions start at the committed offset (with a `groupId`) or by `autoOffsetReset`. Java: `assign`.
   */
  assign(partitions: readonly TopicPartition[]): void {
    this.checkOpen('assign');
    for (const tp of partitions) checkTopicName(tp?.topic, 'assign');
    const { removed } = this.subscriptions.assignManually(partitions);
    this.commits.unassigned(removed);
    this.cluster.trackTopics(partitions.map((tp) => tp.topic));
  }

  /** The partitions currently assigned (by the group or `assign()`), sorted. Java: `assignment()`. */
  assignment(): TopicPartition[] {
    return this.subscriptions.assignment();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading

  /**
   * Returns the records that are ready, grouped by partition, waiting up to `timeoutMs` for at least one. Records
   * returned by a poll count as processed when `poll()` is called again, when you `commit()`, and on `close()` or
   * `unsubscribe()` (as Java's `close()` commits the positions `poll()` reached). Java: `poll(Duration)`.
   *
   * @throws The errors the consumer raises in line (see the README): `MaxPollIntervalExceededError`,
   *   `CorruptRecordError`, `OffsetOutOfRangeError`, `RecordDeserializationError`, ...
   */
  poll(options: PollOptions = {}): Promise<ConsumerRecords<K, V>> {
    if (!diagnosticChannels.consumerDeliver.hasSubscribers) return this.pollRecords(options);
    return traceDeliver(
      this.iteratorHost.identity ?? UNNAMED,
      'poll',
      () => this.pollRecords(options),
      (records) => [...records],
    );
  }

  private async pollRecords(options: PollOptions): Promise<ConsumerRecords<K, V>> {
    checkOptions(options, POLL_OPTIONS_SCHEMA, 'consumer.poll()', 'call');
    const timeoutMs = options.timeoutMs ?? 1000;
    const maxRecords = options.maxRecords ?? this.options.maxPollRecords;
    if (!Number.isInteger(maxRecords) || maxRecords <= 0) {
      throw new InvalidArgumentError(`poll(): maxRecords must be a positive integer, got ${String(maxRecords)}`);
    }
    const delivery = this.delivery;
    delivery.beginRead(undefined);
    delivery.acknowledgeDelivered();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      delivery.checkErrors();
      const taken = delivery.take(maxRecords);
      if (taken.length > 0) {
        delivery.markPolled();
        return new ConsumerRecords<K, V>(
          taken.map(
            (t): PartitionRecords<K, V> => ({ topic: t.state.topic, partition: t.state.partition, records: t.records }),
          ),
        );
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 || delivery.closed) return ConsumerRecords.empty<K, V>();
      await delivery.wait(remaining, undefined);
    }
  }

  /** `for await (const record of consumer)`: the same as {@link records} with default options. */
  [Symbol.asyncIterator](): RecordIterator<ConsumerRecord<K, V>> {
    return this.records();
  }

  /**
   * An async iterator of records. It ends promptly on `break`, `return`, an exception in the loop body, `signal`
   * aborting or `close()`, even while no record is arriving; then fetching ahead stops and (with
   * `enableAutoCommit`) the processed records are committed. See {@link RecordIteratorOptions.mode} for when a
   * record counts as processed.
   */
  records(options: RecordIteratorOptions = {}): RecordIterator<ConsumerRecord<K, V>> {
    checkOptions(options, RECORD_ITERATOR_OPTIONS_SCHEMA, 'consumer.records()', 'call');
    return new RecordIterator(this.iteratorHost, options);
  }

  /** An async iterator of record batches (up to `maxRecords`, grouped by partition), with the same contract. */
  batches(options: BatchIteratorOptions = {}): BatchIterator<K, V> {
    checkOptions(options, BATCH_ITERATOR_OPTIONS_SCHEMA, 'consumer.batches()', 'call');
    return new BatchIterator<K, V>(this.iteratorHost, options);
  }

  /**
   * Marks a record processed (the `manual` iterator mode, or to let an automatic commit include the record in hand).
   * Acknowledges every earlier record of its partition too.
   */
  acknowledge(record: Pick<ConsumerRecord<unknown, unknown>, 'topic' | 'partition' | 'offset' | 'leaderEpoch'>): void {
    const state = this.subscriptions.get(record.topic, record.partition);
    state?.acknowledgeOffset(record.offset + 1n, record.leaderEpoch);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Offsets

  /**
   * Commits offsets and waits for the coordinator. Without arguments: every record handed out so far (as Java's
   * `commitSync()` commits what `poll()` returned). With offsets: exactly those (the offset of the next record to
   * read, i.e. last processed + 1). Committed offsets count as processed for later automatic commits.
   *
   * @throws CommitFailedError when a rebalance made the commit's generation stale (it is dropped, not retried);
   *   InvalidGroupStateError without a `groupId`; KafkaTimeoutError.
   */
  async commit(offsets?: readonly TopicPartitionOffset[], options: TimeoutOptions = {}): Promise<void> {
    checkOptions(options, TIMEOUT_OPTIONS_SCHEMA, 'consumer.commit()', 'call');
    await this.timed('commit', options, (deadline) => this.commitOffsets(offsets, undefined, deadline, 'sync'));
  }

  /**
   * Commits without waiting; `callback` gets the outcome and the offsets the commit carried (without arguments,
   * those of every record handed out when the commit starts, which may include a few handed out just after the
   * call). Failures are logged when there is no callback. Java: `commitAsync`.
   */
  commitAsync(offsets?: readonly TopicPartitionOffset[], callback?: CommitCallback): void {
    let committed: readonly TopicPartitionOffset[] = offsets ?? [];
    this.commitOffsets(
      offsets,
      (sent) => {
        committed = sent;
      },
      Date.now() + this.options.defaultApiTimeoutMs,
      'async',
    ).then(
      () => callback?.(undefined, committed),
      (error: unknown) => {
        const failure = isKafkaError(error) ? error : new CommitFailedError(String(error), { cause: error });
        if (callback !== undefined) callback(failure, committed);
        else this.logger.warn('asynchronous commit failed', { error: failure });
      },
    );
  }

  /** `commit`'s work; `onOffsets` learns the offsets before they are sent. */
  private async commitOffsets(
    offsets: readonly TopicPartitionOffset[] | undefined,
    onOffsets: ((offsets: readonly TopicPartitionOffset[]) => void) | undefined,
    deadline: number,
    kind: 'sync' | 'async',
  ): Promise<void> {
    this.commits.requireCommitter('commit');
    await this.connectBy(deadline);
    await this.commits.commit(offsets, deadline, onOffsets, kind);
  }

  /** The group's committed offsets of partitions (null where there is none). Java: `committed`. */
  async committed(partitions: readonly TopicPartition[], options: TimeoutOptions = {}): Promise<CommittedOffsetInfo[]> {
    checkOptions(options, TIMEOUT_OPTIONS_SCHEMA, 'consumer.committed()', 'call');
    const committer = this.commits.requireCommitter('committed');
    const offsets = await this.timed('committed', options, async (deadline) => {
      await this.connectBy(deadline);
      return committer.fetchCommitted(partitions, this.membership.generation() ?? NO_GENERATION, deadline);
    });
    return partitions.map((tp) => {
      const found = offsets.find((o) => o.topic === tp.topic && o.partition === tp.partition);
      return {
        topic: tp.topic,
        partition: tp.partition,
        offset: found === undefined || found.offset < 0n ? null : found.offset,
        leaderEpoch: found === undefined || found.leaderEpoch < 0 ? undefined : found.leaderEpoch,
        metadata: found?.metadata ?? null,
      };
    });
  }

  /**
   * Moves a partition's position: the next record handed out is at `offset`. With a `leaderEpoch` (from a
   * committed offset or a record), the position is validated against the leader's log first (KIP-320).
   */
  seek(partition: TopicPartition & { readonly offset: bigint; readonly leaderEpoch?: number }): void;
  seek(partition: TopicPartition, offset: bigint): void;
  seek(partition: TopicPartition & { offset?: bigint; leaderEpoch?: number }, offset?: bigint): void {
    const state = this.subscriptions.require(partition, 'seek');
    const target = offset ?? partition.offset;
    if (typeof target !== 'bigint' || target < 0n) {
      throw new InvalidArgumentError(`seek(): offset must be a bigint >= 0, got ${String(target)}`, {
        topic: partition.topic,
        partition: partition.partition,
      });
    }
    const epoch = offset === undefined ? partition.leaderEpoch : undefined;
    state.seek(target, epoch, epoch === undefined ? 'fetching' : 'await-validation');
  }

  /** Seeks partitions (default: all assigned) to their first offset, looked up lazily. */
  seekToBeginning(partitions?: readonly TopicPartition[]): void {
    this.seekTo(partitions, 'earliest', 'seekToBeginning');
  }

  /** Seeks partitions (default: all assigned) to the end (the last stable offset under read_committed). */
  seekToEnd(partitions?: readonly TopicPartition[]): void {
    this.seekTo(partitions, 'latest', 'seekToEnd');
  }

  private seekTo(
    partitions: readonly TopicPartition[] | undefined,
    strategy: 'earliest' | 'latest',
    call: string,
  ): void {
    const states = (partitions ?? this.subscriptions.assignment()).map((tp) => this.subscriptions.require(tp, call));
    for (const state of states) state.requestReset(strategy);
  }

  /**
   * The next offset to be handed out for an assigned partition, waiting for it to be known (committed offset
   * lookup, reset, validation). Java: `position`.
   */
  async position(partition: TopicPartition, options: TimeoutOptions = {}): Promise<bigint> {
    checkOptions(options, TIMEOUT_OPTIONS_SCHEMA, 'consumer.position()', 'call');
    this.subscriptions.require(partition, 'position');
    return this.timed('position', options, (deadline) => this.awaitPosition(partition, deadline));
  }

  private async awaitPosition(partition: TopicPartition, deadline: number): Promise<bigint> {
    await this.connectBy(deadline);
    for (;;) {
      const state = this.subscriptions.require(partition, 'position');
      if (state.state === 'fetching') return state.position;
      if (state.state === 'failed' && state.error !== undefined) throw state.error;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new KafkaTimeoutError(`The position of ${formatPartition(partition)} is not known after the timeout`, {
          topic: partition.topic,
          partition: partition.partition,
        });
      }
      await this.positionWaiters.wait(remaining, undefined);
    }
  }

  /** Pauses fetching and delivery of partitions until `resume`; the pause survives rebalances. Java: `pause`. */
  pause(partitions: readonly TopicPartition[]): void {
    this.subscriptions.pause(partitions);
  }

  /** Resumes paused partitions. Java: `resume`. */
  resume(partitions: readonly TopicPartition[]): void {
    this.subscriptions.resume(partitions);
  }

  /**
   * Backpressure pauses, for layers built on the consumer (the Rx and stream adapters) and for applications that
   * buffer records themselves: `backpressure.pause(partitions)` stops *fetching* those partitions until
   * `backpressure.resume(partitions)`; records already buffered are still delivered. These pauses are kept apart
   * from {@link pause}/{@link resume}, which belong to the application: neither lifts the other's pauses.
   */
  readonly backpressure: ConsumerBackpressure = {
    pause: (partitions) => {
      this.subscriptions.pauseFetching(partitions);
    },
    resume: (partitions) => {
      this.subscriptions.resumeFetching(partitions);
    },
    paused: () => this.subscriptions.fetchingPaused(),
  };

  /** The assigned partitions the application paused. Java: `paused`. */
  paused(): TopicPartition[] {
    return this.subscriptions.paused();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Lookups

  /** The first offset of each partition. Java: `beginningOffsets`. */
  async beginningOffsets(
    partitions: readonly TopicPartition[],
    options: TimeoutOptions = {},
  ): Promise<TopicPartitionOffset[]> {
    checkOptions(options, TIMEOUT_OPTIONS_SCHEMA, 'consumer.beginningOffsets()', 'call');
    return this.listOffsets(partitions, EARLIEST_TIMESTAMP, options, 'beginningOffsets');
  }

  /** The end offset of each partition (the last stable offset under read_committed). Java: `endOffsets`. */
  async endOffsets(
    partitions: readonly TopicPartition[],
    options: TimeoutOptions = {},
  ): Promise<TopicPartitionOffset[]> {
    checkOptions(options, TIMEOUT_OPTIONS_SCHEMA, 'consumer.endOffsets()', 'call');
    return this.listOffsets(partitions, LATEST_TIMESTAMP, options, 'endOffsets');
  }

  /**
   * For each partition, the earliest offset whose timestamp is at or after the given one (ms since the epoch), or
   * null when there is none. Java: `offsetsForTimes`.
   */
  async offsetsForTimes(
    queries: ReadonlyArray<TopicPartition & { readonly timestamp: number | bigint }>,
    options: TimeoutOptions = {},
  ): Promise<OffsetForTime[]> {
    checkOptions(options, TIMEOUT_OPTIONS_SCHEMA, 'consumer.offsetsForTimes()', 'call');
    for (const q of queries) {
      if (BigInt(q.timestamp) < 0n) {
        throw new InvalidArgumentError(`offsetsForTimes(): timestamp must be >= 0, got ${String(q.timestamp)}`);
      }
    }
    const answers = await this.timed('offsetsForTimes', options, (deadline) =>
      this.lookupOffsets(
        queries.map((q) => ({ topic: q.topic, partition: q.partition, timestamp: BigInt(q.timestamp) })),
        deadline,
      ),
    );
    return answers.map((a) => ({
      topic: a.topic,
      partition: a.partition,
      offset: a.offset < 0n ? null : a.offset,
      timestamp: a.offset < 0n ? null : Number(a.timestamp),
      leaderEpoch: a.leaderEpoch < 0 ? undefined : a.leaderEpoch,
    }));
  }

  private async listOffsets(
    partitions: readonly TopicPartition[],
    timestamp: bigint,
    options: TimeoutOptions,
    call: string,
  ): Promise<TopicPartitionOffset[]> {
    const answers = await this.timed(call, options, (deadline) =>
      this.lookupOffsets(
        partitions.map((p) => ({ topic: p.topic, partition: p.partition, timestamp })),
        deadline,
      ),
    );
    return answers.map((a) => ({ topic: a.topic, partition: a.partition, offset: a.offset }));
  }

  /** Connects, learns the partitions' leaders, and looks the offsets up, retrying what is retriable until `deadline`. */
  private async lookupOffsets(queries: OffsetQuery[], deadline: number) {
    await this.connectBy(deadline);
    for (const query of queries) checkTopicName(query.topic, 'offset lookup');
    // A failed refresh is no reason to give up: the lookup refreshes again between its retries.
    await this.cluster.refreshMetadata({ topics: queries.map((q) => q.topic) }).catch((error: unknown) => {
      if (!isKafkaError(error) || !error.retriable) throw error;
    });
    return this.lookup.lookup(queries, deadline);
  }

  /**
   * Runs a call bounded by its timeout (`timeoutMs`, default `defaultApiTimeoutMs`): connecting and retries
   * included, it settles within it. The call's own deadline comes first where it has one (its error says more);
   * the bound here catches whatever waits longer.
   */
  private timed<T>(call: string, options: TimeoutOptions, work: (deadline: number) => Promise<T>): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.options.defaultApiTimeoutMs;
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
      return Promise.reject(
        new InvalidArgumentError(
          `${call}(): timeoutMs must be a number of milliseconds >= 0, got ${String(timeoutMs)}`,
        ),
      );
    }
    const deadline = Date.now() + timeoutMs;
    return settleBy(
      work(deadline),
      deadline + Math.min(100, timeoutMs * 0.05),
      () => new KafkaTimeoutError(`${call}() did not complete within its timeout of ${timeoutMs} ms`),
    );
  }

  /**
   * The high watermark of an assigned partition as the last fetch reported it, or `undefined` before the first
   * fetch. No request. (kafka-python: `highwater`.)
   */
  highwater(partition: TopicPartition): bigint | undefined {
    return this.subscriptions.get(partition.topic, partition.partition)?.highWatermark;
  }

  /**
   * The partitions of a topic (empty when the topic does not exist; with `allowAutoCreateTopics` and a broker that
   * auto-creates topics, asking creates it, as in Java). Java: `partitionsFor`.
   */
  async partitionsFor(topic: string, options: TimeoutOptions = {}): Promise<PartitionInfo[]> {
    checkOptions(options, TIMEOUT_OPTIONS_SCHEMA, 'consumer.partitionsFor()', 'call');
    checkTopicName(topic, 'partitionsFor');
    const snapshot = await this.timed('partitionsFor', options, async (deadline) => {
      await this.connectBy(deadline);
      return this.cluster.refreshMetadata({ topics: [topic] });
    });
    const info = snapshot.topics.get(topic);
    if (info !== undefined && isFatal(info.errorCode)) {
      throw createBrokerError(info.errorCode, { topic, api: 'Metadata' });
    }
    return info === undefined || info.errorCode !== ErrorCodes.NONE ? [] : [...info.partitions];
  }

  /** Every topic the client may see (internal ones left out), with its partitions. Java: `listTopics`. */
  async topics(options: TimeoutOptions = {}): Promise<Map<string, PartitionInfo[]>> {
    checkOptions(options, TIMEOUT_OPTIONS_SCHEMA, 'consumer.topics()', 'call');
    const snapshot = await this.timed('topics', options, async (deadline) => {
      await this.connectBy(deadline);
      return this.cluster.refreshMetadata({ allTopics: true });
    });
    const result = new Map<string, PartitionInfo[]>();
    for (const [name, info] of snapshot.topics) {
      if (!info.isInternal && info.errorCode === ErrorCodes.NONE) result.set(name, [...info.partitions]);
    }
    return result;
  }

  /**
   * A snapshot of the consumer's metrics in the one metrics shape (docs/METRICS.md): records consumed and fetched,
   * fetch latency, buffer, rebalances, commits, group state, and per partition lag, position, committed offset and
   * high watermark, with its connections' requests and throttling, labelled `client_id` and
   * `client_type: consumer`. Read one with `metricValue(consumer.metrics(), 'vltava_consumer_records_lag')`.
   */
  metrics(): MetricFamily[] {
    return clientMetricFamilies(consumerMetricFamilies(this.metricsSnapshot()), this.cluster.connectionStats(), {
      client_id: this.clientId,
      client_type: 'consumer',
    });
  }

  private metricsSnapshot(): ConsumerMetrics {
    const partitions = [];
    for (const state of this.subscriptions.states()) {
      partitions.push(
        partitionMetrics(state, this.subscriptions.isPaused(state.key), this.buffer.bufferedBytes(state)),
      );
    }
    return {
      recordsConsumed: this.delivery.recordsDelivered,
      ...fetchFigures(this.fetcher.metrics),
      bufferedRecords: this.buffer.records,
      bufferedBytes: this.buffer.bytes,
      rebalances: this.handler.rebalances,
      lastRebalanceAt: this.handler.lastRebalanceAt,
      commits: this.committer?.commitsSucceeded ?? 0,
      commitFailures: this.committer?.commitsFailed ?? 0,
      groupState: this.membership.member?.state,
      partitions,
    };
  }

  /** `client.id` of this consumer (labels its diagnostics and metrics). Java: the `client-id` metric tag. */
  get clientId(): string {
    return this.iteratorHost.identity?.clientId ?? '';
  }

  /** The group position for a transactional producer's `sendOffsetsToTransaction`. */
  groupMetadata(): ConsumerGroupMetadata {
    const groupId = this.options.groupId;
    if (groupId === undefined) throw new InvalidGroupStateError('groupMetadata() needs a groupId');
    const generation = this.membership.generation() ?? NO_GENERATION;
    return { groupId, ...generation };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Internals

  private createMember(): GroupMember {
    const o = this.options;
    const groupId = o.groupId!;
    const coordinator = this.coordinator!;
    const retryDelay = (attempt: number) => this.cluster.retryDelay(attempt);
    const subscribedTopics = () => [...this.subscriptions.subscribedTopics()];
    const raise = (error: KafkaError) => this.delivery.raise(error);
    if (o.groupProtocol === 'consumer') {
      return new ConsumerGroupMember(
        {
          groupId,
          groupInstanceId: o.groupInstanceId,
          rebalanceTimeoutMs: o.rebalanceTimeoutMs,
          clientRack: o.clientRack,
          serverAssignor: o.groupRemoteAssignor,
          requestTimeoutMs: o.requestTimeoutMs,
          logger: this.logger,
          retryDelay,
        },
        {
          send: (request) => coordinator.send(ConsumerGroupHeartbeat, request),
          coordinatorMoved: (code) => coordinator.coordinatorMoved(code),
        },
        { cluster: this.cluster, handler: this.handler, subscribedTopics, raise },
      );
    }
    return new ClassicGroupMember(
      {
        groupId,
        groupInstanceId: o.groupInstanceId,
        sessionTimeoutMs: o.sessionTimeoutMs,
        rebalanceTimeoutMs: o.rebalanceTimeoutMs,
        heartbeatIntervalMs: o.heartbeatIntervalMs,
        requestTimeoutMs: o.requestTimeoutMs,
        clientRack: o.clientRack,
        assignors: this.assignors,
        logger: this.logger,
        retryDelay,
      },
      coordinator,
      { cluster: this.cluster, handler: this.handler, subscribedTopics, raise },
    );
  }

  /** Called at every read: start what reading needs. */
  private onRead(): void {
    const fatal = this.membership.member?.fatalError;
    if (fatal !== undefined) throw fatal;
    if (this.subscriptions.type === 'none') {
      throw new InvalidArgumentError('Nothing to read: call subscribe() or assign() first');
    }
    if (this.topicErrors.size > 0 && this.connected) {
      // A topic was not authorized: look again (at most once per retryBackoffMaxMs), in case the ACLs changed.
      const now = Date.now();
      if (now - this.lastTopicErrorRefresh >= this.cluster.options.retryBackoffMaxMs) {
        this.lastTopicErrorRefresh = now;
        this.cluster.refreshMetadata().catch(() => undefined);
      }
    }
    if (!this.connected) {
      this.connect().then(
        () => {
          if (!this.delivery.closed) this.startReading();
        },
        (error: unknown) =>
          this.delivery.raise(isKafkaError(error) ? error : new InvalidGroupStateError(String(error))),
      );
      return;
    }
    this.startReading();
  }

  private startReading(): void {
    this.fetcher.setEnabled(true);
    this.membership.member?.start();
  }

  /**
   * A topic the consumer reads (subscribed or assigned) that metadata reports as not authorized or invalid is raised
   * to the reader at once (Java: `TopicAuthorizationException` from `poll()`), once per metadata refresh that shows
   * it; nothing would ever be fetched from it.
   */
  private checkTopicErrors(): void {
    const type = this.subscriptions.type;
    if (type !== 'topics' && type !== 'manual') {
      this.topicErrors.clear();
      return;
    }
    const read = new Set<string>(type === 'topics' ? this.subscriptions.subscribedTopics() : []);
    for (const tp of this.subscriptions.assignment()) read.add(tp.topic);
    const topics = this.cluster.metadata.topics;
    for (const topic of this.topicErrors.keys()) if (!read.has(topic)) this.topicErrors.delete(topic);
    for (const topic of read) {
      const info = topics.get(topic);
      if (info === undefined || !isFatal(info.errorCode)) {
        this.topicErrors.delete(topic);
        continue;
      }
      if (this.topicErrors.get(topic) === info) continue;
      this.topicErrors.set(topic, info);
      this.delivery.raise(createBrokerError(info.errorCode, { topic, api: 'Metadata', groupId: this.options.groupId }));
    }
  }

  /** Metadata changed: topic errors are raised, a group leader checks the partition counts it assigned. */
  private onMetadata(): void {
    this.checkTopicErrors();
    this.membership.member?.metadataChanged();
  }

  private startTimers(): void {
    const o = this.options;
    this.commits.start();
    const watchEvery = Math.max(50, Math.min(1000, Math.floor(o.maxPollIntervalMs / 10)));
    this.watchdog = setInterval(() => {
      const member = this.membership.member;
      if (member === undefined || this.delivery.closed) return;
      if (member.state !== 'stable' && member.state !== 'joining' && member.state !== 'reconciling') return;
      if (this.delivery.pollExpired(Date.now(), o.maxPollIntervalMs)) {
        this.fetcher.setEnabled(false);
        void member.pollTimeout();
      }
    }, watchEvery);
    this.watchdog.unref();
  }

  private stopTimers(): void {
    this.commits.stop();
    if (this.watchdog !== undefined) clearInterval(this.watchdog);
    this.watchdog = undefined;
    this.stopPatternTimer();
  }

  /** Pattern subscription: match the cluster's topics now and every `metadataMaxAgeMs`. */
  private refreshPattern(): void {
    this.stopPatternTimer();
    const run = async () => {
      if (this.subscriptions.type !== 'pattern' || this.closed) return;
      try {
        const snapshot = await this.cluster.refreshMetadata({ allTopics: true });
        if (this.subscriptions.matchTopics(snapshot.topics.values())) {
          this.cluster.trackTopics(this.subscriptions.subscribedTopics());
          this.membership.member?.subscriptionChanged();
        }
      } catch (error) {
        this.logger.debug('pattern subscription refresh failed', { error: String(error) });
      }
      if (this.subscriptions.type === 'pattern' && !this.closed) {
        this.patternTimer = setTimeout(() => void run(), this.cluster.options.metadataMaxAgeMs);
        this.patternTimer.unref();
      }
    };
    void run();
  }

  private stopPatternTimer(): void {
    if (this.patternTimer !== undefined) clearTimeout(this.patternTimer);
    this.patternTimer = undefined;
  }

  private checkOpen(call: string): void {
    if (this.closed) {
      throw new ClientClosedError(`${call}() was called on a closed consumer`);
    }
  }
}
