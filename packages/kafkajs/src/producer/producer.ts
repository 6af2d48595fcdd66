import { clientRetry, type SharedConfig, toClientOptions } from '../config/kafka-config.js';
import type { PartitionMetadata } from '../consumer/assigners.js';
import {
  type CompressionType,
  type CorePartitionInfo,
  CoreProducer,
  type CoreProducerOptions,
  type CoreProducerRecord,
  ErrorCodes,
} from '../core.js';
import { KafkaJSError, KafkaJSNonRetriableError } from '../errors/errors.js';
import { retriesExhausted, toKafkaJSError } from '../errors/from-core.js';
import {
  InstrumentationEmitter,
  type InstrumentationEvent,
  type RemoveInstrumentationEventListener,
} from '../instrumentation/emitter.js';
import { PRODUCER_EVENTS, type ProducerEvents } from '../instrumentation/event-names.js';
import type {
  ConnectEvent,
  DisconnectEvent,
  RequestEvent,
  RequestQueueSizeEvent,
  RequestTimeoutEvent,
} from '../instrumentation/event-types.js';
import type { Logger } from '../logger/logger.js';
import { type ResolvedRetry, type RetryOptions, retryBudgetMs } from '../retry/retry.js';
import { type CompressionTypes, toCoreCompression } from './compression.js';
import {
  checkTopicMessages,
  type Message,
  type ProducerBatch,
  type ProducerRecord,
  type TopicMessages,
  toCoreRecord,
} from './message.js';
import { type ICustomPartitioner, Partitioners } from './partitioners.js';
import { Transaction } from './transaction.js';

/**
 * Producer settings, as in KafkaJS, plus a few of the engine's (marked Vltava) that KafkaJS has no name for. How each
 * maps onto the engine is in the package README.
 */
export interface ProducerConfig {
  /** The partitioner factory. Default `Partitioners.DefaultPartitioner` (KafkaJS 2's default). */
  createPartitioner?: ICustomPartitioner;
  /** Retries of failed sends; see {@link RetryOptions}. */
  retry?: RetryOptions;
  /** Longest time between metadata refreshes, in ms. Java: metadata.max.age.ms. Default 300000. */
  metadataMaxAge?: number;
  /** Let sends create missing topics (where the broker allows it). Default true. */
  allowAutoTopicCreation?: boolean;
  /**
   * `true`: every send is idempotent and must use `acks: -1`. `false`: none is. Unset (Vltava): sends with
   * `acks: -1` (the default) are idempotent, as in the Java client; sends with `acks` 0 or 1 are not.
   */
  idempotent?: boolean;
  /** Makes `transaction()` available. */
  transactionalId?: string;
  /** Longest time a transaction may stay open, in ms. Java: transaction.timeout.ms. Default 60000. */
  transactionTimeout?: number;
  /** Requests in flight per broker connection. Java: max.in.flight.requests.per.connection. Default 5. */
  maxInFlightRequests?: number;
  /**
   * Vltava: the codec of sends that give no `compression`, and of every send in a transaction. Any of the five,
   * without plugins. Default `CompressionTypes.None`.
   */
  compression?: CompressionTypes;
  /** Vltava: how long a batch waits for more messages, in ms. Java: linger.ms. Default 0 (KafkaJS sends at once). */
  lingerMs?: number;
  /** Vltava: bytes per partition batch. Java: batch.size. Default 262144. */
  batchSize?: number;
}

/** Where a send wrote its messages: one entry per partition. Offsets and times are strings, as in KafkaJS. */
export type RecordMetadata = {
  topicName: string;
  partition: number;
  errorCode: number;
  offset?: string;
  timestamp?: string;
  baseOffset?: string;
  logAppendTime?: string;
  logStartOffset?: string;
};

type ConnectionStatus = 'disconnected' | 'connected' | 'disconnecting';
type Engine = CoreProducer<Buffer | string, Buffer | string>;

/** Default batch size: large enough that a send of a few hundred messages makes one batch per partition. */
const DEFAULT_BATCH_SIZE = 262_144;

/**
 * The KafkaJS producer on the engine's producer. Messages are placed by the KafkaJS partitioner (so keys land where
 * KafkaJS puts them) and handed to the engine with their partition; the engine batches, compresses, retries and,
 * by default, sends idempotently. A send resolves with one entry per partition written, or rejects with a KafkaJS
 * error once the engine gave up (see the README for the mapping of `retry`).
 */
export class Producer {
  /** The names of the producer's events. */
  readonly events: ProducerEvents = PRODUCER_EVENTS;
  private readonly logger_: Logger;
  private readonly emitter: InstrumentationEmitter<ProducerEvents>;
  private readonly retry: ResolvedRetry;
  private readonly partitioner: ReturnType<ICustomPartitioner>;
  private readonly defaultCompression: CompressionType;
  private readonly idempotentDefault: boolean;
  private readonly engines = new Map<string, Engine>();
  private transactional: Engine | undefined;
  private transactionsReady: Promise<void> | undefined;
  private activeTransaction: Transaction | undefined;
  private status: ConnectionStatus = 'disconnected';
  private readonly metadataCache = new WeakMap<readonly CorePartitionInfo[], PartitionMetadata[]>();

  /** @internal Made by `kafka.producer()`. */
  constructor(
    private readonly shared: SharedConfig,
    private readonly config: ProducerConfig = {},
  ) {
    this.logger_ = shared.logger.namespace('Producer');
    this.emitter = new InstrumentationEmitter(PRODUCER_EVENTS, 'producer', this.logger_);
    this.retry = clientRetry(shared, config.retry);
    if (config.idempotent === true && this.retry.retries < 1) {
      throw new KafkaJSNonRetriableError('Idempotent producer must allow retries to protect against transient errors');
    }
    this.partitioner = (config.createPartitioner ?? Partitioners.DefaultPartitioner)();
    this.defaultCompression = toCoreCompression(config.compression) ?? 'none';
    this.idempotentDefault = config.idempotent ?? ((config.maxInFlightRequests ?? 5) <= 5 && this.retry.retries > 0);
    // The engine of the default settings exists from the start, so that bad settings fail here, as in KafkaJS.
    this.engine(-1, this.defaultCompression);
  }

  /** Connects to the cluster (bootstrap and metadata); sends need a connected producer, as in KafkaJS. */
  async connect(): Promise<void> {
    try {
      await this.engine(-1, this.defaultCompression).connect();
    } catch (error) {
      throw retriesExhausted(error, this.retry.retries);
    }
    this.status = 'connected';
    this.emitter.emit(PRODUCER_EVENTS.CONNECT);
  }

  /** Sends what is buffered, waits for it, and closes every connection. `connect()` may be called again. */
  async disconnect(): Promise<void> {
    this.status = 'disconnecting';
    const engines = [...this.engines.values()];
    if (this.transactional !== undefined) engines.push(this.transactional);
    this.engines.clear();
    this.transactional = undefined;
    this.transactionsReady = undefined;
    this.activeTransaction = undefined;
    try {
      await Promise.all(engines.map((engine) => engine.close()));
    } finally {
      this.status = 'disconnected';
      this.emitter.emit(PRODUCER_EVENTS.DISCONNECT);
    }
  }

  /** Whether sends with `acks: -1` are idempotent (see {@link ProducerConfig.idempotent}). */
  isIdempotent(): boolean {
    return this.idempotentDefault;
  }

  /** The producer's logger. */
  logger(): Logger {
    return this.logger_;
  }

  /**
   * Listens to one of `producer.events` (`CONNECT`, `DISCONNECT`; the network events are accepted and never
   * emitted, see the README). Returns a function removing the listener.
   */
  on(
    eventName: ProducerEvents['CONNECT'],
    listener: (event: ConnectEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ProducerEvents['DISCONNECT'],
    listener: (event: DisconnectEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ProducerEvents['REQUEST'],
    listener: (event: RequestEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ProducerEvents['REQUEST_QUEUE_SIZE'],
    listener: (event: RequestQueueSizeEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ProducerEvents['REQUEST_TIMEOUT'],
    listener: (event: RequestTimeoutEvent) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(
    eventName: ProducerEvents[keyof ProducerEvents],
    // biome-ignore lint/suspicious/noExplicitAny: KafkaJS's catch-all overload, kept for type compatibility.
    listener: (event: InstrumentationEvent<any>) => void,
  ): RemoveInstrumentationEventListener<typeof eventName>;
  on(eventName: string, listener: (event: InstrumentationEvent<never>) => void): () => void {
    return this.emitter.on(eventName, listener as (event: InstrumentationEvent<unknown>) => void);
  }

  /** Sends messages to one topic; resolves once every message is acknowledged. */
  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    const { topic, messages, acks, timeout, compression } = record ?? ({} as ProducerRecord);
    return this.sendBatch({ acks, timeout, compression, topicMessages: [{ topic, messages }] });
  }

  /** Sends messages to several topics at once; resolves once every message is acknowledged. */
  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    const acks = batch.acks ?? -1;
    this.checkSend(acks, this.config.idempotent === true);
    const engine = this.engine(acks, toCoreCompression(batch.compression) ?? this.defaultCompression);
    return this.sendThrough(engine, batch.topicMessages ?? [], acks);
  }

  /**
   * Starts a transaction (`transactionalId` required): sends through it belong to it until `commit()` or `abort()`.
   * One transaction at a time per producer, as in KafkaJS.
   */
  async transaction(): Promise<Transaction> {
    if (this.config.transactionalId === undefined) {
      throw new KafkaJSNonRetriableError('Must provide transactional id for transactional producer');
    }
    if (this.activeTransaction?.isActive()) {
      throw new KafkaJSNonRetriableError(
        'There is already an ongoing transaction for this producer. Please end the transaction before beginning another.',
      );
    }
    const engine = this.transactionalEngine();
    try {
      this.transactionsReady ??= engine.initTransactions().catch((error: unknown) => {
        this.transactionsReady = undefined;
        throw error;
      });
      await this.transactionsReady;
      engine.beginTransaction();
    } catch (error) {
      throw retriesExhausted(error, this.retry.retries);
    }
    const transaction = new Transaction(engine, (messages, acks) => {
      this.checkSend(acks, true);
      return this.sendThrough(engine, messages, acks);
    });
    this.activeTransaction = transaction;
    return transaction;
  }

  /** KafkaJS's checks before a send: a connected producer, and `acks: -1` when sends must be idempotent. */
  private checkSend(acks: number, idempotent: boolean): void {
    if (this.status === 'disconnecting') {
      throw new KafkaJSNonRetriableError(
        "The producer is disconnecting; therefore, it can't safely accept messages anymore",
      );
    }
    if (this.status === 'disconnected') throw new KafkaJSError('The producer is disconnected');
    if (acks !== -1 && acks !== 0 && acks !== 1) {
      throw new KafkaJSNonRetriableError(`Invalid acks ${String(acks)}: use -1 (all), 1 (leader) or 0 (none)`);
    }
    if (idempotent && acks !== -1) {
      throw new KafkaJSNonRetriableError(
        "Not requiring ack for all messages invalidates the idempotent producer's EoS guarantees",
      );
    }
  }

  private async sendThrough(engine: Engine, topicMessages: TopicMessages[], acks: number): Promise<RecordMetadata[]> {
    const merged = new Map<string, Message[]>();
    for (const entry of topicMessages) {
      checkTopicMessages(entry?.topic, entry?.messages);
      const list = merged.get(entry.topic);
      if (list === undefined) merged.set(entry.topic, entry.messages);
      else merged.set(entry.topic, [...list, ...entry.messages]);
    }
    const records: CoreProducerRecord<Buffer | string, Buffer | string>[] = [];
    try {
      for (const [topic, messages] of merged) {
        const partitionMetadata = await this.partitionMetadata(engine, topic);
        for (const message of messages) {
          const partition = this.partitioner({ topic, partitionMetadata, message });
          records.push(toCoreRecord(topic, message, partition));
        }
      }
    } catch (error) {
      throw retriesExhausted(error, this.retry.retries);
    }
    const result = await engine.sendBatch(records);
    if (result.firstError !== undefined) throw retriesExhausted(result.firstError, this.retry.retries);
    if (acks === 0) return [];
    // One entry per partition, with the offset of the first message written there: records keep their order within a
    // partition, so it is the offset of the partition's first record in the send.
    const results: RecordMetadata[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const key = `${record.topic}:${record.partition}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const metadata = result.metadata(i);
      if (metadata === undefined) continue;
      results.push({
        topicName: metadata.topic,
        partition: metadata.partition,
        errorCode: ErrorCodes.NONE,
        baseOffset: metadata.offset.toString(),
        logAppendTime: '-1',
        logStartOffset: '-1',
      });
    }
    return results;
  }

  /** The topic's partitions, shaped as KafkaJS partitioners expect them (from the engine's metadata cache). */
  private async partitionMetadata(engine: Engine, topic: string): Promise<PartitionMetadata[]> {
    const partitions = await engine.partitionsFor(topic);
    let mapped = this.metadataCache.get(partitions);
    if (mapped === undefined) {
      mapped = partitions.map((p) => ({
        partitionErrorCode: p.errorCode,
        partitionId: p.partition,
        leader: p.leader,
        replicas: [...p.replicas],
        isr: [...p.isr],
        offlineReplicas: [...p.offlineReplicas],
      }));
      this.metadataCache.set(partitions, mapped);
    }
    return mapped;
  }

  /** The engine for sends with these `acks` and codec, created on first use. */
  private engine(acks: number, compression: CompressionType): Engine {
    const key = `${acks}:${compression}`;
    let engine = this.engines.get(key);
    if (engine === undefined) {
      engine = this.createEngine(acks, compression, undefined);
      this.engines.set(key, engine);
    }
    return engine;
  }

  private transactionalEngine(): Engine {
    this.transactional ??= this.createEngine(-1, this.defaultCompression, this.config.transactionalId);
    return this.transactional;
  }

  private createEngine(acks: number, compression: CompressionType, transactionalId: string | undefined): Engine {
    const config = this.config;
    const client = toClientOptions(this.shared, this.retry, 'Producer');
    const explicitRetries = config.retry?.retries ?? this.shared.config.retry?.retries;
    const budget = retryBudgetMs(this.retry);
    const lingerMs = config.lingerMs ?? 0;
    const requestTimeoutMs = client.requestTimeoutMs ?? 30_000;
    let enableIdempotence: boolean | undefined;
    if (transactionalId !== undefined) enableIdempotence = true;
    else if (config.idempotent !== undefined) enableIdempotence = config.idempotent;
    else if (acks !== -1 || explicitRetries === 0 || (config.maxInFlightRequests ?? 5) > 5) enableIdempotence = false;
    const options: CoreProducerOptions<Buffer | string, Buffer | string> = {
      ...client,
      acks: acks as -1 | 0 | 1,
      ...(enableIdempotence === undefined ? {} : { enableIdempotence }),
      ...(transactionalId === undefined ? {} : { transactionalId }),
      ...(config.transactionTimeout === undefined ? {} : { transactionTimeoutMs: config.transactionTimeout }),
      ...(config.maxInFlightRequests === undefined || config.maxInFlightRequests === null
        ? {}
        : { maxInFlightRequestsPerConnection: config.maxInFlightRequests }),
      ...(explicitRetries === undefined ? {} : { retries: explicitRetries }),
      compression,
      lingerMs,
      batchSize: config.batchSize ?? DEFAULT_BATCH_SIZE,
      maxBlockMs: Math.min(60_000, Math.max(5_000, budget)),
      deliveryTimeoutMs: lingerMs + requestTimeoutMs + Math.min(90_000, Math.max(budget, 1_000)),
      metadataMaxAgeMs: config.metadataMaxAge ?? 300_000,
      allowAutoCreateTopics: config.allowAutoTopicCreation ?? true,
    };
    try {
      const producer = new CoreProducer<Buffer | string, Buffer | string>(options);
      this.emitter.own(producer.instance);
      return producer;
    } catch (error) {
      throw toKafkaJSError(error);
    }
  }
}
