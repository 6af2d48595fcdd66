/**
 * Helpers for the producer's integration suites: topics created through the wire client, and records read back
 * with plain Fetch requests through the cluster layer (independent of the producer under test), or with Kafka's own
 * console consumer where an independent reader matters (transactions, partitioning parity).
 */
import { runKafkaTool } from '@vltava/kafka-harness';
import { resolveClientOptions } from '../../src/cluster/client-options.js';
import { Cluster, CoordinatorType } from '../../src/cluster/cluster.js';
import { createBrokerError } from '../../src/errors/index.js';
import { CreateTopics } from '../../src/protocol/messages/generated/create-topics.js';
import { Fetch } from '../../src/protocol/messages/generated/fetch.js';
import { OffsetFetch } from '../../src/protocol/messages/generated/offset-fetch.js';
import { RecordBatchReader } from '../../src/protocol/records/record-batch-reader.js';
import { silentLogger } from '../../src/utils/logger.js';

/** A record as read back from the log. */
export interface StoredRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: ReadonlyArray<{ key: string; value: string | null }>;
  readonly timestamp: number;
  readonly producerId: bigint;
  readonly transactional: boolean;
  readonly compression: string;
}

/** A cluster-layer client for test plumbing. Close it when done. */
export function testCluster(brokers: string): Cluster {
  return new Cluster(resolveClientOptions({ brokers, logger: silentLogger, clientId: 'producer-tests' }));
}

/** Waits until `check` returns a value (not undefined), polling every 50 ms, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`, { cause: lastError });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Creates topics and waits until every partition has a leader in metadata. */
export async function createTopic(
  brokers: string,
  name: string,
  partitions: number,
  options: { replicationFactor?: number; configs?: Record<string, string> } = {},
): Promise<void> {
  const cluster = testCluster(brokers);
  try {
    const connection = await cluster.anyConnection();
    const response = await connection.send(CreateTopics, {
      topics: [
        {
          name,
          numPartitions: partitions,
          replicationFactor: options.replicationFactor ?? 1,
          assignments: [],
          configs: Object.entries(options.configs ?? {}).map(([key, value]) => ({ name: key, value })),
        },
      ],
      timeoutMs: 30_000,
    });
    const result = response.topics[0]!;
    if (result.errorCode !== 0) {
      throw createBrokerError(result.errorCode, { topic: name, serverMessage: result.errorMessage });
    }
    await waitFor(`leaders of ${name}`, async () => {
      const snapshot = await cluster.refreshMetadata({ topics: [name] });
      const topic = snapshot.topics.get(name);
      return topic !== undefined &&
        topic.errorCode === 0 &&
        topic.partitions.length === partitions &&
        topic.partitions.every((p) => p.leader >= 0)
        ? true
        : undefined;
    });
  } finally {
    cluster.close();
  }
}

/**
 * Reads every record of a partition from offset 0 up to the high watermark (read_uncommitted; control batches
 * skipped), with plain Fetch requests to the leader.
 */
export async function readPartition(cluster: Cluster, topic: string, partition: number): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  let offset = 0n;
  for (let round = 0; round < 100_000; round++) {
    const snapshot = await cluster.refreshMetadata({ topics: [topic] });
    const leader = snapshot.topics.get(topic)?.partitions[partition]?.leader ?? -1;
    if (leader < 0) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    const connection = await cluster.connection(leader);
    const response = await connection.send(
      Fetch,
      {
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 16 << 20,
        isolationLevel: 0,
        topics: [{ topic, partitions: [{ partition, fetchOffset: offset, partitionMaxBytes: 8 << 20 }] }],
      },
      { maxVersion: 12 },
    );
    const data = response.responses[0]!.partitions[0]!;
    if (data.errorCode !== 0) {
      const error = createBrokerError(data.errorCode, { topic, partition, api: 'Fetch' });
      if (error.retriable) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      throw error;
    }
    if (data.records !== null && data.records.length > 0) {
      for (const batch of new RecordBatchReader(data.records, { topic, partition })) {
        if (batch.nextOffset <= offset) continue;
        if (!batch.isControl) {
          for (const record of batch.records()) {
            if (record.offset < offset) continue;
            out.push({
              partition,
              offset: record.offset,
              key: record.key?.toString() ?? null,
              value: record.value?.toString() ?? null,
              headers: record.headers.map((h) => ({ key: h.key, value: h.value?.toString() ?? null })),
              timestamp: record.timestamp,
              producerId: batch.producerId,
              transactional: batch.isTransactional,
              compression: batch.compression,
            });
          }
        }
        offset = batch.nextOffset;
      }
    }
    if (offset >= data.highWatermark) return out;
  }
  throw new Error(`readPartition(${topic}, ${partition}) did not reach the high watermark`);
}

/** Reads every partition of a topic. */
export async function readTopic(brokers: string, topic: string): Promise<StoredRecord[][]> {
  const cluster = testCluster(brokers);
  try {
    const snapshot = await cluster.refreshMetadata({ topics: [topic] });
    const count = snapshot.topics.get(topic)!.partitions.length;
    const partitions: StoredRecord[][] = [];
    for (let p = 0; p < count; p++) partitions.push(await readPartition(cluster, topic, p));
    return partitions;
  } finally {
    cluster.close();
  }
}

/** A record as Kafka's console consumer printed it. */
export interface ConsoleRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
}

/**
 * Reads a topic with Kafka's own console consumer (Java), from the beginning, until `expected` records arrived or
 * it has been idle for `idleMs`.
 */
export async function consoleConsume(
  brokers: string,
  topic: string,
  options: { isolation?: 'read_committed' | 'read_uncommitted'; expected?: number; idleMs?: number } = {},
): Promise<ConsoleRecord[]> {
  const args = [
    '--topic',
    topic,
    '--from-beginning',
    '--isolation-level',
    options.isolation ?? 'read_uncommitted',
    '--formatter-property',
    'print.partition=true',
    '--formatter-property',
    'print.offset=true',
    '--formatter-property',
    'print.key=true',
    '--formatter-property',
    'key.separator=|',
    '--timeout-ms',
    String(options.idleMs ?? 8000),
  ];
  if (options.expected !== undefined) args.push('--max-messages', String(options.expected));
  const result = await runKafkaTool(brokers, 'kafka-console-consumer', args, { timeoutMs: 90_000 });
  const records: ConsoleRecord[] = [];
  for (const line of result.stdout.split('\n')) {
    // Partition:0|Offset:12|key|value
    const match = /^Partition:(\d+)\|Offset:(\d+)\|([^|]*)\|(.*)$/.exec(line.trim());
    if (match !== null) {
      records.push({ partition: Number(match[1]), offset: Number(match[2]), key: match[3]!, value: match[4]! });
    }
  }
  return records;
}

/**
 * Committed offsets of a group for a topic, by partition: OffsetFetch with `requireStable`, repeated while the
 * broker answers UNSTABLE_OFFSET_COMMIT (a transaction's offsets not yet settled) or the coordinator is loading.
 */
export async function committedOffsets(brokers: string, groupId: string, topic: string, partitions: number[]) {
  const cluster = testCluster(brokers);
  try {
    return await waitFor(`stable offsets of ${groupId}`, async () => {
      const coordinator = await cluster.findCoordinator(CoordinatorType.group, groupId);
      const connection = await cluster.connection(coordinator.nodeId);
      const response = await connection.send(
        OffsetFetch,
        { groupId, topics: [{ name: topic, partitionIndexes: partitions }], requireStable: true },
        { maxVersion: 7 },
      );
      if (response.errorCode !== 0) {
        cluster.invalidateCoordinator(CoordinatorType.group, groupId);
        return undefined;
      }
      const result = new Map<number, bigint>();
      for (const t of response.topics ?? []) {
        for (const p of t.partitions) {
          if (p.errorCode !== 0) return undefined;
          result.set(p.partitionIndex, p.committedOffset);
        }
      }
      return result;
    });
  } finally {
    cluster.close();
  }
}
