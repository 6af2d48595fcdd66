// A user's ES module, compiled against the packages' published declarations (not their sources) by
// tools/scripts/check-consumer-types.mjs under every `lib` and `moduleResolution` it lists, with skipLibCheck off.
import { pipeline } from 'node:stream/promises';
import {
  Admin,
  CodecUnavailableError,
  Consumer,
  type ConsumerRecord,
  deserializers,
  KafkaError,
  Producer,
  type RecordMetadata,
} from '@vltava/core';
import { commitOffsets, fromConsumer, sendTo } from '@vltava/rx';
import { createCommitStream, createReadStream, createSendStream, createWebReadStream } from '@vltava/streams';

const brokers = ['127.0.0.1:9092'];
const producer = new Producer<string, string>({ brokers, compression: 'zstd' });
const metadata: RecordMetadata = await producer.send({ topic: 'orders', key: 'k', value: 'v' });
const offset: bigint = metadata.offset;

const consumer = new Consumer({ brokers, groupId: 'billing', valueDeserializer: deserializers.string });
consumer.subscribe(['orders']);
for await (const record of consumer) {
  const value: string | null = record.value;
  if (value === null) continue;
}

// The Node stream's async iterator yields the consumer's records.
for await (const record of createReadStream(consumer)) {
  const typed: ConsumerRecord<Buffer | null, string | null> = record;
  void typed;
}
await pipeline(
  createReadStream(consumer),
  createSendStream(producer, (record: ConsumerRecord<Buffer | null, string | null>) => ({
    topic: 'copies',
    value: record.value,
  })),
  createCommitStream(consumer),
);
const web: ReadableStream = createWebReadStream(consumer);

fromConsumer(consumer, { topics: ['orders'] })
  .pipe(
    sendTo(producer, (message) => ({ topic: 'invoices', value: message.record.value })),
    commitOffsets({ maxBatch: 500, maxIntervalMs: 1000 }),
  )
  .subscribe();

try {
  await new Admin({ brokers }).listTopics();
} catch (error) {
  if (error instanceof CodecUnavailableError || (error instanceof KafkaError && error.retriable)) throw error;
}

export { offset, web };
