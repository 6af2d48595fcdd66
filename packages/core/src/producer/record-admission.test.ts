import { describe, expect, it } from 'vitest';
import type { TopicInfo } from '../cluster/metadata.js';
import {
  BufferExhaustedError,
  ClientClosedError,
  InvalidArgumentError,
  KafkaTimeoutError,
} from '../errors/client-errors.js';
import { InvalidTopicError } from '../errors/index.js';
import type { KafkaError } from '../errors/kafka-error.js';
import { readRecordBatches } from '../protocol/records/record-batch-reader.js';
import { silentLogger } from '../utils/logger.js';
import { BufferPool } from './buffer-pool.js';
import { pendingRecord, TestMetadata, topicInfo } from './fixtures/test-records.js';
import { PartitionCache } from './partition-cache.js';
import type { PartitionState } from './partition-state.js';
import { RoundRobinPartitioner } from './partitioner.js';
import { RecordAccumulator } from './record-accumulator.js';
import { type AdmissionHost, RecordAdmission } from './record-admission.js';
import type { RecordMetadata } from './record-metadata.js';

function topic(name: string, partitionCount: number): TopicInfo {
  return topicInfo(name, new Array<number>(partitionCount).fill(1));
}

function setup(
  options: { bufferMemory?: number; batchSize?: number; maxBlockMs?: number; transactional?: boolean } = {},
) {
  const batchSize = options.batchSize ?? 1000;
  const bufferMemory = options.bufferMemory ?? 1 << 20;
  const metadata = new TestMetadata();
  const pool = new BufferPool(bufferMemory, batchSize);
  const accumulator = new RecordAccumulator(
    {
      batchSize,
      lingerMs: 5,
      compression: 'none',
      compressionLevel: undefined,
      deliveryTimeoutMs: 60_000,
      transactional: false,
      logger: silentLogger,
    },
    pool,
  );
  const cache = new PartitionCache(metadata, new RoundRobinPartitioner(), (name, partition) =>
    accumulator.partitionState(name, partition),
  );
  metadata.onPublish = () => cache.refresh();
  const joined: string[] = [];
  const host = {
    refused: undefined as KafkaError | undefined,
    wakes: 0,
    refusal() {
      return this.refused;
    },
    joinedTransaction(state: PartitionState) {
      joined.push(state.label);
    },
    wakeSender() {
      this.wakes++;
    },
    codecs: { ready: true, error: undefined, loaded: Promise.resolve() },
  } satisfies AdmissionHost & { refused: KafkaError | undefined; wakes: number };
  const admission = new RecordAdmission(cache, accumulator, pool, metadata, host, {
    maxBlockMs: options.maxBlockMs ?? 60_000,
    deliveryTimeoutMs: 60_000,
    bufferMemory,
    lingerMs: 5,
    compressed: false,
    transactional: options.transactional ?? false,
    logger: silentLogger,
  });
  /** Admits a record; its outcome: the record metadata or the error. */
  const send = (name: string, value: string, partition?: number) =>
    new Promise<RecordMetadata | KafkaError>((resolve) =>
      admission.admit(name, partition, pendingRecord(value), resolve, resolve, Date.now()),
    );
  /** The values queued in a partition's batches, in order (closing the batches: no appends after). */
  const queued = (name: string, partition: number): string[] => {
    const state = accumulator.partitionState(name, partition);
    return state.batches.slice(state.head).flatMap((batch) => {
      const bytes = batch.close() as Buffer;
      return readRecordBatches(bytes).flatMap((b) => b.records().map((r) => r.value!.toString()));
    });
  };
  return { admission, accumulator, pool, metadata, host, joined, send, queued };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('RecordAdmission', () => {
  it('appends at once when the topic is known and memory is at hand', () => {
    const { admission, metadata, host, joined, queued } = setup({ transactional: true });
    metadata.publish([topic('t', 1)]);
    admission.admit(
      't',
      undefined,
      pendingRecord('a'),
      () => {},
      () => {},
      Date.now(),
    );
    expect(queued('t', 0)).toEqual(['a']);
    expect(joined).toEqual(['t-0']); // a transactional producer registers the partition
    expect(host.wakes).toBe(1); // a new batch
    expect(metadata.asked).toEqual([]);
  });

  it('keeps the send order of a topic while its metadata loads', async () => {
    const { metadata, send, queued, admission } = setup();
    const outcomes = ['a', 'b', 'c'].map((value) => send('t', value));
    await tick();
    expect(metadata.asked).toEqual(['t']); // one at a time: the others wait behind the first
    expect(queued('t', 0)).toEqual([]);
    metadata.publish([topic('t', 1)]);
    await admission.drained();
    send('t', 'd');
    expect(queued('t', 0)).toEqual(['a', 'b', 'c', 'd']);
    expect(outcomes).toHaveLength(3);
  });

  it('fails a record for a partition the topic does not have, after a metadata refresh', async () => {
    const { metadata, send, admission } = setup();
    metadata.publish([topic('t', 2)]);
    const outcome = send('t', 'x', 5);
    await admission.drained();
    const error = await outcome;
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as KafkaError).message).toMatch(/Partition 5 does not exist: topic t has 2 partition/);
  });

  it('fails a record whose topic metadata does not come within maxBlockMs', async () => {
    const { metadata, send } = setup({ maxBlockMs: 10 });
    metadata.failWith = new KafkaTimeoutError('no metadata');
    const error = (await send('t', 'x')) as KafkaError;
    expect(error).toBeInstanceOf(KafkaTimeoutError);
    expect(error.message).toMatch(/Topic t not present in metadata within maxBlockMs/);
  });

  it('fails a bad topic name at once, without asking for metadata', async () => {
    const { metadata, send } = setup();
    expect(await send('no spaces allowed', 'x')).toBeInstanceOf(InvalidTopicError);
    expect(metadata.asked).toEqual([]);
  });

  it('queues records that need memory first in first out, and appends them as memory frees', async () => {
    const { admission, accumulator, metadata, send, queued } = setup({ bufferMemory: 2000, batchSize: 1000 });
    metadata.publish([topic('t', 2)]);
    const big = 'x'.repeat(900);
    void send('t', big, 0);
    void send('t', 'small', 1); // the pool is now taken by two batches
    expect(admission.waitingForMemory).toBe(0);
    void send('t', 'waits-1', 0); // needs a new batch
    void send('t', 'waits-2', 1); // would fit in its open batch, but must not overtake the record waiting before it
    expect(admission.waitingForMemory).toBe(2);
    expect(accumulator.partitionState('t', 1).peek()!.count).toBe(1);
    const full = accumulator.partitionState('t', 0).shift()!;
    accumulator.complete(full, 0n, -1, true);
    await admission.drained();
    expect(admission.waitingForMemory).toBe(0);
    expect(queued('t', 0)).toEqual(['waits-1']);
    expect(queued('t', 1)).toEqual(['small', 'waits-2']);
  });

  it('bounds the records waiting by bufferMemory: beyond it a send fails at once', async () => {
    const { send } = setup({ bufferMemory: 300 });
    const first = send('t', 'y'.repeat(200)); // waits for metadata
    expect(await send('t', 'z'.repeat(200))).toBeInstanceOf(BufferExhaustedError);
    expect(first).toBeInstanceOf(Promise);
  });

  it('asks the producer before a waiting record joins a batch', async () => {
    const { metadata, host, send, queued } = setup();
    const outcome = send('t', 'late');
    await tick();
    host.refused = new ClientClosedError('closed');
    metadata.publish([topic('t', 1)]);
    expect(await outcome).toBe(host.refused);
    expect(queued('t', 0)).toEqual([]);
  });
});
