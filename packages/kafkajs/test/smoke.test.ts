import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, KafkaMessage } from '../src/index.js';
import { createTopic, kafka, uniqueName, waitFor } from './support.js';

describe('smoke', () => {
  const client = kafka();
  let admin: Admin;
  beforeAll(async () => {
    admin = client.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  it('produces and consumes', async () => {
    const topic = uniqueName('smoke');
    await createTopic(admin, topic, 2);
    const producer = client.producer();
    await producer.connect();
    const sent = await producer.send({
      topic,
      messages: [
        { key: 'a', value: 'one', headers: { h: 'x' } },
        { key: 'b', value: 'two' },
      ],
    });
    expect(sent.length).toBeGreaterThan(0);
    const consumer = client.consumer({ groupId: uniqueName('g') });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const seen: KafkaMessage[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message);
      },
    });
    await waitFor(() => seen.length === 2, 'two messages');
    expect(seen.map((m) => m.value?.toString()).sort()).toEqual(['one', 'two']);
    await consumer.disconnect();
    await producer.disconnect();
  });
});
