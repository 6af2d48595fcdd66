// A private 3-node cluster (every node broker and controller), shared by every test of this file: replication
// defaults, node kill/stop/restart, SASL re-authentication settings, logs, and a stop that leaves nothing behind.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaCluster } from '../src/cluster/kafka-cluster.js';
import { isProcessAlive } from '../src/process/process-alive.js';
import { pollUntil } from '../src/process/wait-for.js';
import { runKafkaTool } from '../src/tools/run-kafka-tool.js';
import { startCluster, uniqueName } from '../src/vitest/index.js';
import { fetchMetadata, withWireConnection } from '../src/wire/kafka-wire-client.js';

let cluster: KafkaCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 3, sasl: { connectionsMaxReauthMs: 5000 } });
});

afterAll(async () => {
  await cluster?.stop();
});

function plaintextEndpoint(nodeId: number) {
  const node = cluster.nodes.find((n) => n.nodeId === nodeId)!;
  return { host: node.host, port: node.ports.listeners.PLAINTEXT };
}

/** Waits until node `askNodeId` lists exactly `expected` brokers in Metadata. */
async function waitForListedBrokers(askNodeId: number, expected: number[]): Promise<void> {
  const result = await pollUntil(
    async () => {
      const metadata = await fetchMetadata(plaintextEndpoint(askNodeId));
      const ids = metadata.brokers.map((b) => b.nodeId).sort();
      return JSON.stringify(ids) === JSON.stringify(expected) ? true : undefined;
    },
    { timeoutMs: 45_000, intervalMs: 200 },
  );
  expect(result.ok, `node ${askNodeId} should list brokers ${expected.join(',')}`).toBe(true);
}

describe('a 3-node cluster', () => {
  it('lists three brokers, and replicates new topics three times with min.insync.replicas=2', async () => {
    for (const nodeId of [1, 2, 3]) {
      const metadata = await fetchMetadata(plaintextEndpoint(nodeId));
      expect(metadata.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      for (const broker of metadata.brokers) {
        const node = cluster.nodes.find((n) => n.nodeId === broker.nodeId)!;
        expect(broker.port).toBe(node.ports.listeners.PLAINTEXT);
        expect(broker.host).toBe('127.0.0.1');
      }
    }
    const topic = uniqueName('replicated');
    const created = await runKafkaTool(cluster, 'kafka-topics', ['--create', '--topic', topic, '--partitions', '2']);
    expect(created.exitCode, created.stderr).toBe(0);
    // The controller accepted the topic; each broker applies the metadata record on its own schedule, so wait for
    // the broker we ask to know both partitions.
    const known = await pollUntil(
      async () => {
        const metadata = await cluster.metadata([topic]);
        const found = metadata.topics.find((t) => t.name === topic)?.partitions ?? [];
        return found.length === 2 ? found : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(known.ok, 'the topic should reach the metadata of the broker asked').toBe(true);
    const partitions = known.ok ? known.value : [];
    expect(partitions).toHaveLength(2);
    for (const partition of partitions) expect([...partition.replicaNodes].sort()).toEqual([1, 2, 3]);

    const configs = await runKafkaTool(cluster, 'kafka-configs', [
      '--describe',
      '--entity-type',
      'brokers',
      '--entity-name',
      '1',
      '--all',
    ]);
    expect(configs.exitCode, configs.stderr).toBe(0);
    expect(configs.stdout).toMatch(/min\.insync\.replicas=2\b/);
    expect(configs.stdout).toMatch(/offsets\.topic\.replication\.factor=3\b/);
  });

  it('drops a node killed with -9 from Metadata, and lists it again after restartNode', async () => {
    const before = cluster.nodes.find((n) => n.nodeId === 2)!;
    const oldPid = before.pid!;
    expect(isProcessAlive(oldPid)).toBe(true);

    await cluster.killNode(2);
    expect(isProcessAlive(oldPid)).toBe(false);
    expect(cluster.nodes.find((n) => n.nodeId === 2)!.running).toBe(false);
    await waitForListedBrokers(1, [1, 3]);

    await cluster.restartNode(2);
    const after = cluster.nodes.find((n) => n.nodeId === 2)!;
    expect(after.running).toBe(true);
    expect(after.pid).not.toBe(oldPid);
    expect(after.ports).toEqual(before.ports);
    for (const nodeId of [1, 2, 3]) {
      const metadata = await fetchMetadata(plaintextEndpoint(nodeId));
      expect(metadata.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    }
  });

  it('stops a node gracefully and starts it again', async () => {
    await cluster.stopNode(3);
    expect(cluster.nodes.find((n) => n.nodeId === 3)!.running).toBe(false);
    await waitForListedBrokers(1, [1, 2]);
    await cluster.startNode(3);
    await waitForListedBrokers(3, [1, 2, 3]);
    await waitForListedBrokers(1, [1, 2, 3]);
  });

  it('grants SASL sessions the configured connections.max.reauth.ms (KIP-368)', async () => {
    const [host, port] = cluster.sasl!.brokers[0]!.split(':');
    const alice = cluster.sasl!.users.find((u) => u.username === 'alice')!;
    const session = await withWireConnection({ host: host!, port: Number(port) }, (c) =>
      c.saslPlain(alice.username, alice.password),
    );
    expect(session.sessionLifetimeMs).toBeGreaterThan(0n);
    expect(session.sessionLifetimeMs).toBeLessThanOrEqual(5000n);
  });

  it('keeps a broker log per node and can read its tail', () => {
    for (const nodeId of [1, 2, 3]) {
      expect(existsSync(cluster.logFile(nodeId))).toBe(true);
      expect(cluster.logTail(nodeId, 5000)).toContain('Kafka Server started');
    }
    expect(cluster.logTail(1, 3).split('\n')).toHaveLength(3);
  });

  it('stop ends every JVM and removes the cluster folder', async () => {
    const pids = cluster.nodes.map((n) => n.pid!);
    expect(pids.every(isProcessAlive)).toBe(true);
    const directory = cluster.directory!;
    await cluster.stop();
    expect(pids.filter(isProcessAlive)).toEqual([]);
    expect(existsSync(directory)).toBe(false);
    await expect(cluster.killNode(1)).rejects.toThrow(/stopped/);
  });
});
