/**
 * Exactly-once consume-transform-produce: each batch of input records becomes output records and the input offsets,
 * committed together in one transaction. A `read_committed` reader sees every output record once, and never the
 * records of an aborted transaction.
 *
 *   npx tsx examples/src/exactly-once.ts
 *
 * (Uses the cluster in KAFKA_BROKERS, or starts a local broker for the run.)
 */
import { Consumer, deserializers, Producer } from '@vltava/core';
import { createTopics } from './support/create-topics.js';
import { type Log, runExample, uniqueName } from './support/run-example.js';

/** What the example did. */
export interface ExactlyOnceResult {
  readonly input: string;
  readonly output: string;
  readonly groupId: string;
  readonly transactions: number;
  readonly count: number;
}

export async function main(brokers: string, log: Log, count = 2000): Promise<ExactlyOnceResult> {
  const input = uniqueName('payments');
  const output = uniqueName('ledger');
  const groupId = uniqueName('ledger-writer');
  await createTopics(brokers, [input, output], 3);

  const seed = new Producer<string, string>({ brokers });
  const seeded = await seed.sendBatch(
    Array.from({ length: count }, (_, i) => ({ topic: input, key: `account-${i % 20}`, value: String(i) })),
  );
  if (seeded.firstError !== undefined) throw seeded.firstError;
  await seed.close();
  log(`wrote ${count} payments to ${input}`);

  // A transactional producer: a fixed transactional id per application instance (here unique per run).
  const producer = new Producer<string, string>({ brokers, transactionalId: uniqueName('ledger-writer-tx') });
  await producer.initTransactions();

  // Aborted work is never seen by read_committed readers, even once written to the log.
  producer.beginTransaction();
  await producer.send({ topic: output, key: 'junk', value: 'never visible' });
  await producer.abortTransaction();
  log('aborted a transaction holding one record (written, then aborted)');

  // Offsets go with the output in each transaction: the consumer does not commit by itself.
  const consumer = new Consumer({
    brokers,
    groupId,
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    isolationLevel: 'read_committed',
    keyDeserializer: deserializers.string,
    valueDeserializer: deserializers.string,
  });
  consumer.subscribe([input]);
  let processed = 0;
  let transactions = 0;
  for await (const batch of consumer.batches({ maxRecords: 250 })) {
    producer.beginTransaction();
    try {
      const sends = [...batch].map((record) =>
        producer.send({ topic: output, key: record.key, value: `credited ${Number(record.value) * 100} cents` }),
      );
      await Promise.all(sends);
      // The next offset to read, per partition, joins the transaction with the consumer's group position.
      const offsets = batch.partitions.map((p) => ({
        topic: p.topic,
        partition: p.partition,
        offset: p.records[p.records.length - 1]!.offset + 1n,
      }));
      await producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      await producer.commitTransaction();
    } catch (error) {
      // Nothing of the batch is visible and its offsets are not committed; the group resumes before it.
      await producer.abortTransaction();
      throw error;
    }
    transactions++;
    processed += batch.count;
    if (processed >= count) break;
  }
  log(`${processed} payments turned into ledger entries in ${transactions} transactions`);
  await consumer.close();
  await producer.close();
  return { input, output, groupId, transactions, count: processed };
}

await runExample(import.meta.url, main);
