/**
 * The migration path, proven against KafkaJS itself (kafkajs 2.2.4, the devDependency `kafkajs-upstream`): what one
 * writes the other reads, and consumers of both share one group while an application moves over, instance by
 * instance.
 */
import type * as Upstream from 'kafkajs-upstream';
import upstream from 'kafkajs-upstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin } from '../src/index.js';
import { brokers, createTopic, kafka, uniqueName, waitFor } from './support.js';

const original = () =>
  new upstream.Kafka({ brokers, clientId: uniqueName('kafkajs'), logLevel: upstream.logLevel.NOTHING });

describe('interoperability with kafkajs 2.2.4', () => {
  const ours = kafka();
  let admin: Admin;
  beforeAll(async () => {
    process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
    admin = ours.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  it('KafkaJS reads what the facade writes (keys, headers, timestamps, partitions) and the other way round', async () => {
    const topic = uniqueName('kjs-interop');
    await createTopic(admin, topic, 3);
    const ourProducer = ours.producer();
    const theirProducer = original().producer();
    await Promise.all([ourProducer.connect(), theirProducer.connect()]);
    const messages = Array.from({ length: 12 }, (_, i) => ({
      key: `key-${i}`,
      value: `value-${i}`,
      headers: { source: 'x', n: String(i) },
      timestamp: String(1_700_000_000_000 + i),
    }));
    await ourProducer.send({
      topic,
      messages: messages.map((m) => ({ ...m, headers: { ...m.headers, source: 'ours' } })),
    });
    await theirProducer.send({
      topic,
      messages: messages.map((m) => ({ ...m, headers: { ...m.headers, source: 'theirs' } })),
    });
    await Promise.all([ourProducer.disconnect(), theirProducer.disconnect()]);

    type Seen = { partition: number; key: string; value: string; timestamp: string; source: string };
    // The facade's consumer is used through KafkaJS's own type, which it satisfies (see upstream-types.test.ts).
    const read = async (consumer: Upstream.Consumer) => {
      const seen: Seen[] = [];
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          seen.push({
            partition,
            key: String(message.key),
            value: String(message.value),
            timestamp: message.timestamp,
            source: String(message.headers?.source),
          });
        },
      });
      await waitFor(() => seen.length === 24, 'all 24 messages');
      await consumer.disconnect();
      const byKey = (a: Seen, b: Seen) => (a.source + a.key < b.source + b.key ? -1 : 1);
      return seen.sort(byKey);
    };
    const theirView = await read(original().consumer({ groupId: uniqueName('g'), maxWaitTimeInMs: 100 }));
    const ourView = await read(ours.consumer({ groupId: uniqueName('g'), maxWaitTimeInMs: 100 }));
    expect(ourView).toEqual(theirView);
    // Same key, same partition, whichever client wrote it (both use the Java-compatible default partitioner).
    for (const m of ourView.filter((s) => s.source === 'ours')) {
      expect(m.partition).toBe(ourView.find((s) => s.source === 'theirs' && s.key === m.key)!.partition);
    }
  });

  it('a KafkaJS consumer and a facade consumer share a group (RoundRobinAssigner) and split the partitions', async () => {
    const topic = uniqueName('kjs-mixed');
    await createTopic(admin, topic, 4);
    const groupId = uniqueName('g');
    const theirs = original().consumer({ groupId, maxWaitTimeInMs: 100 });
    const mine = ours.consumer({ groupId, maxWaitTimeInMs: 100 });
    const seenBy = { theirs: new Set<string>(), mine: new Set<string>() };
    const assigned = { theirs: [] as number[], mine: [] as number[] };
    theirs.on(theirs.events.GROUP_JOIN, (e) => {
      assigned.theirs = e.payload.memberAssignment[topic] ?? [];
    });
    mine.on(mine.events.GROUP_JOIN, (e) => {
      assigned.mine = e.payload.memberAssignment[topic] ?? [];
    });
    await theirs.subscribe({ topics: [topic], fromBeginning: true });
    await mine.subscribe({ topics: [topic], fromBeginning: true });
    await theirs.run({ eachMessage: async ({ message }) => void seenBy.theirs.add(message.value!.toString()) });
    await mine.run({ eachMessage: async ({ message }) => void seenBy.mine.add(message.value!.toString()) });
    await waitFor(() => assigned.theirs.length === 2 && assigned.mine.length === 2, 'two partitions each', 60_000);
    expect([...assigned.theirs, ...assigned.mine].sort()).toEqual([0, 1, 2, 3]);
    const producer = ours.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 40 }, (_, i) => ({ value: `v${i}`, partition: i % 4 })),
    });
    await producer.disconnect();
    await waitFor(() => seenBy.theirs.size + seenBy.mine.size === 40, 'all 40 messages, once', 60_000);
    expect(seenBy.theirs.size).toBe(20);
    expect(seenBy.mine.size).toBe(20);
    await Promise.all([theirs.disconnect(), mine.disconnect()]);
  });
});
