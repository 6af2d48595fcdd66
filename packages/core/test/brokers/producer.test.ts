// Broker compatibility: the idempotent producer, and a consume-transform-produce transaction with
// sendOffsetsToTransaction and read_committed readers, against the shared broker of whatever supported line it is
// (transactions v1 up to 4.0's default of v2, KIP-890). The Java console consumer of that Kafka version is the
// independent reader.
import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, expect, inject, it } from 'vitest';
import { Admin, Consumer, deserializers, Producer } from '../../src/index.js';
import { readTopic } from '../producer/helpers.js';
import { describeBroker, SKIP_REASON } from './broker-line.js';
import { javaConsume } from './java-console.js';

const brokers = kafkaBrokers();
const admin = new Admin({ brokers, logLevel: 'error' });

afterAll(async () => {
  await admin.close();
});

async function createTopic(prefix: string, partitions: number): Promise<string> {
  const topic = uniqueName(prefix);
  const [created] = await admin.createTopics([{ topic, numPartitions: partitions, replicationFactor: 1 }], {
    waitForMetadata: true,
  });
  expect(created?.error).toBeUndefined();
  return topic;
}

describeBroker(`producer with Kafka ${inject('kafkaVersion')}${SKIP_REASON}`, () => {
  it('idempotent producer: one producer id, sequences without gaps or duplicates, every record once', async () => {
    const topic = await createTopic('compat-idem', 2);
    const producer = new Producer({ brokers, enableIdempotence: true, acks: 'all', lingerMs: 5, logLevel: 'error' });
    const sent = Array.from({ length: 200 }, (_, i) => ({ topic, partition: i % 2, key: `k${i}`, value: `v${i}` }));
    try {
      const metadata = await Promise.all(sent.map((record) => producer.send(record)));
      for (const partition of [0, 1]) {
        const offsets = metadata.filter((m) => m.partition === partition).map((m) => m.offset);
        expect(offsets).toEqual(Array.from({ length: 100 }, (_, i) => BigInt(i)));
      }
    } finally {
      await producer.close();
    }
    const stored = await readTopic(brokers.join(','), topic);
    const producerIds = new Set(stored.flat().map((r) => r.producerId));
    expect(producerIds.size).toBe(1);
    expect([...producerIds][0]).toBeGreaterThanOrEqual(0n);
    for (const partition of [0, 1]) {
      expect(stored[partition]!.map((r) => r.value)).toEqual(
        sent.filter((r) => r.partition === partition).map((r) => r.value),
      );
    }
  });

  it('transaction: records and consumed offsets commit together (sendOffsetsToTransaction), an aborted one is invisible to read_committed', async () => {
    const input = await createTopic('compat-txn-in', 1);
    const output = await createTopic('compat-txn-out', 1);
    const groupId = uniqueName('compat-txn-group');
    const plain = new Producer({ brokers, logLevel: 'error' });
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => plain.send({ topic: input, key: `k${i}`, value: `in-${i}` })),
      );
    } finally {
      await plain.close();
    }

    const consumer = new Consumer({
      brokers,
      groupId,
      enableAutoCommit: false,
      autoOffsetReset: 'earliest',
      keyDeserializer: deserializers.string,
      valueDeserializer: deserializers.string,
      logLevel: 'error',
    });
    const producer = new Producer({ brokers, transactionalId: uniqueName('compat-txn'), logLevel: 'error' });
    try {
      consumer.subscribe([input]);
      const consumed: string[] = [];
      const deadline = Date.now() + 60_000;
      while (consumed.length < 10 && Date.now() < deadline) {
        for (const r of await consumer.poll({ timeoutMs: 500 })) consumed.push(r.value ?? '');
      }
      expect(consumed).toEqual(Array.from({ length: 10 }, (_, i) => `in-${i}`));

      await producer.initTransactions();
      producer.beginTransaction();
      await Promise.all(
        consumed.map((value, i) => producer.send({ topic: output, key: `k${i}`, value: `out-${value}` })),
      );
      await producer.sendOffsetsToTransaction([{ topic: input, partition: 0, offset: 10n }], consumer.groupMetadata());
      await producer.commitTransaction();

      producer.beginTransaction();
      await Promise.all(Array.from({ length: 5 }, (_, i) => producer.send({ topic: output, value: `aborted-${i}` })));
      await producer.abortTransaction();

      const [committed] = await consumer.committed([{ topic: input, partition: 0 }]);
      expect(committed?.offset).toBe(10n);
    } finally {
      await producer.close();
      await consumer.close();
    }

    const committedValues = Array.from({ length: 10 }, (_, i) => `out-in-${i}`);
    // Vltava, read_committed: the committed records, then nothing more up to the end of the log.
    const reader = new Consumer({
      brokers,
      isolationLevel: 'read_committed',
      autoOffsetReset: 'earliest',
      valueDeserializer: deserializers.string,
      logLevel: 'error',
    });
    try {
      reader.assign([{ topic: output, partition: 0 }]);
      const seen: string[] = [];
      const deadline = Date.now() + 30_000;
      // The last stable offset passes the abort marker once the abort is written: read until the position is there.
      while (Date.now() < deadline) {
        for (const r of await reader.poll({ timeoutMs: 300 })) seen.push(r.value ?? '');
        if ((await reader.position({ topic: output, partition: 0 })) >= 17n) break;
      }
      expect(seen).toEqual(committedValues);
    } finally {
      await reader.close();
    }
    // The Java client of this Kafka version agrees, and reading uncommitted shows the aborted records too.
    const javaCommitted = await javaConsume(output, { isolation: 'read_committed', idleMs: 6_000 });
    expect(javaCommitted.map((r) => r.value)).toEqual(committedValues);
    const javaAll = await javaConsume(output, { isolation: 'read_uncommitted', expected: 15 });
    expect(javaAll.map((r) => r.value)).toEqual([
      ...committedValues,
      ...Array.from({ length: 5 }, (_, i) => `aborted-${i}`),
    ]);
  });
});
