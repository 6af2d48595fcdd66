import { resolveClientOptions } from '../../../src/cluster/client-options.js';
import { Cluster, CoordinatorType } from '../../../src/cluster/cluster.js';
import { createBrokerError, isKafkaError } from '../../../src/errors/index.js';
import { AddPartitionsToTxn } from '../../../src/protocol/messages/generated/add-partitions-to-txn.js';
import { CreateTopics } from '../../../src/protocol/messages/generated/create-topics.js';
import { EndTxn } from '../../../src/protocol/messages/generated/end-txn.js';
import { IncrementalAlterConfigs } from '../../../src/protocol/messages/generated/incremental-alter-configs.js';
import { InitProducerId } from '../../../src/protocol/messages/generated/init-producer-id.js';
import { Produce } from '../../../src/protocol/messages/generated/produce.js';
import type { CompressionType } from '../../../src/protocol/records/compression/compression-type.js';
import { loadRecordCodecs } from '../../../src/protocol/records/load-record-codecs.js';
import type { RecordHeaderInput } from '../../../src/protocol/records/record.js';
import { RecordBatchBuilder } from '../../../src/protocol/records/record-batch-builder.js';

/** A record to write in tests. */
export interface TestRecord {
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: readonly RecordHeaderInput[];
  readonly timestamp?: number;
}

/**
 * A minimal producer for the consumer's integration tests, made of the cluster layer and the record batch builder
 * (the real producer is built elsewhere): creates topics, writes batches to a partition's leader with acks=all,
 * and writes transactions (committed or aborted) for read_committed tests.
 */
export class TestProducer {
  readonly cluster: Cluster;

  constructor(brokers: readonly string[] | string) {
    this.cluster = new Cluster(resolveClientOptions({ brokers, clientId: 'consumer-tests', logLevel: 'error' }));
  }

  /** Creates a topic and waits until every partition has a leader. */
  async createTopic(
    name: string,
    partitions: number,
    options: { replicationFactor?: number; configs?: Record<string, string>; assignments?: number[][] } = {},
  ): Promise<void> {
    await loadRecordCodecs();
    const connection = await this.cluster.anyConnection();
    const response = await connection.send(CreateTopics, {
      topics: [
        {
          name,
          numPartitions: options.assignments === undefined ? partitions : -1,
          replicationFactor: options.assignments === undefined ? (options.replicationFactor ?? 1) : -1,
          assignments: (options.assignments ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
          configs: Object.entries(options.configs ?? {}).map(([key, value]) => ({ name: key, value })),
        },
      ],
      timeoutMs: 30_000,
    });
    const code = response.topics[0]?.errorCode ?? 0;
    if (code !== 0 && code !== 36) throw createBrokerError(code, { topic: name, api: 'CreateTopics' });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const info = await this.cluster.topicMetadata(name, 30_000);
      if (info.partitions.length === partitions && info.partitions.every((p) => p.leader >= 0)) return;
      if (Date.now() > deadline) throw new Error(`topic ${name} has no leaders after 30 s`);
      await this.cluster.refreshMetadata({ topics: [name] });
    }
  }

  /** Writes records to one partition as one batch; resolves with the base offset. */
  async send(
    topic: string,
    partition: number,
    records: readonly TestRecord[],
    options: {
      compression?: CompressionType;
      transactional?: { transactionalId: string; producerId: bigint; producerEpoch: number; baseSequence: number };
    } = {},
  ): Promise<bigint> {
    const builder = new RecordBatchBuilder({
      compression: options.compression ?? 'none',
      initialCapacity: 1024 + records.length * 64,
    });
    const now = Date.now();
    for (const record of records) {
      builder.append(record.timestamp ?? now, record.key ?? null, record.value, record.headers);
    }
    const txn = options.transactional;
    const batch = await builder.build(
      txn === undefined
        ? {}
        : {
            producerId: txn.producerId,
            producerEpoch: txn.producerEpoch,
            baseSequence: txn.baseSequence,
            isTransactional: true,
          },
    );
    for (let attempt = 0; ; attempt++) {
      const info = (await this.cluster.topicMetadata(topic, 30_000)).partitions[partition];
      if (info === undefined) throw new Error(`${topic} has no partition ${partition}`);
      let response: Awaited<ReturnType<typeof this.produce>>;
      try {
        response = await this.produce(info.leader, topic, partition, batch, txn?.transactionalId ?? null);
      } catch (error) {
        // A broker that died: find the new leader and try again.
        if (!isKafkaError(error) || !error.retriable || attempt > 20) throw error;
        await this.cluster.refreshMetadata({ topics: [topic] }).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 200)); // backoff before retrying
        continue;
      }
      const result = response.responses[0]?.partitionResponses[0];

      if (result === undefined) throw new Error('empty produce response');
      if (result.errorCode === 0) return result.baseOffset;
      const error = createBrokerError(result.errorCode, { topic, partition, api: 'Produce' });
      if (!error.retriable || attempt > 20) throw error;
      await this.cluster.refreshMetadata({ topics: [topic] });
      await new Promise((resolve) => setTimeout(resolve, 200)); // backoff before retrying
    }
  }

  private produce(leader: number, topic: string, partition: number, batch: Buffer, transactionalId: string | null) {
    return this.cluster.send(
      leader,
      Produce,
      {
        transactionalId,
        acks: -1,
        timeoutMs: 30_000,
        topicData: [{ name: topic, partitionData: [{ index: partition, records: batch }] }],
      },
      { maxVersion: 11 },
    );
  }

  /** Writes `count` records `prefix-<i>` (keys `k-<i>`) to a partition in batches of `batchSize`. */
  async sendMany(topic: string, partition: number, count: number, prefix = 'v', batchSize = 1000): Promise<void> {
    for (let start = 0; start < count; start += batchSize) {
      const records: TestRecord[] = [];
      for (let i = start; i < Math.min(count, start + batchSize); i++) {
        records.push({ key: `k-${i}`, value: `${prefix}-${i}` });
      }
      await this.send(topic, partition, records);
    }
  }

  /**
   * Writes records in a transaction and commits or aborts it (transactions v1 requests: InitProducerId,
   * AddPartitionsToTxn, Produce, EndTxn).
   */
  async sendTransaction(
    transactionalId: string,
    topic: string,
    partition: number,
    records: readonly TestRecord[],
    commit: boolean,
  ): Promise<void> {
    const coordinator = await this.cluster.findCoordinator(CoordinatorType.transaction, transactionalId, 30_000);
    let init = await this.cluster.send(
      coordinator.nodeId,
      InitProducerId,
      { transactionalId, transactionTimeoutMs: 60_000 },
      { maxVersion: 4 },
    );
    for (let attempt = 0; init.errorCode !== 0; attempt++) {
      const error = createBrokerError(init.errorCode, { api: 'InitProducerId' });
      if (!error.retriable || attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100)); // backoff before retrying
      init = await this.cluster.send(
        coordinator.nodeId,
        InitProducerId,
        { transactionalId, transactionTimeoutMs: 60_000 },
        { maxVersion: 4 },
      );
    }
    const producer = { producerId: init.producerId, producerEpoch: init.producerEpoch };
    for (let attempt = 0; ; attempt++) {
      const add = await this.cluster.send(
        coordinator.nodeId,
        AddPartitionsToTxn,
        {
          v3AndBelowTransactionalId: transactionalId,
          v3AndBelowProducerId: producer.producerId,
          v3AndBelowProducerEpoch: producer.producerEpoch,
          v3AndBelowTopics: [{ name: topic, partitions: [partition] }],
        },
        { maxVersion: 3 },
      );
      const code = add.resultsByTopicV3AndBelow[0]?.resultsByPartition[0]?.partitionErrorCode ?? 0;
      if (code === 0) break;
      if (code !== 51 || attempt > 50) throw createBrokerError(code, { api: 'AddPartitionsToTxn' });
      await new Promise((resolve) => setTimeout(resolve, 100)); // CONCURRENT_TRANSACTIONS: the previous one ends
    }
    await this.send(topic, partition, records, {
      transactional: { transactionalId, ...producer, baseSequence: 0 },
    });
    for (let attempt = 0; ; attempt++) {
      const end = await this.cluster.send(
        coordinator.nodeId,
        EndTxn,
        { transactionalId, ...producer, committed: commit },
        { maxVersion: 4 },
      );
      if (end.errorCode === 0) return;
      if (end.errorCode !== 51 || attempt > 50) throw createBrokerError(end.errorCode, { api: 'EndTxn' });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Sets dynamic group configs (KIP-848 groups take their session timeout and heartbeat interval from these,
   * e.g. `consumer.session.timeout.ms`), before the group exists or while it runs.
   */
  async alterGroupConfigs(groupId: string, configs: Record<string, string>): Promise<void> {
    const connection = await this.cluster.anyConnection();
    const response = await connection.send(IncrementalAlterConfigs, {
      resources: [
        {
          resourceType: 32, // GROUP
          resourceName: groupId,
          configs: Object.entries(configs).map(([name, value]) => ({ name, configOperation: 0, value })),
        },
      ],
      validateOnly: false,
    });
    const result = response.responses[0];
    if (result !== undefined && result.errorCode !== 0) {
      throw createBrokerError(result.errorCode, { groupId, serverMessage: result.errorMessage });
    }
  }

  /** Closes the connections. */
  close(): void {
    this.cluster.close();
  }
}
