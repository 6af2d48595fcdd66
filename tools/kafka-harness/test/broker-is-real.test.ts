// The first proof that the harness runs a real Apache Kafka broker: it answers the Kafka protocol over a plain
// socket, and Kafka's own command-line tools create, list, describe, produce to and consume from a topic on it.
import { describe, expect, inject, it } from 'vitest';
import { kafkaBrokers, kafkaTool, uniqueName } from '../src/vitest/index.js';
import { ApiKey, fetchApiVersions, fetchMetadata, type WireEndpoint } from '../src/wire/kafka-wire-client.js';

function endpoint(): WireEndpoint {
  const [host, port] = kafkaBrokers()[0]!.split(':');
  return { host: host!, port: Number(port) };
}

describe('the shared broker', () => {
  it('answers ApiVersions with the APIs and version ranges of a modern Kafka', async () => {
    const versions = await fetchApiVersions(endpoint());
    expect(versions.requestVersion).toBe(3);
    for (const [api, atLeast] of [
      [ApiKey.Produce, 11],
      [ApiKey.Fetch, 16],
      [ApiKey.Metadata, 12],
      [ApiKey.ApiVersions, 3],
      [ApiKey.ConsumerGroupHeartbeat, 0],
      [ApiKey.ShareGroupHeartbeat, 0],
    ] as const) {
      const range = versions.apis.get(api);
      expect(range, `API key ${api}`).toBeDefined();
      expect(range!.minVersion).toBeGreaterThanOrEqual(0);
      expect(range!.minVersion).toBeLessThanOrEqual(range!.maxVersion);
      expect(range!.maxVersion, `max version of API key ${api}`).toBeGreaterThanOrEqual(atLeast);
    }
    // KIP-848 consumer groups and KIP-932 share groups are switched on through feature levels.
    expect(versions.finalizedFeatures.get('group.version')?.maxVersion).toBeGreaterThanOrEqual(1);
    expect(versions.finalizedFeatures.get('share.version')?.maxVersion).toBeGreaterThanOrEqual(1);
    expect(versions.finalizedFeatures.get('metadata.version')?.maxVersion).toBeGreaterThan(0);
  });

  it('lists itself in Metadata at the address it was provided with', async () => {
    const metadata = await fetchMetadata(endpoint());
    const addresses = metadata.brokers.map((broker) => `${broker.host}:${broker.port}`);
    expect(addresses).toContain(kafkaBrokers()[0]);
    expect(metadata.clusterId).toBe(inject('kafkaClusterId'));
    expect(metadata.brokers.map((broker) => broker.nodeId)).toContain(metadata.controllerId);
  });

  it('creates and lists a topic with kafka-topics, and Metadata agrees', async () => {
    const topic = uniqueName('harness-topic');
    const created = await kafkaTool('kafka-topics', ['--create', '--topic', topic, '--partitions', '3']);
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Created topic ${topic}.`);

    const listed = await kafkaTool('kafka-topics', ['--list']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')).toContain(topic);

    const metadata = await fetchMetadata(endpoint(), [topic]);
    const described = metadata.topics.find((t) => t.name === topic);
    expect(described?.errorCode).toBe(0);
    expect(described?.partitions.map((p) => p.partitionIndex).sort()).toEqual([0, 1, 2]);
    const brokerIds = metadata.brokers.map((broker) => broker.nodeId);
    expect(described?.partitions.every((p) => brokerIds.includes(p.leaderId))).toBe(true);
  });

  it('carries records from kafka-console-producer to kafka-console-consumer', async () => {
    const topic = uniqueName('harness-console');
    const lines = ['one', 'two', 'three'];
    const produced = await kafkaTool('kafka-console-producer', ['--topic', topic], { input: `${lines.join('\n')}\n` });
    expect(produced.exitCode, produced.stderr).toBe(0);
    const consumed = await kafkaTool('kafka-console-consumer', [
      '--topic',
      topic,
      '--from-beginning',
      '--max-messages',
      String(lines.length),
      '--timeout-ms',
      '30000',
    ]);
    expect(consumed.exitCode, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n')).toEqual(lines);
  });
});
