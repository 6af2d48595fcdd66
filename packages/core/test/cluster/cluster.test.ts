import { type KafkaCluster, kafkaBrokers, startCluster, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveClientOptions } from '../../src/cluster/client-options.js';
import { Cluster, CoordinatorType } from '../../src/cluster/cluster.js';
import { ConnectionError, KafkaError } from '../../src/errors/index.js';
import { CreateTopics, Fetch, Metadata } from '../../src/protocol/messages/generated/index.js';

const clusters: Cluster[] = [];
afterEach(() => {
  for (const cluster of clusters.splice(0)) cluster.close();
});

function clusterFor(brokers: readonly string[], extra: Record<string, unknown> = {}, autoCreate = false): Cluster {
  const cluster = new Cluster(
    resolveClientOptions({ brokers, clientId: 'cluster-test', logLevel: 'silent', ...extra }),
    { allowAutoTopicCreation: autoCreate },
  );
  clusters.push(cluster);
  return cluster;
}

async function createTopic(cluster: Cluster, name: string, partitions: number, replicationFactor = 1): Promise<void> {
  const connection = await cluster.anyConnection();
  const controller = cluster.metadata.controllerId;
  const target = controller >= 0 ? await cluster.connection(controller) : connection;
  const response = await target.send(CreateTopics, {
    topics: [{ name, numPartitions: partitions, replicationFactor, assignments: [], configs: [] }],
    timeoutMs: 30_000,
    validateOnly: false,
  });
  expect(response.topics[0]?.errorCode).toBe(0);
}

describe('Cluster against the real broker', () => {
  it('bootstraps, learns brokers and cluster id, and reports topic metadata with ids and leader epochs', async () => {
    const cluster = clusterFor(kafkaBrokers());
    await cluster.connect();
    expect(cluster.metadata.clusterId).toEqual(expect.any(String));
    expect(cluster.metadata.brokers.size).toBeGreaterThanOrEqual(1);
    const topic = uniqueName('cluster-meta');
    await createTopic(cluster, topic, 3);
    const info = await cluster.topicMetadata(topic, 10_000);
    expect(info.partitions).toHaveLength(3);
    expect(info.topicId).not.toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(cluster.metadata.topicNamesById.get(info.topicId)).toBe(topic);
    for (const partition of info.partitions) {
      expect(cluster.metadata.brokers.has(partition.leader)).toBe(true);
      expect(partition.leaderEpoch).toBeGreaterThanOrEqual(0);
      expect(partition.isr).toContain(partition.leader);
    }
  });

  it('auto-creates a topic through metadata when allowed, and reports an unknown topic when not', async () => {
    const allowed = clusterFor(kafkaBrokers(), {}, true);
    const created = uniqueName('cluster-auto');
    const info = await allowed.topicMetadata(created, 15_000);
    expect(info.partitions.length).toBeGreaterThanOrEqual(1);

    const strict = clusterFor(kafkaBrokers());
    const missing = uniqueName('cluster-missing');
    const error = await strict.topicMetadata(missing, 600).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KafkaError);
    expect((error as KafkaError).code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('coalesces concurrent refreshes and always answers with a request sent after the call', async () => {
    const cluster = clusterFor(kafkaBrokers());
    await cluster.connect();
    const connection = await cluster.anyConnection();
    const sentBefore = connection.inFlightCount;
    const results = await Promise.all(Array.from({ length: 10 }, () => cluster.refreshMetadata()));
    expect(sentBefore).toBe(0);
    // At most two requests served ten calls: the one running, and one queued after it.
    expect(new Set(results).size).toBeLessThanOrEqual(2);
    expect(results.at(-1)!.updatedAt).toBeGreaterThanOrEqual(results[0]!.updatedAt);
  });

  it('finds group and transaction coordinators, batching lookups of one tick into one request', async () => {
    const cluster = clusterFor(kafkaBrokers());
    await cluster.connect();
    const groups = Array.from({ length: 5 }, () => uniqueName('cluster-group'));
    const coordinators = await Promise.all(groups.map((g) => cluster.findCoordinator(CoordinatorType.group, g)));
    for (const coordinator of coordinators) expect(cluster.metadata.brokers.has(coordinator.nodeId)).toBe(true);
    const txn = await cluster.findCoordinator(CoordinatorType.transaction, uniqueName('cluster-txn'));
    expect(cluster.metadata.brokers.has(txn.nodeId)).toBe(true);
    // Cached: a second lookup does not wait for the broker.
    const again = await cluster.findCoordinator(CoordinatorType.group, groups[0]!);
    expect(again).toBe(coordinators[0]);
  });

  it('calls a bootstrap function and rejects an unreachable cluster with a retriable ConnectionError', async () => {
    let calls = 0;
    const cluster = clusterFor([], {
      brokers: () => {
        calls++;
        return ['127.0.0.1:1'];
      },
      connectionTimeoutMs: 2_000,
      reconnectBackoffMs: 10,
      reconnectBackoffMaxMs: 20,
    });
    const error = await cluster.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).retriable).toBe(true);
    // Bootstrapped, failed, and bootstrapped again (KIP-899).
    expect(calls).toBe(2);
  });
});

describe('Cluster when a broker dies', () => {
  let kafka: KafkaCluster;
  beforeAll(async () => {
    kafka = await startCluster({ nodes: 1 });
  });
  afterAll(async () => {
    await kafka?.stop();
  });

  it('fails in-flight requests promptly when the broker is killed, then reconnects after it restarts', async () => {
    const cluster = clusterFor(kafka.brokers, { reconnectBackoffMs: 50, reconnectBackoffMaxMs: 200 });
    await cluster.connect();
    const topic = uniqueName('cluster-kill');
    await createTopic(cluster, topic, 1);
    const info = await cluster.topicMetadata(topic, 10_000);
    const leader = info.partitions[0]!.leader;
    const connection = await cluster.connection(leader, 'fetch');
    // Long-polling fetches stay in flight until the broker answers: the broker will die first.
    const fetches = Array.from({ length: 3 }, () =>
      connection.send(
        Fetch,
        {
          replicaId: -1,
          maxWaitMs: 20_000,
          minBytes: 1_000_000,
          maxBytes: 1_000_000,
          isolationLevel: 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [
            {
              topic,
              topicId: info.topicId,
              partitions: [
                {
                  partition: 0,
                  currentLeaderEpoch: -1,
                  fetchOffset: 0n,
                  lastFetchedEpoch: -1,
                  logStartOffset: -1n,
                  partitionMaxBytes: 1_000_000,
                },
              ],
            },
          ],
          forgottenTopicsData: [],
          rackId: '',
        },
        { timeoutMs: 30_000 },
      ),
    );
    // Observe the outcomes from now on: they settle while the kill is under way.
    const settled = Promise.allSettled(fetches);
    const killedAt = Date.now();
    await kafka.killNode(leader);
    const results = await settled;
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as KafkaError;
      expect(reason).toBeInstanceOf(ConnectionError);
      expect(reason.retriable).toBe(true);
    }

    await kafka.restartNode(leader);
    const deadline = Date.now() + 30_000;
    let answered = false;
    while (!answered && Date.now() < deadline) {
      try {
        const fresh = await cluster.connection(leader);
        const response = await fresh.send(Metadata, {
          topics: [{ name: topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
          allowAutoTopicCreation: false,
          includeTopicAuthorizedOperations: false,
        });
        answered = response.topics[0]?.errorCode === 0;
      } catch (error) {
        expect((error as KafkaError).retriable).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(answered).toBe(true);
  });
});

describe('SASL re-authentication (KIP-368)', () => {
  let kafka: KafkaCluster;
  beforeAll(async () => {
    kafka = await startCluster({ nodes: 1, sasl: { connectionsMaxReauthMs: 1_500 } });
  });
  afterAll(async () => {
    await kafka?.stop();
  });

  it('re-authenticates before the session expires without failing pipelined requests', async () => {
    const user = kafka.sasl!.users.find((u) => !u.superUser) ?? kafka.sasl!.users[0]!;
    const cluster = clusterFor(kafka.listenerBrokers('SASL_PLAINTEXT'), {
      sasl: { mechanism: 'SCRAM-SHA-512', username: user.username, password: user.password },
    });
    await cluster.connect();
    const connection = await cluster.anyConnection();
    const request = { topics: [], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false };
    // Keep requests flowing for longer than two session lifetimes; none may fail.
    const until = Date.now() + 4_000;
    let sent = 0;
    while (Date.now() < until && sent < 100_000) {
      await Promise.all(Array.from({ length: 5 }, () => connection.send(Metadata, request)));
      sent += 5;
    }
    expect(connection.closed).toBe(false);
    expect(connection.authentications).toBeGreaterThanOrEqual(3);
    expect(sent).toBeGreaterThan(50);
  });
});
