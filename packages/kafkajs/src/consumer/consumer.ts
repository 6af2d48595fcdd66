import { clientRetry, type SharedConfig, toClientOptions } from '../config/kafka-config.js';
import { CoreAdmin, CoreConsumer, type CoreConsumerOptions, ErrorCodes, type PartitionAssignor } from '../core.js';
import { KafkaJSNonRetriableError } from '../errors/errors.js';
import { retriesExhausted, toKafkaJSError } from '../errors/from-core.js';
import {
  InstrumentationEmitter,
  type InstrumentationEvent,
  type RemoveInstrumentationEventListener,
} from '../instrumentation/emitter.js';
import { CONSUMER_EVENTS, type ConsumerEvents } from '../instrumentation/event-names.js';
import type {
  ConnectEvent,
  ConsumerCommitOffsetsEvent,
  ConsumerCrashEvent,
  ConsumerEndBatchProcessEvent,
  ConsumerFetchEvent,
  ConsumerFetchStartEvent,
  ConsumerGroupJoinEvent,
  ConsumerHeartbeatEvent,
  ConsumerRebalancingEvent,
  ConsumerReceivedUnsubcribedTopicsEvent,
  ConsumerStartBatchProcessEvent,
  DisconnectEvent,
  RequestEvent,
  RequestQueueSizeEvent,
  RequestTimeoutEvent,
} from '../instrumentation/event-types.js';
import type { Logger } from '../logger/logger.js';
import { type ResolvedRetry, retryBudgetMs } from '../retry/retry.js';
import { AssignerCluster, PartitionAssigners, toCoreAssignor } from './assigners.js';
import type {
  ConsumerConfig,
  ConsumerRunConfig,
  ConsumerSubscribeTopic,
  ConsumerSubscribeTopics,
  GroupDescription,
  TopicPartitionOffset,
  TopicPartitionOffsetAndMetadata,
  TopicPartitions,
} from './consumer-types.js';
import { deadGroup, toGroupDescription } from './group-description.js';
import { PauseState } from './pause-state.js';
import { Runner } from './runner.js';

type Engine = CoreConsumer<Buffer | null, Buffer | null>;

const NOT_RUNNING = 'Consumer group was not initialized, consumer#run must be called first';

/** Parses an offset given as a string, number or bigint; `undefined` when it is not an integer. */
function parseOffset(offset: unknown): bigint | undefined {
  try {
    if (typeof offset === 'bigint') return offset;
    if (typeof offset === 'number' && Number.isInteger(offset)) return BigInt(offset);
    if (typeof offset === 'string' && /^-?\d+$/.test(offset.trim())) return BigInt(offset.trim());
  } catch {
    return undefined;
  }
  return undefined;
}

function checkTopicPartition(topic: unknown, partition: unknown): void {
  if (typeof topic !== 'string' || topic === '') throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
  if (typeof partition !== 'number' || Number.isNaN(partition)) {
    throw new KafkaJSNonRetriableError(`Invalid partition, expected a number received ${String(partition)}`);
  }
}

/**
 * The KafkaJS consumer on the engine's consumer: `subscribe` collects topics, `run` starts a runner (a new
 * engine consumer per run, as KafkaJS makes a new consumer group per run), `stop` ends it, `disconnect` closes
 * everything. A run that crashes (its retries used up) is restarted after the retry time unless
 * `retry.restartOnFailure` says otherwise, with `consumer.events.CRASH` in between, as in KafkaJS.
 */
export class Consumer {
  /** The names of the consumer's events. */
  readonly events: ConsumerEvents = CONSUMER_EVENTS;
  private readonly logger_: Logger;
  private readonly emitter: InstrumentationEmitter<ConsumerEvents>;
  private readonly retry: ResolvedRetry;
  private readonly groupId: string;
  private readonly topics = new Map<string, { fromBeginning: boolean }>();
  private readonly pauses = new PauseState();
  private runner: Runner | undefined;
  private runConfig: ConsumerRunConfig | undefined;
  private admin: CoreAdmin | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  /** @internal Made by `kafka.consumer()`. */
  constructor(
    private readonly shared: SharedConfig,
    private readonly config: ConsumerConfig,
  ) {
    if (config === null || typeof config !== 'object' || typeof config.groupId !== 'string' || !config.groupId) {
      throw new KafkaJSNonRetriableError('Consumer groupId must be a non-empty string.');
    }
    this.groupId = config.groupId;
    this.logger_ = shared.logger.namespace('Consumer');
    this.emitter = new InstrumentationEmitter(CONSUMER_EVENTS, 'consumer', this.logger_);
    this.retry = clientRetry(shared, { retries: 5, ...config.retry });
    const sessionTimeout = config.sessionTimeout ?? 30_000;
    const heartbeatInterval = config.heartbeatInterval ?? 3000;
    if (heartbeatInterval >= sessionTimeout) {
      throw new KafkaJSNonRetriableError(
        `Consumer heartbeatInterval (${heartbeatInterval}) must be lower than sessionTimeout (${sessionTimeout}). ` +
          'It is recommended to set heartbeatInterval to approximately a third of the sessionTimeout.',
      );
    }
  }

  /** Connects to the cluster; fails as KafkaJS does when no broker answers. */
  async connect(): Promise<void> {
    const admin = this.adminClient();
    try {
      await admin.connect();
    } catch (error) {
      throw retriesExhausted(error, this.retry.retries);
    }
    this.emitter.emit(CONSUMER_EVENTS.CONNECT);
  }

  /** Stops the consumer (see {@link stop}) and closes every connection. */
  async disconnect(): Promise<void> {
    try {
      await this.stop();
      const admin = this.admin;
      this.admin = undefined;
      await admin?.close();
      this.emitter.emit(CONSUMER_EVENTS.DISCONNECT);
    } catch (error) {
      this.logger_.error(`Caught error when disconnecting the consumer: ${(error as Error)?.message}`, {
        groupId: this.groupId,
      });
      throw error;
    }
  }

  /**
   * Adds topics to the subscription (before `run`). A RegExp matches the topics that exist now, as in KafkaJS.
   */
  async subscribe(subscription: ConsumerSubscribeTopics | ConsumerSubscribeTopic): Promise<void> {
    if (this.runner !== undefined) {
      throw new KafkaJSNonRetriableError('Cannot subscribe to topic while consumer is running');
    }
    const { topic, topics, fromBeginning } = (subscription ?? {}) as Partial<
      ConsumerSubscribeTopic & ConsumerSubscribeTopics
    >;
    if (!topic && !topics) throw new KafkaJSNonRetriableError('Missing required argument "topics"');
    if (topics !== undefined && topics !== null && !Array.isArray(topics)) {
      throw new KafkaJSNonRetriableError('Argument "topics" must be an array');
    }
    const list = topics ?? [topic!];
    for (const entry of list) {
      if (typeof entry !== 'string' && !(entry instanceof RegExp)) {
        throw new KafkaJSNonRetriableError(
          `Invalid topic ${String(entry)} (${typeof entry}), the topic name has to be a String or a RegExp`,
        );
      }
    }
    let existing: string[] | undefined;
    if (list.some((entry) => entry instanceof RegExp)) {
      try {
        existing = (await this.adminClient().listTopics()).map((t) => t.topic);
      } catch (error) {
        throw retriesExhausted(error, this.retry.retries);
      }
    }
    for (const entry of list) {
      if (entry instanceof RegExp) {
        for (const name of existing ?? []) {
          entry.lastIndex = 0;
          if (entry.test(name)) this.topics.set(name, { fromBeginning: fromBeginning ?? false });
        }
      } else {
        this.topics.set(entry, { fromBeginning: fromBeginning ?? false });
      }
    }
  }

  /**
   * Starts consuming. Resolves once the consumer joined its group and knows where each assigned partition starts
   * (or, as in KafkaJS, once the join failed and the crash was handled). Returns at once when already running.
   */
  async run(config: ConsumerRunConfig = {}): Promise<void> {
    if (this.runner !== undefined) {
      this.logger_.warn('consumer#run was called, but the consumer is already running', { groupId: this.groupId });
      return;
    }
    this.runConfig = config;
    this.stopping = undefined;
    await this.start(config);
  }

  /** Stops consuming after the batch in hand, commits, and leaves the group. `run` may be called again. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.restartTimer);
      const runner = this.runner;
      if (runner !== undefined) {
        this.runner = undefined;
        await runner.stop();
        this.emitter.emit(CONSUMER_EVENTS.STOP);
      }
      this.logger_.info('Stopped', { groupId: this.groupId });
    })();
    const stopping = this.stopping;
    return stopping.finally(() => {
      if (this.stopping === stopping) this.stopping = undefined;
    });
  }

  /** Commits offsets (strings: the next message to consume) for the group. Needs a running consumer. */
  async commitOffsets(topicPartitions: Array<TopicPartitionOffsetAndMetadata>): Promise<void> {
    const offsets = (topicPartitions ?? []).map(({ topic, partition, offset, metadata = null }) => {
      checkTopicPartition(topic, partition);
      const value = parseOffset(offset);
      if (value === undefined) {
        throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${String(offset)}`);
      }
      if (value < 0n) throw new KafkaJSNonRetriableError('Offset must not be a negative number');
      if (metadata !== null && typeof metadata !== 'string') {
        throw new KafkaJSNonRetriableError(
          `Invalid offset metadata, expected string or null, received ${String(metadata)}`,
        );
      }
      return { topic, partition, offset: value, metadata };
    });
    const runner = this.runner;
    if (runner === undefined) throw new KafkaJSNonRetriableError(NOT_RUNNING);
    if (!runner.isRunning) return;
    await runner.commitOffsets(offsets);
  }

  /**
   * Moves a partition: the next message of it is at `offset` (`'-2'` earliest, `'-1'` latest). Messages of the batch
   * in hand become stale. With `autoCommit` the offset is committed at once, as in KafkaJS. Call after `run()` (no
   * need to await it).
   */
  seek(topicPartitionOffset: TopicPartitionOffset): void {
    const { topic, partition, offset } = topicPartitionOffset ?? ({} as TopicPartitionOffset);
    checkTopicPartition(topic, partition);
    const value = parseOffset(offset);
    if (value === undefined) {
      throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${String(offset)}`);
    }
    if (value < 0n && value !== -1n && value !== -2n) {
      throw new KafkaJSNonRetriableError('Offset must not be a negative number');
    }
    if (this.runner === undefined) throw new KafkaJSNonRetriableError(NOT_RUNNING);
    this.runner.seek(topic, partition, value);
  }

  /** Describes the consumer's group (members, protocol, state), in KafkaJS's shape. */
  async describeGroup(): Promise<GroupDescription> {
    let results: Awaited<ReturnType<CoreAdmin['describeGroups']>>;
    try {
      results = await this.adminClient().describeGroups([this.groupId]);
    } catch (error) {
      throw retriesExhausted(error, this.retry.retries);
    }
    const result = results[0];
    if (result === undefined) return deadGroup(this.groupId);
    if (result.error !== undefined) {
      if (result.error.kafkaErrorCode === ErrorCodes.GROUP_ID_NOT_FOUND) return deadGroup(this.groupId);
      throw toKafkaJSError(result.error);
    }
    return toGroupDescription(this.groupId, result);
  }

  /** Pauses topics, or some of their partitions: they are not fetched until resumed. Needs a running consumer. */
  pause(topics: Array<{ topic: string; partitions?: number[] }>): void {
    this.checkPauseArgs(topics, 'pause');
    const runner = this.runner;
    if (runner === undefined) throw new KafkaJSNonRetriableError(NOT_RUNNING);
    for (const { topic, partitions } of topics) this.pauses.pause(topic, partitions);
    const engine = runner.consumer;
    const toPause = engine
      .assignment()
      .filter((tp) => this.pauses.isPaused(tp.topic, tp.partition) && topics.some((t) => t.topic === tp.topic));
    if (toPause.length > 0) engine.pause(toPause);
  }

  /** Resumes paused topics or partitions. Needs a running consumer. */
  resume(topics: Array<{ topic: string; partitions?: number[] }>): void {
    this.checkPauseArgs(topics, 'resume');
    const runner = this.runner;
    if (runner === undefined) throw new KafkaJSNonRetriableError(NOT_RUNNING);
    for (const { topic, partitions } of topics) this.pauses.resume(topic, partitions);
    const engine = runner.consumer;
    const toResume = engine
      .assignment()
      .filter((tp) => !this.pauses.isPaused(tp.topic, tp.partition) && topics.some((t) => t.topic === tp.topic));
    if (toResume.length > 0) engine.resume(toResume);
  }

  /** The assigned partitions that are paused, by topic. */
  paused(): TopicPartitions[] {
    const runner = this.runner;
    if (runner === undefined) return [];
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of runner.consumer.assignment()) {
      if (!this.pauses.isPaused(topic, partition)) continue;
      let list = byTopic.get(topic);
      if (list === undefined) {
        list = [];
        byTopic.set(topic, list);
      }
      list.push(partition);
    }
    return [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
  }

  /**
   * Listens to one of `consumer.events`. The network events (`REQUEST`, `REQUEST_TIMEOUT`, `REQUEST_QUEUE_SIZE`)
   * are accepted and never emitted (see the README). Returns a function removing the listener.
   */
  on(
    eventName: ConsumerEvents['HEARTBEAT'],
    listener: (event: ConsumerHeartbeatEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['COMMIT_OFFSETS'],
    listener: (event: ConsumerCommitOffsetsEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['GROUP_JOIN'],
    listener: (event: ConsumerGroupJoinEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['FETCH_START'],
    listener: (event: ConsumerFetchStartEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['FETCH'],
    listener: (event: ConsumerFetchEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['START_BATCH_PROCESS'],
    listener: (event: ConsumerStartBatchProcessEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['END_BATCH_PROCESS'],
    listener: (event: ConsumerEndBatchProcessEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['CONNECT'],
    listener: (event: ConnectEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['DISCONNECT'],
    listener: (event: DisconnectEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['STOP'],
    listener: (event: InstrumentationEvent<null>) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['CRASH'],
    listener: (event: ConsumerCrashEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['REBALANCING'],
    listener: (event: ConsumerRebalancingEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['RECEIVED_UNSUBSCRIBED_TOPICS'],
    listener: (event: ConsumerReceivedUnsubcribedTopicsEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['REQUEST'],
    listener: (event: RequestEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['REQUEST_QUEUE_SIZE'],
    listener: (event: RequestQueueSizeEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents['REQUEST_TIMEOUT'],
    listener: (event: RequestTimeoutEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ConsumerEvents[keyof ConsumerEvents],
    // biome-ignore lint/suspicious/noExplicitAny: KafkaJS's catch-all overload, kept for type compatibility.
    listener: (event: InstrumentationEvent<any>) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(eventName: string, listener: (event: InstrumentationEvent<never>) => void): () => void {
    return this.emitter.on(eventName, listener as (event: InstrumentationEvent<unknown>) => void);
  }

  /** The consumer's logger. */
  logger(): Logger {
    return this.logger_;
  }

  // ---------------------------------------------------------------------------------------------------------------

  private async start(config: ConsumerRunConfig): Promise<void> {
    this.logger_.info('Starting', { groupId: this.groupId });
    let runner: Runner;
    try {
      const { engine, reset, protocolName } = this.createEngine(config);
      runner = new Runner(
        {
          groupId: this.groupId,
          logger: this.logger_.namespace('Runner'),
          emitter: this.emitter,
          retry: this.retry,
          heartbeatInterval: this.config.heartbeatInterval ?? 3000,
          protocolName,
          topics: new Map(this.topics),
          engineReset: reset,
          pauses: this.pauses,
          maxBatchSize: this.config.maxBatchSize ?? 5000,
        },
        engine,
        config,
      );
    } catch (error) {
      throw toKafkaJSError(error);
    }
    this.runner = runner;
    runner.start();
    runner.done.then(
      (error) => {
        if (error !== undefined && this.runner === runner) {
          this.crash(runner, error).catch((failure: unknown) => {
            this.logger_.error(`Handling the crash failed: ${(failure as Error)?.message ?? String(failure)}`, {
              groupId: this.groupId,
            });
          });
        }
      },
      () => undefined,
    );
    const ended = runner.done.then(() => undefined);
    // KafkaJS resolves run() once the group is joined, or once a failed join crashed the consumer. The engine keeps
    // trying to join meanwhile; past the time a join can take, run() resolves and the join goes on.
    const joinBound =
      (this.config.rebalanceTimeout ?? 60_000) + (this.config.sessionTimeout ?? 30_000) + retryBudgetMs(this.retry);
    let timer: NodeJS.Timeout | undefined;
    const tooLong = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), joinBound);
    });
    try {
      const outcome = await Promise.race([runner.joined, ended, tooLong]);
      if (outcome === 'late') {
        this.logger_.warn(`The consumer has not joined its group after ${joinBound} ms; it keeps trying`, {
          groupId: this.groupId,
        });
        return;
      }
    } finally {
      clearTimeout(timer);
    }
    if (runner.isRunning) await Promise.race([runner.positionsKnown(10_000), ended]);
  }

  private async crash(runner: Runner, error: Error): Promise<void> {
    this.logger_.error(`Crash: ${error.name}: ${error.message}`, {
      groupId: this.groupId,
      retryCount: (error as { retryCount?: number }).retryCount,
      stack: error.stack,
    });
    if (this.runner === runner) {
      this.runner = undefined;
      await runner.stop();
      this.emitter.emit(CONSUMER_EVENTS.STOP);
      this.emitter.emit(CONSUMER_EVENTS.DISCONNECT);
    }
    let cause: unknown = error;
    while ((cause as { cause?: unknown })?.cause !== undefined) cause = (cause as { cause: unknown }).cause;
    const retriable =
      error.name === 'KafkaJSNumberOfRetriesExceeded' || (cause as { retriable?: unknown })?.retriable === true;
    const restartOnFailure = this.config.retry?.restartOnFailure;
    let restart = retriable;
    if (retriable && restartOnFailure !== undefined) {
      restart = await restartOnFailure(error).catch((failure: unknown) => {
        this.logger_.error(
          'Caught error when invoking user-provided "restartOnFailure" callback. Defaulting to restarting.',
          { error: (failure as Error)?.message ?? String(failure), cause: error.message, groupId: this.groupId },
        );
        return true;
      });
    }
    this.emitter.emit(CONSUMER_EVENTS.CRASH, { error, groupId: this.groupId, restart });
    if (!restart || this.runConfig === undefined) return;
    const retryTime = (error as { retryTime?: number }).retryTime || this.retry.initialRetryTime;
    this.logger_.error(`Restarting the consumer in ${retryTime}ms`, { groupId: this.groupId, retryTime });
    const runConfig = this.runConfig;
    this.restartTimer = setTimeout(() => {
      if (this.runner !== undefined) return;
      this.start(runConfig).catch((failure: unknown) => {
        this.logger_.error(`Restarting the consumer failed: ${(failure as Error)?.message}`, { groupId: this.groupId });
      });
    }, retryTime);
  }

  /** The engine's consumer for one run, with KafkaJS's settings mapped onto the engine's. */
  private createEngine(run: ConsumerRunConfig): {
    engine: Engine;
    reset: 'earliest' | 'latest';
    protocolName: string;
  } {
    const config = this.config;
    const fromBeginning = [...this.topics.values()].map((t) => t.fromBeginning);
    const reset = fromBeginning.length > 0 && fromBeginning.every((b) => b) ? 'earliest' : 'latest';
    const classic = (config.groupProtocol ?? 'classic') === 'classic';
    const cluster = new AssignerCluster();
    const assignors: Array<PartitionAssignor | 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky'> = [];
    let protocolName = '';
    for (const entry of config.partitionAssigners ?? [PartitionAssigners.roundRobin]) {
      if (typeof entry === 'string') {
        assignors.push(entry);
        protocolName ||= entry;
      } else {
        const assigner = entry({ cluster, groupId: this.groupId, logger: this.logger_.namespace('Assigner') });
        const assignor = toCoreAssignor(assigner, cluster);
        assignors.push(assignor);
        protocolName ||= assignor.name;
      }
    }
    const options: CoreConsumerOptions<Buffer | null, Buffer | null> = {
      ...toClientOptions(this.shared, this.retry, 'Consumer'),
      groupId: this.groupId,
      groupProtocol: classic ? 'classic' : 'consumer',
      ...(classic
        ? {
            sessionTimeoutMs: config.sessionTimeout ?? 30_000,
            heartbeatIntervalMs: config.heartbeatInterval ?? 3000,
            partitionAssignors: assignors,
          }
        : config.groupRemoteAssignor === undefined
          ? {}
          : { groupRemoteAssignor: config.groupRemoteAssignor }),
      ...(config.groupInstanceId === undefined ? {} : { groupInstanceId: config.groupInstanceId }),
      rebalanceTimeoutMs: config.rebalanceTimeout ?? 60_000,
      maxPollIntervalMs: config.maxPollInterval ?? 300_000,
      autoOffsetReset: reset,
      enableAutoCommit: run.autoCommit ?? true,
      autoCommitIntervalMs: run.autoCommitInterval ?? 5000,
      fetchMinBytes: config.minBytes ?? 1,
      fetchMaxWaitMs: config.maxWaitTimeInMs ?? 5000,
      fetchMaxBytes: config.maxBytes ?? 10_485_760,
      maxPartitionFetchBytes: config.maxBytesPerPartition ?? 1_048_576,
      isolationLevel: config.readUncommitted === true ? 'read_uncommitted' : 'read_committed',
      allowAutoCreateTopics: config.allowAutoTopicCreation ?? true,
      metadataMaxAgeMs: config.metadataMaxAge ?? 300_000,
      ...(config.maxInFlightRequests === undefined || config.maxInFlightRequests === null
        ? {}
        : { maxInFlightRequestsPerConnection: config.maxInFlightRequests }),
      ...(config.rackId ? { clientRack: config.rackId } : {}),
    };
    const engine = new CoreConsumer<Buffer | null, Buffer | null>(options);
    this.emitter.own(engine.instance);
    return { engine, reset, protocolName };
  }

  private adminClient(): CoreAdmin {
    this.admin ??= new CoreAdmin({
      ...toClientOptions(this.shared, this.retry, 'Consumer'),
      defaultApiTimeoutMs: Math.max(10_000, this.shared.config.requestTimeout ?? 30_000),
    });
    this.emitter.own(this.admin.instance);
    return this.admin;
  }

  private checkPauseArgs(topics: Array<{ topic: string; partitions?: number[] }>, call: string): void {
    for (const entry of topics ?? []) {
      if (!entry?.topic) {
        throw new KafkaJSNonRetriableError(`Invalid topic ${String(entry?.topic ?? entry)}`);
      }
      if (
        entry.partitions !== undefined &&
        (!Array.isArray(entry.partitions) || entry.partitions.some((p) => Number.isNaN(Number(p))))
      ) {
        throw new KafkaJSNonRetriableError(
          `Array of valid partitions required to ${call} specific partitions instead of ${String(entry.partitions)}`,
        );
      }
    }
  }
}
