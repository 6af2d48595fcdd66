import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, unwrapResults } from '../../src/admin/index.js';
import type { Cluster } from '../../src/cluster/cluster.js';
import { TransactionalIdNotFoundError, UnknownTopicOrPartitionError } from '../../src/errors/index.js';
import { closeFixtureClusters, fixtureCluster, openTransaction, produce } from './support/wire-fixtures.js';

let admin: Admin;
let cluster: Cluster;
beforeAll(async () => {
  admin = new Admin({ brokers: kafkaBrokers(), clientId: 'admin-txn-test', logLevel: 'silent' });
  cluster = fixtureCluster(kafkaBrokers());
});
afterAll(async () => {
  await admin?.close();
  closeFixtureClusters();
});

describe('Admin transactions against the real broker', () => {
  it('lists, describes and aborts an open transaction, failing unknown ids and partitions alone', async () => {
    const topic = uniqueName('admin-txn');
    unwrapResults(await admin.createTopics([{ topic, numPartitions: 2 }], { waitForMetadata: true }));
    await produce(cluster, topic, 0, [{ value: 'before' }]);
    const prefix = uniqueName('admin-txn-id');
    const transactionalId = `${prefix}-a`;
    const txn = await openTransaction(cluster, transactionalId, topic, 0, [{ value: 't1' }, { value: 't2' }]);
    expect(txn.baseOffset).toBe(1n);

    const listed = await admin.listTransactions({ transactionalIdPattern: `${prefix}.*` });
    expect(listed).toEqual([{ transactionalId, producerId: txn.producerId, state: 'ongoing' }]);
    const byProducer = await admin.listTransactions({ producerIds: [txn.producerId], states: ['ongoing'] });
    expect(byProducer.map((t) => t.transactionalId)).toEqual([transactionalId]);
    const completed = await admin.listTransactions({ states: ['completeCommit'], durationMs: 0 });
    expect(completed.some((t) => t.transactionalId === transactionalId)).toBe(false);

    const { brokers } = await admin.describeCluster();
    const unknownId = `${prefix}-nobody`;
    const described = await admin.describeTransactions([transactionalId, unknownId]);
    expect(described[0]).toMatchObject({
      transactionalId,
      coordinatorId: brokers[0]!.nodeId,
      state: 'ongoing',
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      transactionTimeoutMs: 60_000,
      topicPartitions: [{ topic, partition: 0 }],
    });
    const [ongoing] = unwrapResults(described.slice(0, 1));
    expect(ongoing?.transactionStartTimeMs).toBeGreaterThan(0);
    expect(described[1]?.error).toBeInstanceOf(TransactionalIdNotFoundError);

    const producers = await admin.describeProducers([
      { topic, partition: 0 },
      { topic, partition: 1 },
      { topic, partition: 5 },
    ]);
    const [p0, p1, p5] = producers;
    if (p0?.error) throw p0.error;
    const state = p0?.activeProducers.find((p) => p.producerId === txn.producerId);
    expect(state).toMatchObject({
      producerEpoch: txn.producerEpoch,
      lastSequence: 1,
      currentTransactionStartOffset: 1n,
    });
    // No marker was written for this producer yet: no coordinator epoch.
    expect(state!.coordinatorEpoch).toBeNull();
    if (p1?.error) throw p1.error;
    expect(p1?.activeProducers).toEqual([]);
    expect(p5?.error).toBeInstanceOf(UnknownTopicOrPartitionError);
    const [fromBroker] = await admin.describeProducers([{ topic, partition: 0 }], { brokerId: brokers[0]!.nodeId });
    expect(fromBroker?.error).toBeUndefined();

    // The open transaction holds the last stable offset at its first record.
    const [stable] = await admin.listOffsets([{ topic, partition: 0, spec: 'latest' }], {
      isolationLevel: 'read_committed',
    });
    expect(stable).toMatchObject({ offset: 1n });

    await admin.abortTransaction({
      topic,
      partition: 0,
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      coordinatorEpoch: state!.coordinatorEpoch ?? 0,
    });
    const [after] = unwrapResults(await admin.describeProducers([{ topic, partition: 0 }]));
    expect(
      after?.activeProducers.find((p) => p.producerId === txn.producerId)?.currentTransactionStartOffset,
    ).toBeNull();
    // The abort marker is offset 3; the last stable offset moved past it.
    const [released] = await admin.listOffsets([{ topic, partition: 0, spec: 'latest' }], {
      isolationLevel: 'read_committed',
    });
    expect(released).toMatchObject({ offset: 4n });

    await expect(
      admin.abortTransaction({
        topic: uniqueName('admin-txn-missing'),
        partition: 0,
        producerId: txn.producerId,
        producerEpoch: txn.producerEpoch,
        coordinatorEpoch: 0,
      }),
    ).rejects.toBeInstanceOf(UnknownTopicOrPartitionError);
  });
});
