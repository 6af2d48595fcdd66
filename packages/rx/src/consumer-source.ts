import {
  type ConsumerLike,
  type ConsumerRebalanceListener,
  type ConsumerRecord,
  createConsoleLogger,
  diagnosticChannels,
  InvalidArgumentError,
  InvalidGroupStateError,
  isKafkaError,
  type Logger,
  type PartitionRecords,
  type RecordBatch,
  type TopicPartition,
  type TopicPartitionOffset,
} from '@vltava/core';
import { processPayload, processWith } from '@vltava/core/internal';
import { lastValueFrom } from 'rxjs';
import { AckTracker, type BackpressureEvent, RETIRED_LOST } from './ack-tracker.js';
import { EmitBudget, yieldToEventLoop } from './emit-budget.js';
import type { KafkaMessage } from './kafka-message.js';
import { countUncommittedAcknowledgements, countUndrainedRecords } from './rx-metrics.js';
import { resolveWaterMarks, type WaterMarkOptions } from './water-marks.js';

/** Options of `fromConsumer` and `fromPartitions`. */
export interface ConsumerSourceOptions extends WaterMarkOptions {
  /**
   * Topics (or a pattern) to subscribe to, with group management. Without it the consumer must have partitions
   * assigned already (`consumer.assign(...)`), and they are read as they are.
   */
  readonly topics?: string | readonly string[] | RegExp;
  /** Your rebalance listener, called after the source has handled each change (see the package README). */
  readonly listener?: ConsumerRebalanceListener;
  /**
   * How long the records emitted and not yet acknowledged get to be acknowledged, when their partitions are revoked
   * and when the subscription ends (`take`, `takeUntil`, `first`, unsubscribe, an error downstream), before the
   * source commits what was acknowledged and lets the rebalance (or the ending) go on. Acknowledgements after that
   * are not committed: they are logged and counted (`metrics()`), and the records are read again. Keep it below the
   * consumer's `rebalanceTimeoutMs`. Default 10000.
   */
  readonly drainTimeoutMs?: number;
  /**
   * Commit the acknowledged offsets of revoked partitions once they are drained (the consumer's own commit before
   * revoking runs earlier, without the records acknowledged while draining). Default true.
   */
  readonly commitOnRevoke?: boolean;
  /**
   * Commit the acknowledged offsets when the subscription ends (unsubscribe, error, completion), once the records
   * emitted are acknowledged or `drainTimeoutMs` passed. Default true.
   */
  readonly commitOnUnsubscribe?: boolean;
  /**
   * Close the consumer when the subscription ends. Default true when the source was given a factory (each
   * subscription gets a consumer of its own), false for a consumer instance: the source then unsubscribes it,
   * which leaves the group, and the consumer stays open for another subscription.
   */
  readonly closeConsumer?: boolean;
  /** Called at every backpressure pause and resume. */
  readonly onBackpressure?: (event: BackpressureEvent) => void;
  /** Where failures that cannot reach a subscriber (commits while ending, late acknowledgements) go. Default: stderr. */
  readonly logger?: Logger;
}

/** What a source hands to the Observable built on it. */
export interface SourceSink<K, V> {
  /** A record, to emit. */
  deliver(message: KafkaMessage<K, V>): void;
  /** Partitions were assigned (or are read through a manual assignment). */
  assigned(partitions: readonly TopicPartition[]): void;
  /** Partitions were revoked (after draining) or lost. */
  revoked(partitions: readonly TopicPartition[]): void;
  /** Reading failed: the error to raise. */
  error(error: unknown): void;
}

/** A consumer instance, or a factory that makes one for each subscription. */
export type ConsumerInput<K, V> = ConsumerLike<K, V> | (() => ConsumerLike<K, V>);

/** Default of {@link ConsumerSourceOptions.drainTimeoutMs}. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/** Most records taken from the consumer at once (the consumer's default `maxPollRecords`). */
const MAX_BATCH = 500;

/** Consumers a source is reading now: a consumer has one reader at a time. */
const inUse = new WeakSet<object>();

const NO_RECORDS: readonly PartitionRecords<never, never>[] = [];

const keyOf = (tp: TopicPartition) => `${tp.topic}:${tp.partition}`;

/**
 * The engine of `fromConsumer` and `fromPartitions`: one subscription of an Observable to a consumer.
 *
 * - **Reading** takes batches from the consumer's batch iterator in `manual` mode (one Promise per batch; records
 *   count as processed only when acknowledged) and emits their records one by one while the {@link AckTracker} is
 *   not holding at its high-water mark; the rest of a batch waits in hand (a batch holds at most the high-water
 *   mark, and at most 500 records). Fetching of the partitions concerned is paused meanwhile through
 *   `consumer.backpressure`, which never touches the application's own pauses.
 * - **Rebalances** go through its listener: records in hand of revoked partitions are dropped (never emitted),
 *   emitted ones are drained (acknowledged, or `drainTimeoutMs`), committed, then retired (later acknowledgements of
 *   their records are reported as late, and their offsets are never committed, so offsets of an old generation are
 *   never committed), then the sink and your listener hear of it. Lost partitions are retired at once.
 * - **Stopping** (unsubscribe, `take`, an error) ends the read at once, even while no record arrives, then gives
 *   the records emitted `drainTimeoutMs` to be acknowledged, commits, and leaves the group (`unsubscribe()`, or
 *   `close()` when the source owns the consumer). Acknowledgements after that are logged and counted, not dropped
 *   in silence.
 */
export class ConsumerSource<K, V> {
  private readonly consumer: ConsumerLike<K, V>;
  private readonly options: ConsumerSourceOptions;
  private readonly sink: SourceSink<K, V>;
  private readonly tracker: AckTracker<K, V>;
  private readonly logger: Logger;
  private readonly drainTimeoutMs: number;
  private readonly closeOnStop: boolean;
  private readonly batchSize: number;
  private iterator: AsyncIterator<RecordBatch<K, V>, undefined> | undefined;
  /** The batch in hand: its partitions, and the position of the next record to emit. */
  private batch: readonly PartitionRecords<K, V>[] = NO_RECORDS;
  private batchPartition = 0;
  private batchRecord = 0;
  private subscribed = false;
  private stopped = false;
  /** False when the consumer was busy with another source: then this one leaves it alone when it stops. */
  private claimed = false;
  /** Acknowledgements that came too late to be committed, and whether that was logged yet. */
  private late = 0;
  private lateLogged = false;
  /** Settles when stopping is complete (the consumer left its group or closed). */
  stopping: Promise<void> | undefined;

  constructor(input: ConsumerInput<K, V>, options: ConsumerSourceOptions, sink: SourceSink<K, V>) {
    const marks = resolveWaterMarks(options);
    const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    if (!Number.isFinite(drainTimeoutMs) || drainTimeoutMs < 0) {
      throw new InvalidArgumentError(`drainTimeoutMs must be a number >= 0, got ${String(drainTimeoutMs)}`);
    }
    const owned = typeof input === 'function';
    this.consumer = owned ? input() : input;
    this.closeOnStop = options.closeConsumer ?? owned;
    this.options = options;
    this.sink = sink;
    this.drainTimeoutMs = drainTimeoutMs;
    this.batchSize = Math.min(MAX_BATCH, marks.highWaterMark);
    this.logger = options.logger ?? createConsoleLogger();
    const consumer = this.consumer;
    this.tracker = new AckTracker<K, V>(marks, {
      acknowledge: (record) => consumer.acknowledge(record),
      commit: (offsets) => this.commit(offsets),
      pause: (partitions) => consumer.backpressure.pause(partitions),
      resume: (partitions) => consumer.backpressure.resume(partitions),
      onBackpressure: options.onBackpressure,
      acknowledgedLate: () => this.acknowledgedLate(),
    });
  }

  /** The acknowledgement state (for the operators built on the source). */
  get acks(): AckTracker<K, V> {
    return this.tracker;
  }

  /** Subscribes (or takes the manual assignment) and starts reading. Failures go to the sink. */
  start(): void {
    const consumer = this.consumer;
    if (inUse.has(consumer)) {
      this.sink.error(
        new InvalidArgumentError(
          'The consumer is already read by another subscription (a consumer has one reader at a time): share() the ' +
            'Observable to read it from several places, or give fromConsumer a factory for a consumer per subscription',
        ),
      );
      return;
    }
    inUse.add(consumer);
    this.claimed = true;
    try {
      const topics = this.options.topics;
      if (topics !== undefined) {
        consumer.subscribe(topics, this.listener());
        this.subscribed = true;
      } else {
        const assigned = consumer.assignment();
        if (assigned.length === 0) {
          throw new InvalidArgumentError(
            'The consumer has no partitions to read: pass `topics` to subscribe with group management (the source ' +
              'follows rebalances only then), or assign() partitions before subscribing to the Observable',
          );
        }
        this.sink.assigned(assigned);
      }
      this.iterator = consumer.batches({ mode: 'manual', maxRecords: this.batchSize, pushed: true });
    } catch (error) {
      this.sink.error(error);
      return;
    }
    void this.pump(this.iterator);
  }

  /**
   * Stops: ends the read, drops the records in hand, waits up to `drainTimeoutMs` for the records emitted to be
   * acknowledged, commits (`commitOnUnsubscribe`), lifts the backpressure pauses, and leaves the group
   * (`unsubscribe()`, or `close()` when the source owns the consumer). Idempotent; resolves when the consumer has
   * left (failures are logged).
   */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.stopped = true;
    if (!this.claimed) return;
    this.batch = NO_RECORDS;
    this.tracker.interrupt();
    const consumer = this.consumer;
    const ended = this.iterator?.return?.().catch((error: unknown) => this.warn('ending the read failed', error));
    try {
      await this.drain(undefined, 'the subscription ended');
      if (this.options.commitOnUnsubscribe !== false) {
        await lastValueFrom(this.tracker.commit(), { defaultValue: undefined }).catch((error: unknown) =>
          this.warn('committing the acknowledged offsets at unsubscribe failed; they will be read again', error),
        );
      }
    } finally {
      this.tracker.stop();
      await ended;
    }
    try {
      if (this.closeOnStop) await consumer.close();
      else if (this.subscribed) await consumer.unsubscribe();
    } catch (error) {
      this.warn('leaving the group at unsubscribe failed', error);
    } finally {
      inUse.delete(consumer);
    }
  }

  /**
   * Waits up to `drainTimeoutMs` for the records emitted from `partitions` (or all) to be acknowledged; reports
   * (log line and metric) those still unacknowledged when the time ran out.
   */
  private async drain(partitions: readonly TopicPartition[] | undefined, why: string): Promise<void> {
    if (this.tracker.unacknowledged(partitions) === 0) return;
    await this.tracker.drain(partitions, this.drainTimeoutMs);
    const left = this.tracker.unacknowledged(partitions);
    if (left === 0) return;
    countUndrainedRecords(this.group(), left);
    this.logger.warn(
      `${left} record(s) emitted were not acknowledged within drainTimeoutMs (${this.drainTimeoutMs} ms) after ` +
        `${why}: their offsets are not committed and they will be read again; acknowledgements that come later ` +
        'are counted in metrics() (vltava_rx_acknowledgements_uncommitted_total)',
      { group: this.group(), records: left },
    );
  }

  /** Takes batches and emits their records while the tracker is not holding. */
  private async pump(iterator: AsyncIterator<RecordBatch<K, V>, undefined>): Promise<void> {
    const tracker = this.tracker;
    const sink = this.sink;
    const budget = new EmitBudget();
    try {
      for (;;) {
        while (!tracker.holding) {
          const record = this.nextInHand();
          if (record === undefined) break;
          const message = tracker.track(record);
          if (diagnosticChannels.consumerProcess.hasSubscribers) this.deliverTraced(message);
          else sink.deliver(message);
          if (budget.spend()) {
            await yieldToEventLoop();
            budget.reset();
          }
          if (this.stopped) return;
        }
        if (this.stopped) return;
        if (tracker.holding) {
          await tracker.whenReleased();
          budget.reset();
          continue;
        }
        const result = await iterator.next();
        if (result.done === true || this.stopped) return;
        this.batch = result.value.partitions;
        this.batchPartition = 0;
        this.batchRecord = 0;
      }
    } catch (error) {
      if (!this.stopped) sink.error(error);
    }
  }

  /**
   * Emits `message` in its `vltava:consumer:process` trace (from the emission to its acknowledgement): the
   * subscriber's `next` runs in the context a diagnostics subscriber gave (`runInContext`).
   */
  private deliverTraced(message: KafkaMessage<K, V>): void {
    const metadata = this.consumer.groupMetadata();
    const identity = {
      clientId: this.consumer.clientId ?? '',
      groupId: metadata.groupId,
      groupKind: 'consumer' as const,
    };
    // Set before the emission: a subscriber that acknowledges synchronously (`tap((m) => m.ack())`) ends it inside.
    const payload = processPayload(identity, [message.record]);
    message.processing = payload;
    processWith(payload, this.deliverOne, message);
  }

  private readonly deliverOne = (message: KafkaMessage<K, V>): void => this.sink.deliver(message);

  /** The next record of the batch in hand, or undefined when it is used up. */
  private nextInHand(): ConsumerRecord<K, V> | undefined {
    const partitions = this.batch;
    while (this.batchPartition < partitions.length) {
      const records = partitions[this.batchPartition]!.records;
      if (this.batchRecord < records.length) return records[this.batchRecord++];
      this.batchPartition++;
      this.batchRecord = 0;
    }
    return undefined;
  }

  /** Partitions were revoked or lost: their records in hand belong to an old assignment and are never emitted. */
  private dropInHand(partitions: readonly TopicPartition[]): void {
    if (this.batchPartition >= this.batch.length) return;
    const gone = new Set(partitions.map(keyOf));
    const rest: PartitionRecords<K, V>[] = [];
    for (let i = this.batchPartition; i < this.batch.length; i++) {
      const entry = this.batch[i]!;
      if (gone.has(keyOf(entry))) continue;
      rest.push(i === this.batchPartition ? { ...entry, records: entry.records.slice(this.batchRecord) } : entry);
    }
    this.batch = rest;
    this.batchPartition = 0;
    this.batchRecord = 0;
  }

  /**
   * Commits offsets, only those of partitions the consumer owns now: a partition revoked since its records were
   * read may belong to another member, whose progress a late commit of ours could move back.
   */
  private async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const owned = new Set(this.consumer.assignment().map(keyOf));
    const mine = offsets.filter((o) => owned.has(keyOf(o)));
    if (mine.length > 0) await this.consumer.commit(mine);
  }

  private listener(): ConsumerRebalanceListener {
    const user = this.options.listener;
    return {
      onPartitionsAssigned: async (partitions) => {
        if (!this.stopped) this.sink.assigned(partitions);
        await user?.onPartitionsAssigned?.(partitions);
      },
      onPartitionsRevoked: async (partitions) => {
        this.dropInHand(partitions);
        await this.drain(partitions, 'their partitions were revoked');
        if (this.options.commitOnRevoke !== false) {
          try {
            await lastValueFrom(this.tracker.commit(partitions), { defaultValue: undefined });
          } catch (error) {
            this.warn('committing revoked partitions failed; their records will be read again', error);
          }
        }
        this.tracker.retire(partitions);
        if (!this.stopped) this.sink.revoked(partitions);
        await user?.onPartitionsRevoked?.(partitions);
      },
      onPartitionsLost: async (partitions) => {
        this.dropInHand(partitions);
        this.tracker.retire(partitions, RETIRED_LOST);
        if (!this.stopped) this.sink.revoked(partitions);
        if (user?.onPartitionsLost !== undefined) await user.onPartitionsLost(partitions);
        else await user?.onPartitionsRevoked?.(partitions);
      },
    };
  }

  /** A record of a retired partition was acknowledged: counted, and logged once per subscription. */
  private acknowledgedLate(): void {
    this.late++;
    countUncommittedAcknowledgements(this.group(), 1);
    if (this.lateLogged) return;
    this.lateLogged = true;
    this.logger.warn(
      'A record was acknowledged after its partition was revoked or its subscription ended, and drainTimeoutMs ' +
        `(${this.drainTimeoutMs} ms) had passed: it is not committed and will be read again. Later ones are ` +
        'counted in metrics() (vltava_rx_acknowledgements_uncommitted_total) without a log line each',
      { group: this.group(), acknowledgements: this.late },
    );
  }

  private group(): string {
    try {
      return this.consumer.groupMetadata().groupId;
    } catch {
      return '';
    }
  }

  private warn(message: string, error: unknown): void {
    // A consumer without a group (manual assignment) has nowhere to commit: not worth a warning at every stop.
    if (error instanceof InvalidGroupStateError) return;
    this.logger.warn(message, { error: isKafkaError(error) ? error : String(error) });
  }
}
