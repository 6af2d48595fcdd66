import { uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { spawnConsumerChild } from './support/spawn-consumer-child.js';
import { TestProducer } from './support/test-producer.js';

const brokers = inject('kafkaBootstrap');

/** Prefetch bound of the consumer under test. */
const MAX_PREFETCH_BYTES = 2 * 1024 * 1024;
/** Record value size, and how many records make a backlog ten times (and more) the bound. */
const VALUE_BYTES = 2048;
const BACKLOG_RECORDS = Math.ceil((12 * MAX_PREFETCH_BYTES) / VALUE_BYTES);
/** A session timeout well below the loop body's 5 s. */
const SESSION_TIMEOUT_MS = 3000;

interface SlowResult {
  count: number;
  elapsedMs: number;
  baseline: { total: number };
  max: { total: number; heapUsed: number; arrayBuffers: number };
  maxBufferedBytes: number;
  maxBufferedRecords: number;
  groupState: string;
  generationAtFirst: number;
  generationAtEnd: number;
  events: string[];
  lag: string[];
}

/**
 * A loop body that takes 5 s per record, with a session timeout of 3 s and a backlog over ten times the prefetch
 * bound: heartbeats keep the membership (no rebalance, same generation), and the consumer's memory (heap plus
 * buffers, after forced garbage collections, in a child process) stays within the bound.
 */
describe.each(['classic', 'consumer'] as const)('slow loop body and bounded memory (%s protocol)', (groupProtocol) => {
  const producer = new TestProducer(brokers);
  afterAll(() => producer.close());

  it('keeps membership through 5 s loop bodies and holds memory to the prefetch bound', async () => {
    const topic = uniqueName('slow');
    await producer.createTopic(topic, 2);
    const value = Buffer.alloc(VALUE_BYTES, 'x');
    for (let p = 0; p < 2; p++) {
      for (let start = 0; start < BACKLOG_RECORDS / 2; start += 200) {
        await producer.send(
          topic,
          p,
          Array.from({ length: 200 }, () => ({ value })),
        );
      }
    }
    const groupId = uniqueName('g');
    if (groupProtocol === 'consumer') {
      await producer.alterGroupConfigs(groupId, {
        'consumer.session.timeout.ms': String(SESSION_TIMEOUT_MS),
        'consumer.heartbeat.interval.ms': '500',
      });
    }
    const child = spawnConsumerChild({
      mode: 'slow',
      brokers,
      topic,
      slowMs: 5000,
      records: 2,
      options: {
        groupId,
        groupProtocol,
        autoOffsetReset: 'earliest',
        maxPrefetchBytes: MAX_PREFETCH_BYTES,
        maxPartitionFetchBytes: 512 * 1024,
        fetchMaxBytes: 1024 * 1024,
        ...(groupProtocol === 'classic' ? { sessionTimeoutMs: SESSION_TIMEOUT_MS, heartbeatIntervalMs: 500 } : {}),
      },
    });
    const result = (await child.next('slow-result')) as unknown as SlowResult;
    expect(await child.exited).toBe(0);

    // Membership kept: the only rebalance event is the first assignment, and the generation did not change.
    expect(result.count).toBe(2);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(10_000);
    expect(result.events).toEqual(['assigned:2']);
    expect(result.groupState).toBe('stable');
    expect(result.generationAtEnd).toBe(result.generationAtFirst);

    // The backlog is there, and over ten times the bound.
    const backlogBytes = BACKLOG_RECORDS * VALUE_BYTES;
    expect(backlogBytes).toBeGreaterThan(10 * MAX_PREFETCH_BYTES);
    expect(result.lag.reduce((sum, l) => sum + BigInt(l), 0n)).toBeGreaterThan(BigInt(BACKLOG_RECORDS - 100));
    // The buffer filled up to its bound (fetching stopped there) ...
    expect(result.maxBufferedBytes).toBeGreaterThan(MAX_PREFETCH_BYTES / 2);
    expect(result.maxBufferedBytes).toBeLessThanOrEqual(MAX_PREFETCH_BYTES + 1024 * 1024);
    // ... and so did the process: heap and buffers grew by about the bound, not by the backlog.
    const growth = result.max.total - result.baseline.total;
    console.log(
      `[${groupProtocol}] backlog ${(backlogBytes / 2 ** 20).toFixed(1)} MiB, bound ${MAX_PREFETCH_BYTES / 2 ** 20} MiB, ` +
        `buffered at most ${(result.maxBufferedBytes / 2 ** 20).toFixed(2)} MiB, heap+buffers grew ${(growth / 2 ** 20).toFixed(2)} MiB ` +
        `(heap ${(result.max.heapUsed / 2 ** 20).toFixed(1)} MiB, array buffers ${(result.max.arrayBuffers / 2 ** 20).toFixed(1)} MiB)`,
    );
    expect(growth).toBeLessThan(2 * MAX_PREFETCH_BYTES + 4 * 1024 * 1024);
  });
});
