/**
 * Quickstart: create a topic, produce with `send`, read with `for await`.
 *
 *   npx tsx examples/src/quickstart.ts
 *
 * (Uses the cluster in KAFKA_BROKERS, or starts a local broker for the run.)
 */
import { Admin, Consumer, deserializers, Producer, type RecordMetadata } from '@vltava/core';
import { type Log, runExample, uniqueName } from './support/run-example.js';

/** What the quickstart did. */
export interface QuickstartResult {
  readonly topic: string;
  readonly groupId: string;
  readonly sent: readonly RecordMetadata[];
  readonly received: ReadonlyArray<{ key: string | null; value: string | null; partition: number; offset: bigint }>;
}

export async function main(brokers: string, log: Log): Promise<QuickstartResult> {
  const topic = uniqueName('quickstart');
  const groupId = uniqueName('quickstart-readers');

  // 1. Create a topic with three partitions (waiting until every broker knows it).
  const admin = new Admin({ brokers });
  try {
    const [result] = await admin.createTopics([{ topic, numPartitions: 3 }], { waitForMetadata: true });
    if (result?.error !== undefined) throw result.error;
    log(`created topic ${topic}`);
  } finally {
    await admin.close();
  }

  // 2. Produce. `send` resolves once the broker acknowledged the record (acks=all, idempotent by default).
  //    Records with the same key go to the same partition, in order.
  const producer = new Producer<string, string>({ brokers });
  const sent = await Promise.all(
    Array.from({ length: 10 }, (_, i) => producer.send({ topic, key: `user-${i % 3}`, value: `hello ${i}` })),
  );
  for (const m of sent) log(`sent to ${m.topic}-${m.partition} at offset ${m.offset}`);
  await producer.close();

  // 3. Read with `for await`, in a consumer group. A record counts as processed when the loop asks for the next
  //    one; `break` ends the loop and stops fetching.
  const consumer = new Consumer({
    brokers,
    groupId,
    autoOffsetReset: 'earliest', // a new group starts at the beginning of the topic
    keyDeserializer: deserializers.string,
    valueDeserializer: deserializers.string,
  });
  consumer.subscribe([topic]);
  const received: Array<{ key: string | null; value: string | null; partition: number; offset: bigint }> = [];
  for await (const record of consumer) {
    log(`received ${record.key} = ${record.value} (partition ${record.partition}, offset ${record.offset})`);
    received.push({ key: record.key, value: record.value, partition: record.partition, offset: record.offset });
    if (received.length === sent.length) break;
  }
  // The record in hand at `break` is not committed by the loop; commit() commits everything read so far.
  await consumer.commit();
  await consumer.close();
  return { topic, groupId, sent, received };
}

await runExample(import.meta.url, main);
