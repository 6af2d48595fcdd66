// Broker compatibility: metadata and ApiVersions negotiation against the shared broker of whatever supported line
// it is (see broker-line.ts). Vltava's view of the broker's API ranges is checked against the harness's own small
// protocol client, every API Vltava has is negotiated to the highest version both sides speak (or refused with a
// typed error when the broker lacks it), and the APIs a line lists are the ones that line is known to have.
import { fetchApiVersions } from '@vltava/kafka-harness';
import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, expect, inject, it } from 'vitest';
import { resolveClientOptions } from '../../src/cluster/client-options.js';
import { Cluster } from '../../src/cluster/cluster.js';
import { Admin, UnsupportedVersionError } from '../../src/index.js';
import { ApiKeys, apis } from '../../src/protocol/messages/generated/index.js';
import { silentLogger } from '../../src/utils/logger.js';
import { brokerLine, describeBroker, lineAtLeast, SINCE, SKIP_REASON } from './broker-line.js';

const brokers = kafkaBrokers();
const line = brokerLine();
const cluster = new Cluster(resolveClientOptions({ brokers, logger: silentLogger, clientId: 'broker-compat' }));
const admin = new Admin({ brokers, logLevel: 'error' });

afterAll(async () => {
  await admin.close();
  await cluster.close();
});

function endpoint() {
  const [host, port] = brokers[0]!.split(':');
  return { host: host!, port: Number(port) };
}

describeBroker(`ApiVersions negotiation with Kafka ${inject('kafkaVersion')}${SKIP_REASON}`, () => {
  it("sees the broker's API ranges exactly as an independent client does", async () => {
    const independent = await fetchApiVersions(endpoint());
    const connection = await cluster.anyConnection();
    const seen = [...connection.apiVersions.entries()]
      .map(([key, range]) => [key, range.minVersion, range.maxVersion])
      .sort((a, b) => a[0]! - b[0]!);
    const expected = [...independent.apis.entries()]
      .map(([key, range]) => [key, range.minVersion, range.maxVersion])
      .sort((a, b) => a[0]! - b[0]!);
    expect(seen).toEqual(expected);
  });

  it('uses, for every API it has, the highest version both sides speak, and refuses the ones the broker lacks', async () => {
    const connection = await cluster.anyConnection();
    let negotiated = 0;
    let missing = 0;
    for (const api of apis) {
      const broker = connection.apiVersions.get(api.apiKey);
      if (broker === undefined) {
        expect(() => connection.versionFor(api), api.name).toThrow(UnsupportedVersionError);
        missing++;
        continue;
      }
      const version = connection.versionFor(api);
      expect(version, api.name).toBe(Math.min(api.maxStableVersion, broker.maxVersion));
      expect(version, api.name).toBeGreaterThanOrEqual(Math.max(api.minVersion, broker.minVersion));
      negotiated++;
    }
    // Produce, Fetch, Metadata, groups, transactions, admin: the core of the protocol is there on every line.
    expect(negotiated).toBeGreaterThanOrEqual(50);
    expect(missing).toBe(apis.filter((api) => !connection.apiVersions.has(api.apiKey)).length);
  });

  it(`lists the APIs Kafka ${line} is known to have, and not the newer ones`, async () => {
    const listed = (await fetchApiVersions(endpoint())).apis;
    const expectations: Array<[string, number[], string]> = [
      ['ConsumerGroupHeartbeat', [ApiKeys.ConsumerGroupHeartbeat], SINCE.consumerGroupHeartbeatListed],
      ['ConsumerGroupDescribe', [ApiKeys.ConsumerGroupDescribe], SINCE.consumerGroupDescribe],
      ['DescribeTopicPartitions', [ApiKeys.DescribeTopicPartitions], SINCE.describeTopicPartitions],
      ['AddRaftVoter, RemoveRaftVoter', [ApiKeys.AddRaftVoter, ApiKeys.RemoveRaftVoter], SINCE.raftVoterApis],
      [
        'share group APIs',
        [ApiKeys.ShareGroupHeartbeat, ApiKeys.ShareGroupDescribe, ApiKeys.ShareFetch, ApiKeys.ShareAcknowledge],
        SINCE.shareGroupApis,
      ],
      ['streams group APIs', [ApiKeys.StreamsGroupHeartbeat, ApiKeys.StreamsGroupDescribe], SINCE.streamsGroupApis],
    ];
    for (const [what, keys, since] of expectations) {
      for (const key of keys)
        expect(listed.has(key), `${what} (API key ${key}, from ${since})`).toBe(lineAtLeast(since));
    }
  });
});

describeBroker(`Metadata with Kafka ${inject('kafkaVersion')}${SKIP_REASON}`, () => {
  it('describes the cluster: its id, the broker at the address it was given, a controller', async () => {
    const description = await admin.describeCluster();
    expect(description.clusterId).toBe(inject('kafkaClusterId'));
    expect(description.brokers.map((broker) => `${broker.host}:${broker.port}`)).toContain(brokers[0]);
    expect(description.controller?.nodeId).toBeGreaterThanOrEqual(0);
  });

  it('creates, lists and describes a topic, and metadata names a leader for every partition', async () => {
    const topic = uniqueName('compat-meta');
    const [created] = await admin.createTopics([{ topic, numPartitions: 3, replicationFactor: 1 }], {
      waitForMetadata: true,
    });
    expect(created?.error).toBeUndefined();
    expect((await admin.listTopics()).map((listing) => listing.topic)).toContain(topic);
    // DescribeTopicPartitions from 3.8 on, Metadata before.
    const [described] = await admin.describeTopics([topic]);
    expect(described?.error).toBeUndefined();
    expect(
      described !== undefined && described.error === undefined ? described.partitions.map((p) => p.partition) : [],
    ).toEqual([0, 1, 2]);
    const snapshot = await cluster.refreshMetadata({ topics: [topic] });
    const partitions = snapshot.topics.get(topic)?.partitions ?? [];
    expect(partitions).toHaveLength(3);
    const brokerIds = [...snapshot.brokers.keys()];
    for (const partition of partitions) expect(brokerIds).toContain(partition.leader);
  });
});
