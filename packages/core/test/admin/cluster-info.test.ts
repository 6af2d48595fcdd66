import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Admin, unwrapResults } from '../../src/admin/index.js';
import { BrokerNotAvailableError } from '../../src/errors/index.js';
import { closeFixtureClusters, fixtureCluster, produce } from './support/wire-fixtures.js';

let admin: Admin;
beforeAll(async () => {
  admin = new Admin({ brokers: kafkaBrokers(), clientId: 'admin-cluster-test', logLevel: 'silent' });
});
afterAll(async () => {
  await admin?.close();
  closeFixtureClusters();
});

describe('Admin cluster information against the real broker', () => {
  it('describes the cluster: id, controller, brokers, authorized operations', async () => {
    const cluster = await admin.describeCluster({ includeAuthorizedOperations: true, includeFencedBrokers: true });
    expect(cluster.clusterId).toBe(inject('kafkaClusterId'));
    expect(cluster.brokers).toHaveLength(1);
    const [broker] = cluster.brokers;
    expect(broker).toMatchObject({
      host: '127.0.0.1',
      port: Number(kafkaBrokers()[0]!.split(':')[1]),
      isFenced: false,
    });
    expect(cluster.controller).toEqual(broker);
    expect(cluster.authorizedOperations).toEqual(
      expect.arrayContaining(['create', 'alter', 'describe', 'clusterAction', 'describeConfigs', 'alterConfigs']),
    );
    const plain = await admin.describeCluster();
    expect('authorizedOperations' in plain).toBe(false);
  });

  it('describes log directories with their replicas, failing an unknown broker alone', async () => {
    const topic = uniqueName('admin-logdirs');
    unwrapResults(await admin.createTopics([{ topic, numPartitions: 2 }], { waitForMetadata: true }));
    await produce(fixtureCluster(kafkaBrokers()), topic, 1, [{ value: 'x'.repeat(1000) }]);
    const { brokers } = await admin.describeCluster();
    const nodeId = brokers[0]!.nodeId;
    const [all] = await admin.describeLogDirs();
    if (all?.error) throw all.error;
    expect(all?.brokerId).toBe(nodeId);
    expect(all?.logDirs.length).toBeGreaterThanOrEqual(1);
    const dir = all!.logDirs.find((d) => d.replicas.some((r) => r.topic === topic))!;
    expect(dir.error).toBeUndefined();
    expect(dir.path).toMatch(/^\//);
    expect(dir.totalBytes).toBeGreaterThan(0n);
    expect(dir.usableBytes).toBeGreaterThan(0n);
    const replicas = dir.replicas.filter((r) => r.topic === topic);
    expect(replicas.map((r) => r.partition)).toEqual([0, 1]);
    expect(replicas[1]!.size).toBeGreaterThan(1000n);
    expect(replicas[0]).toMatchObject({ size: 0n, offsetLag: 0n, isFuture: false });

    const [filtered, unknown] = await admin.describeLogDirs([nodeId, 9999], { topics: [topic] });
    if (filtered?.error) throw filtered.error;
    const topics = new Set(filtered?.logDirs.flatMap((d) => d.replicas.map((r) => r.topic)));
    expect([...topics]).toEqual([topic]);
    expect(unknown).toMatchObject({ brokerId: 9999 });
    expect(unknown?.error).toBeInstanceOf(BrokerNotAvailableError);
  });

  it('describes the finalized and supported features', async () => {
    const features = await admin.describeFeatures();
    expect(features.finalizedFeatures['metadata.version']?.maxVersionLevel).toBeGreaterThan(0);
    expect(features.finalizedFeatures['group.version']?.maxVersionLevel).toBeGreaterThanOrEqual(1);
    expect(features.supportedFeatures['metadata.version']?.maxVersion).toBeGreaterThanOrEqual(
      features.finalizedFeatures['metadata.version']!.maxVersionLevel,
    );
    expect(features.finalizedFeaturesEpoch).toBeGreaterThan(0n);
  });

  it('describes the metadata quorum', async () => {
    const { brokers } = await admin.describeCluster();
    const quorum = await admin.describeQuorum();
    expect(quorum.leaderId).toBe(brokers[0]!.nodeId);
    expect(quorum.leaderEpoch).toBeGreaterThan(0);
    expect(quorum.highWatermark).toBeGreaterThan(0n);
    expect(quorum.voters.map((v) => v.replicaId)).toEqual([brokers[0]!.nodeId]);
    expect(quorum.voters[0]?.logEndOffset).toBeGreaterThanOrEqual(quorum.highWatermark);
    // The harness formats a static quorum (controller.quorum.voters): voters have no directory id (KIP-853).
    expect(quorum.voters[0]?.replicaDirectoryId).toBeNull();
    expect(quorum.nodes.map((n) => n.nodeId)).toEqual([brokers[0]!.nodeId]);
    expect(quorum.nodes[0]?.endpoints.length).toBeGreaterThan(0);
  });
});
