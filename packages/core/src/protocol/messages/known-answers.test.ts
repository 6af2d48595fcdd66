import { describe, expect, it } from 'vitest';
import { Reader } from '../primitives/reader.js';
import { ZERO_UUID } from '../primitives/uuid.js';
import { Writer } from '../primitives/writer.js';
import { messageCodecs } from './generated/index.js';
import { KNOWN_ANSWERS } from './known-answers.fixture.js';

/**
 * The values tools/codegen/java/KnownAnswers.java serializes with Kafka's own classes, written as our decoders
 * return them (every field filled, defaults included). Encoding them must give Kafka's bytes exactly, and decoding
 * Kafka's bytes must give them back.
 */
const TOPIC_ID = 'AQIDBAUGBwgJCgsMDQ4PEA';

/** The stand-in record bytes of the Java program: byte i is i * 7 + 1. */
function batch(n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + 1) & 0xff));
}

function produce(transactionalId: string | null, byId: boolean) {
  return {
    transactionalId,
    acks: -1,
    timeoutMs: 30000,
    topicData: [
      {
        name: byId ? '' : 'orders',
        topicId: byId ? TOPIC_ID : ZERO_UUID,
        partitionData: [
          { index: 0, records: batch(20) },
          { index: 1, records: batch(3) },
        ],
      },
    ],
  };
}

function fetch(version: number) {
  const flexibleIds = version >= 13;
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: version >= 7 ? 77 : 0,
    responses: [
      {
        topic: flexibleIds ? '' : 'orders',
        topicId: flexibleIds ? TOPIC_ID : ZERO_UUID,
        partitions: [
          {
            partitionIndex: 2,
            errorCode: 0,
            highWatermark: 100n,
            lastStableOffset: 90n,
            logStartOffset: version >= 5 ? 0n : -1n,
            divergingEpoch: { epoch: -1, endOffset: -1n },
            currentLeader: version >= 16 ? { leaderId: 2, leaderEpoch: 5 } : { leaderId: -1, leaderEpoch: -1 },
            snapshotId: { endOffset: -1n, epoch: -1 },
            abortedTransactions: [{ producerId: 5n, firstOffset: 10n }],
            preferredReadReplica: -1,
            records: batch(12),
          },
        ],
      },
    ],
    nodeEndpoints: version >= 16 ? [{ nodeId: 2, host: 'broker-2', port: 9093, rack: null }] : [],
  };
}

const EXPECTED: Record<string, unknown> = {
  // ClusterId and NodeId exist from v5 (absent here: their defaults).
  'ApiVersionsRequest v3': {
    clientSoftwareName: 'vltava',
    clientSoftwareVersion: '0.1.0',
    clusterId: null,
    nodeId: -1,
  },
  'ApiVersionsRequest v0': { clientSoftwareName: '', clientSoftwareVersion: '', clusterId: null, nodeId: -1 },
  'RequestHeader v2': { requestApiKey: 3, requestApiVersion: 12, correlationId: 42, clientId: 'vltava-client' },
  'RequestHeader v1': { requestApiKey: 18, requestApiVersion: 3, correlationId: 1, clientId: null },
  'MetadataRequest v12': {
    topics: [
      { topicId: ZERO_UUID, name: 'orders' },
      { topicId: TOPIC_ID, name: 'logs.é' },
    ],
    allowAutoTopicCreation: false,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: true,
  },
  'MetadataRequest v4': {
    topics: null,
    allowAutoTopicCreation: true,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  },
  'MetadataResponse v12': {
    throttleTimeMs: 5,
    brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
    clusterId: 'cluster-1',
    controllerId: 1,
    topics: [
      {
        errorCode: 0,
        name: 'orders',
        topicId: TOPIC_ID,
        isInternal: false,
        partitions: [
          {
            errorCode: 0,
            partitionIndex: 0,
            leaderId: 1,
            leaderEpoch: 3,
            replicaNodes: [1, 2],
            isrNodes: [1],
            offlineReplicas: [],
          },
        ],
        topicAuthorizedOperations: -2147483648,
      },
    ],
    clusterAuthorizedOperations: -2147483648,
    errorCode: 0,
    unknownTaggedFields: [{ tag: 7, data: Buffer.from([1, 2, 3]) }],
  },
  'ProduceRequest v9': produce(null, false),
  'ProduceRequest v11': produce('tx-1', false),
  'ProduceRequest v13': produce(null, true),
  'FetchResponse v4': fetch(4),
  'FetchResponse v12': fetch(12),
  'FetchResponse v16': fetch(16),
  'JoinGroupRequest v9': {
    groupId: 'group-1',
    sessionTimeoutMs: 45000,
    rebalanceTimeoutMs: 300000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from([0, 3, 9]) }],
    reason: 'rejoin',
  },
  'ConsumerGroupHeartbeatRequest v1': {
    groupId: 'group-1',
    memberId: 'm-1',
    memberEpoch: 0,
    instanceId: null,
    rackId: 'rack-a',
    rebalanceTimeoutMs: 300000,
    subscribedTopicNames: ['orders', 'logs'],
    subscribedTopicRegex: null,
    serverAssignor: 'uniform',
    topicPartitions: [],
  },
  'ConsumerGroupHeartbeatResponse v1': {
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    memberId: 'm-1',
    memberEpoch: 3,
    heartbeatIntervalMs: 5000,
    assignment: { topicPartitions: [{ topicId: TOPIC_ID, partitions: [0, 2] }] },
  },
  'SaslHandshakeRequest v1': { mechanism: 'SCRAM-SHA-512' },
  'CreateTopicsRequest v7': {
    topics: [
      {
        name: 'orders',
        numPartitions: 3,
        replicationFactor: 1,
        assignments: [],
        configs: [{ name: 'cleanup.policy', value: 'compact' }],
      },
    ],
    timeoutMs: 30000,
    validateOnly: false,
  },
  'ConsumerProtocolSubscription v3': {
    topics: ['orders'],
    userData: Buffer.from([7]),
    ownedPartitions: [{ topic: 'orders', partitions: [0, 1] }],
    generationId: 4,
    rackId: 'rack-a',
  },
};

describe("known answers from Kafka's own serializers", () => {
  it('has a value for every captured encoding', () => {
    expect(KNOWN_ANSWERS.map((k) => `${k.name} v${k.version}`).sort()).toStrictEqual(Object.keys(EXPECTED).sort());
  });

  for (const known of KNOWN_ANSWERS) {
    const key = `${known.name} v${known.version}`;
    it(`${key}: encodes to Kafka's bytes and decodes them back`, () => {
      const codec = messageCodecs[known.name]!;
      const value = EXPECTED[key];
      const writer = new Writer(16, 8);
      codec.encode(writer, known.version, value);
      expect(writer.toBuffer().toString('hex')).toBe(known.hex);
      const reader = new Reader(Buffer.from(known.hex, 'hex'));
      expect(codec.decode(reader, known.version)).toStrictEqual(value);
      expect(reader.remaining).toBe(0);
    });
  }
});
