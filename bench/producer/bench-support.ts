/**
 * Shared plumbing of the producer benchmarks: a broker (KAFKA_BROKERS, or one started with the harness), topics
 * created through Vltava's wire client, and a result table.
 */
import type { KafkaCluster } from '@vltava/kafka-harness';
import { resolveClientOptions } from '../../packages/core/src/cluster/client-options.js';
import { Cluster } from '../../packages/core/src/cluster/cluster.js';
import { createBrokerError } from '../../packages/core/src/errors/index.js';
import { CreateTopics } from '../../packages/core/src/protocol/messages/generated/create-topics.js';
import { silentLogger } from '../../packages/core/src/utils/logger.js';
import { startBenchKafka } from '../broker.js';

/** The broker to benchmark against: `KAFKA_BROKERS`, or the benchmark broker started now (stopped by `stop`). */
export async function benchBroker(): Promise<{ bootstrap: string; stop: () => Promise<void> }> {
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) return { bootstrap: external, stop: async () => {} };
  const cluster: KafkaCluster = await startBenchKafka((m) => console.error(`[harness] ${m}`));
  return { bootstrap: cluster.bootstrap, stop: () => cluster.stop() };
}

let topicCounter = 0;

/** Creates a topic with `partitions` partitions and waits for its leaders. */
export async function benchTopic(bootstrap: string, partitions: number): Promise<string> {
  const name = `bench-${process.pid}-${Date.now().toString(36)}-${topicCounter++}`;
  const cluster = new Cluster(resolveClientOptions({ brokers: bootstrap, logger: silentLogger }));
  try {
    const connection = await cluster.anyConnection();
    const response = await connection.send(CreateTopics, {
      topics: [{ name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 30_000,
    });
    const result = response.topics[0]!;
    if (result.errorCode !== 0) throw createBrokerError(result.errorCode, { topic: name });
    for (let i = 0; i < 200; i++) {
      const topic = (await cluster.refreshMetadata({ topics: [name] })).topics.get(name);
      if (topic?.errorCode === 0 && topic.partitions.every((p) => p.leader >= 0)) return name;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Topic ${name} has no leaders`);
  } finally {
    cluster.close();
  }
}

/** One measured run. */
export interface BenchResult {
  readonly name: string;
  readonly records: number;
  readonly bytes: number;
  readonly ms: number;
}

/** Records per second and MB/s (payload bytes) of a run. */
export function rates(result: BenchResult): { recordsPerSecond: number; megabytesPerSecond: number } {
  return {
    recordsPerSecond: Math.round((result.records / result.ms) * 1000),
    megabytesPerSecond: Math.round((result.bytes / result.ms / 1000) * 10) / 10,
  };
}

/** Prints results as a markdown table. */
export function printTable(results: readonly BenchResult[]): void {
  console.log('| scenario | records | time (ms) | records/s | MB/s |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const result of results) {
    const { recordsPerSecond, megabytesPerSecond } = rates(result);
    console.log(
      `| ${result.name} | ${result.records} | ${Math.round(result.ms)} | ${recordsPerSecond.toLocaleString('en')} | ` +
        `${megabytesPerSecond} |`,
    );
  }
}
