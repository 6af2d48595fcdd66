import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { TestData } from './support/kafka.js';

const brokers = inject('kafkaBootstrap');
const CHILD = fileURLToPath(new URL('./support/memory-child.ts', import.meta.url));

const MAX_PREFETCH_BYTES = 2 * 1024 * 1024;
const FETCH_MAX_BYTES = 1024 * 1024;
const VALUE_BYTES = 2048;
const HIGH_WATER_MARK = 500;
const PARTITIONS = 2;
/** A backlog twenty times the consumer's prefetch bound. */
const RECORDS = Math.ceil((20 * MAX_PREFETCH_BYTES) / VALUE_BYTES);

interface MemoryResult {
  baseline: { total: number };
  max: { total: number; heapUsed: number; arrayBuffers: number };
  maxReadable: number;
  maxBufferedBytes: number;
  pausedSeen: number;
  stalled: { readable: number; delivered: number; paused: number };
  fetchPauses: number;
  processed: number;
  committed: string;
}

function runChild(config: Record<string, unknown>): Promise<MemoryResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [JSON.stringify(config)], {
      execArgv: ['--expose-gc', '--conditions=@vltava/source', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: MemoryResult | undefined;
    child.on('message', (message: { type: string } & MemoryResult) => {
      if (message.type === 'result') result = message;
    });
    child.on('exit', (code) => {
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`memory child exited with ${code} without a result`));
    });
  });
}

/**
 * A read stream over a backlog twenty times the consumer's prefetch bound, feeding a downstream that stalls and
 * then drains slowly, in a child process with forced garbage collections: the stream holds its high-water mark,
 * fetching pauses, and the process grows by about the bounds (prefetch + high-water mark), not by the backlog.
 */
describe('read stream memory', () => {
  const data = new TestData(brokers);
  afterAll(async () => {
    await data.close();
  });

  it('stays within the high-water mark plus the prefetch bound over a large backlog', async () => {
    const topic = uniqueName('mem');
    await data.createTopic(topic, PARTITIONS);
    await data.fillValues(topic, PARTITIONS, RECORDS / PARTITIONS, Buffer.alloc(VALUE_BYTES, 'v'));
    const result = await runChild({
      brokers,
      topic,
      groupId: uniqueName('g'),
      records: RECORDS,
      highWaterMark: HIGH_WATER_MARK,
      stallMs: 1500,
      options: {
        maxPrefetchBytes: MAX_PREFETCH_BYTES,
        maxPartitionFetchBytes: 256 * 1024,
        fetchMaxBytes: FETCH_MAX_BYTES,
      },
    });
    const backlog = RECORDS * VALUE_BYTES;
    const growth = result.max.total - result.baseline.total;
    console.log(
      `[streams memory] backlog ${(backlog / 2 ** 20).toFixed(1)} MiB, prefetch bound ${MAX_PREFETCH_BYTES / 2 ** 20} MiB, ` +
        `high-water mark ${HIGH_WATER_MARK} records (${((HIGH_WATER_MARK * VALUE_BYTES) / 2 ** 20).toFixed(2)} MiB of values); ` +
        `stream buffer at most ${result.maxReadable} records, consumer buffer at most ` +
        `${(result.maxBufferedBytes / 2 ** 20).toFixed(2)} MiB, ${result.fetchPauses} fetch pauses; ` +
        `heap+buffers grew ${(growth / 2 ** 20).toFixed(2)} MiB (heap ${(result.max.heapUsed / 2 ** 20).toFixed(1)} MiB, ` +
        `array buffers ${(result.max.arrayBuffers / 2 ** 20).toFixed(1)} MiB)`,
    );
    // While stalled: the stream held its mark, fetching of its partitions was paused.
    expect(result.stalled.readable).toBe(HIGH_WATER_MARK);
    expect(result.stalled.paused).toBeGreaterThan(0);
    expect(result.maxReadable).toBeLessThanOrEqual(HIGH_WATER_MARK);
    expect(result.maxBufferedBytes).toBeLessThanOrEqual(MAX_PREFETCH_BYTES + 256 * 1024);
    // Everything went through and was committed.
    expect(result.processed).toBe(RECORDS);
    expect(BigInt(result.committed)).toBe(BigInt(RECORDS));
    // Memory: the bounds (the consumer's prefetch; the records the stream holds, its buffer plus one batch; the
    // fetch responses those records' values are views into, and the one being received), with room for the runtime,
    // and far below the backlog.
    const bound = MAX_PREFETCH_BYTES + 2 * HIGH_WATER_MARK * VALUE_BYTES + 3 * FETCH_MAX_BYTES + 4 * 1024 * 1024;
    expect(growth).toBeLessThan(bound);
    expect(bound).toBeLessThan(backlog / 3);
  });
});
