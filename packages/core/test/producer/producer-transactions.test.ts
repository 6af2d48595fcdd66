import { type KafkaCluster, kafkaBrokers, startCluster, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientClosedError } from '../../src/errors/client-errors.js';
import type { KafkaError } from '../../src/errors/kafka-error.js';
import { Producer } from '../../src/producer/producer.js';
import {
  AbortableTransactionError,
  ProducerFatalError,
  TransactionAbortedError,
  TransactionStateError,
} from '../../src/producer/producer-errors.js';
import type { ProducerOptions } from '../../src/producer/producer-options.js';
import type { Logger } from '../../src/utils/logger.js';
import { committedOffsets, consoleConsume, createTopic, readTopic } from './helpers.js';

/**
 * The transactional producer against a broker with transactions v2 (KIP-890, the default of Kafka 4.x: the
 * shared broker) and one with transactions v1 (a private broker formatted with transaction.version=1, where the
 * producer registers partitions with AddPartitionsToTxn and offsets with AddOffsetsToTxn).
 */
describe.each([
  ['v2', false],
  ['v1', true],
] as const)('Transactions %s', (_version, privateV1) => {
  let cluster: KafkaCluster | undefined;
  let brokers: string;
  const producers: Producer[] = [];

  beforeAll(async () => {
    if (privateV1) {
      cluster = await startCluster({ features: { 'transaction.version': 1 } });
      brokers = cluster.bootstrap;
    } else {
      brokers = kafkaBrokers().join(',');
    }
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  afterEach(async () => {
    await Promise.all(producers.splice(0).map((p) => p.close()));
  });

  const infos: Array<{ message: string; fields: Record<string, unknown> | undefined }> = [];
  const logger: Logger = {
    debug() {},
    info: (message, fields) => infos.push({ message, fields: fields as Record<string, unknown> | undefined }),
    warn() {},
    error() {},
  };

  function producer(options: Omit<ProducerOptions, 'brokers'>): Producer {
    const created = new Producer({ brokers, logger, ...options });
    producers.push(created);
    return created;
  }

  async function topic(partitions: number, configs?: Record<string, string>): Promise<string> {
    const name = uniqueName('txn');
    await createTopic(brokers, name, partitions, configs === undefined ? {} : { configs });
    return name;
  }

  it('committed records are visible to read_committed readers, aborted ones never', async () => {
    const name = await topic(2);
    const id = uniqueName('tx');
    const p = producer({ transactionalId: id });
    await p.initTransactions();
    const init = infos.find(
      (entry) => entry.message === 'transactions initialised' && entry.fields?.transactionalId === id,
    );
    expect(init?.fields?.transactionV2).toBe(!privateV1);

    p.beginTransaction();
    const first = Array.from({ length: 10 }, (_, i) => p.send({ topic: name, key: `k${i}`, value: `c${i}` }));
    await p.commitTransaction();
    expect((await Promise.all(first)).every((m) => m.offset >= 0n)).toBe(true);

    p.beginTransaction();
    const aborted = Array.from({ length: 10 }, (_, i) => p.send({ topic: name, key: `k${i}`, value: `a${i}` }));
    await p.flush();
    await Promise.all(aborted); // written to the log...
    await p.abortTransaction(); // ...then aborted

    p.beginTransaction();
    for (let i = 10; i < 20; i++) void p.send({ topic: name, key: `k${i}`, value: `c${i}` });
    await p.commitTransaction();

    // An abort before anything was sent fails the records that never left.
    p.beginTransaction();
    const unsent = p.send({ topic: name, value: 'never' }).catch((e: KafkaError) => e);
    await p.abortTransaction();
    expect(await unsent).toBeInstanceOf(TransactionAbortedError);

    const committed = await consoleConsume(brokers, name, { isolation: 'read_committed', expected: 20 });
    expect(committed.map((r) => r.value).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`).sort());
    const everything = (await readTopic(brokers, name)).flat();
    expect(everything.filter((r) => r.value!.startsWith('a'))).toHaveLength(10); // written, marked aborted
    expect(everything.every((r) => r.transactional)).toBe(true);
    expect(everything.some((r) => r.value === 'never')).toBe(false);
  });

  it('a second producer with the same transactionalId fences the first', async () => {
    const name = await topic(1);
    const id = uniqueName('tx');
    const first = producer({ transactionalId: id });
    await first.initTransactions();
    first.beginTransaction();
    await first.send({ topic: name, value: 'zombie' });

    const second = producer({ transactionalId: id });
    await second.initTransactions(); // bumps the epoch; the coordinator aborts the first one's transaction

    const failure = (await first.commitTransaction().catch((e: KafkaError) => e)) as KafkaError;
    expect(failure).toBeInstanceOf(ProducerFatalError);
    expect(failure.message).toMatch(/fenced/);
    expect(() => first.beginTransaction()).toThrow(ProducerFatalError);
    await expect(first.send({ topic: name, value: 'late' })).rejects.toBeInstanceOf(ProducerFatalError);

    second.beginTransaction();
    await second.send({ topic: name, value: 'survivor' });
    await second.commitTransaction();
    const committed = await consoleConsume(brokers, name, { isolation: 'read_committed', expected: 1 });
    expect(committed.map((r) => r.value)).toEqual(['survivor']);
  });

  it('commits consumed offsets with the transaction (sendOffsetsToTransaction), not when it aborts', async () => {
    const name = await topic(1);
    const source = await topic(2);
    const group = uniqueName('group');
    const p = producer({ transactionalId: uniqueName('tx') });
    await p.initTransactions();

    p.beginTransaction();
    await p.send({ topic: name, value: 'processed' });
    await p.sendOffsetsToTransaction(
      [
        { topic: source, partition: 0, offset: 42n },
        { topic: source, partition: 1, offset: 7n },
      ],
      { groupId: group, generationId: -1, memberId: '' },
    );
    await p.commitTransaction();
    expect(await committedOffsets(brokers, group, source, [0, 1])).toEqual(
      new Map([
        [0, 42n],
        [1, 7n],
      ]),
    );

    p.beginTransaction();
    await p.sendOffsetsToTransaction([{ topic: source, partition: 0, offset: 100n }], group);
    await p.abortTransaction();
    expect((await committedOffsets(brokers, group, source, [0])).get(0)).toBe(42n);
  });

  it('a record refused by the broker makes the transaction abortable; abort recovers', async () => {
    const name = await topic(1, { 'max.message.bytes': '1000' });
    const p = producer({ transactionalId: uniqueName('tx') });
    await p.initTransactions();
    p.beginTransaction();
    const refused = await p.send({ topic: name, value: 'x'.repeat(2000) }).catch((e: KafkaError) => e);
    expect((refused as KafkaError).kafkaErrorName).toBe('MESSAGE_TOO_LARGE');
    const commit = (await p.commitTransaction().catch((e: KafkaError) => e)) as KafkaError;
    expect(commit).toBeInstanceOf(AbortableTransactionError);
    await expect(p.send({ topic: name, value: 'blocked' })).rejects.toBeInstanceOf(AbortableTransactionError);
    await p.abortTransaction();
    p.beginTransaction();
    await p.send({ topic: name, value: 'ok' });
    await p.commitTransaction();
    const committed = await consoleConsume(brokers, name, { isolation: 'read_committed', expected: 1 });
    expect(committed.map((r) => r.value)).toEqual(['ok']);
  });

  it('rejects transactional calls out of order with TransactionStateError', async () => {
    const name = await topic(1);
    const p = producer({ transactionalId: uniqueName('tx') });
    await expect(p.send({ topic: name, value: 'early' })).rejects.toBeInstanceOf(TransactionStateError);
    expect(() => p.beginTransaction()).toThrow(TransactionStateError);
    await p.initTransactions();
    await expect(p.commitTransaction()).rejects.toBeInstanceOf(TransactionStateError);
    await expect(p.send({ topic: name, value: 'outside' })).rejects.toThrow(/beginTransaction/);
    const plain = producer({});
    expect(() => plain.beginTransaction()).toThrow(/set transactionalId/);
  });

  // Regression: close() used to reopen the producer while it aborted the transaction, so that a send (or any
  // transactional call) in that window went through to the transaction being aborted.
  it('refuses sends and transactional calls with ClientClosedError while close() aborts an open transaction', async () => {
    const name = await topic(1);
    const p = producer({ transactionalId: uniqueName('tx') });
    await p.initTransactions();
    p.beginTransaction();
    await p.send({ topic: name, value: 'aborted-by-close' });
    const closing = p.close();
    // close() is aborting the transaction now (it began before close() returned).
    const during = p.send({ topic: name, value: 'sent-during-close' }).catch((e: KafkaError) => e);
    expect(await during).toBeInstanceOf(ClientClosedError);
    expect(() => p.beginTransaction()).toThrow(ClientClosedError);
    await expect(p.abortTransaction()).rejects.toBeInstanceOf(ClientClosedError);
    await closing;
    // The transaction was aborted, with nothing of the refused send in it: a read_committed reader's first record
    // is one written after the close.
    await producer({}).send({ topic: name, value: 'after-close' });
    const everything = (await readTopic(brokers, name)).flat();
    expect(everything.map((r) => r.value)).toEqual(['aborted-by-close', 'after-close']);
    const committed = await consoleConsume(brokers, name, { isolation: 'read_committed', expected: 1 });
    expect(committed.map((r) => r.value)).toEqual(['after-close']);
  });
});
