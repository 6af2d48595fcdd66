import { afterEach, describe, expect, it } from 'vitest';
import type { MetadataSnapshot, PartitionInfo, TopicInfo } from '../cluster/metadata.js';
import { ConnectionError, KafkaTimeoutError } from '../errors/client-errors.js';
import type { KafkaError } from '../errors/kafka-error.js';
import type { ApiDefinition } from '../protocol/messages/api-definition.js';
import type { ProduceRequest, ProduceResponse } from '../protocol/messages/generated/produce.js';
import { readRecordBatches } from '../protocol/records/record-batch-reader.js';
import { silentLogger } from '../utils/logger.js';
import { BufferPool } from './buffer-pool.js';
import { pendingRecord } from './fixtures/test-records.js';
import type { PartitionState } from './partition-state.js';
import type { ProducerConnection, SenderCluster } from './producer-cluster.js';
import { ProducerMetrics } from './producer-metrics.js';
import { RecordAccumulator } from './record-accumulator.js';
import type { RecordMetadata } from './record-metadata.js';
import { Sender } from './sender.js';
import { TransactionManager } from './transaction-manager.js';

// ---------------------------------------------------------------------------------------------------------------
// A fake broker with Kafka's idempotence rules (ProducerStateManager, simplified): per producer id and partition,
// the epoch, the last sequence and the last 5 batches (for duplicates); requests of a connection are handled in
// order. Faults are injected per batch.

/** What the fake broker does with one batch. */
type Fault =
  | 'none'
  | { readonly error: number; readonly afterAppend?: boolean }
  | { readonly dropConnection: true; readonly afterAppend: boolean };

interface LoggedRecord {
  readonly value: string;
  readonly producerId: bigint;
  readonly epoch: number;
}

interface ProducerEntry {
  epoch: number;
  lastSequence: number;
  recent: Array<{ first: number; last: number; offset: bigint }>;
}

class FakeBroker {
  readonly logs = new Map<string, LoggedRecord[]>();
  private readonly producers = new Map<string, ProducerEntry>();
  fault: (partition: string, sequence: number) => Fault = () => 'none';
  appended = 0;
  /** Batches larger than this are refused with MESSAGE_TOO_LARGE (a topic's max.message.bytes). */
  maxBatchBytes = Number.POSITIVE_INFINITY;

  /** Handles one Produce request; returns the response or 'drop' to break the connection. */
  produce(request: ProduceRequest): ProduceResponse | 'drop' {
    let drop = false;
    const responses = request.topicData.map((topic) => ({
      name: topic.name!,
      topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      partitionResponses: topic.partitionData.map((data) => {
        const key = `${topic.name}-${data.index}`;
        const [batch] = readRecordBatches(data.records!);
        const fault: Fault =
          data.records!.length > this.maxBatchBytes ? { error: 10 } : this.fault(key, batch!.baseSequence);
        const before = typeof fault === 'object' && !('dropConnection' in fault) && fault.afterAppend !== true;
        if (typeof fault === 'object' && 'dropConnection' in fault && !fault.afterAppend) drop = true;
        let code = drop ? 13 : before ? (fault as { error: number }).error : 0;
        let offset = -1n;
        if (code === 0) {
          const result = this.append(key, batch!);
          code = result.code;
          offset = result.offset;
          if (code === 0 && typeof fault === 'object') {
            if ('dropConnection' in fault) drop = true;
            else code = fault.error;
          }
        }
        return {
          index: data.index,
          errorCode: code,
          baseOffset: code === 0 ? offset : -1n,
          logAppendTimeMs: -1n,
          logStartOffset: 0n,
          recordErrors: [],
          errorMessage: null,
          currentLeader: { leaderId: -1, leaderEpoch: -1 },
        };
      }),
    }));
    if (drop) return 'drop';
    return { responses, throttleTimeMs: 0, nodeEndpoints: [] };
  }

  private append(key: string, batch: ReturnType<typeof readRecordBatches>[number]): { code: number; offset: bigint } {
    const log = this.logs.get(key) ?? [];
    this.logs.set(key, log);
    const count = batch.recordCount;
    const first = batch.baseSequence;
    const last = first + count - 1;
    if (batch.producerId >= 0n) {
      const id = `${key}/${batch.producerId}`;
      const entry = this.producers.get(id);
      if (entry !== undefined && batch.producerEpoch < entry.epoch) return { code: 47, offset: -1n };
      if (entry === undefined) {
        // Like Kafka (KIP-360): without state for the producer, any sequence is accepted.
      } else if (batch.producerEpoch > entry.epoch) {
        if (first !== 0) return { code: 45, offset: -1n };
      } else {
        const duplicate = entry.recent.find((b) => b.first === first && b.last === last);
        if (duplicate !== undefined) return { code: 0, offset: duplicate.offset };
        if (first !== entry.lastSequence + 1) return { code: 45, offset: -1n };
      }
      const next: ProducerEntry =
        entry === undefined || batch.producerEpoch > entry.epoch
          ? { epoch: batch.producerEpoch, lastSequence: -1, recent: [] }
          : entry;
      next.lastSequence = last;
      next.recent.push({ first, last, offset: BigInt(log.length) });
      if (next.recent.length > 5) next.recent.shift();
      this.producers.set(id, next);
    }
    const offset = BigInt(log.length);
    for (const record of batch.records()) {
      log.push({ value: record.value!.toString(), producerId: batch.producerId, epoch: batch.producerEpoch });
    }
    this.appended += count;
    return { code: 0, offset };
  }
}

/** A connection to the fake broker: answers requests in order, after a macrotask. */
class FakeConnection implements ProducerConnection {
  readonly label = '1@fake:9092';
  readonly finalizedFeatures: ReadonlyMap<string, number> = new Map();
  ready = true;
  private readonly closeListeners: Array<(error: KafkaError | undefined) => void> = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly broker: FakeBroker) {}

  onClose(listener: (error: KafkaError | undefined) => void): void {
    this.closeListeners.push(listener);
  }

  versionFor(): number {
    return 12;
  }

  send<Req, Res>(api: ApiDefinition<Req, Res>, request: Req, options: { expectResponse?: boolean } = {}): Promise<Res> {
    if (!this.ready) return Promise.reject(new ConnectionError('closed', { broker: this.label }));
    if (api.name === 'InitProducerId') {
      return Promise.resolve({ errorCode: 0, producerId: 1000n, producerEpoch: 0 } as Res);
    }
    const result = new Promise<Res>((resolve, reject) => {
      this.queue = this.queue.then(
        () =>
          new Promise<void>((done) => {
            setImmediate(() => {
              if (!this.ready) {
                reject(new ConnectionError('closed', { broker: this.label }));
                done();
                return;
              }
              const response = this.broker.produce(request as ProduceRequest);
              if (response === 'drop') {
                this.close();
                reject(new ConnectionError('broken', { broker: this.label }));
              } else {
                resolve((options.expectResponse === false ? undefined : response) as Res);
              }
              done();
            });
          }),
      );
    });
    return result;
  }

  close(): void {
    if (!this.ready) return;
    this.ready = false;
    for (const listener of this.closeListeners) listener(new ConnectionError('broken'));
  }
}

class FakeCluster implements SenderCluster {
  readonly options = { retryBackoffMs: 1 };
  metadata: MetadataSnapshot;
  private current: FakeConnection | undefined;

  constructor(
    private readonly broker: FakeBroker,
    topic: string,
    partitions: number,
  ) {
    const parts: PartitionInfo[] = Array.from({ length: partitions }, (_, partition) => ({
      topic,
      partition,
      leader: 1,
      leaderEpoch: 0,
      replicas: [1],
      isr: [1],
      offlineReplicas: [],
      errorCode: 0,
    }));
    const info: TopicInfo = {
      name: topic,
      topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      isInternal: false,
      partitions: parts,
      errorCode: 0,
    };
    this.metadata = {
      clusterId: 'fake',
      controllerId: 1,
      brokers: new Map([[1, { nodeId: 1, host: 'fake', port: 9092, rack: null }]]),
      topics: new Map([[topic, info]]),
      topicNamesById: new Map(),
      updatedAt: Date.now(),
    };
  }

  partition(topic: string, partition: number): PartitionInfo | undefined {
    return this.metadata.topics.get(topic)?.partitions[partition];
  }

  connection(): Promise<FakeConnection> {
    if (this.current === undefined || !this.current.ready) this.current = new FakeConnection(this.broker);
    return Promise.resolve(this.current);
  }

  anyConnection(): Promise<FakeConnection> {
    return this.connection();
  }

  refreshMetadata(): Promise<MetadataSnapshot> {
    return Promise.resolve(this.metadata);
  }

  updateLeader(): void {}

  retryDelay(): number {
    return 1;
  }
}

// ---------------------------------------------------------------------------------------------------------------

interface Harness {
  readonly broker: FakeBroker;
  readonly accumulator: RecordAccumulator;
  readonly sender: Sender;
  readonly transactions: TransactionManager | undefined;
  readonly metrics: ProducerMetrics;
  send(partition: number, value: string): Promise<RecordMetadata>;
}

const TOPIC = 't';
const harnesses: Harness[] = [];

afterEach(() => {
  for (const harness of harnesses.splice(0)) harness.sender.stop();
});

function createHarness(
  options: {
    idempotent?: boolean;
    partitions?: number;
    deliveryTimeoutMs?: number;
    batchSize?: number;
    lingerMs?: number;
  } = {},
): Harness {
  const broker = new FakeBroker();
  const cluster = new FakeCluster(broker, TOPIC, options.partitions ?? 3);
  const batchSize = options.batchSize ?? 200;
  const pool = new BufferPool(1 << 20, batchSize);
  const transactions = options.idempotent === false ? undefined : new TransactionManager(undefined, silentLogger);
  const metrics = new ProducerMetrics();
  // Wired as the producer wires it: batches given up leave unresolved sequences; settled batches are counted.
  const accumulator = new RecordAccumulator(
    {
      batchSize,
      lingerMs: options.lingerMs ?? 0,
      compression: 'none',
      compressionLevel: undefined,
      deliveryTimeoutMs: options.deliveryTimeoutMs ?? 20_000,
      transactional: false,
      logger: silentLogger,
    },
    pool,
    {
      givenUp: (batch) => transactions?.onGivenUp(batch),
      settled: (batch, error) => {
        if (error === undefined) metrics.recordsSent += batch.count;
        else metrics.recordsFailed += batch.count;
      },
    },
  );
  const sender = new Sender(
    cluster,
    accumulator,
    transactions,
    metrics,
    {
      acks: -1,
      requestTimeoutMs: 1000,
      maxRequestSize: 1 << 20,
      retries: 2_147_483_647,
      maxInFlight: 5,
      transactionTimeoutMs: 60_000,
      logger: silentLogger,
    },
    undefined,
  );
  const states = new Map<number, PartitionState>();
  const send = (partition: number, value: string) =>
    new Promise<RecordMetadata>((resolve, reject) => {
      let state = states.get(partition);
      if (state === undefined) {
        state = accumulator.partitionState(TOPIC, partition);
        states.set(partition, state);
      }
      const record = pendingRecord(value, Date.now(), Date.now());
      if (accumulator.append(state, record, resolve, reject, Date.now()) === 'needs-memory') {
        throw new Error('pool full');
      }
      sender.wakeup();
    });
  const harness = { broker, accumulator, sender, transactions, metrics, send };
  harnesses.push(harness);
  return harness;
}

/** Sends `count` records per partition, round robin, values `p<partition>-<i>`. */
async function sendAll(harness: Harness, partitions: number, count: number) {
  const outcomes: Array<Promise<RecordMetadata | KafkaError>> = [];
  const sent: string[][] = Array.from({ length: partitions }, () => []);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < partitions; p++) {
      const value = `p${p}-${i}`;
      sent[p]!.push(value);
      outcomes.push(harness.send(p, value).catch((error: KafkaError) => error));
    }
    // Yield now and then so that requests interleave with appends.
    if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return { sent, results: await Promise.all(outcomes) };
}

describe('Sender with idempotence against a fake broker', () => {
  it('writes everything once and in order without faults', async () => {
    const harness = createHarness();
    const { sent, results } = await sendAll(harness, 3, 300);
    expect(results.every((r) => !(r instanceof Error))).toBe(true);
    for (let p = 0; p < 3; p++) {
      expect(harness.broker.logs.get(`${TOPIC}-${p}`)!.map((r) => r.value)).toEqual(sent[p]);
    }
    // Offsets reported match the log.
    const first = results[0] as RecordMetadata;
    expect(first).toMatchObject({ topic: TOPIC, partition: 0, offset: 0n });
  });

  it('keeps exactly-once and order through errors before and after append and broken connections', async () => {
    const harness = createHarness({ partitions: 4 });
    let n = 0;
    // A deterministic mix: every few batches something goes wrong.
    harness.broker.fault = () => {
      n++;
      if (n % 11 === 0) return { error: 6 }; // NOT_LEADER_OR_FOLLOWER before append
      if (n % 13 === 0) return { error: 20, afterAppend: true }; // NOT_ENOUGH_REPLICAS_AFTER_APPEND
      if (n % 17 === 0) return { dropConnection: true, afterAppend: true }; // written, response lost
      if (n % 19 === 0) return { dropConnection: true, afterAppend: false }; // lost before append
      if (n % 23 === 0) return { error: 7, afterAppend: true }; // REQUEST_TIMED_OUT after append
      return 'none';
    };
    const { sent, results } = await sendAll(harness, 4, 400);
    const failures = results.filter((r) => r instanceof Error);
    expect(failures).toEqual([]);
    for (let p = 0; p < 4; p++) {
      const log = harness.broker.logs.get(`${TOPIC}-${p}`)!.map((r) => r.value);
      expect(log).toEqual(sent[p]);
    }
    expect(harness.metrics.batchRetries).toBeGreaterThan(10);
    // Every acknowledged offset points at the record that was sent.
    let index = 0;
    for (let i = 0; i < 400; i++) {
      for (let p = 0; p < 4; p++) {
        const meta = results[index++] as RecordMetadata;
        if (meta.offset >= 0n) {
          expect(harness.broker.logs.get(`${TOPIC}-${p}`)![Number(meta.offset)]!.value).toBe(`p${p}-${i}`);
        }
      }
    }
  });

  it.each([1, 2, 3, 4, 5])('keeps exactly-once and order under random faults (seed %i)', async (seed) => {
    const harness = createHarness({ partitions: 3 });
    let x = seed * 2654435761;
    const random = () => {
      x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
      return ((x >>> 0) % 1000) / 1000;
    };
    harness.broker.fault = () => {
      const r = random();
      if (r < 0.05) return { error: 6 };
      if (r < 0.1) return { error: 19 }; // NOT_ENOUGH_REPLICAS, before append
      if (r < 0.15) return { error: 20, afterAppend: true };
      if (r < 0.2) return { dropConnection: true, afterAppend: true };
      if (r < 0.23) return { dropConnection: true, afterAppend: false };
      return 'none';
    };
    const { sent, results } = await sendAll(harness, 3, 300);
    expect(results.filter((r) => r instanceof Error)).toEqual([]);
    for (let p = 0; p < 3; p++) {
      expect(harness.broker.logs.get(`${TOPIC}-${p}`)!.map((r) => r.value)).toEqual(sent[p]);
    }
  });

  it('bumps the epoch and restarts sequences after the broker loses the producer state (gap)', async () => {
    const harness = createHarness({ partitions: 1 });
    // The first batch is acknowledged but then "lost" (as if truncated on an unclean election): fake a gap by
    // answering OUT_OF_ORDER_SEQUENCE_NUMBER for the next expected sequence once.
    let once = false;
    harness.broker.fault = (_partition, sequence) => {
      if (!once && sequence > 0) {
        once = true;
        return { error: 45 };
      }
      return 'none';
    };
    const { sent, results } = await sendAll(harness, 1, 200);
    expect(results.filter((r) => r instanceof Error)).toEqual([]);
    const log = harness.broker.logs.get(`${TOPIC}-0`)!;
    expect(log.map((r) => r.value)).toEqual(sent[0]);
    // Records after the gap were written under a higher epoch.
    expect(new Set(log.map((r) => r.epoch))).toEqual(new Set([0, 1]));
    expect(harness.transactions!.producerEpoch).toBe(1);
  });

  it('fails batches past deliveryTimeoutMs with KafkaTimeoutError and later batches still go through', async () => {
    const harness = createHarness({ partitions: 1, deliveryTimeoutMs: 300 });
    let failing = true;
    harness.broker.fault = () => (failing ? { error: 6 } : 'none'); // retriable forever while failing
    const early = harness.send(0, 'early').catch((error: KafkaError) => error);
    const outcome = await early;
    expect(outcome).toBeInstanceOf(KafkaTimeoutError);
    expect((outcome as KafkaError).message).toMatch(/Delivery timed out.*t-0/);
    failing = false;
    const later = await harness.send(0, 'later');
    expect(later.offset).toBe(0n);
    expect(harness.broker.logs.get(`${TOPIC}-0`)!.map((r) => r.value)).toEqual(['later']);
  });

  it('without idempotence, retries deliver every record (order across retries is not guaranteed)', async () => {
    const harness = createHarness({ idempotent: false, partitions: 2 });
    let n = 0;
    harness.broker.fault = () => (++n % 5 === 0 ? { error: 6 } : 'none'); // refused before append: no duplicates
    const { sent, results } = await sendAll(harness, 2, 200);
    expect(results.filter((r) => r instanceof Error)).toEqual([]);
    for (let p = 0; p < 2; p++) {
      const log = harness.broker.logs.get(`${TOPIC}-${p}`)!;
      expect(log.map((r) => r.value).sort()).toEqual([...sent[p]!].sort());
      expect(log.every((r) => r.producerId === -1n)).toBe(true);
    }
    expect(harness.metrics.batchRetries).toBeGreaterThan(0);
  });

  it('fails a batch with a non-retriable error alone and later batches recover by an epoch bump', async () => {
    const harness = createHarness({ partitions: 1, batchSize: 100 });
    let rejected = false;
    harness.broker.fault = (_partition, sequence) => {
      if (!rejected && sequence >= 3) {
        rejected = true;
        return { error: 87 }; // INVALID_RECORD: the batch is refused for good
      }
      return 'none';
    };
    const { sent, results } = await sendAll(harness, 1, 60);
    const failed = results.map((r, i) => (r instanceof Error ? sent[0]![i] : undefined)).filter((v) => v);
    expect(failed.length).toBeGreaterThan(0);
    const log = harness.broker.logs.get(`${TOPIC}-0`)!.map((r) => r.value);
    // Everything not reported failed is in the log, once, in send order; nothing failed is there.
    expect(log).toEqual(sent[0]!.filter((v) => !failed.includes(v)));
  });

  it.each([true, false])(
    'splits batches the broker refuses as too large, every record once (idempotent: %s; then also in order)',
    async (idempotent) => {
      const harness = createHarness({ idempotent, partitions: 2, batchSize: 8000, lingerMs: 5 });
      harness.broker.maxBatchBytes = 1000;
      const { sent, results } = await sendAll(harness, 2, 300);
      expect(results.filter((r) => r instanceof Error)).toEqual([]);
      for (let p = 0; p < 2; p++) {
        const log = harness.broker.logs.get(`${TOPIC}-${p}`)!.map((r) => r.value);
        // Without idempotence a smaller batch sent after a refused one may be written first (as in Java).
        if (idempotent) expect(log).toEqual(sent[p]);
        else expect([...log].sort()).toEqual([...sent[p]!].sort());
      }
      expect(harness.metrics.batchSplits).toBeGreaterThan(2);
      // Offsets reported for split parts point at the right records.
      const meta = results[299] as RecordMetadata;
      expect(harness.broker.logs.get(`${TOPIC}-${meta.partition}`)![Number(meta.offset)]!.value).toBe(
        `p${meta.partition}-149`,
      );
    },
  );

  it('fails a single record still too large alone after splitting', async () => {
    const harness = createHarness({ partitions: 1, batchSize: 8000, lingerMs: 5 });
    harness.broker.maxBatchBytes = 500;
    const before = Array.from({ length: 5 }, (_, i) => harness.send(0, `small-${i}`));
    const big = harness.send(0, 'x'.repeat(600)).catch((error: KafkaError) => error);
    const after = Array.from({ length: 5 }, (_, i) => harness.send(0, `later-${i}`));
    await Promise.all([...before, ...after]);
    const error = (await big) as KafkaError;
    expect(error.kafkaErrorName).toBe('MESSAGE_TOO_LARGE');
    expect(harness.broker.logs.get(`${TOPIC}-0`)!.map((r) => r.value)).toEqual([
      ...Array.from({ length: 5 }, (_, i) => `small-${i}`),
      ...Array.from({ length: 5 }, (_, i) => `later-${i}`),
    ]);
  });
});
