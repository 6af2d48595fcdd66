import { describe, expect, it } from 'vitest';
import { KafkaTimeoutError } from '../errors/client-errors.js';
import type { KafkaError } from '../errors/kafka-error.js';
import { readRecordBatches } from '../protocol/records/record-batch-reader.js';
import { silentLogger } from '../utils/logger.js';
import { BufferPool } from './buffer-pool.js';
import { pendingRecord } from './fixtures/test-records.js';
import type { PartitionState } from './partition-state.js';
import type { ProducerBatch } from './producer-batch.js';
import {
  type AccumulatorOptions,
  BATCH_OVERHEAD,
  type PendingRecord,
  RecordAccumulator,
} from './record-accumulator.js';
import type { RecordMetadata } from './record-metadata.js';

function record(value: string, sendTime = 1000): PendingRecord {
  return pendingRecord(value, sendTime);
}

/** Appends `pending` at `now`, with a completion target and tag that ignore the outcome. */
function appendIgnored(accumulator: RecordAccumulator, state: PartitionState, pending: PendingRecord, now = 1000) {
  return accumulator.append(state, pending, ignore, ignore, now);
}

function ignore(): void {}

function setup(overrides: Partial<AccumulatorOptions> = {}, memory = 1 << 20) {
  const options: AccumulatorOptions = {
    batchSize: 1000,
    lingerMs: 10,
    compression: 'none',
    compressionLevel: undefined,
    deliveryTimeoutMs: 5000,
    transactional: false,
    logger: silentLogger,
    ...overrides,
  };
  const pool = new BufferPool(memory, options.batchSize);
  const accumulator = new RecordAccumulator(options, pool);
  const leaders = new Map<string, number>();
  const leaderOf = (state: PartitionState) => leaders.get(state.label) ?? -1;
  const always = () => true;
  const ok = () => {};
  return { accumulator, pool, leaders, leaderOf, always, ok };
}

describe('RecordAccumulator', () => {
  it('appends to the open batch and starts a new one when a record does not fit', () => {
    const { accumulator } = setup();
    const state = accumulator.partitionState('t', 0);
    const value = 'x'.repeat(300);
    expect(appendIgnored(accumulator, state, record(value))).toBe('new-batch');
    expect(appendIgnored(accumulator, state, record(value))).toBe('appended');
    expect(appendIgnored(accumulator, state, record(value))).toBe('new-batch'); // 3 x ~340 > 1000
    expect(state.queued).toBe(2);
    expect(state.peek()!.count).toBe(2);
    expect(state.peek()!.full).toBe(true);
    expect(accumulator.partitionState('t', 0)).toBe(state);
  });

  it('gives a record larger than batchSize a batch of its own size', () => {
    const { accumulator, pool } = setup();
    const state = accumulator.partitionState('t', 0);
    const big = record('y'.repeat(5000));
    appendIgnored(accumulator, state, big);
    expect(state.peek()!.reserved).toBe(BATCH_OVERHEAD + big.recordBound);
    expect(pool.used).toBe(BATCH_OVERHEAD + big.recordBound);
  });

  it('says needs-memory without appending when the pool has no room for a new batch', () => {
    const { accumulator, pool } = setup({}, 2000);
    const state = accumulator.partitionState('t', 0);
    const value = 'z'.repeat(600);
    expect(appendIgnored(accumulator, state, record(value))).toBe('new-batch');
    expect(appendIgnored(accumulator, state, record(value))).toBe('new-batch');
    expect(appendIgnored(accumulator, state, record(value))).toBe('needs-memory');
    expect(pool.used).toBe(2000);
    expect(state.queued).toBe(2);
  });

  it('makes a batch ready when full, after linger, on flush, on close, and when sends wait for memory', () => {
    const { accumulator, leaders, leaderOf, always, pool } = setup();
    const a = accumulator.partitionState('t', 0);
    const b = accumulator.partitionState('t', 1);
    leaders.set('t-0', 1);
    leaders.set('t-1', 2);
    appendIgnored(accumulator, a, record('small'));
    appendIgnored(accumulator, b, record('small'));
    let ready = accumulator.ready(1005, leaderOf, always);
    expect(ready.nodes.size).toBe(0);
    expect(ready.nextCheckAt).toBe(1010);
    ready = accumulator.ready(1010, leaderOf, always);
    expect([...ready.nodes.keys()].sort()).toEqual([1, 2]);

    accumulator.beginFlush();
    expect(accumulator.ready(1001, leaderOf, always).nodes.size).toBe(2);
    accumulator.endFlush();
    expect(accumulator.ready(1001, leaderOf, always).nodes.size).toBe(0);

    accumulator.closing = true;
    expect(accumulator.ready(1001, leaderOf, always).nodes.size).toBe(2);
    accumulator.closing = false;

    const waiting = pool.allocate(pool.totalBytes, 10_000);
    expect(accumulator.ready(1001, leaderOf, always).nodes.size).toBe(2);
    pool.failWaiters(new (class extends Error {})() as never);
    void waiting.catch(() => {});

    // Full: a second batch exists.
    appendIgnored(accumulator, a, record('q'.repeat(900)));
    expect([...accumulator.ready(1001, leaderOf, always).nodes.keys()]).toEqual([1]);
  });

  it('waives the linger of the batches queued now (a sendBatch handed over its last record), not of later ones', () => {
    const { accumulator, leaders, leaderOf, always } = setup();
    const a = accumulator.partitionState('t', 0);
    const b = accumulator.partitionState('t', 1);
    leaders.set('t-0', 1);
    leaders.set('t-1', 2);
    appendIgnored(accumulator, a, record('small'));
    expect(accumulator.ready(1001, leaderOf, always).nodes.size).toBe(0);
    accumulator.waiveLinger();
    // t-1's batch is created after the waiver: it lingers as usual.
    appendIgnored(accumulator, b, record('small'), 1001);
    const ready = accumulator.ready(1001, leaderOf, always);
    expect([...ready.nodes.keys()]).toEqual([1]);
    expect(ready.nextCheckAt).toBe(1011);
  });

  it('reports partitions without a leader and skips batches in retry backoff or held back', () => {
    const { accumulator, leaders, leaderOf, always } = setup({ lingerMs: 0 });
    const a = accumulator.partitionState('t', 0);
    const b = accumulator.partitionState('t', 1);
    appendIgnored(accumulator, a, record('v'));
    appendIgnored(accumulator, b, record('v'));
    leaders.set('t-1', 3);
    const ready = accumulator.ready(1000, leaderOf, always);
    expect(ready.unknownLeader).toBe(true);
    expect([...ready.nodes.keys()]).toEqual([3]);
    b.peek()!.attempted = true;
    b.peek()!.retryAt = 1050;
    const backoff = accumulator.ready(1000, leaderOf, always);
    expect(backoff.nodes.size).toBe(0);
    expect(backoff.nextCheckAt).toBe(1050);
    expect(accumulator.ready(1050, leaderOf, always).nodes.size).toBe(1);
    expect(accumulator.ready(1050, leaderOf, () => false).nodes.size).toBe(0);
  });

  it('drains one batch per partition, within maxRequestSize, always taking the first', () => {
    const { accumulator, leaders, leaderOf, always } = setup({ lingerMs: 0 });
    const states = [0, 1, 2].map((p) => accumulator.partitionState('t', p));
    for (const state of states) {
      leaders.set(state.label, 1);
      appendIgnored(accumulator, state, record('a'.repeat(500)));
      appendIgnored(accumulator, state, record('b'.repeat(500))); // second batch
    }
    const ready = accumulator.ready(1000, leaderOf, always).nodes.get(1)!;
    expect(ready).toHaveLength(3);
    const first = accumulator.drain(ready, 1200, always);
    expect(first).toHaveLength(2); // ~2 x 600 bytes fit in 1200, the third does not
    expect(new Set(first.map((b) => b.partition)).size).toBe(2);
    const second = accumulator.drain(ready, 10, always); // tiny limit: still one batch
    expect(second).toHaveLength(1);
    // What was drained really is a record batch with the records appended.
    const built = first[0]!.close() as Buffer;
    const [batch] = readRecordBatches(built);
    expect(batch!.records().map((r) => r.value!.toString())).toEqual(['a'.repeat(500)]);
    expect(accumulator.incompleteCount).toBe(6);
  });

  it('expires queued batches at their delivery deadline, counted from the earliest send', () => {
    const { accumulator } = setup({ deliveryTimeoutMs: 100 });
    const state = accumulator.partitionState('t', 0);
    const failures: string[] = [];
    const fail = (error: KafkaError) => failures.push(error.message);
    accumulator.append(state, record('late', 1200), () => {}, fail, 1200);
    accumulator.append(state, record('early', 1050), () => {}, fail, 1200); // waited before appending
    expect(accumulator.nextExpiry()).toBe(1150);
    const timeout = (batch: ProducerBatch) => new KafkaTimeoutError(`expired ${batch.count}`);
    accumulator.expireQueued(1149, timeout);
    expect(failures).toEqual([]);
    accumulator.expireQueued(1150, timeout);
    expect(failures).toEqual(['expired 2', 'expired 2']);
    expect(state.queued).toBe(0);
    expect(accumulator.incompleteCount).toBe(0);
    expect(accumulator.nextExpiry()).toBe(Number.POSITIVE_INFINITY);
  });

  it('requeues retried batches in sequence order ahead of new batches, and settles records in order', () => {
    const { accumulator } = setup({ batchSize: 200, lingerMs: 0 });
    const state = accumulator.partitionState('t', 0);
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      accumulator.append(
        state,
        record(`r${i}`.padEnd(40, '.')),
        (m: { offset: bigint }) => outcomes.push(`ok ${i} ${m.offset}`),
        () => outcomes.push(`fail ${i}`),
        1000,
      );
    }
    const batches: ProducerBatch[] = [];
    while (state.queued > 0) batches.push(state.shift()!);
    expect(batches.map((b) => b.count)).toEqual([2, 2, 2]);
    batches.forEach((batch, i) => {
      batch.attempted = true;
      batch.baseSequence = i * 10;
    });
    accumulator.requeue(batches[2]!);
    accumulator.requeue(batches[0]!);
    appendIgnored(accumulator, state, record('new'));
    expect(state.peek()).toBe(batches[0]);
    state.shift();
    expect(state.peek()).toBe(batches[2]);
    batches[0]!.complete(7n, -1, true);
    expect(outcomes.slice(0, 2)).toEqual(['ok 0 7', 'ok 1 8']);
  });

  it('sizes compressed batches by the estimated compression ratio, as the Java client', () => {
    const { accumulator } = setup({ compression: 'lz4', batchSize: 1000, maxBatchBytes: 8000 });
    const small = record('v');
    expect(accumulator.batchBytesFor(small, 't')).toBe(1000);
    // A much better ratio is approached by 0.005 per batch.
    accumulator.observeCompression('t', 1000, 100);
    expect(accumulator.compressionRatio('t')).toBeCloseTo(0.995, 6);
    for (let i = 0; i < 400; i++) accumulator.observeCompression('t', 1000, 100);
    expect(accumulator.compressionRatio('t')).toBeCloseTo(0.1, 6);
    expect(accumulator.batchBytesFor(small, 't')).toBe(8000); // 1000 / 0.1, capped by maxBatchBytes
    expect(accumulator.batchBytesFor(small, 'other')).toBe(1000);
    // A worse ratio moves back at least 0.05 at once.
    accumulator.observeCompression('t', 1000, 120);
    expect(accumulator.compressionRatio('t')).toBeCloseTo(0.15, 6);
    expect(accumulator.batchBytesFor(small, 't')).toBe(Math.ceil(1000 / 0.15));
    // Without compression the ratio is ignored.
    const plain = setup({ batchSize: 1000 }).accumulator;
    plain.observeCompression('t', 1000, 10);
    expect(plain.batchBytesFor(small, 't')).toBe(1000);
  });

  it('drains compressed batches by their estimated compressed size', () => {
    const { accumulator, leaders, leaderOf, always } = setup({
      compression: 'lz4',
      batchSize: 1000,
      maxBatchBytes: 100_000,
      lingerMs: 0,
    });
    for (let i = 0; i < 400; i++) accumulator.observeCompression('t', 1000, 100);
    const states = [0, 1].map((p) => accumulator.partitionState('t', p));
    for (const state of states) {
      leaders.set(state.label, 1);
      for (let i = 0; i < 10; i++) appendIgnored(accumulator, state, record('c'.repeat(400)));
    }
    // Each batch holds ~4.4 KB uncompressed, ~440 bytes estimated compressed: both fit in a 1200-byte request.
    expect(states[0]!.peek()!.sizeInBytes).toBeGreaterThan(4000);
    const ready = accumulator.ready(1000, leaderOf, always).nodes.get(1)!;
    expect(accumulator.drain(ready, 1200, always)).toHaveLength(2);
  });
});

describe('RecordAccumulator: batch outcomes', () => {
  function withListener() {
    const events: string[] = [];
    const options: AccumulatorOptions = {
      batchSize: 200,
      lingerMs: 0,
      compression: 'none',
      compressionLevel: undefined,
      deliveryTimeoutMs: 5000,
      transactional: false,
      logger: silentLogger,
    };
    const accumulator = new RecordAccumulator(options, new BufferPool(1 << 20, 200), {
      givenUp: (batch) => events.push(`given up ${batch.state.label}`),
      settled: (batch, error) => events.push(`${error === undefined ? 'completed' : 'failed'} ${batch.state.label}`),
    });
    const outcomes: string[] = [];
    const append = (partition: number, value: string) =>
      accumulator.append(
        accumulator.partitionState('t', partition),
        record(value),
        (m: RecordMetadata) => outcomes.push(`${value} at ${m.offset}`),
        (e: KafkaError) => outcomes.push(`${value}: ${e.message}`),
        1000,
      );
    return { accumulator, events, outcomes, append };
  }

  /** {@link withListener} with one record appended to `t-0` and its batch taken out and sent at 1000. */
  function firstBatchSent() {
    const listened = withListener();
    listened.append(0, 'a');
    const state = listened.accumulator.partitionState('t', 0);
    const batch = state.shift()!;
    batch.markSent(1000);
    return { ...listened, state, batch };
  }

  it('settles a batch once, forgets it, and tells the listener', () => {
    const { accumulator, events, outcomes, append } = withListener();
    append(0, 'a');
    append(1, 'b');
    const a = accumulator.partitionState('t', 0).shift()!;
    const b = accumulator.partitionState('t', 1).shift()!;
    accumulator.complete(a, 10n, -1, true);
    accumulator.complete(a, 20n, -1, true); // already done: nothing happens
    accumulator.fail(b, new KafkaTimeoutError('gone'), true);
    expect(outcomes).toEqual(['a at 10', 'b: gone']);
    expect(events).toEqual(['completed t-0', 'failed t-1']);
    expect(accumulator.incompleteCount).toBe(0);
  });

  it('abandons the queued batches a filter picks: given up, then failed; the others stay queued', () => {
    const { accumulator, events, outcomes, append } = withListener();
    append(0, 'a');
    append(1, 'b');
    append(2, 'c');
    accumulator.abandonQueued(new KafkaTimeoutError('aborted'), (batch) => batch.partition !== 1);
    expect(events).toEqual(['given up t-0', 'failed t-0', 'given up t-2', 'failed t-2']);
    expect(outcomes).toEqual(['a: aborted', 'c: aborted']);
    expect(accumulator.partitionState('t', 1).queued).toBe(1);
    expect(accumulator.incompleteCount).toBe(1);
    accumulator.abandonQueued(new KafkaTimeoutError('closed'));
    expect(outcomes).toEqual(['a: aborted', 'c: aborted', 'b: closed']);
    expect(accumulator.hasQueued).toBe(false);
  });

  it('counts a batch in flight for itself and its partition from markSent to markReturned', () => {
    const { state, batch } = firstBatchSent();
    expect([batch.inFlight, batch.attempts, batch.attempted, state.inFlight]).toEqual([true, 1, true, 1]);
    batch.markReturned();
    batch.markReturned(); // once only
    expect([batch.inFlight, state.inFlight]).toEqual([false, 0]);
  });

  it('retries a batch after its backoff, ahead of newer batches, holding its partition until idle', () => {
    const { accumulator, append, state, batch } = firstBatchSent();
    append(0, 'b');
    batch.markReturned();
    accumulator.retry(batch, 1500);
    expect(state.peek()).toBe(batch);
    expect(batch.retryAt).toBe(1500);
    expect(state.holdUntilIdle).toBe(true);
    const leaders = () => 1;
    expect(accumulator.ready(1200, leaders, () => true).nextCheckAt).toBe(1500);
  });
});
