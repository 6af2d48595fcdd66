import { type ApiKey, ApiKeys } from '../protocol/messages/generated/index.js';

/**
 * KIP-219: since these versions of each API, a broker that throttles a client for a quota answers at once, with
 * the throttle time in the response, and then mutes the connection for that long; the client must send nothing
 * more on it meanwhile (requests it sends would sit unread and count against their timeout). For older versions
 * the broker delayed the response itself, and there is nothing for the client to do.
 *
 * The versions are the Java client's (`AbstractResponse.shouldClientThrottle` of each response class); an API that
 * is not listed is never throttled by the client, as in Java.
 */
const CLIENT_THROTTLED_FROM: ReadonlyMap<number, number> = new Map<ApiKey, number>([
  [ApiKeys.Produce, 6],
  [ApiKeys.Fetch, 8],
  [ApiKeys.ListOffsets, 3],
  [ApiKeys.Metadata, 6],
  [ApiKeys.OffsetCommit, 4],
  [ApiKeys.OffsetFetch, 4],
  [ApiKeys.FindCoordinator, 2],
  [ApiKeys.JoinGroup, 3],
  [ApiKeys.Heartbeat, 2],
  [ApiKeys.LeaveGroup, 2],
  [ApiKeys.SyncGroup, 2],
  [ApiKeys.DescribeGroups, 2],
  [ApiKeys.ListGroups, 2],
  [ApiKeys.ApiVersions, 2],
  [ApiKeys.CreateTopics, 3],
  [ApiKeys.DeleteTopics, 2],
  [ApiKeys.DeleteRecords, 1],
  [ApiKeys.InitProducerId, 1],
  [ApiKeys.AddPartitionsToTxn, 1],
  [ApiKeys.AddOffsetsToTxn, 1],
  [ApiKeys.EndTxn, 1],
  [ApiKeys.TxnOffsetCommit, 1],
  [ApiKeys.DescribeAcls, 1],
  [ApiKeys.CreateAcls, 1],
  [ApiKeys.DeleteAcls, 1],
  [ApiKeys.DescribeConfigs, 2],
  [ApiKeys.AlterConfigs, 1],
  [ApiKeys.AlterReplicaLogDirs, 1],
  [ApiKeys.DescribeLogDirs, 1],
  [ApiKeys.CreatePartitions, 1],
  [ApiKeys.CreateDelegationToken, 1],
  [ApiKeys.RenewDelegationToken, 1],
  [ApiKeys.ExpireDelegationToken, 1],
  [ApiKeys.DescribeDelegationToken, 1],
  [ApiKeys.DeleteGroups, 1],
  [ApiKeys.ElectLeaders, 0],
  [ApiKeys.IncrementalAlterConfigs, 0],
  [ApiKeys.AlterPartitionReassignments, 0],
  [ApiKeys.ListPartitionReassignments, 0],
  [ApiKeys.OffsetDelete, 0],
  [ApiKeys.DescribeUserScramCredentials, 0],
  [ApiKeys.AlterUserScramCredentials, 0],
  [ApiKeys.UnregisterBroker, 0],
  [ApiKeys.DescribeTopicPartitions, 0],
]);

/** True when a response of this API and version with a throttle time makes the client hold its requests. */
export function clientThrottles(apiKey: number, version: number): boolean {
  const from = CLIENT_THROTTLED_FROM.get(apiKey);
  return from !== undefined && version >= from;
}
