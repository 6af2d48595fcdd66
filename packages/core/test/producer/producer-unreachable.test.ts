import { type KafkaCluster, startCluster, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferExhaustedError, ClientClosedError, KafkaTimeoutError } from '../../src/errors/client-errors.js';
import type { KafkaError } from '../../src/errors/kafka-error.js';
import { Producer } from '../../src/producer/producer.js';
import { createTopic, readTopic } from './helpers.js';

/** A private single-node cluster whose only broker is killed: nothing can be delivered until it returns. */
let cluster: KafkaCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 1 });
});

afterAll(async () => {
  await cluster?.stop();
});

/** Settles a promise into [outcome, milliseconds since `from`]. */
function timed<T>(promise: Promise<T>, from: number): Promise<[T | KafkaError, number]> {
  return promise.then(
    (value) => [value, Date.now() - from],
    (error: KafkaError) => [error, Date.now() - from],
  );
}

describe('Producer with its broker unreachable', () => {
  it('settles every send by deliveryTimeoutMs, fails waits for memory after maxBlockMs, then recovers', async () => {
    const topic = uniqueName('unreachable');
    await createTopic(cluster.bootstrap, topic, 2);
    const producer = new Producer({
      brokers: cluster.bootstrap,
      logLevel: 'error',
      lingerMs: 0,
      requestTimeoutMs: 1500,
      deliveryTimeoutMs: 3000,
      maxBlockMs: 1000,
      bufferMemory: 64 * 1024,
      batchSize: 16 * 1024,
      reconnectBackoffMs: 50,
      reconnectBackoffMaxMs: 200,
    });
    await producer.send({ topic, value: 'before' });
    await cluster.killNode(1);

    const start = Date.now();
    // Small records: they fit in memory and wait for the broker until their delivery deadline.
    const small = Array.from({ length: 20 }, (_, i) => timed(producer.send({ topic, value: `lost-${i}` }), start));
    // Big records: four batches fill bufferMemory; the next sends wait for memory until maxBlockMs.
    const big = Array.from({ length: 8 }, (_, i) =>
      timed(producer.send({ topic, value: 'b'.repeat(15_000), partition: i % 2 }), start),
    );
    // A topic never seen: its metadata cannot arrive; the send fails after maxBlockMs.
    const unknown = timed(producer.send({ topic: uniqueName('absent'), value: 'x' }), start);

    for (const [outcome, ms] of await Promise.all(small)) {
      expect(outcome).toBeInstanceOf(KafkaTimeoutError);
      expect((outcome as KafkaError).message).toMatch(/deliveryTimeoutMs/);
      expect(ms).toBeGreaterThanOrEqual(2900);
      expect(ms).toBeLessThan(3000 + 1500);
    }
    const bigOutcomes = await Promise.all(big);
    const exhausted = bigOutcomes.filter(([outcome]) => outcome instanceof BufferExhaustedError);
    const timedOut = bigOutcomes.filter(([outcome]) => outcome instanceof KafkaTimeoutError);
    expect(exhausted.length).toBeGreaterThan(0);
    expect(exhausted.length + timedOut.length).toBe(8);
    for (const [, ms] of exhausted) {
      expect(ms).toBeGreaterThanOrEqual(950);
      expect(ms).toBeLessThan(1000 + 1500);
    }
    const [unknownOutcome, unknownMs] = await unknown;
    expect(unknownOutcome).toBeInstanceOf(KafkaTimeoutError);
    expect(unknownMs).toBeLessThan(1000 + 1500);

    // The broker comes back: the same producer delivers again.
    await cluster.restartNode(1);
    const after = await producer.send({ topic, value: 'after', partition: 0 });
    expect(after.offset).toBeGreaterThanOrEqual(0n);
    await producer.close();
    const values = (await readTopic(cluster.bootstrap, topic)).flat().map((r) => r.value);
    expect(values).toContain('before');
    expect(values).toContain('after');
    expect(values.filter((v) => v?.startsWith('lost-'))).toEqual([]);
  });

  it('close with a timeout returns while the broker is down and fails what is pending (last: leaves it down)', async () => {
    const topic = uniqueName('closing');
    await createTopic(cluster.bootstrap, topic, 1);
    const producer = new Producer({ brokers: cluster.bootstrap, logLevel: 'error', lingerMs: 0 });
    await producer.send({ topic, value: 'ok' });
    await cluster.killNode(1);
    const pending = producer.send({ topic, value: 'stuck' }).catch((e: KafkaError) => e);
    const started = Date.now();
    await producer.close({ timeoutMs: 1000 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await pending).toBeInstanceOf(ClientClosedError);
  });
});
