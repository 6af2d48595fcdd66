import { clientMetricFamilies } from '../../cluster/client-metric-families.js';
import { resolveClientOptions } from '../../cluster/client-options.js';
import { Cluster } from '../../cluster/cluster.js';
import { checkTopicName } from '../../cluster/topic-name.js';
import { checkOptions } from '../../config/check-options.js';
import { diagnosticChannels } from '../../diagnostics/channels.js';
import type { RebalanceOutcome, RebalancePayload, TracedPartition } from '../../diagnostics/payloads.js';
import {
  ClientClosedError,
  InvalidArgumentError,
  KafkaTimeoutError,
  UnsupportedVersionError,
} from '../../errors/client-errors.js';
import { isKafkaError, type KafkaError } from '../../errors/kafka-error.js';
import type { MetricFamily } from '../../metrics/metric-family.js';
import type { ShareFetchResponsePartitionData } from '../../protocol/messages/generated/share-fetch.js';
import { ShareGroupHeartbeat } from '../../protocol/messages/generated/share-group-heartbeat.js';
import { loadRecordCodecs } from '../../protocol/records/load-record-codecs.js';
import { nextClientInstance } from '../../utils/client-instance.js';
import type { Logger } from '../../utils/logger.js';
import type { CloseOptions } from '../../vocabulary/close-options.js';
import type { TopicPartition } from '../../vocabulary/topic-partition.js';
import { GroupCoordinator } from '../group/group-coordinator.js';
import { traceDeliver } from '../traced-consumer.js';
import { Waiters } from '../waiters.js';
import { type AcknowledgeType, AcknowledgeTypeCode, isAcknowledgeType } from './acknowledge-type.js';
import { AcquiredRange, AcquiredRecords } from './acquired-records.js';
import { ShareAssignment } from './share-assignment.js';
import { shareConsumerMetricFamilies } from './share-consumer-metric-families.js';
import type { ShareConsumerMetrics } from './share-consumer-metrics.js';
import {
  type ResolvedShareConsumerOptions,
  resolveShareConsumerOptions,
  type ShareConsumerOptions,
} from './share-consumer-options.js';
import {
  SHARE_POLL_OPTIONS_SCHEMA,
  SHARE_RECORD_ITERATOR_OPTIONS_SCHEMA,
  SHARE_TIMEOUT_OPTIONS_SCHEMA,
} from './share-consumer-options-schema.js';
import { type ShareConsumerRecord, ShareConsumerRecords, type SharePartitionRecords } from './share-consumer-record.js';
import { AcknowledgementStateError, ShareGroupsUnavailableError } from './share-errors.js';
import { ShareFetchBuffer, type ShareRecordConverter } from './share-fetch-buffer.js';
import { readShareFetchedPartition } from './share-fetched-partition.js';
import { type AcknowledgementResult, ShareFetcher } from './share-fetcher.js';
import { ShareGroupMember } from './share-group-member.js';
import { createShareRecordConverter } from './share-record-converter.js';
import {
  type ShareIteratorHost,
  ShareRecordIterator,
  type ShareRecordIteratorOptions,
} from './share-record-iterator.js';
import type { SharePartitionRef } from './share-session.js';

/** Options of {@link ShareConsumer.poll}. */
export interface SharePollOptions {
  /** Longest wait for records when none is buffered. Default 1000. */
  readonly timeoutMs?: number;
  /** Most records to return. Default `maxPollRecords`. */
  readonly maxRecords?: number;
}

/** Options of {@link ShareConsumer.commitSync}. */
export interface ShareCommitOptions {
  /** Longest wait for the brokers' answers. Default `defaultApiTimeoutMs`. */
  readonly timeoutMs?: number;
}

/**
 * Called with the outcome of every acknowledgement request the consumer sends (background ones included), one
 * entry per partition. Java: `AcknowledgementCommitCallback.onComplete`.
 */
export type AcknowledgementCommitCallback = (results: readonly AcknowledgementResult[]) => void;

/** A record, or enough of one to name it, for {@link ShareConsumer.acknowledge}. */
export type AcknowledgeableRecord = Pick<ShareConsumerRecord<unknown, unknown>, 'topic' | 'partition' | 'offset'>;

/** No partitions (a rebalance outcome's empty lists). */
const NO_PARTITIONS: readonly TracedPartition[] = Object.freeze([]);

/**
 * A consumer of a share group (KIP-932, "queues for Kafka"). Java: `KafkaShareConsumer`.
 *
 * The members of a share group read the same partitions together: the broker hands each record to one member
 * under a time-limited acquisition lock, and the member settles it: `accept` (done), `release` (try again,
 * counted in `deliveryCount`) or `reject` (unprocessable, never again); a record whose lock expires, or whose
 * member leaves or fails, is delivered again. Consumers scale past the partition count, and one slow record does
 * not hold up its partition.
 *
 * ```ts
 * await using consumer = new ShareConsumer({ brokers: ['127.0.0.1:9092'], groupId: 'thumbnails' });
 * consumer.subscribe(['images']);
 * for await (const record of consumer) {
 *   await resize(record.value); // accepted when the loop asks for the next record; a throw releases it
 * }
 * ```
 *
 * Three ways to read: `poll()` (as in Java, with `shareAcknowledgementMode` implicit or explicit), `for await`
 * (each record settled by how the loop body ends, see {@link ShareRecordIterator}), and the Rx and stream adapters
 * built on them. Acknowledgements ride on the next ShareFetch; `commitSync()` sends them at once and returns each
 * partition's outcome. Delivery is at least once: a record is delivered again until a member settles it (or the
 * broker archives it at `share.delivery.count.limit`).
 *
 * @typeParam K Type of record keys after `keyDeserializer`.
 * @typeParam V Type of record values after `valueDeserializer`.
 */
export class ShareConsumer<K = Buffer | null, V = Buffer | null>
  implements AsyncIterable<ShareConsumerRecord<K, V>>, AsyncDisposable
{
  private readonly options: ResolvedShareConsumerOptions<K, V>;
  private readonly cluster: Cluster;
  private readonly logger: Logger;
  private readonly member: ShareGroupMember;
  private readonly fetcher: ShareFetcher;
  private readonly buffer: ShareFetchBuffer;
  private readonly acquired = new AcquiredRecords();
  private readonly convert: ShareRecordConverter<ShareConsumerRecord<K, V>>;
  private readonly iteratorHost: ShareIteratorHost<ShareConsumerRecord<K, V>>;
  /** Topic-id form of each partition records came from, by `topic:partition`. */
  private readonly refs = new Map<string, SharePartitionRef>();
  private topics: string[] = [];
  /** `client.id` of this consumer (labels its diagnostics and metrics). */
  readonly clientId: string;
  private readonly assigned = new ShareAssignment();
  /** Records the last `poll()` returned: accepted by the next one in implicit mode. */
  private lastPolled: ShareConsumerRecord<K, V>[] = [];
  private reader: object | undefined;
  private reading = false;
  private readonly waiters = new Waiters();
  private pendingError: KafkaError | undefined;
  private callback: AcknowledgementCommitCallback | undefined;
  private connecting: Promise<void> | undefined;
  private connected = false;
  private closing: Promise<void> | undefined;
  private isClosed = false;
  private recordsConsumed = 0;
  private readonly acknowledgedCounts = { accept: 0, release: 0, reject: 0, renew: 0 };
  /** True while a change of assignment takes partitions away from a fenced member (they are lost, not revoked). */
  private assignmentLost = false;

  /**
   * This client object's name, unique in the process (`share-consumer-1`, `share-consumer-2`, ...): the `clientInstance` of its
   * connections and requests in the diagnostics channels, where clients that share a `clientId` are told apart.
   */
  readonly instance: string = nextClientInstance('share-consumer');

  /** A share consumer with these options. It connects on first use. */
  constructor(options: ShareConsumerOptions<K, V>) {
    this.options = resolveShareConsumerOptions(options);
    const clientOptions = resolveClientOptions(options);
    this.clientId = clientOptions.clientId;
    this.cluster = new Cluster(clientOptions, { allowAutoTopicCreation: false, clientInstance: this.instance });
    this.logger = clientOptions.logger;
    const o = this.options;
    this.buffer = new ShareFetchBuffer(o.maxPrefetchBytes, o.maxPrefetchRecords);
    this.convert = createShareRecordConverter(o.keyDeserializer, o.valueDeserializer);
    const cluster = this.cluster;
    const retryDelay = (attempt: number) => cluster.retryDelay(attempt);
    const coordinator = new GroupCoordinator(cluster, o.groupId);
    this.member = new ShareGroupMember(
      { groupId: o.groupId, clientRack: o.clientRack, logger: this.logger, retryDelay },
      {
        send: async (request) => {
          try {
            return await coordinator.send(ShareGroupHeartbeat, request, { timeoutMs: o.requestTimeoutMs });
          } catch (error) {
            if (!(error instanceof UnsupportedVersionError) || error.api !== ShareGroupHeartbeat.name) throw error;
            throw new ShareGroupsUnavailableError(
              `Broker ${error.broker} does not serve share groups (no ShareGroupHeartbeat API): they need ` +
                'Apache Kafka 4.1 or newer with the share.version feature enabled ' +
                '(kafka-features upgrade --feature share.version=1)',
              { cause: error, broker: error.broker, groupId: o.groupId },
            );
          }
        },
        coordinatorMoved: () => coordinator.forget(),
      },
      {
        subscribedTopics: () => this.topics,
        assignmentChanged: (assignment, lost) => {
          this.assignmentLost = lost === true;
          try {
            this.assigned.assign(assignment, cluster.metadata.topicNamesById);
          } finally {
            this.assignmentLost = false;
          }
        },
        raise: (error) => this.raise(error),
      },
    );
    this.assigned.changed.on((left) => this.assignmentChanged(left));
    this.fetcher = new ShareFetcher(
      {
        cluster,
        logger: this.logger,
        memberId: this.member.memberId,
        assignment: this.assigned,
        wantsRecords: () => this.reading && !this.isClosed && this.buffer.hasRoom,
        buffer: this.buffer,
        settlementsExpected: () => this.acquired.unsettled > this.buffer.records,
        received: (node, ref, data) => this.received(node, ref, data),
        acknowledged: (results) => this.notifyCallback(results),
        raise: (error) => this.raise(error),
      },
      {
        groupId: o.groupId,
        clientId: this.clientId,
        fetchMinBytes: o.fetchMinBytes,
        fetchMaxWaitMs: o.fetchMaxWaitMs,
        fetchMaxBytes: o.fetchMaxBytes,
        maxPollRecords: o.maxPollRecords,
        shareAcquireMode: o.shareAcquireMode === 'record_limit' ? 1 : 0,
        requestTimeoutMs: o.requestTimeoutMs,
      },
    );
    const self = this;
    this.iteratorHost = {
      beginRead: (reader) => this.beginRead(reader),
      takeRecord: () => this.takeOne(),
      wait: (signal) => this.wait(undefined, signal),
      settle: (record, type) => this.settleQuietly(record, type),
      endReader: (reader) => this.endReader(reader),
      get closed() {
        return self.isClosed;
      },
      identity: { clientId: this.clientId, groupId: o.groupId, groupKind: 'share' },
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Lifecycle

  /** How records are acknowledged (`shareAcknowledgementMode`). */
  get acknowledgementMode(): 'implicit' | 'explicit' {
    return this.options.shareAcknowledgementMode;
  }

  /** The share group this consumer is a member of (`group.id`). */
  get groupId(): string {
    return this.options.groupId;
  }

  /** The member id this consumer joins its share group with (a UUID, for `describeShareGroups`). */
  get memberId(): string {
    return this.member.memberId;
  }

  /** Connects to the cluster (bootstrap, metadata, codecs). Optional: the first read connects. */
  connect(): Promise<void> {
    this.connecting ??= (async () => {
      await loadRecordCodecs();
      await this.cluster.connect();
      this.cluster.onMetadata((snapshot) => {
        if (this.assigned.unresolved) this.assigned.resolve(snapshot.topicNamesById);
      });
      this.connected = true;
    })();
    this.connecting.catch(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /**
   * Closes the consumer: ends every reader, sends the acknowledgements made so far, releases every record it still
   * holds (fetched ahead, or delivered and not acknowledged; in implicit mode, the records of the last `poll()`
   * too, as Java does), closes the share sessions, leaves the group and closes the connections. Idempotent.
   */
  close(options: CloseOptions = {}): Promise<void> {
    checkOptions(options, SHARE_TIMEOUT_OPTIONS_SCHEMA, 'shareConsumer.close()', 'call');
    this.closing ??= this.doClose(options.timeoutMs ?? 30_000);
    return this.closing;
  }

  /** `await using consumer = new ShareConsumer(...)` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async doClose(timeoutMs: number): Promise<void> {
    this.isClosed = true;
    this.notify();
    const work = (async () => {
      if (!this.connected) return;
      this.fetcher.setEnabled(false);
      await this.fetcher.idle();
      this.releaseEverything();
      const results = await this.fetcher.closeSessions();
      this.notifyCallback(results);
      await this.member.leave();
    })();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        work.catch((error: unknown) =>
          this.logger.warn('closing the share consumer did not complete', { error: String(error) }),
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
      this.member.close();
      this.fetcher.close();
      this.cluster.close();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Subscription

  /**
   * Subscribes to topics, replacing the previous subscription; an empty list unsubscribes. The group coordinator
   * assigns partitions (several members may share one). Java: `subscribe(Collection<String>)`.
   */
  subscribe(topics: string | readonly string[]): void {
    this.checkOpen('subscribe');
    const list = typeof topics === 'string' ? [topics] : [...topics];
    for (const topic of list) checkTopicName(topic, 'subscribe');
    if (list.length === 0) {
      void this.unsubscribe();
      return;
    }
    this.topics = [...new Set(list)].sort();
    this.cluster.trackTopics(this.topics);
    if (this.connected) this.cluster.refreshMetadata().catch(() => undefined);
    this.member.subscriptionChanged();
  }

  /** The subscribed topics, sorted. Java: `subscription()`. */
  subscription(): string[] {
    return [...this.topics];
  }

  /**
   * Drops the subscription: every record still held is released (fetched ahead, or delivered and not settled;
   * in implicit mode the last `poll()`'s too, as `close()` does), the acknowledgements are sent, and the member
   * leaves the group. A later `subscribe()`
   * and read joins again. Java: `unsubscribe()`.
   */
  async unsubscribe(): Promise<void> {
    this.topics = [];
    // Leaving hands every partition back: traced here, as the assignment announces a cleared set with no partitions.
    const held = diagnosticChannels.rebalance.hasSubscribers ? this.assigned.partitions() : undefined;
    this.assigned.clear();
    if (held !== undefined && held.length > 0) this.publishAssignment(NO_PARTITIONS, held, false);
    this.releaseEverything();
    if (!this.connected) return;
    await this.fetcher.flush();
    await this.member.leave();
  }

  /** The partitions the coordinator assigned to this member now (others may read them too), sorted. */
  assignment(): TopicPartition[] {
    return this.assigned.partitions();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reading

  /**
   * Returns the records acquired for this consumer, grouped by partition, waiting up to `timeoutMs` for at least
   * one. In implicit mode, the records of the previous `poll()` are accepted first (those not acknowledged
   * otherwise). In explicit mode, records not acknowledged yet stay acquired (unlike Java, which throws): settle
   * them with {@link acknowledge} before their lock expires. Java: `poll(Duration)`.
   *
   * @throws The errors the consumer raises in line: `RecordDeserializationError` (the record was released),
   *   `CorruptRecordError`, `ShareGroupsUnavailableError`, `GroupMembershipError`, authorization errors.
   */
  poll(options: SharePollOptions = {}): Promise<ShareConsumerRecords<K, V>> {
    if (!diagnosticChannels.consumerDeliver.hasSubscribers) return this.pollRecords(options);
    const identity = { clientId: this.clientId, groupId: this.options.groupId, groupKind: 'share' as const };
    return traceDeliver(
      identity,
      'poll',
      () => this.pollRecords(options),
      (records) => [...records],
    );
  }

  private async pollRecords(options: SharePollOptions): Promise<ShareConsumerRecords<K, V>> {
    checkOptions(options, SHARE_POLL_OPTIONS_SCHEMA, 'shareConsumer.poll()', 'call');
    const timeoutMs = options.timeoutMs ?? 1000;
    const maxRecords = options.maxRecords ?? this.options.maxPollRecords;
    if (!Number.isInteger(maxRecords) || maxRecords <= 0) {
      throw new InvalidArgumentError(`poll(): maxRecords must be a positive integer, got ${String(maxRecords)}`);
    }
    if (this.reader !== undefined) {
      throw new InvalidArgumentError('poll() cannot be called while an iterator is reading; end the iterator first');
    }
    this.startRead();
    this.acceptLastPolled();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.checkErrors();
      const taken = this.take(maxRecords);
      if (taken.length > 0) {
        if (this.options.shareAcknowledgementMode === 'implicit') {
          for (const p of taken) for (const r of p.records) this.lastPolled.push(r);
        }
        return new ShareConsumerRecords<K, V>(taken);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 || this.isClosed) return new ShareConsumerRecords<K, V>([]);
      await this.wait(remaining, undefined);
    }
  }

  /** `for await (const record of shareConsumer)`: the same as {@link records} with default options. */
  [Symbol.asyncIterator](): ShareRecordIterator<ShareConsumerRecord<K, V>> {
    return this.records();
  }

  /**
   * An async iterator of records, each settled by how the loop body ends: accepted when the loop asks for the next
   * record, released (or rejected, `onExit: 'reject'`) when the body throws or breaks; `acknowledge()` in the body
   * settles a record otherwise. See {@link ShareRecordIterator}.
   */
  records(options: ShareRecordIteratorOptions = {}): ShareRecordIterator<ShareConsumerRecord<K, V>> {
    checkOptions(options, SHARE_RECORD_ITERATOR_OPTIONS_SCHEMA, 'shareConsumer.records()', 'call');
    return new ShareRecordIterator(this.iteratorHost, options);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Acknowledgements

  /**
   * Settles a record this consumer holds: `accept` (default), `release` or `reject`, or `renew` its acquisition
   * lock (Kafka 4.2+; the record stays in hand). Works in both modes, in any order, from any number of concurrent
   * tasks; the acknowledgement is sent with the next fetch, or at once by `commitSync()` / `commitAsync()`. Java:
   * `acknowledge(ConsumerRecord, AcknowledgeType)`.
   *
   * @throws AcknowledgementStateError when the record is not held by this consumer (settled already, from another
   *   consumer, released at close) or the type is unknown.
   */
  acknowledge(record: AcknowledgeableRecord, type: AcknowledgeType = 'accept'): void {
    if (!isAcknowledgeType(type)) {
      throw new AcknowledgementStateError(
        `acknowledge(): type must be 'accept', 'release', 'reject' or 'renew', got ${String(type)}`,
      );
    }
    const key = `${record?.topic}:${record?.partition}`;
    const ref = this.refs.get(key);
    const context = { topic: record?.topic, partition: record?.partition, groupId: this.options.groupId };
    if (ref === undefined || typeof record.offset !== 'bigint') {
      throw new AcknowledgementStateError(
        `acknowledge(): ${key}@${String(record?.offset)} was not delivered by this share consumer`,
        context,
      );
    }
    if (type === 'renew') {
      const range = this.acquired.find(key, record.offset);
      if (range === undefined) throw this.notHeld(key, record.offset, context);
      this.acknowledgedCounts.renew++;
      this.fetcher.acknowledge(range.node, ref, record.offset, AcknowledgeTypeCode.renew);
      return;
    }
    const node = this.acquired.settle(key, record.offset);
    if (node === undefined) throw this.notHeld(key, record.offset, context);
    this.acknowledgedCounts[type]++;
    this.fetcher.acknowledge(node, ref, record.offset, AcknowledgeTypeCode[type]);
  }

  /**
   * Sends the acknowledgements made so far (in implicit mode, after accepting the records of the last `poll()`)
   * and waits for the brokers. Resolves with each partition's outcome (`error` set where the broker did not apply
   * them, for example `InvalidRecordStateError` for a record whose lock had expired). Java: `commitSync()`.
   *
   * @throws KafkaTimeoutError when the brokers did not answer within `timeoutMs`.
   */
  async commitSync(options: ShareCommitOptions = {}): Promise<AcknowledgementResult[]> {
    checkOptions(options, SHARE_TIMEOUT_OPTIONS_SCHEMA, 'shareConsumer.commitSync()', 'call');
    this.checkOpen('commitSync');
    this.acceptLastPolled();
    if (!this.fetcher.hasPending) return [];
    const timeoutMs = options.timeoutMs ?? this.options.defaultApiTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.fetcher.flush(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new KafkaTimeoutError(`commitSync() did not complete within ${timeoutMs} ms`, {
                  groupId: this.options.groupId,
                }),
              ),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends the acknowledgements made so far (in implicit mode, after accepting the records of the last `poll()`)
   * without waiting; the outcome reaches the acknowledgement commit callback. Java: `commitAsync()`.
   */
  commitAsync(): void {
    this.checkOpen('commitAsync');
    this.acceptLastPolled();
    void this.fetcher.flush();
  }

  /**
   * Sets (or clears, with `undefined`) the callback that receives the outcome of every acknowledgement request.
   * Errors it throws are logged. Java: `setAcknowledgementCommitCallback`.
   */
  setAcknowledgementCommitCallback(callback: AcknowledgementCommitCallback | undefined): void {
    this.callback = callback;
  }

  /** The acquisition lock duration the broker last reported, or undefined before any. Java: `acquisitionLockTimeoutMs()`. */
  acquisitionLockTimeoutMs(): number | undefined {
    const value = this.fetcher.metrics.acquisitionLockTimeoutMs;
    return value > 0 ? value : undefined;
  }

  /**
   * A snapshot of the share consumer's metrics in the one metrics shape (docs/METRICS.md), with its connections'
   * requests and throttling, labelled `client_id` and `client_type: share_consumer`.
   */
  metrics(): MetricFamily[] {
    return clientMetricFamilies(shareConsumerMetricFamilies(this.metricsSnapshot()), this.cluster.connectionStats(), {
      client_id: this.clientId,
      client_type: 'share_consumer',
    });
  }

  private metricsSnapshot(): ShareConsumerMetrics {
    const m = this.fetcher.metrics;
    return {
      recordsConsumed: this.recordsConsumed,
      recordsAcquired: m.recordsAcquired,
      bytesFetched: m.bytesFetched,
      shareFetchRequests: m.shareFetchRequests,
      shareAcknowledgeRequests: m.shareAcknowledgeRequests,
      fetchErrors: m.fetchErrors,
      fetchLatencyAvgMs: m.shareFetchRequests === 0 ? 0 : m.fetchLatencyTotalMs / m.shareFetchRequests,
      fetchLatencyMaxMs: m.fetchLatencyMaxMs,
      acknowledgementsSent: m.acknowledgementsSent,
      acknowledgementsFailed: m.acknowledgementsFailed,
      acknowledged: { ...this.acknowledgedCounts },
      bufferedRecords: this.buffer.records,
      bufferedBytes: this.buffer.bytes,
      acquiredRecords: this.acquired.unsettled,
      acquisitionLockTimeoutMs: this.acquisitionLockTimeoutMs(),
      memberState: this.member.state,
      memberEpoch: this.member.epoch,
      assignmentsReceived: this.member.assignmentsReceived,
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Internals

  private notHeld(key: string, offset: bigint, context: { topic: string; partition: number; groupId: string }) {
    return new AcknowledgementStateError(
      `acknowledge(): ${key}@${offset} is not held by this share consumer (settled already, or released when its ` +
        'partition was dropped, the iteration ended or the consumer closed)',
      context,
    );
  }

  private startRead(): void {
    if (this.isClosed) throw new ClientClosedError('The share consumer is closed');
    const fatal = this.member.fatalError;
    if (fatal !== undefined) throw fatal;
    if (this.topics.length === 0) {
      throw new InvalidArgumentError('Nothing to read: call subscribe() first');
    }
    this.reading = true;
    if (!this.connected) {
      this.connect().then(
        () => {
          if (this.isClosed) return;
          this.member.start();
          this.fetcher.wake();
        },
        (error: unknown) =>
          this.raise(isKafkaError(error) ? error : new ClientClosedError(String(error), { cause: error })),
      );
      return;
    }
    this.member.start();
    this.fetcher.setEnabled(true);
  }

  private beginRead(reader: object): void {
    if (this.reader !== undefined && this.reader !== reader) {
      throw new InvalidArgumentError(
        'Another iterator is reading from this share consumer; end it (break, return or abort) first',
      );
    }
    this.reader = reader;
    this.startRead();
  }

  private endReader(reader: object): void {
    if (this.reader !== reader) return;
    this.reader = undefined;
    this.reading = false;
    // Records fetched ahead would keep their locks while nobody reads: let other members have them now.
    this.buffer.discard((ref, offset) => this.release(ref, offset));
  }

  private takeOne(): ShareConsumerRecord<K, V> | undefined {
    this.checkErrors();
    const taken = this.take(1);
    return taken[0]?.records[0];
  }

  private take(max: number): SharePartitionRecords<K, V>[] {
    const taken = this.buffer.take(max, this.convert, (ref, offset) => this.release(ref, offset));
    if (taken.length === 0) return [];
    const out: SharePartitionRecords<K, V>[] = [];
    for (const t of taken) {
      this.recordsConsumed += t.records.length;
      out.push({ topic: t.ref.topic, partition: t.ref.partition, records: t.records });
    }
    return out;
  }

  private acceptLastPolled(): void {
    const polled = this.lastPolled;
    if (polled.length === 0) return;
    this.lastPolled = [];
    for (const record of polled) this.settleQuietly(record, 'accept');
  }

  /** Settles a record unless it is settled already. */
  private settleQuietly(record: ShareConsumerRecord<K, V>, type: AcknowledgeType): void {
    const key = `${record.topic}:${record.partition}`;
    const ref = this.refs.get(key);
    if (ref === undefined) return;
    const node = this.acquired.settle(key, record.offset);
    if (node === undefined) return;
    if (type !== 'renew') this.acknowledgedCounts[type]++;
    this.fetcher.acknowledge(node, ref, record.offset, AcknowledgeTypeCode[type]);
  }

  private release(ref: SharePartitionRef, offset: bigint): void {
    const node = this.acquired.settle(ref.key, offset);
    if (node === undefined) return;
    this.acknowledgedCounts.release++;
    this.fetcher.acknowledge(node, ref, offset, AcknowledgeTypeCode.release);
  }

  private releaseEverything(): void {
    this.lastPolled = [];
    this.buffer.discard((ref, offset) => this.release(ref, offset));
    this.acquired.settleAll((key, node, offset) => {
      const ref = this.refs.get(key);
      if (ref === undefined) return;
      this.acknowledgedCounts.release++;
      this.fetcher.acknowledge(node, ref, offset, AcknowledgeTypeCode.release);
    });
  }

  private received(node: number, ref: SharePartitionRef, data: ShareFetchResponsePartitionData): void {
    this.refs.set(ref.key, ref);
    if (data.acquiredRecords.length === 0) return;
    const parsed = readShareFetchedPartition(data.records, data.acquiredRecords, {
      topic: ref.topic,
      partition: ref.partition,
      verifyCrc: this.options.checkCrcs,
    });
    this.acquired.add(ref.key, new AcquiredRange(node, data.acquiredRecords));
    for (const offset of parsed.gaps) {
      if (this.acquired.settle(ref.key, offset) !== undefined) {
        this.fetcher.acknowledge(node, ref, offset, AcknowledgeTypeCode.gap);
      }
    }
    for (const offset of parsed.unreadable) this.release(ref, offset);
    const assignedNow = this.assigned.has(ref.key);
    if (this.isClosed || !this.reading || !assignedNow) {
      for (const record of parsed.records) this.release(ref, record.offset);
      if (parsed.error !== undefined) this.raise(parsed.error);
      return;
    }
    this.buffer.append({
      ref,
      records: parsed.records,
      deliveryCounts: parsed.deliveryCounts,
      index: 0,
      bytes: parsed.bytes,
      error: parsed.error,
    });
    this.notify();
  }

  /** The assignment changed: what was fetched ahead of partitions that left is released; new ones need metadata. */
  private assignmentChanged(left: ReadonlySet<string>): void {
    if (diagnosticChannels.rebalance.hasSubscribers) this.traceAssignment(left);
    for (const key of left) this.buffer.discard((ref, offset) => this.release(ref, offset), key);
    for (const ref of this.assigned.refs()) this.refs.set(ref.key, ref);
    if (this.assigned.unresolved) this.cluster.refreshMetadata({ topics: this.topics }).catch(() => undefined);
  }

  /**
   * Publishes a change of assignment on `vltava:rebalance` (protocol `share`): a share group has no revocation
   * round, so the trace opens and settles at once, with the partitions added, those that left (`revoked`, or `lost`
   * when the member was fenced) and the member epoch.
   */
  private traceAssignment(left: ReadonlySet<string>): void {
    const assigned = this.assigned.added;
    if (assigned.length === 0 && left.size === 0) return;
    const gone: TracedPartition[] = [];
    for (const key of left) {
      const ref = this.refs.get(key);
      if (ref !== undefined) gone.push({ topic: ref.topic, partition: ref.partition });
      else {
        const at = key.lastIndexOf(':');
        gone.push({ topic: key.slice(0, at), partition: Number(key.slice(at + 1)) });
      }
    }
    this.publishAssignment(assigned, gone, this.assignmentLost);
  }

  /** Publishes one change of assignment on `vltava:rebalance`, opened and settled at once. */
  private publishAssignment(
    assigned: readonly TracedPartition[],
    gone: readonly TracedPartition[],
    lost: boolean,
  ): void {
    const payload: RebalancePayload = {
      clientId: this.clientId,
      groupId: this.options.groupId,
      protocol: 'share',
      memberId: this.member.memberId,
    };
    const channel = diagnosticChannels.rebalance;
    channel.begin(payload);
    channel.settle(payload, undefined, {
      assigned,
      revoked: lost ? NO_PARTITIONS : gone,
      lost: lost ? gone : NO_PARTITIONS,
      generation: this.member.epoch,
    } satisfies RebalanceOutcome);
  }

  private notifyCallback(results: readonly AcknowledgementResult[]): void {
    const callback = this.callback;
    if (callback === undefined || results.length === 0) return;
    try {
      callback(results);
    } catch (error) {
      this.logger.warn('the acknowledgement commit callback threw', { error: String(error) });
    }
  }

  private raise(error: KafkaError): void {
    this.pendingError ??= error;
    this.notify();
  }

  private checkErrors(): void {
    const error = this.pendingError;
    if (error !== undefined) {
      this.pendingError = undefined;
      throw error;
    }
  }

  private notify(): void {
    this.waiters.wakeAll();
  }

  /** Waits for records, an error, close, a timeout or an abort. Never rejects. */
  private wait(timeoutMs: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    if (this.isClosed || this.buffer.hasDeliverable || this.pendingError !== undefined) return Promise.resolve();
    return this.waiters.wait(timeoutMs, signal);
  }

  private checkOpen(call: string): void {
    if (this.isClosed) throw new ClientClosedError(`${call}() was called on a closed share consumer`);
  }
}
