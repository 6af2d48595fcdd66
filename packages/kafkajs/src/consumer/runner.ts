import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ConsumerRebalanceListener,
  type CoreConsumer,
  type CoreConsumerRecords,
  type CoreTopicPartition,
  metricPoints,
} from '../core.js';
import { isKafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from '../errors/errors.js';
import { toKafkaJSError } from '../errors/from-core.js';
import type { InstrumentationEmitter } from '../instrumentation/emitter.js';
import { CONSUMER_EVENTS, type ConsumerEvents } from '../instrumentation/event-names.js';
import type { Logger } from '../logger/logger.js';
import { isRetriable, nextRetryTime, type ResolvedRetry, randomized } from '../retry/retry.js';
import { Batch } from './batch.js';
import type { ConsumerRunConfig, OffsetsByTopicPartition } from './consumer-types.js';
import { type KafkaMessage, toKafkaMessage } from './kafka-message.js';
import { OffsetTracker, type PartitionOffset } from './offset-tracker.js';
import { partitionsByTopic } from './partitions-by-topic.js';
import type { PauseState } from './pause-state.js';

type Engine = CoreConsumer<Buffer | null, Buffer | null>;
type PartitionRecords = CoreConsumerRecords<Buffer | null, Buffer | null>['partitions'][number];

/** A seek waiting to be applied: an offset, or -2 (earliest) / -1 (latest). */
interface Seek {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** What a run loop needs from its consumer. */
export interface RunnerHost {
  readonly groupId: string;
  readonly logger: Logger;
  readonly emitter: InstrumentationEmitter<ConsumerEvents>;
  readonly retry: ResolvedRetry;
  readonly heartbeatInterval: number;
  /** Name reported as `groupProtocol` in GROUP_JOIN events. */
  readonly protocolName: string;
  /** Subscribed topics and whether each starts from the beginning. */
  readonly topics: ReadonlyMap<string, { readonly fromBeginning: boolean }>;
  /** The reset the engine applies to partitions without a committed offset. */
  readonly engineReset: 'earliest' | 'latest';
  /** Partitions the application paused (kept across runs and rebalances). */
  readonly pauses: PauseState;
  /** Messages handed out per fetch cycle. */
  readonly maxBatchSize: number;
}

/** Marks code running inside `eachMessage`/`eachBatch`, so that `stop()` called from there does not wait for it. */
const inHandler = new AsyncLocalStorage<Runner>();

/**
 * One `consumer.run()`: the loop that takes fetched records from the engine's consumer and calls `eachMessage` or
 * `eachBatch` with KafkaJS's semantics.
 *
 * - The engine hands out up to `maxBatchSize` records per cycle, grouped by partition; each partition's records
 *   are a `Batch`; up to `partitionsConsumedConcurrently` partitions are processed at once, each in offset order.
 * - Offsets are resolved as in KafkaJS (a message when `eachMessage` returns, `resolveOffset`, the whole batch when
 *   `eachBatch` returns with `eachBatchAutoResolve`) and acknowledged to the engine, which commits them on
 *   revocation and on close; the loop commits them after each cycle and when `autoCommitInterval` or
 *   `autoCommitThreshold` is due (with `autoCommit`).
 * - A partition whose messages were not all resolved (a failure, a pause from inside the handler, a stop, a batch
 *   left unresolved) is sought back to its resolved offset, so its other messages come again, as KafkaJS refetches
 *   from the resolved offset. A seek during a batch makes it stale and is applied when the batch returns.
 * - A failing handler is retried with the consumer's `retry` backoff (its resolved offsets committed first); once
 *   `retry.retries` is used up the loop ends with `KafkaJSNumberOfRetriesExceeded`, and the consumer crashes.
 */
export class Runner {
  private running = false;
  private readonly abort = new AbortController();
  private readonly tracker = new OffsetTracker();
  private readonly assigned = new Set<string>();
  private readonly inCycle = new Set<string>();
  private readonly seeks = new Map<string, Seek>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private rebalanceStartedAt = Date.now();
  private stopping: Promise<void> | undefined;
  /** The background commit after a cycle, while in flight; `commitAgain` asks for one more after it. */
  private commitInFlight: Promise<void> | undefined;
  private commitAgain = false;
  private resolveJoined!: () => void;
  /** Resolves once the member joined its group and holds its first assignment. */
  readonly joined: Promise<void>;
  /** Resolves when the loop ended: with the error that ends the run (a crash), or undefined after `stop()`. */
  done: Promise<Error | undefined> = Promise.resolve(undefined);

  constructor(
    private readonly host: RunnerHost,
    private readonly engine: Engine,
    private readonly config: ConsumerRunConfig,
  ) {
    this.joined = new Promise((resolve) => {
      this.resolveJoined = resolve;
    });
  }

  /** True while the loop runs (not stopping, not crashed). */
  get isRunning(): boolean {
    return this.running;
  }

  /** Subscribes the engine and starts the loop. */
  start(): void {
    this.running = true;
    this.engine.subscribe([...this.host.topics.keys()], this.listener());
    this.done = this.loop().finally(() => {
      this.running = false;
    });
    this.heartbeatTimer = setInterval(() => this.heartbeatEvent(), this.host.heartbeatInterval);
    this.heartbeatTimer.unref();
  }

  /** Resolves when the positions of the assigned partitions are known (bounded), so that nothing produced after
   * `run()` resolves is missed by a consumer starting at the latest offset. */
  async positionsKnown(timeoutMs: number): Promise<void> {
    const partitions = this.engine.assignment();
    await Promise.all(partitions.map((tp) => this.engine.position(tp, { timeoutMs }).catch(() => undefined)));
  }

  /**
   * Stops the loop after the batch in hand, commits the resolved offsets (with `autoCommit`) and closes the engine
   * (leaving the group). Called from inside a handler, it does not wait for that handler (which would never end).
   */
  stop(): Promise<void> {
    if (this.stopping === undefined) {
      this.running = false;
      this.abort.abort();
      clearInterval(this.heartbeatTimer);
      this.stopping = (async () => {
        await this.done;
        await this.commitsDone();
        if (this.config.autoCommit !== false) await this.commitResolved(false);
        await this.engine.close().catch((error: unknown) => {
          this.host.logger.warn('closing the consumer failed', { error: (error as Error)?.message });
        });
      })();
    }
    if (inHandler.getStore() === this) return Promise.resolve();
    return this.stopping;
  }

  /** Moves a partition (see the class description); -2 is the earliest offset, -1 the latest. */
  seek(topic: string, partition: number, offset: bigint): void {
    const seek = { topic, partition, offset };
    const key = `${topic}:${partition}`;
    if (this.inCycle.has(key) || !this.assigned.has(key)) {
      this.seeks.set(key, seek);
      return;
    }
    this.applySeek(seek);
  }

  /** Commits offsets given by the application (`consumer.commitOffsets`, `commitOffsetsIfNecessary(offsets)`). */
  async commitOffsets(offsets: readonly (PartitionOffset & { metadata?: string | null })[]): Promise<void> {
    if (offsets.length === 0) return;
    try {
      await this.engine.commit(offsets.map((o) => ({ ...o })));
    } catch (error) {
      throw toKafkaJSError(error);
    }
    this.tracker.committed(offsets);
    this.commitEvent(offsets);
  }

  /** The engine's consumer of this run. */
  get consumer(): Engine {
    return this.engine;
  }

  // ---------------------------------------------------------------------------------------------------------------

  private listener(): ConsumerRebalanceListener {
    return {
      onPartitionsRevoked: (partitions) => this.revoked(partitions),
      onPartitionsLost: (partitions) => this.revoked(partitions),
      onPartitionsAssigned: (partitions) => this.assignedPartitions(partitions),
    };
  }

  private revoked(partitions: CoreTopicPartition[]): void {
    this.rebalanceStartedAt = Date.now();
    const { memberId } = this.groupMetadata();
    this.host.emitter.emit(CONSUMER_EVENTS.REBALANCING, { groupId: this.host.groupId, memberId });
    for (const tp of partitions) this.assigned.delete(`${tp.topic}:${tp.partition}`);
    this.tracker.forget(partitions);
  }

  private async assignedPartitions(partitions: CoreTopicPartition[]): Promise<void> {
    for (const tp of partitions) this.assigned.add(`${tp.topic}:${tp.partition}`);
    // KafkaJS starts counting autoCommitInterval when a generation begins.
    this.tracker.lastCommit = Date.now();
    const toPause = partitions.filter((tp) => this.host.pauses.isPaused(tp.topic, tp.partition));
    if (toPause.length > 0) this.engine.pause(toPause);
    await this.startWhereSubscribed(partitions);
    for (const tp of partitions) {
      const key = `${tp.topic}:${tp.partition}`;
      const seek = this.seeks.get(key);
      if (seek !== undefined) {
        this.seeks.delete(key);
        this.applySeek(seek);
      }
    }
    this.groupJoinEvent();
    this.resolveJoined();
  }

  /**
   * KafkaJS sets `fromBeginning` per subscribed topic; the engine has one reset for all. Topics whose choice is not
   * the engine's, and whose partitions have no committed offset, are moved to their end here.
   */
  private async startWhereSubscribed(partitions: CoreTopicPartition[]): Promise<void> {
    const differing = partitions.filter((tp) => {
      const fromBeginning = this.host.topics.get(tp.topic)?.fromBeginning ?? false;
      return (fromBeginning ? 'earliest' : 'latest') !== this.host.engineReset;
    });
    if (differing.length === 0) return;
    const committed = await this.engine.committed(differing);
    const early = committed.filter((c) => c.offset === null && this.host.topics.get(c.topic)?.fromBeginning);
    const late = committed.filter((c) => c.offset === null && !this.host.topics.get(c.topic)?.fromBeginning);
    const only = (list: typeof committed) => list.map(({ topic, partition }) => ({ topic, partition }));
    if (early.length > 0) this.engine.seekToBeginning(only(early));
    if (late.length > 0) this.engine.seekToEnd(only(late));
  }

  private async loop(): Promise<Error | undefined> {
    const { retry } = this.host;
    let failures = 0;
    let retryTime = randomized(retry.initialRetryTime, retry.factor);
    while (this.running) {
      const iterator = this.engine.batches({
        mode: 'manual',
        maxRecords: this.host.maxBatchSize,
        signal: this.abort.signal,
      });
      try {
        for (;;) {
          this.host.emitter.emit(CONSUMER_EVENTS.FETCH_START, { nodeId: -1 });
          const startedAt = Date.now();
          const next = await iterator.next();
          if (next.done) break;
          this.host.emitter.emit(CONSUMER_EVENTS.FETCH, {
            numberOfBatches: next.value.partitions.length,
            duration: Date.now() - startedAt,
            nodeId: -1,
          });
          await this.processCycle(next.value);
          failures = 0;
          retryTime = randomized(retry.initialRetryTime, retry.factor);
          if (!this.running) break;
        }
        break;
      } catch (error) {
        await iterator.return().catch(() => undefined);
        if (!this.running) break;
        const failure = toKafkaJSError(error);
        if (!isRetriable(failure)) return new KafkaJSNonRetriableError(failure, { cause: failure });
        if (failures >= retry.retries) {
          return new KafkaJSNumberOfRetriesExceeded(failure, { retryCount: failures, retryTime, cause: failure });
        }
        this.host.logger.debug('Error while processing messages, trying again...', {
          groupId: this.host.groupId,
          error: failure.message,
          retryCount: failures,
          retryTime,
        });
        failures++;
        try {
          await sleep(retryTime, undefined, { signal: this.abort.signal });
        } catch {
          break;
        }
        retryTime = nextRetryTime(retry, retryTime);
      }
    }
    return undefined;
  }

  /** One fetch cycle: every partition's batch, `partitionsConsumedConcurrently` at a time, then the commit. */
  private async processCycle(records: CoreConsumerRecords<Buffer | null, Buffer | null>): Promise<void> {
    const batches = records.partitions;
    for (const p of batches) this.inCycle.add(`${p.topic}:${p.partition}`);
    let failure: { error: unknown } | undefined;
    try {
      const concurrency = Math.max(1, this.config.partitionsConsumedConcurrently ?? 1);
      let next = 0;
      const worker = async () => {
        while (next < batches.length && failure === undefined && this.running) {
          const p = batches[next++]!;
          try {
            await this.processBatch(p);
          } catch (error) {
            failure ??= { error };
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
    } finally {
      for (const p of batches) {
        this.inCycle.delete(`${p.topic}:${p.partition}`);
        this.reposition(p);
      }
    }
    if (this.config.autoCommit !== false) {
      if (failure === undefined) {
        // KafkaJS commits the resolved offsets after a batch. The commit goes out while the next cycle is fetched and
        // processed (one at a time, in order): at-least-once is the same, and a cycle does not wait a round trip.
        this.commitInBackground();
      } else {
        // Before a failure is retried, the offsets resolved so far are committed, and waited for.
        await this.commitsDone();
        await this.commitResolved(false);
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  private async processBatch(p: PartitionRecords): Promise<void> {
    const { topic, partition, records } = p;
    const key = `${topic}:${partition}`;
    if (records.length === 0 || this.seeks.has(key) || !this.assigned.has(key)) return;
    this.tracker.delivered(topic, partition, records[0]!.offset);
    const messages: KafkaMessage[] = records.map(toKafkaMessage);
    const highWatermark = this.engine.highwater({ topic, partition });
    const batch = new Batch(
      topic,
      partition,
      (highWatermark ?? records[records.length - 1]!.offset + 1n).toString(),
      messages,
    );
    const emitter = this.host.emitter;
    const wantsEvents =
      emitter.has(CONSUMER_EVENTS.START_BATCH_PROCESS) || emitter.has(CONSUMER_EVENTS.END_BATCH_PROCESS);
    const startedAt = Date.now();
    const eventPayload = wantsEvents
      ? {
          topic,
          partition,
          highWatermark: batch.highWatermark,
          offsetLag: batch.offsetLag(),
          offsetLagLow: batch.offsetLagLow(),
          batchSize: messages.length,
          firstOffset: batch.firstOffset(),
          lastOffset: batch.lastOffset(),
        }
      : undefined;
    if (eventPayload !== undefined) emitter.emit(CONSUMER_EVENTS.START_BATCH_PROCESS, eventPayload);
    const pause = () => {
      this.host.pauses.pause(topic, [partition]);
      this.engine.pause([{ topic, partition }]);
      return () => {
        this.host.pauses.resume(topic, [partition]);
        if (this.assigned.has(key)) this.engine.resume([{ topic, partition }]);
      };
    };
    const heartbeat = () => Promise.resolve();
    const eachMessage = this.config.eachMessage;
    if (eachMessage !== undefined && eachMessage !== null) {
      for (let i = 0; i < records.length; i++) {
        if (!this.running || this.seeks.has(key) || !this.assigned.has(key)) break;
        const message = messages[i]!;
        try {
          await inHandler.run(this, () => eachMessage({ topic, partition, message, heartbeat, pause }));
        } catch (error) {
          if (!isKafkaJSError(error)) {
            this.host.logger.error('Error when calling eachMessage', {
              topic,
              partition,
              offset: message.offset,
              stack: (error as Error)?.stack,
              error: (error as Error)?.message ?? String(error),
            });
          }
          throw error;
        }
        this.resolve(topic, partition, records[i]!.offset, records[i]!.leaderEpoch);
        if (this.config.autoCommit !== false && this.commitDue()) {
          await this.commitsDone();
          await this.commitResolved(false);
        }
        if (this.host.pauses.isPaused(topic, partition)) break;
      }
    } else if (this.config.eachBatch !== undefined && this.config.eachBatch !== null) {
      const eachBatch = this.config.eachBatch;
      try {
        await inHandler.run(this, () =>
          eachBatch({
            batch,
            resolveOffset: (offset) => this.resolve(topic, partition, BigInt(offset), undefined),
            heartbeat,
            pause,
            commitOffsetsIfNecessary: (offsets) => this.commitOffsetsIfNecessary(offsets),
            uncommittedOffsets: () => this.uncommittedOffsets(),
            isRunning: () => this.running,
            isStale: () => this.seeks.has(key) || !this.assigned.has(key),
          }),
        );
      } catch (error) {
        if (!isKafkaJSError(error)) {
          this.host.logger.error('Error when calling eachBatch', {
            topic,
            partition,
            offset: batch.firstOffset(),
            stack: (error as Error)?.stack,
            error: (error as Error)?.message ?? String(error),
          });
        }
        throw error;
      }
      if (this.config.eachBatchAutoResolve !== false) {
        const last = records[records.length - 1]!;
        this.resolve(topic, partition, last.offset, last.leaderEpoch);
      }
    }
    if (eventPayload !== undefined) {
      emitter.emit(CONSUMER_EVENTS.END_BATCH_PROCESS, { ...eventPayload, duration: Date.now() - startedAt });
    }
  }

  /** Marks a message processed: for the commits of this loop and, acknowledged, for the engine's own. */
  private resolve(topic: string, partition: number, offset: bigint, leaderEpoch: number | undefined): void {
    if (!this.assigned.has(`${topic}:${partition}`)) return;
    this.tracker.resolve(topic, partition, offset);
    this.engine.acknowledge({ topic, partition, offset, leaderEpoch });
  }

  /**
   * After a batch: applies a seek requested meanwhile, or, when not every message was resolved, seeks the partition
   * back to its resolved offset so that the rest comes again (KafkaJS fetches from the resolved offset).
   */
  private reposition(p: PartitionRecords): void {
    const key = `${p.topic}:${p.partition}`;
    const seek = this.seeks.get(key);
    if (seek !== undefined) {
      this.seeks.delete(key);
      this.applySeek(seek);
      return;
    }
    if (!this.assigned.has(key) || p.records.length === 0) return;
    const first = p.records[0]!.offset;
    const last = p.records[p.records.length - 1]!.offset;
    const resolved = this.tracker.resolvedOf(p.topic, p.partition);
    if (resolved !== undefined && resolved > last) return;
    const from = resolved === undefined || resolved < first ? first : resolved;
    try {
      this.engine.seek({ topic: p.topic, partition: p.partition }, from);
    } catch (error) {
      this.host.logger.debug('could not rewind a partition', { topic: p.topic, partition: p.partition, error });
    }
  }

  private applySeek(seek: Seek): void {
    const { topic, partition, offset } = seek;
    const key = `${topic}:${partition}`;
    if (!this.assigned.has(key)) {
      this.seeks.set(key, seek);
      return;
    }
    const tp = { topic, partition };
    try {
      if (offset === -2n) this.engine.seekToBeginning([tp]);
      else if (offset === -1n) this.engine.seekToEnd([tp]);
      else this.engine.seek(tp, offset);
    } catch (error) {
      this.host.logger.warn('seek failed', { topic, partition, error: (error as Error)?.message });
      return;
    }
    if (offset < 0n) {
      this.tracker.setNext(topic, partition, undefined);
      return;
    }
    this.tracker.setNext(topic, partition, offset);
    // KafkaJS commits the offset sought to at once when auto-committing.
    if (this.config.autoCommit !== false) {
      this.commitOffsets([{ topic, partition, offset }]).catch((error: unknown) => {
        this.host.logger.warn('commit of a sought offset failed', {
          topic,
          partition,
          error: (error as Error)?.message,
        });
      });
    }
  }

  /** Starts a commit of the resolved offsets, or asks the one in flight to be followed by another. */
  private commitInBackground(): void {
    if (this.commitInFlight !== undefined) {
      this.commitAgain = true;
      return;
    }
    this.commitInFlight = (async () => {
      do {
        this.commitAgain = false;
        await this.commitResolved(false);
      } while (this.commitAgain);
    })().finally(() => {
      this.commitInFlight = undefined;
    });
  }

  /** Resolves when no background commit is in flight. */
  private async commitsDone(): Promise<void> {
    while (this.commitInFlight !== undefined) await this.commitInFlight;
  }

  private commitDue(): boolean {
    return this.tracker.commitDue(this.config.autoCommitInterval, this.config.autoCommitThreshold);
  }

  /** Commits every resolved offset not committed yet. Failures throw when `required`, else they are logged. */
  private async commitResolved(required: boolean): Promise<void> {
    const offsets = this.tracker.uncommitted((topic, partition) => this.assigned.has(`${topic}:${partition}`));
    if (offsets.length === 0) {
      this.tracker.lastCommit = Date.now();
      return;
    }
    try {
      await this.commitOffsets(offsets);
    } catch (error) {
      if (required) throw error;
      // The engine commits the acknowledged offsets itself on revocation and close; nothing is lost.
      this.host.logger.warn('Committing resolved offsets failed; they are committed again later', {
        groupId: this.host.groupId,
        error: (error as Error)?.message,
      });
    }
  }

  private async commitOffsetsIfNecessary(offsets?: OffsetsByTopicPartition): Promise<void> {
    if (offsets !== undefined && offsets !== null) {
      const list = (offsets.topics ?? []).flatMap(({ topic, partitions }) =>
        partitions.map(({ partition, offset }) => ({ topic, partition: Number(partition), offset: BigInt(offset) })),
      );
      await this.commitOffsets(list);
      return;
    }
    if (this.commitDue()) await this.commitResolved(true);
  }

  private uncommittedOffsets(): OffsetsByTopicPartition {
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const { topic, partition, offset } of this.tracker.uncommitted()) {
      let list = byTopic.get(topic);
      if (list === undefined) {
        list = [];
        byTopic.set(topic, list);
      }
      list.push({ partition, offset: offset.toString() });
    }
    return { topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) };
  }

  private groupMetadata(): { memberId: string; generationId: number } {
    try {
      const metadata = this.engine.groupMetadata();
      return { memberId: metadata.memberId, generationId: metadata.generationId };
    } catch {
      return { memberId: '', generationId: -1 };
    }
  }

  private commitEvent(offsets: readonly PartitionOffset[]): void {
    if (!this.host.emitter.has(CONSUMER_EVENTS.COMMIT_OFFSETS)) return;
    const { memberId, generationId } = this.groupMetadata();
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const { topic, partition, offset } of offsets) {
      let list = byTopic.get(topic);
      if (list === undefined) {
        list = [];
        byTopic.set(topic, list);
      }
      list.push({ partition, offset: offset.toString() });
    }
    this.host.emitter.emit(CONSUMER_EVENTS.COMMIT_OFFSETS, {
      groupId: this.host.groupId,
      memberId,
      groupGenerationId: generationId,
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
    });
  }

  private groupJoinEvent(): void {
    const { emitter, groupId } = this.host;
    const memberAssignment = partitionsByTopic(this.engine.assignment());
    const { memberId, generationId } = this.groupMetadata();
    emitter.emit(CONSUMER_EVENTS.GROUP_JOIN, {
      duration: Date.now() - this.rebalanceStartedAt,
      groupId,
      isLeader: false,
      leaderId: '',
      groupProtocol: this.host.protocolName,
      memberId,
      memberAssignment,
    });
    const assignedTopics = Object.keys(memberAssignment);
    const topicsNotSubscribed = assignedTopics.filter((t) => !this.host.topics.has(t));
    if (topicsNotSubscribed.length > 0) {
      emitter.emit(CONSUMER_EVENTS.RECEIVED_UNSUBSCRIBED_TOPICS, {
        groupId,
        generationId,
        memberId,
        assignedTopics,
        topicsSubscribed: [...this.host.topics.keys()],
        topicsNotSubscribed,
      });
    }
  }

  /** KafkaJS emits HEARTBEAT per heartbeat sent; the engine heartbeats on its own, so this reports membership. */
  private heartbeatEvent(): void {
    const emitter = this.host.emitter;
    if (!this.running || !emitter.has(CONSUMER_EVENTS.HEARTBEAT)) return;
    if (metricPoints(this.engine.metrics(), 'vltava_consumer_group_state')[0]?.labels.state !== 'stable') return;
    const { memberId, generationId } = this.groupMetadata();
    emitter.emit(CONSUMER_EVENTS.HEARTBEAT, { groupId: this.host.groupId, memberId, groupGenerationId: generationId });
  }
}
