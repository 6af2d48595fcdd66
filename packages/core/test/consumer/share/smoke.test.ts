import { uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { deserializers, ShareConsumer } from '../../../src/index.js';
import { TestProducer } from '../support/test-producer.js';
import { setShareGroupConfigs } from './share-support.js';

const brokers = inject('kafkaBootstrap');
let producer: TestProducer;
beforeAll(() => {
  producer = new TestProducer(brokers);
});
afterAll(() => producer.close());

it('reads records with for await', async () => {
  const topic = uniqueName('share-smoke');
  const groupId = uniqueName('share-smoke-group');
  await producer.createTopic(topic, 1);
  await setShareGroupConfigs(brokers, groupId, { 'share.auto.offset.reset': 'earliest' });
  await producer.sendMany(topic, 0, 100, 'v');
  await using consumer = new ShareConsumer({
    brokers,
    groupId,
    valueDeserializer: deserializers.string,
    logLevel: 'warn',
  });
  consumer.subscribe(topic);
  const seen: string[] = [];
  for await (const record of consumer.records({ signal: AbortSignal.timeout(30_000) })) {
    expect(record.deliveryCount).toBe(1);
    seen.push(record.value!);
    if (seen.length === 100) break;
  }
  expect(seen.length).toBe(100);
  const results = await consumer.commitSync();
  console.log(
    JSON.stringify(consumer.metrics(), (_, v) => (typeof v === 'bigint' ? String(v) : v)),
    results.length,
  );
}, 60_000);
