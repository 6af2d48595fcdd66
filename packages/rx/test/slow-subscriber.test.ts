import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Sample } from './support/slow-subscriber-child.js';
import { TopicWriter } from './support/topic-writer.js';

const brokers = inject('kafkaBootstrap');
const CHILD = fileURLToPath(new URL('./support/slow-subscriber-child.ts', import.meta.url));

const BACKLOG = 200_000;
const PARTITIONS = 4;
const HIGH_WATER_MARK = 200;
const DELAY_MS = 10;
/** The window observed: 10 ms per record makes 200,000 records a half-hour job; a bounded window tells enough. */
const WINDOW_MS = 9000;
const SAMPLE_MS = 250;
/** Samples before this are warm-up (connections, first fetches, JIT): not part of the flatness check. */
const WARM_UP_MS = 2000;

interface Result {
  readonly samples: Sample[];
  readonly maxInFlight: number;
  readonly processed: number;
  readonly pauses: number;
  readonly resumes: number;
}

function runChild(config: Record<string, unknown>): Promise<Result> {
  const child = fork(CHILD, [JSON.stringify(config)], {
    execArgv: ['--expose-gc', '--conditions=@vltava/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'result') resolve(message as unknown as Result);
      else reject(new Error(`child failed: ${message.message}`));
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before its result`)));
  });
}

/** Least-squares slope of heap use over time, in bytes per second. */
function slope(samples: readonly Sample[]): number {
  const n = samples.length;
  const mx = samples.reduce((s, x) => s + x.atMs, 0) / n;
  const my = samples.reduce((s, x) => s + x.heapUsed, 0) / n;
  let num = 0;
  let den = 0;
  for (const x of samples) {
    num += (x.atMs - mx) * (x.heapUsed - my);
    den += (x.atMs - mx) ** 2;
  }
  return (num / den) * 1000;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * A subscriber that takes 10 ms per record, over a backlog of 200,000 records: the records emitted and not
 * acknowledged never exceed the high-water mark, fetching is seen paused, and heap use (after forced GCs, in a child
 * process) stays flat over the window observed.
 */
describe('fromConsumer with a slow subscriber and a large backlog', () => {
  const producer = new TopicWriter(brokers);
  afterAll(() => producer.close());

  it('holds the buffered count to the high-water mark, pauses fetching and keeps the heap flat', async ({
    annotate,
  }) => {
    const topic = uniqueName('rx-backlog');
    await producer.createTopic(topic, PARTITIONS);
    const value = 'x'.repeat(100);
    const perPartition = BACKLOG / PARTITIONS;
    for (let p = 0; p < PARTITIONS; p++) {
      for (let start = 0; start < perPartition; start += 2000) {
        await producer.send(
          topic,
          p,
          Array.from({ length: 2000 }, (_, i) => ({ key: `k-${start + i}`, value })),
        );
      }
    }
    const result = await runChild({
      brokers,
      topic,
      groupId: uniqueName('g'),
      highWaterMark: HIGH_WATER_MARK,
      delayMs: DELAY_MS,
      sampleMs: SAMPLE_MS,
      windowMs: WINDOW_MS,
      // The consumer's defaults: its read-ahead is bounded by maxPrefetchBytes (32 MiB) and maxPrefetchRecords.
      consumer: {},
    });
    const { samples } = result;
    const steady = samples.filter((s) => s.atMs >= WARM_UP_MS);
    const heaps = steady.map((s) => s.heapUsed);
    const minHeap = Math.min(...heaps);
    const maxHeap = Math.max(...heaps);
    const growth = slope(steady);
    const maxBuffers = Math.max(...samples.map((s) => s.arrayBuffers));
    const pausedShare = samples.filter((s) => s.fetchPaused).length / samples.length;
    await annotate(
      `processed ${result.processed} in ${WINDOW_MS} ms; max in flight ${result.maxInFlight} (mark ` +
        `${HIGH_WATER_MARK}); ${result.pauses} pauses, ${result.resumes} resumes; fetching paused in ` +
        `${Math.round(pausedShare * 100)}% of samples; heap after warm-up ${mib(minHeap)}..${mib(maxHeap)}, ` +
        `slope ${(growth / 1024).toFixed(1)} KiB/s; Buffers max ${mib(maxBuffers)}; consumer buffer max ${Math.max(...samples.map((s) => s.bufferedRecords))} records`,
    );
    // The subscriber is slow: a fraction of the backlog is processed in the window. The lower bound is progress
    // only (900 records at 10 ms each on an idle machine; timers run late on a busy one, 121 seen at load 20).
    expect(result.processed).toBeGreaterThan(HIGH_WATER_MARK / 4);
    expect(result.processed).toBeLessThan(BACKLOG / 10);
    // Bounded: never more than the mark emitted and not acknowledged, and the mark was reached.
    expect(result.maxInFlight).toBe(HIGH_WATER_MARK);
    expect(Math.max(...samples.map((s) => s.inFlight))).toBeLessThanOrEqual(HIGH_WATER_MARK);
    // Fetching observed paused, and pausing and resuming as the subscriber works through the records.
    expect(pausedShare).toBeGreaterThan(0.5);
    expect(result.pauses).toBeGreaterThanOrEqual(2);
    expect(result.resumes).toBeGreaterThanOrEqual(1);
    // Flat heap: within a few MiB over the window, and no steady growth.
    expect(maxHeap - minHeap).toBeLessThan(8 * 1024 * 1024);
    expect(Math.abs(growth)).toBeLessThan(512 * 1024);
    // The fetched bytes stay within the consumer's prefetch bound (32 MiB) plus one fetch response.
    expect(maxBuffers).toBeLessThan(40 * 1024 * 1024);
  });
});
