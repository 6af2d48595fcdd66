/**
 * Routing, retries and version fallbacks, against the fake broker: the failures a real broker will not produce on
 * demand (NOT_CONTROLLER, NOT_COORDINATOR, a leader that moved, a connection that breaks mid-request, a broker
 * without the newer APIs). Everything else about the admin client runs against the real broker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Admin } from '../../src/admin/index.js';
import { AbortedError, CoordinatorLoadInProgressError, UnsupportedVersionError } from '../../src/errors/index.js';
import { ZERO_UUID } from '../../src/protocol/messages/codec-support.js';
import { apis } from '../../src/protocol/messages/generated/index.js';
import { FakeBroker, type FakeHandler, type FakeRequest } from '../support/fake-broker.js';

const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAABw';
const brokers: FakeBroker[] = [];
const admins: Admin[] = [];
afterEach(async () => {
  for (const admin of admins.splice(0)) await admin.close();
  for (const broker of brokers.splice(0)) {
    await broker.stop();
    expect(broker.failures).toEqual([]);
  }
});

async function fake(handler: FakeHandler): Promise<{ broker: FakeBroker; admin: Admin }> {
  const broker = await FakeBroker.start(handler);
  brokers.push(broker);
  const admin = new Admin({
    brokers: [broker.address],
    logLevel: 'silent',
    retryBackoffMs: 10,
    retryBackoffMaxMs: 20,
    defaultApiTimeoutMs: 10_000,
  });
  admins.push(admin);
  return { broker, admin };
}

/** An ApiVersions answer without some APIs, or with lower maximum versions for some. */
function apiVersions(caps: Readonly<Record<string, number | 'absent'>>) {
  return {
    response: {
      errorCode: 0,
      apiKeys: apis
        .filter((api) => caps[api.name] !== 'absent')
        .map((api) => ({
          apiKey: api.apiKey,
          minVersion: api.minVersion,
          maxVersion: Math.min(api.maxStableVersion, (caps[api.name] as number | undefined) ?? api.maxStableVersion),
        })),
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1n,
      finalizedFeatures: [],
      zkMigrationReady: false,
    },
  };
}

/** A Metadata answer naming the fake as node 0, leader of `topic` partition 0 (when a topic is asked for). */
function metadata(request: FakeRequest, port: number, topic: string) {
  const asked = (request.body as { topics: Array<{ name: string | null }> | null }).topics;
  const topics =
    asked === null || asked.some((t) => t.name === topic)
      ? [
          {
            errorCode: 0,
            name: topic,
            topicId: TOPIC_ID,
            isInternal: false,
            partitions: [
              {
                errorCode: 0,
                partitionIndex: 0,
                leaderId: 0,
                leaderEpoch: 3,
                replicaNodes: [0],
                isrNodes: [0],
                offlineReplicas: [],
              },
            ],
            topicAuthorizedOperations: -2147483648,
          },
        ]
      : [];
  return {
    response: {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 0, host: '127.0.0.1', port, rack: null }],
      clusterId: 'fake-cluster',
      controllerId: 0,
      topics,
      clusterAuthorizedOperations: -2147483648,
      errorCode: 0,
    },
  };
}

function coordinatorAnswer(request: FakeRequest, port: number) {
  const keys = (request.body as { coordinatorKeys: string[] }).coordinatorKeys;
  return {
    response: {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      nodeId: 0,
      host: '',
      port: 0,
      coordinators: keys.map((key) => ({ key, nodeId: 0, host: '127.0.0.1', port, errorCode: 0, errorMessage: null })),
    },
  };
}

function names(broker: FakeBroker): string[] {
  return broker.requests.map((r) => r.apiName).filter((name) => name !== 'ApiVersions');
}

describe('Admin routing and retries (fake broker)', () => {
  it('retries a topic the broker answered NOT_CONTROLLER for, after refreshing metadata', async () => {
    let creates = 0;
    const { broker, admin } = await fake((request) => {
      if (request.apiName !== 'CreateTopics') return undefined;
      creates++;
      const name = (request.body as { topics: Array<{ name: string }> }).topics[0]!.name;
      return {
        response: {
          throttleTimeMs: 0,
          topics: [
            {
              name,
              topicId: creates === 1 ? ZERO_UUID : TOPIC_ID,
              errorCode: creates === 1 ? 41 : 0, // NOT_CONTROLLER, then created
              errorMessage: null,
              topicConfigErrorCode: 0,
              numPartitions: creates === 1 ? -1 : 2,
              replicationFactor: creates === 1 ? -1 : 1,
              configs: creates === 1 ? null : [],
            },
          ],
        },
      };
    });
    const [result] = await admin.createTopics([{ topic: 'orders', numPartitions: 2 }]);
    expect(result).toEqual({ topic: 'orders', topicId: TOPIC_ID, numPartitions: 2, replicationFactor: 1, configs: [] });
    const calls = names(broker);
    const first = calls.indexOf('CreateTopics');
    expect(calls.lastIndexOf('CreateTopics')).toBeGreaterThan(first);
    expect(calls.slice(first + 1, calls.lastIndexOf('CreateTopics'))).toContain('Metadata');
  });

  it('looks the coordinator up again after NOT_COORDINATOR, and falls back to DescribeGroups without KIP-848', async () => {
    let describes = 0;
    const { broker, admin } = await fake((request) => {
      if (request.apiName === 'ApiVersions') return apiVersions({ ConsumerGroupDescribe: 'absent' });
      if (request.apiName === 'FindCoordinator') return coordinatorAnswer(request, broker.port);
      if (request.apiName !== 'DescribeGroups') return undefined;
      describes++;
      return {
        response: {
          throttleTimeMs: 0,
          groups: [
            {
              errorCode: describes === 1 ? 16 : 0, // NOT_COORDINATOR, then described
              errorMessage: null,
              groupId: 'payments',
              groupState: 'Empty',
              protocolType: 'consumer',
              protocolData: '',
              members: [],
              authorizedOperations: -2147483648,
            },
          ],
        },
      };
    });
    const [result] = await admin.describeGroups(['payments']);
    expect(result).toEqual({
      groupId: 'payments',
      type: 'classic',
      state: 'empty',
      protocolType: 'consumer',
      protocol: '',
      members: [],
      coordinator: 0,
    });
    const calls = names(broker);
    expect(calls.filter((n) => n === 'FindCoordinator')).toHaveLength(2);
    expect(calls).not.toContain('ConsumerGroupDescribe');
  });

  it('keeps the last retriable error of an item that never recovers, without rejecting the call', async () => {
    const { broker, admin } = await fake((request) => {
      if (request.apiName === 'FindCoordinator') return coordinatorAnswer(request, broker.port);
      if (request.apiName !== 'DeleteGroups') return undefined;
      const groups = (request.body as { groupsNames: string[] }).groupsNames;
      return {
        response: {
          throttleTimeMs: 0,
          results: groups.map((groupId) => ({
            groupId,
            errorCode: groupId === 'loading' ? 14 : 0, // COORDINATOR_LOAD_IN_PROGRESS, forever
            errorMessage: null,
          })),
        },
      };
    });
    const started = Date.now();
    const results = await admin.deleteGroups(['loading', 'gone'], { timeoutMs: 700 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(results[0]?.error).toBeInstanceOf(CoordinatorLoadInProgressError);
    expect(results[1]).toEqual({ groupId: 'gone' });
    expect(names(broker).filter((n) => n === 'DeleteGroups').length).toBeGreaterThan(2);
  });

  it('retries partitions whose leader moved and requests whose connection broke', async () => {
    let listOffsets = 0;
    const { broker, admin } = await fake((request) => {
      if (request.apiName === 'Metadata') return metadata(request, broker.port, 'events');
      if (request.apiName !== 'ListOffsets') return undefined;
      listOffsets++;
      if (listOffsets === 1) return 'close';
      return {
        response: {
          throttleTimeMs: 0,
          topics: [
            {
              name: 'events',
              partitions: [
                {
                  partitionIndex: 0,
                  errorCode: listOffsets === 2 ? 6 : 0, // NOT_LEADER_OR_FOLLOWER, then the offset
                  timestamp: -1n,
                  offset: listOffsets === 2 ? -1n : 42n,
                  leaderEpoch: 3,
                },
              ],
            },
          ],
        },
      };
    });
    const [result] = await admin.listOffsets([{ topic: 'events', partition: 0, spec: 'latest' }]);
    expect(result).toEqual({ topic: 'events', partition: 0, offset: 42n, timestamp: null, leaderEpoch: 3 });
    expect(listOffsets).toBe(3);
    // Each retry looked the leader up again.
    const calls = names(broker);
    const offsets = calls.flatMap((name, i) => (name === 'ListOffsets' ? [i] : []));
    for (let k = 1; k < offsets.length; k++) {
      expect(calls.slice(offsets[k - 1]! + 1, offsets[k]!)).toContain('Metadata');
    }
  });

  it('negotiates versions: a filter the broker cannot apply is an UnsupportedVersionError, older APIs stand in', async () => {
    const { broker, admin } = await fake((request) => {
      if (request.apiName === 'ApiVersions') return apiVersions({ ListGroups: 4, DescribeTopicPartitions: 'absent' });
      if (request.apiName === 'Metadata') return metadata(request, broker.port, 'events');
      if (request.apiName !== 'ListGroups') return undefined;
      return {
        response: {
          throttleTimeMs: 0,
          errorCode: 0,
          groups: [{ groupId: 'g', protocolType: 'consumer', groupState: 'Stable', groupType: '' }],
        },
      };
    });
    await expect(admin.listGroups({ types: ['consumer'] })).rejects.toBeInstanceOf(UnsupportedVersionError);
    const listed = await admin.listGroups({ states: ['stable'] });
    expect(listed).toEqual([{ groupId: 'g', protocolType: 'consumer', state: 'stable', type: null }]);
    const listRequest = broker.requests.find((r) => r.apiName === 'ListGroups')!;
    expect(listRequest.apiVersion).toBe(4);
    expect((listRequest.body as { statesFilter: string[] }).statesFilter).toEqual(['Stable']);

    const [described] = await admin.describeTopics(['events']);
    expect(described).toMatchObject({ topic: 'events', topicId: TOPIC_ID, partitions: [{ partition: 0, leader: 0 }] });
    expect(names(broker)).not.toContain('DescribeTopicPartitions');
  });

  it('rejects at once when the caller aborts a call the broker never answers', async () => {
    const { admin } = await fake((request) => (request.apiName === 'DescribeCluster' ? 'ignore' : undefined));
    await admin.connect();
    const controller = new AbortController();
    const pending = admin.describeCluster({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user gave up')), 50);
    const started = Date.now();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
