import { kafkaTool, startCluster, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deserializers, ShareConsumer, ShareGroupsUnavailableError } from '../../../src/index.js';
import { waitFor } from '../support/consumer-helpers.js';
import { TestProducer } from '../support/test-producer.js';
import { setShareGroupConfigs } from './share-support.js';
import { type ShareChild, spawnShareChild } from './spawn-share-child.js';

const brokers = inject('kafkaBootstrap');
let producer: TestProducer;

beforeAll(() => {
  producer = new TestProducer(brokers);
});
afterAll(() => producer.close());

async function setup(groupConfigs: Record<string, string> = {}) {
  const topic = uniqueName('share-fail');
  const groupId = uniqueName('share-fail-group');
  await producer.createTopic(topic, 1);
  await setShareGroupConfigs(brokers, groupId, { 'share.auto.offset.reset': 'earliest', ...groupConfigs });
  return { topic, groupId };
}

describe('share consumer failures', () => {
  it("redelivers a killed member's records to another member", async () => {
    const { topic, groupId } = await setup({ 'share.record.lock.duration.ms': '15000' });
    await producer.sendMany(topic, 0, 50, 'v');
    const child = spawnShareChild({ brokers, groupId, topic, maxPollRecords: 20, holdFirstBatch: true });
    try {
      const held = await child.next('records');
      await child.next('holding');
      expect(held.offsets!.length).toBeGreaterThan(0);
      await child.kill(); // kill -9 in the middle of its batch: nothing acknowledged
      await using other = new ShareConsumer({
        brokers,
        groupId,
        valueDeserializer: deserializers.string,
        logLevel: 'error',
      });
      other.subscribe(topic);
      const redelivered = new Map<string, number>();
      const all = new Set<string>();
      const deadline = Date.now() + 60_000;
      while (all.size < 50) {
        if (Date.now() > deadline) throw new Error(`only ${all.size} of 50 records after the kill`);
        for (const r of await other.poll({ timeoutMs: 500 })) {
          all.add(`${r.partition}:${r.offset}`);
          if (held.offsets!.includes(`${r.partition}:${r.offset}`))
            redelivered.set(`${r.partition}:${r.offset}`, r.deliveryCount);
        }
      }
      expect(redelivered.size).toBe(held.offsets!.length);
      expect([...redelivered.values()].every((count) => count === 2)).toBe(true);
      await other.commitSync();
    } finally {
      await child.kill();
    }
  }, 120_000);

  it('loses nothing across share-group churn: 200,000 records, members killed and added', async () => {
    const { topic, groupId } = await setup({ 'share.record.lock.duration.ms': '15000' });
    const total = 200_000;
    const seen = new Set<string>();
    let deliveries = 0;
    const children: ShareChild[] = [];
    const lastBatchAt = new Map<ShareChild, number>();
    /** The live member that received records last: most likely holding a batch it has not acknowledged. */
    const busiest = () =>
      children
        .filter((c) => c.process.exitCode === null && c.process.signalCode === null)
        .sort((a, b) => (lastBatchAt.get(b) ?? 0) - (lastBatchAt.get(a) ?? 0))[0]!;
    const spawn = () => {
      const child = spawnShareChild({ brokers, groupId, topic, maxPollRecords: 500 });
      child.process.on('message', (m: { type: string; offsets?: string[] }) => {
        if (m.type !== 'records') return;
        lastBatchAt.set(child, Date.now());
        deliveries += m.offsets!.length;
        for (const o of m.offsets!) seen.add(o);
      });
      children.push(child);
      return child;
    };
    try {
      await Promise.all([spawn(), spawn(), spawn()].map((c) => c.next('ready')));
      const writing = producer.sendMany(topic, 0, total, 'v', 2000);
      // Churn while records flow: kill one member, add one, kill another, add two.
      await waitFor(() => seen.size >= total * 0.15, '15% consumed', 120_000);
      await busiest().kill();
      await spawn().next('ready');
      await waitFor(() => seen.size >= total * 0.4, '40% consumed', 120_000);
      await busiest().kill();
      await Promise.all([spawn().next('ready'), spawn().next('ready')]);
      await writing;
      await waitFor(() => seen.size >= total, `all ${total} records consumed`, 180_000);
      expect(seen.size).toBe(total);
      // Killed members' records are delivered again (at least once); nothing more than that is duplicated.
      console.log(`churn: ${total} records, ${deliveries} deliveries, ${deliveries - total} redelivered`);
    } finally {
      await Promise.all(children.map((c) => c.kill()));
    }
  }, 300_000);

  it('interoperates with kafka-console-share-consumer in one group: every record once between them', async () => {
    const { topic, groupId } = await setup();
    const count = 2000;
    await using ours = new ShareConsumer({
      brokers,
      groupId,
      valueDeserializer: deserializers.string,
      maxPollRecords: 50,
      logLevel: 'error',
    });
    ours.subscribe(topic);
    const received: string[] = [];
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        for (const r of await ours.poll({ timeoutMs: 100 })) received.push(r.value!);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await ours.commitSync();
    })();
    await waitFor(() => ours.assignment().length === 1, 'our member assigned');
    const java = kafkaTool(
      'kafka-console-share-consumer',
      ['--topic', topic, '--group', groupId, '--timeout-ms', '8000', '--command-property', 'max.poll.records=50'],
      { timeoutMs: 90_000 },
    );
    // Wait for the Java member to join (two members in the group), then write.
    await waitFor(
      async () => {
        const described = await kafkaTool('kafka-share-groups', ['--describe', '--group', groupId, '--members']);
        return described.stdout.split('\n').filter((line) => line.includes(groupId)).length >= 2;
      },
      'the Java share consumer joined',
      60_000,
    );
    await producer.sendMany(topic, 0, count, 'v', 50);
    const result = await java;
    stop = true;
    await loop;
    const fromJava = result.stdout.split('\n').filter((line) => line.startsWith('v-'));
    const all = [...received, ...fromJava];
    expect(new Set(all).size).toBe(count);
    expect(all.length).toBe(count);
    expect(fromJava.length).toBeGreaterThan(0);
    expect(received.length).toBeGreaterThan(0);
  }, 120_000);
});

describe('a broker with share groups disabled', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
  beforeAll(async () => {
    cluster = await startCluster({ features: { 'share.version': 0 } });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('raises ShareGroupsUnavailableError at the first read, saying what to do', async () => {
    await using consumer = new ShareConsumer({ brokers: cluster!.bootstrap, groupId: 'g', logLevel: 'error' });
    consumer.subscribe('t');
    const error = await (async () => {
      for (let i = 0; i < 50; i++) await consumer.poll({ timeoutMs: 200 });
      return undefined;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShareGroupsUnavailableError);
    expect((error as Error).message).toMatch(/share\.version/);
    expect((error as ShareGroupsUnavailableError).retriable).toBe(false);
  }, 60_000);
});
