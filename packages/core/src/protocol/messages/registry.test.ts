import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ApiDefinition, RequestOf, ResponseOf } from './api-definition.js';
import {
  ApiKeys,
  ApiVersions,
  apiByKey,
  apis,
  Fetch,
  Metadata,
  type MetadataRequest,
  type MetadataResponse,
  Produce,
  SaslHandshake,
} from './generated/index.js';

describe('the API registry', () => {
  it('lists every client-facing API once, by ascending key', () => {
    const keys = apis.map((a) => a.apiKey);
    expect(keys).toStrictEqual([...keys].sort((a, b) => a - b));
    expect(new Set(keys).size).toBe(keys.length);
    for (const api of apis) {
      expect(apiByKey(api.apiKey)).toBe(api);
      expect(ApiKeys[api.name as keyof typeof ApiKeys]).toBe(api.apiKey);
      expect(api.minVersion).toBeLessThanOrEqual(api.maxStableVersion);
      expect(api.maxStableVersion).toBeLessThanOrEqual(api.maxVersion);
    }
    expect(apiByKey(9999)).toBeUndefined();
  });

  it('has the APIs clients need and not the broker-internal ones', () => {
    expect(ApiKeys.Produce).toBe(0);
    expect(ApiKeys.Fetch).toBe(1);
    expect(ApiKeys.Metadata).toBe(3);
    expect(ApiKeys.ApiVersions).toBe(18);
    const names = new Set(apis.map((a) => a.name));
    for (const name of [
      'ListOffsets',
      'OffsetCommit',
      'OffsetFetch',
      'OffsetDelete',
      'FindCoordinator',
      'JoinGroup',
      'SyncGroup',
      'Heartbeat',
      'LeaveGroup',
      'DescribeGroups',
      'ListGroups',
      'DeleteGroups',
      'ConsumerGroupHeartbeat',
      'ConsumerGroupDescribe',
      'ShareGroupHeartbeat',
      'ShareGroupDescribe',
      'ShareFetch',
      'ShareAcknowledge',
      'DescribeShareGroupOffsets',
      'AlterShareGroupOffsets',
      'DeleteShareGroupOffsets',
      'StreamsGroupHeartbeat',
      'StreamsGroupDescribe',
      'SaslHandshake',
      'SaslAuthenticate',
      'CreateTopics',
      'DeleteTopics',
      'CreatePartitions',
      'DeleteRecords',
      'InitProducerId',
      'AddPartitionsToTxn',
      'AddOffsetsToTxn',
      'EndTxn',
      'TxnOffsetCommit',
      'DescribeAcls',
      'CreateAcls',
      'DeleteAcls',
      'DescribeConfigs',
      'AlterConfigs',
      'IncrementalAlterConfigs',
      'AlterReplicaLogDirs',
      'DescribeLogDirs',
      'CreateDelegationToken',
      'RenewDelegationToken',
      'ExpireDelegationToken',
      'DescribeDelegationToken',
      'ElectLeaders',
      'AlterPartitionReassignments',
      'ListPartitionReassignments',
      'DescribeClientQuotas',
      'AlterClientQuotas',
      'DescribeUserScramCredentials',
      'AlterUserScramCredentials',
      'DescribeQuorum',
      'UpdateFeatures',
      'DescribeCluster',
      'DescribeProducers',
      'DescribeTransactions',
      'ListTransactions',
      'GetTelemetrySubscriptions',
      'PushTelemetry',
      'ListConfigResources',
      'DescribeTopicPartitions',
      'AddRaftVoter',
      'RemoveRaftVoter',
      'OffsetForLeaderEpoch',
      'WriteTxnMarkers',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
    for (const name of ['LeaderAndIsr', 'Vote', 'BrokerHeartbeat', 'ReadShareGroupState']) {
      expect(names.has(name), name).toBe(false);
    }
  });

  it('gives header versions by flexibility, and header v0 to every ApiVersions response', () => {
    expect(Metadata.flexibleMinVersion).toBe(9);
    expect([Metadata.requestHeaderVersion(8), Metadata.responseHeaderVersion(8)]).toStrictEqual([1, 0]);
    expect([Metadata.requestHeaderVersion(9), Metadata.responseHeaderVersion(9)]).toStrictEqual([2, 1]);
    expect([ApiVersions.requestHeaderVersion(3), ApiVersions.responseHeaderVersion(3)]).toStrictEqual([2, 0]);
    expect([ApiVersions.requestHeaderVersion(2), ApiVersions.responseHeaderVersion(2)]).toStrictEqual([1, 0]);
    expect(SaslHandshake.flexibleMinVersion).toBeNull();
    expect(SaslHandshake.requestHeaderVersion(1)).toBe(1);
    expect(Produce.requestHeaderVersion(9)).toBe(2);
    expect(Fetch.responseHeaderVersion(12)).toBe(1);
  });

  it('types requests and responses through the API constant', () => {
    function send<A extends ApiDefinition>(_api: A, _version: number, _request: RequestOf<A>): ResponseOf<A> {
      return undefined as ResponseOf<A>;
    }
    expectTypeOf(send(Metadata, 12, { topics: null })).toEqualTypeOf<MetadataResponse>();
    expectTypeOf<RequestOf<typeof Metadata>>().toEqualTypeOf<MetadataRequest>();
    // @ts-expect-error: a Produce request is not a Metadata request.
    send(Metadata, 12, { acks: -1, timeoutMs: 1000, topicData: [] });
  });
});
