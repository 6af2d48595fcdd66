import { diagnosticChannels } from '../../diagnostics/channels.js';
import type {
  CommitPayload,
  ConsumerFetchPayload,
  TracedAcknowledgement,
  TracedFetchPosition,
} from '../../diagnostics/payloads.js';
import { createBrokerError } from '../../errors/broker-error-factory.js';
import { UnsupportedVersionError } from '../../errors/client-errors.js';
import { isStaleMetadata } from '../../errors/error-classification.js';
import { ErrorCodes } from '../../errors/error-codes.generated.js';
import { isKafkaError, type KafkaError } from '../../errors/kafka-error.js';
import {
  ShareAcknowledge,
  type ShareAcknowledgeRequest,
  type ShareAcknowledgeResponse,
} from '../../protocol/messages/generated/share-acknowledge.js';
import {
  ShareFetch,
  type ShareFetchRequest,
  type ShareFetchResponse,
  type ShareFetchResponsePartitionData,
} from '../../protocol/messages/generated/share-fetch.js';
import type { Logger } from '../../utils/logger.js';
import type { BrokerAccess, BrokerChannel } from '../cluster-view.js';
import { PassScheduler } from '../pass-scheduler.js';
import { AcknowledgeTypeCode } from './acknowledge-type.js';
import { type AcknowledgementBatch, PartitionAcknowledgements } from './acknowledgement-batches.js';
import type { ShareAssignment } from './share-assignment.js';
import { ShareGroupsUnavailableError } from './share-errors.js';
import type { ShareFetchBuffer } from './share-fetch-buffer.js';
import { FINAL_SHARE_EPOCH, type SharePartitionRef, ShareSession } from './share-session.js';

/** The connection lane of share fetches and acknowledgements: long polls never delay other traffic. */
export const SHARE_LANE = 'share';

/** Longest ShareFetch long poll while acknowledgements are expected (see `longPollMs`). */
const SETTLING_WAIT_MS = 50;

/** ShareAcknowledge v2 carries RENEW acknowledgements (KIP-1222). */
const RENEW_MIN_VERSION = 2;

/** The outcome of the acknowledgements of one partition, as one request carried them. */
export interface AcknowledgementResult {
  /** The partition's topic. */
  readonly topic: string;
  /** The partition number. */
  readonly partition: number;
  /** The offsets acknowledged (gaps left out), in the order they were acknowledged. */
  readonly offsets: readonly bigint[];
  /** Why the broker did not apply them, or `undefined` when it did. */
  readonly error: KafkaError | undefined;
}

/** Settings of the share fetcher. */
export interface ShareFetcherOptions {
  readonly groupId: string;
  /** `client.id` of the share consumer, for the `vltava:consumer:fetch` payloads. */
  readonly clientId?: string;
  readonly fetchMinBytes: number;
  readonly fetchMaxWaitMs: number;
  readonly fetchMaxBytes: number;
  readonly maxPollRecords: number;
  /** 0 batch-optimized, 1 record-limit (ShareFetch v2). */
  readonly shareAcquireMode: number;
  readonly requestTimeoutMs: number;
}

/** What the share fetcher needs from the share consumer. */
export interface ShareFetcherHost {
  readonly cluster: BrokerAccess;
  readonly logger: Logger;
  /** The member id (the share session is keyed by group and member). */
  readonly memberId: string;
  /** The partitions assigned to the member now; its changes start passes. */
  readonly assignment: Pick<ShareAssignment, 'refs' | 'changed'>;
  /** The prefetch buffer: what it may still take; its room starts passes. */
  readonly buffer: Pick<ShareFetchBuffer, 'roomBytes' | 'room'>;
  /** Whether to fetch ahead now (a reader is active and the prefetch buffer has room). */
  wantsRecords(): boolean;
  /** True while the application holds records it has not settled: acknowledgements will come soon. */
  settlementsExpected(): boolean;
  /** A partition of a ShareFetch response with records or acquired offsets. */
  received(node: number, partition: SharePartitionRef, data: ShareFetchResponsePartitionData): void;
  /** The acknowledgements of one request were answered (for the acknowledgement commit callback). */
  acknowledged(results: readonly AcknowledgementResult[]): void;
  /** An error the application must see. */
  raise(error: KafkaError): void;
}

/** Counters of the share fetcher. */
export interface ShareFetchMetrics {
  shareFetchRequests: number;
  shareAcknowledgeRequests: number;
  fetchErrors: number;
  fetchLatencyTotalMs: number;
  fetchLatencyMaxMs: number;
  bytesFetched: number;
  recordsAcquired: number;
  acknowledgementsSent: number;
  acknowledgementsFailed: number;
  /** The acquisition lock duration the broker last reported, or -1. */
  acquisitionLockTimeoutMs: number;
}

/** Acknowledgements of one partition waiting to be sent. */
interface PendingPartition {
  readonly ref: SharePartitionRef;
  readonly acks: PartitionAcknowledgements;
  /** Offsets to report in results (gaps left out). */
  readonly reported: bigint[];
}

/** Acknowledgements one request carries. */
interface Carried {
  readonly partitions: Map<string, PendingPartition>;
  readonly waiters: Array<(results: readonly AcknowledgementResult[]) => void>;
}

/** One broker: its share session and its queue of acknowledgements. At most one request in flight. */
class Lane {
  readonly node: number;
  readonly session = new ShareSession();
  busy: Promise<void> | undefined;
  pending = new Map<string, PendingPartition>();
  waiters: Array<(results: readonly AcknowledgementResult[]) => void> = [];
  renew = false;
  backoffUntil = 0;
  failures = 0;

  constructor(node: number) {
    this.node = node;
  }

  take(): Carried {
    const carried = { partitions: this.pending, waiters: this.waiters };
    this.pending = new Map();
    this.waiters = [];
    this.renew = false;
    return carried;
  }
}

/**
 * The share fetch pipeline (KIP-932): one share session per partition leader, at most one request in flight per
 * broker, on a connection lane of its own.
 *
 * - **Fetching.** While the consumer wants records, each leader of assigned partitions gets a ShareFetch; when it
 *   answers, the next goes out at once, so records are on their way while the application works. The session
 *   names only the partitions added or dropped since the last request; the broker fetches the rest as it knows
 *   them. A response's acquired records go to the consumer's buffer.
 * - **Acknowledging.** Acknowledgements are queued per broker (the one the records were acquired from) and ride
 *   on the next ShareFetch to it. They go in a ShareAcknowledge of their own instead when someone waits for them
 *   (`commitSync`, `commitAsync`), when fetching is paused, when they name a partition the fetch does not, and for
 *   lock renewals. Each request's per-partition outcome is reported.
 * - **Errors.** Stale leadership refreshes metadata (and uses the leader hint at once); a lost session starts a
 *   new one, and the acknowledgements it carried fail (the broker released those records); a broker without
 *   share groups raises {@link ShareGroupsUnavailableError}; other errors back off and retry.
 */
export class ShareFetcher {
  private readonly host: ShareFetcherHost;
  private readonly options: ShareFetcherOptions;
  private readonly lanes = new Map<number, Lane>();
  private enabled = true;
  private closed = false;
  private readonly scheduler = new PassScheduler(() => this.pass());
  /** Counters. */
  readonly metrics: ShareFetchMetrics = {
    shareFetchRequests: 0,
    shareAcknowledgeRequests: 0,
    fetchErrors: 0,
    fetchLatencyTotalMs: 0,
    fetchLatencyMaxMs: 0,
    bytesFetched: 0,
    recordsAcquired: 0,
    acknowledgementsSent: 0,
    acknowledgementsFailed: 0,
    acquisitionLockTimeoutMs: -1,
  };

  constructor(host: ShareFetcherHost, options: ShareFetcherOptions) {
    this.host = host;
    this.options = options;
    const wake = () => this.wake();
    host.assignment.changed.on(wake);
    host.buffer.room.on(wake);
    host.cluster.onMetadata(wake);
  }

  /** Queues the acknowledgement of an offset acquired from `node`. */
  acknowledge(node: number, ref: SharePartitionRef, offset: bigint, type: AcknowledgeTypeCode): void {
    const lane = this.lane(node);
    let pending = lane.pending.get(ref.key);
    if (pending === undefined) {
      pending = { ref, acks: new PartitionAcknowledgements(), reported: [] };
      lane.pending.set(ref.key, pending);
    }
    pending.acks.add(offset, type);
    if (type !== AcknowledgeTypeCode.gap) pending.reported.push(offset);
    if (type === AcknowledgeTypeCode.renew) lane.renew = true;
    this.wake();
  }

  /** True when acknowledgements are waiting to be sent. */
  get hasPending(): boolean {
    for (const lane of this.lanes.values()) if (lane.pending.size > 0) return true;
    return false;
  }

  /**
   * Sends every queued acknowledgement now and resolves with the outcome of each partition once the brokers
   * answered (an empty list when nothing was queued). Never rejects: failures are per partition.
   */
  flush(): Promise<AcknowledgementResult[]> {
    const waits: Array<Promise<readonly AcknowledgementResult[]>> = [];
    for (const lane of this.lanes.values()) {
      if (lane.pending.size === 0) continue;
      waits.push(new Promise((resolve) => lane.waiters.push(resolve)));
    }
    this.wake();
    return Promise.all(waits).then((all) => all.flat());
  }

  /** Starts or stops fetching (acknowledgements still go out). */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (enabled) this.wake();
  }

  /** Resolves when no request is in flight (after `setEnabled(false)`, to close cleanly). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.lanes.values()].map((lane) => lane.busy).filter((b) => b !== undefined);
      if (busy.length === 0) return;
      await Promise.all(busy);
    }
  }

  /**
   * Closes every share session (ShareAcknowledge with the final epoch), carrying the queued acknowledgements:
   * whatever the member still holds there is released by the broker. Call after `setEnabled(false)` and
   * {@link idle}. Resolves with the outcome of the acknowledgements; never rejects.
   */
  async closeSessions(): Promise<AcknowledgementResult[]> {
    this.closed = true;
    this.scheduler.close();
    const results: AcknowledgementResult[] = [];
    await Promise.all(
      [...this.lanes.values()].map(async (lane) => {
        const carried = lane.take();
        if (lane.session.isNew) {
          results.push(...this.fail(carried, this.sessionLostError(lane.node)));
          return;
        }
        results.push(...(await this.sendAcknowledge(lane, carried, FINAL_SHARE_EPOCH)));
      }),
    );
    return results;
  }

  /** Stops for good without closing sessions (the broker frees them when the connection closes). */
  close(): void {
    this.closed = true;
    this.scheduler.close();
  }

  /** Schedules a pass over the brokers (coalesced). */
  wake(): void {
    if (!this.closed) this.scheduler.schedule();
  }

  private lane(node: number): Lane {
    let lane = this.lanes.get(node);
    if (lane === undefined) {
      lane = new Lane(node);
      this.lanes.set(node, lane);
    }
    return lane;
  }

  private pass(): void {
    if (this.closed) return;
    const fetching = this.enabled && this.host.wantsRecords();
    const byNode = new Map<number, Map<string, SharePartitionRef>>();
    let needMetadata = false;
    if (fetching) {
      for (const ref of this.host.assignment.refs()) {
        const leader = this.host.cluster.partition(ref.topic, ref.partition)?.leader;
        if (leader === undefined || leader < 0) {
          needMetadata = true;
          continue;
        }
        let set = byNode.get(leader);
        if (set === undefined) {
          set = new Map();
          byNode.set(leader, set);
        }
        set.set(ref.key, ref);
      }
      for (const node of byNode.keys()) this.lane(node);
    }
    const now = Date.now();
    let earliest = Number.POSITIVE_INFINITY;
    for (const lane of this.lanes.values()) {
      if (lane.busy !== undefined) continue;
      if (lane.backoffUntil > now) {
        earliest = Math.min(earliest, lane.backoffUntil);
        continue;
      }
      const fetchSet = byNode.get(lane.node) ?? new Map<string, SharePartitionRef>();
      this.step(lane, fetching, fetchSet);
    }
    if (needMetadata) this.refreshMetadata();
    if (Number.isFinite(earliest)) this.scheduler.scheduleAt(earliest);
  }

  private step(lane: Lane, fetching: boolean, fetchSet: Map<string, SharePartitionRef>): void {
    const hasAcks = lane.pending.size > 0;
    if (hasAcks && lane.session.isNew) {
      // Records acquired through a session that is gone were released by the broker: their acknowledgements fail.
      const carried = lane.take();
      const results = this.fail(carried, this.sessionLostError(lane.node));
      this.report(carried, results);
    } else if (hasAcks) {
      let alone = lane.waiters.length > 0 || lane.renew || !fetching || fetchSet.size === 0;
      if (!alone) for (const key of lane.pending.keys()) if (!fetchSet.has(key)) alone = true;
      if (alone) {
        this.run(lane, async () => {
          const carried = lane.take();
          this.report(carried, await this.sendAcknowledge(lane, carried, lane.session.buildAcknowledge()));
        });
        return;
      }
    }
    if (fetching && (fetchSet.size > 0 || lane.session.size > 0)) {
      this.run(lane, () => this.fetch(lane, fetchSet));
    }
  }

  /** Runs one request on a lane, then looks for the next. */
  private run(lane: Lane, request: () => Promise<void>): void {
    const busy = request()
      .catch((error: unknown) => {
        // Requests handle their own errors; anything else is a bug worth seeing.
        this.host.logger.warn('share fetcher request failed unexpectedly', { error: String(error) });
      })
      .finally(() => {
        lane.busy = undefined;
        this.wake();
      });
    lane.busy = busy;
  }

  private async connection(lane: Lane): Promise<BrokerChannel> {
    return this.host.cluster.connection(lane.node, SHARE_LANE);
  }

  private async fetch(lane: Lane, fetchSet: Map<string, SharePartitionRef>): Promise<void> {
    const session = lane.session;
    const built = session.buildFetch(fetchSet);
    const carried = session.isNew ? { partitions: new Map(), waiters: [] } : lane.take();
    const topics = new Map<string, { topicId: string; partitions: Map<number, AcknowledgementBatch[]> }>();
    const add = (ref: SharePartitionRef, batches: AcknowledgementBatch[]) => {
      let topic = topics.get(ref.topicId);
      if (topic === undefined) {
        topic = { topicId: ref.topicId, partitions: new Map() };
        topics.set(ref.topicId, topic);
      }
      topic.partitions.set(ref.partition, batches);
    };
    for (const ref of built.added) add(ref, []);
    for (const pending of carried.partitions.values()) add(pending.ref, pending.acks.toBatches());
    const forgotten = new Map<string, number[]>();
    for (const ref of built.forgotten) {
      const list = forgotten.get(ref.topicId) ?? [];
      list.push(ref.partition);
      forgotten.set(ref.topicId, list);
    }
    const room = this.host.buffer.roomBytes();
    const request: ShareFetchRequest = {
      groupId: this.options.groupId,
      memberId: this.host.memberId,
      shareSessionEpoch: built.epoch,
      maxWaitMs: fetchSet.size === 0 ? 0 : this.longPollMs(),
      minBytes: this.options.fetchMinBytes,
      maxBytes: Math.max(1, Math.min(this.options.fetchMaxBytes, room)),
      maxRecords: this.options.maxPollRecords,
      batchSize: this.options.maxPollRecords,
      shareAcquireMode: this.options.shareAcquireMode,
      topics: [...topics.values()].map((t) => ({
        topicId: t.topicId,
        partitions: [...t.partitions].map(([partitionIndex, acknowledgementBatches]) => ({
          partitionIndex,
          acknowledgementBatches,
        })),
      })),
      forgottenTopicsData: [...forgotten].map(([topicId, partitions]) => ({ topicId, partitions })),
    };
    const trace = diagnosticChannels.consumerFetch.hasSubscribers
      ? this.beginTrace(lane.node, fetchSet, carried)
      : undefined;
    const recordsBefore = this.metrics.recordsAcquired;
    const bytesBefore = this.metrics.bytesFetched;
    const startedAt = Date.now();
    let response: ShareFetchResponse;
    try {
      const connection = await this.connection(lane);
      const version = this.negotiate(connection, ShareFetch);
      this.metrics.shareFetchRequests++;
      response = await connection.send(ShareFetch, request, {
        version,
        timeoutMs: this.options.requestTimeoutMs + request.maxWaitMs,
      });
    } catch (error) {
      if (trace !== undefined) diagnosticChannels.consumerFetch.settle(trace, error);
      this.requestFailed(lane, error, 'ShareFetch');
      this.report(carried, this.fail(carried, asKafkaError(error)));
      return;
    }
    const latency = Date.now() - startedAt;
    this.metrics.fetchLatencyTotalMs += latency;
    if (latency > this.metrics.fetchLatencyMaxMs) this.metrics.fetchLatencyMaxMs = latency;
    if (response.acquisitionLockTimeoutMs > 0)
      this.metrics.acquisitionLockTimeoutMs = response.acquisitionLockTimeoutMs;
    if (!session.onResponse(response.errorCode)) {
      const error = this.topLevelError(lane, response, 'ShareFetch');
      if (trace !== undefined) diagnosticChannels.consumerFetch.settle(trace, error);
      this.report(carried, this.fail(carried, error));
      return;
    }
    lane.failures = 0;
    const ackCodes = new Map<string, number>();
    const names = this.host.cluster.metadata.topicNamesById;
    const endpoints = response.nodeEndpoints;
    for (const topic of response.responses) {
      const name = refTopic(fetchSet, carried, topic.topicId) ?? names.get(topic.topicId);
      if (name === undefined) continue;
      for (const data of topic.partitions) {
        const key = `${name}:${data.partitionIndex}`;
        ackCodes.set(key, data.acknowledgeErrorCode);
        const ref: SharePartitionRef = fetchSet.get(key) ??
          carried.partitions.get(key)?.ref ?? {
            key,
            topic: name,
            topicId: topic.topicId,
            partition: data.partitionIndex,
          };
        if (data.errorCode !== ErrorCodes.NONE) {
          this.partitionError(lane, ref, data.errorCode, data.errorMessage, data.currentLeader, endpoints);
          continue;
        }
        if (data.acquiredRecords.length > 0 || (data.records !== null && data.records.length > 0)) {
          if (data.records !== null) this.metrics.bytesFetched += data.records.length;
          for (const range of data.acquiredRecords) {
            this.metrics.recordsAcquired += Number(range.lastOffset - range.firstOffset) + 1;
          }
          this.host.received(lane.node, ref, data);
        }
      }
    }
    if (trace !== undefined) {
      diagnosticChannels.consumerFetch.settle(trace, undefined, {
        records: this.metrics.recordsAcquired - recordsBefore,
        bytes: this.metrics.bytesFetched - bytesBefore,
      });
    }
    this.report(carried, this.outcomes(carried, ackCodes, 'ShareFetch', lane.node));
  }

  /**
   * Opens the `vltava:consumer:fetch` trace of a ShareFetch to `node` (only with a subscriber): the partitions
   * fetched (offset `-1n`: the broker picks what to acquire) and the acknowledgements it carries.
   */
  private beginTrace(node: number, fetchSet: Map<string, SharePartitionRef>, carried: Carried): ConsumerFetchPayload {
    const partitions: TracedFetchPosition[] = [];
    for (const ref of fetchSet.values()) partitions.push({ topic: ref.topic, partition: ref.partition, offset: -1n });
    const acknowledgements = this.tracedAcknowledgements(carried);
    const payload: ConsumerFetchPayload = {
      clientId: this.options.clientId ?? '',
      groupId: this.options.groupId,
      groupKind: 'share',
      nodeId: node,
      partitions,
      acknowledgements,
    };
    diagnosticChannels.consumerFetch.begin(payload);
    return payload;
  }

  /** The acknowledgements a request carries, per partition, as the tracing channels show them. */
  private tracedAcknowledgements(carried: Carried): TracedAcknowledgement[] {
    const acknowledgements: TracedAcknowledgement[] = [];
    for (const pending of carried.partitions.values()) {
      acknowledgements.push({
        topic: pending.ref.topic,
        partition: pending.ref.partition,
        records: pending.reported.length,
      });
    }
    return acknowledgements;
  }

  /**
   * How long the broker may hold a ShareFetch: `fetchMaxWaitMs`, or at most {@link SETTLING_WAIT_MS} while the
   * application holds unsettled records, since their acknowledgements (a release above all, which lets another
   * attempt start) cannot go out on the session until the fetch in flight returns.
   */
  private longPollMs(): number {
    const max = this.options.fetchMaxWaitMs;
    return this.host.settlementsExpected() ? Math.min(max, SETTLING_WAIT_MS) : max;
  }

  /**
   * Sends the acknowledgements `carried` in a ShareAcknowledge (or closes the session with the final epoch), traced
   * on `vltava:commit` (kind `share`) when they are any and somebody subscribes. Never rejects: failures are the
   * results' errors; the trace settles with the first of them.
   */
  private async sendAcknowledge(lane: Lane, carried: Carried, epoch: number): Promise<AcknowledgementResult[]> {
    if (carried.partitions.size === 0 || !diagnosticChannels.commit.hasSubscribers) {
      return this.exchangeAcknowledge(lane, carried, epoch);
    }
    const trace: CommitPayload = {
      clientId: this.options.clientId ?? '',
      groupId: this.options.groupId,
      kind: 'share',
      offsets: [],
      acknowledgements: this.tracedAcknowledgements(carried),
    };
    diagnosticChannels.commit.begin(trace);
    const results = await this.exchangeAcknowledge(lane, carried, epoch);
    diagnosticChannels.commit.settle(trace, results.find((result) => result.error !== undefined)?.error);
    return results;
  }

  private async exchangeAcknowledge(lane: Lane, carried: Carried, epoch: number): Promise<AcknowledgementResult[]> {
    if (carried.partitions.size === 0 && epoch !== FINAL_SHARE_EPOCH) return [];
    let renew = false;
    const topics = new Map<
      string,
      { topicId: string; partitions: Array<{ partitionIndex: number; acknowledgementBatches: AcknowledgementBatch[] }> }
    >();
    for (const pending of carried.partitions.values()) {
      const batches = pending.acks.toBatches();
      if (batches.some((b) => b.acknowledgeTypes[0] === AcknowledgeTypeCode.renew)) renew = true;
      let topic = topics.get(pending.ref.topicId);
      if (topic === undefined) {
        topic = { topicId: pending.ref.topicId, partitions: [] };
        topics.set(pending.ref.topicId, topic);
      }
      topic.partitions.push({ partitionIndex: pending.ref.partition, acknowledgementBatches: batches });
    }
    const request: ShareAcknowledgeRequest = {
      groupId: this.options.groupId,
      memberId: this.host.memberId,
      shareSessionEpoch: epoch,
      ...(renew ? { isRenewAck: true } : {}),
      topics: [...topics.values()],
    };
    let response: ShareAcknowledgeResponse;
    try {
      const connection = await this.connection(lane);
      const version = this.negotiate(connection, ShareAcknowledge);
      if (renew && version < RENEW_MIN_VERSION) {
        throw new UnsupportedVersionError(
          `Renewing acquisition locks needs ShareAcknowledge v${RENEW_MIN_VERSION} (Apache Kafka 4.2+), but broker ` +
            `${connection.label} speaks up to v${version}. Upgrade the broker, or do not acknowledge with 'renew'.`,
          { broker: connection.label, api: 'ShareAcknowledge' },
        );
      }
      this.metrics.shareAcknowledgeRequests++;
      response = await connection.send(ShareAcknowledge, request, {
        version,
        timeoutMs: this.options.requestTimeoutMs,
      });
    } catch (error) {
      if (epoch !== FINAL_SHARE_EPOCH) this.requestFailed(lane, error, 'ShareAcknowledge');
      return this.fail(carried, asKafkaError(error));
    }
    if (epoch === FINAL_SHARE_EPOCH) lane.session.reset();
    else if (!lane.session.onResponse(response.errorCode)) {
      const error = this.topLevelError(lane, response, 'ShareAcknowledge');
      return this.fail(carried, error);
    }
    if (epoch === FINAL_SHARE_EPOCH && response.errorCode !== ErrorCodes.NONE) {
      return this.fail(
        carried,
        createBrokerError(response.errorCode, { api: 'ShareAcknowledge', broker: String(lane.node) }),
      );
    }
    if (response.acquisitionLockTimeoutMs > 0)
      this.metrics.acquisitionLockTimeoutMs = response.acquisitionLockTimeoutMs;
    const codes = new Map<string, number>();
    const names = this.host.cluster.metadata.topicNamesById;
    for (const topic of response.responses) {
      const name = refTopic(new Map(), carried, topic.topicId) ?? names.get(topic.topicId);
      if (name === undefined) continue;
      for (const p of topic.partitions) codes.set(`${name}:${p.partitionIndex}`, p.errorCode);
    }
    return this.outcomes(carried, codes, 'ShareAcknowledge', lane.node);
  }

  /** Resolves waiters and tells the host. */
  private report(carried: Carried, results: AcknowledgementResult[]): void {
    for (const waiter of carried.waiters) waiter(results);
    if (results.length > 0) this.host.acknowledged(results);
  }

  private outcomes(carried: Carried, codes: Map<string, number>, api: string, node: number): AcknowledgementResult[] {
    const results: AcknowledgementResult[] = [];
    for (const [key, pending] of carried.partitions) {
      const code = codes.get(key) ?? ErrorCodes.NONE;
      const error =
        code === ErrorCodes.NONE
          ? undefined
          : createBrokerError(code, {
              api,
              broker: String(node),
              topic: pending.ref.topic,
              partition: pending.ref.partition,
              groupId: this.options.groupId,
            });
      this.metrics.acknowledgementsSent += pending.acks.size;
      if (error !== undefined) this.metrics.acknowledgementsFailed += pending.acks.size;
      if (pending.reported.length === 0) continue;
      results.push({ topic: pending.ref.topic, partition: pending.ref.partition, offsets: pending.reported, error });
    }
    return results;
  }

  private fail(carried: Carried, error: KafkaError): AcknowledgementResult[] {
    const results: AcknowledgementResult[] = [];
    for (const pending of carried.partitions.values()) {
      this.metrics.acknowledgementsFailed += pending.acks.size;
      if (pending.reported.length === 0) continue;
      results.push({ topic: pending.ref.topic, partition: pending.ref.partition, offsets: pending.reported, error });
    }
    return results;
  }

  private negotiate(connection: BrokerChannel, api: typeof ShareFetch | typeof ShareAcknowledge): number {
    try {
      return connection.versionFor(api);
    } catch (error) {
      throw new ShareGroupsUnavailableError(
        `Broker ${connection.label} does not serve share groups (no usable ${api.name} API): they need Apache Kafka ` +
          '4.1 or newer with the share.version feature enabled (kafka-features upgrade --feature share.version=1)',
        { cause: error, broker: connection.label, api: api.name },
      );
    }
  }

  private sessionLostError(node: number): KafkaError {
    return createBrokerError(ErrorCodes.SHARE_SESSION_NOT_FOUND, {
      api: 'ShareAcknowledge',
      broker: String(node),
      groupId: this.options.groupId,
      serverMessage:
        'The share session these records were acquired in is gone; the broker released them for another delivery',
    });
  }

  private requestFailed(lane: Lane, error: unknown, api: string): void {
    lane.session.onFailure();
    this.metrics.fetchErrors++;
    if (error instanceof ShareGroupsUnavailableError) {
      this.host.raise(error);
      lane.backoffUntil = Date.now() + this.host.cluster.retryDelay(10);
      return;
    }
    lane.backoffUntil = Date.now() + this.host.cluster.retryDelay(lane.failures++);
    this.host.logger.debug(`${api} failed`, { broker: lane.node, error: isKafkaError(error) ? error : String(error) });
    this.refreshMetadata();
  }

  /**
   * A response's request-level error code: makes its typed error, counts it, raises it to the application when no
   * retry can help (else logs it), backs the lane off, and returns the error.
   */
  private topLevelError(
    lane: Lane,
    response: { readonly errorCode: number; readonly errorMessage: string | null },
    api: 'ShareFetch' | 'ShareAcknowledge',
  ): KafkaError {
    const error = createBrokerError(response.errorCode, {
      api,
      broker: String(lane.node),
      groupId: this.options.groupId,
      serverMessage: response.errorMessage,
    });
    this.metrics.fetchErrors++;
    const code = error.kafkaErrorCode;
    if (
      code === ErrorCodes.GROUP_AUTHORIZATION_FAILED ||
      code === ErrorCodes.TOPIC_AUTHORIZATION_FAILED ||
      code === ErrorCodes.INVALID_REQUEST ||
      code === ErrorCodes.UNSUPPORTED_VERSION
    ) {
      this.host.raise(error);
    } else {
      this.host.logger.debug('share request returned an error', { broker: lane.node, error });
    }
    lane.backoffUntil = Date.now() + this.host.cluster.retryDelay(lane.failures++);
    return error;
  }

  private partitionError(
    lane: Lane,
    ref: SharePartitionRef,
    code: number,
    message: string | null,
    leader: { leaderId: number; leaderEpoch: number },
    endpoints: ShareFetchResponse['nodeEndpoints'],
  ): void {
    this.metrics.fetchErrors++;
    if (isStaleMetadata(code)) {
      if (leader.leaderId >= 0 && leader.leaderEpoch >= 0) {
        const endpoint = endpoints.find((e) => e.nodeId === leader.leaderId);
        this.host.cluster.updateLeader(ref.topic, ref.partition, leader.leaderId, leader.leaderEpoch, endpoint);
      }
      this.refreshMetadata();
      return;
    }
    const error = createBrokerError(code, {
      api: 'ShareFetch',
      broker: String(lane.node),
      topic: ref.topic,
      partition: ref.partition,
      groupId: this.options.groupId,
      serverMessage: message,
    });
    if (code === ErrorCodes.TOPIC_AUTHORIZATION_FAILED || code === ErrorCodes.GROUP_AUTHORIZATION_FAILED) {
      this.host.raise(error);
    } else {
      this.host.logger.debug('share fetch partition error', { error });
    }
    lane.backoffUntil = Date.now() + this.host.cluster.retryDelay(0);
  }

  private refreshMetadata(): void {
    this.scheduler.refreshMetadata(this.host.cluster, () => this.host.cluster.retryDelay(0), this.host.logger);
  }
}

function refTopic(fetchSet: Map<string, SharePartitionRef>, carried: Carried, topicId: string): string | undefined {
  for (const ref of fetchSet.values()) if (ref.topicId === topicId) return ref.topic;
  for (const pending of carried.partitions.values()) if (pending.ref.topicId === topicId) return pending.ref.topic;
  return undefined;
}

function asKafkaError(error: unknown): KafkaError {
  if (isKafkaError(error)) return error;
  return createBrokerError(ErrorCodes.UNKNOWN_SERVER_ERROR, { serverMessage: String(error) });
}
