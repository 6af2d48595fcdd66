/**
 * KIP-219: since these versions of each API, a broker that throttles a client for a quota answers at once, with
 * the throttle time in the response, and then mutes the connection for that long; the client must send nothing
 * more on it meanwhile (requests it sends would sit unread and count against their timeout). For older versions
 * the broker delayed the response itself, and there is nothing for the client to do.
 *
 * The versions are the Java client's (`AbstractResponse.shouldClientThrottle` of each response class); an API that
 * is not listed is never throttled by the client, as in Java. Keyed by API name: this module is part of the
 * published package, which does not ship the generated index of every API.
 */
const CLIENT_THROTTLED_FROM: ReadonlyMap<string, number> = new Map<string, number>([
  ['Produce', 6],
  ['Fetch', 8],
  ['ListOffsets', 3],
  ['Metadata', 6],
  ['OffsetCommit', 4],
  ['OffsetFetch', 4],
  ['FindCoordinator', 2],
  ['JoinGroup', 3],
  ['Heartbeat', 2],
  ['LeaveGroup', 2],
  ['SyncGroup', 2],
  ['DescribeGroups', 2],
  ['ListGroups', 2],
  ['ApiVersions', 2],
  ['CreateTopics', 3],
  ['DeleteTopics', 2],
  ['DeleteRecords', 1],
  ['InitProducerId', 1],
  ['AddPartitionsToTxn', 1],
  ['AddOffsetsToTxn', 1],
  ['EndTxn', 1],
  ['TxnOffsetCommit', 1],
  ['DescribeAcls', 1],
  ['CreateAcls', 1],
  ['DeleteAcls', 1],
  ['DescribeConfigs', 2],
  ['AlterConfigs', 1],
  ['AlterReplicaLogDirs', 1],
  ['DescribeLogDirs', 1],
  ['CreatePartitions', 1],
  ['CreateDelegationToken', 1],
  ['RenewDelegationToken', 1],
  ['ExpireDelegationToken', 1],
  ['DescribeDelegationToken', 1],
  ['DeleteGroups', 1],
  ['ElectLeaders', 0],
  ['IncrementalAlterConfigs', 0],
  ['AlterPartitionReassignments', 0],
  ['ListPartitionReassignments', 0],
  ['OffsetDelete', 0],
  ['DescribeUserScramCredentials', 0],
  ['AlterUserScramCredentials', 0],
  ['UnregisterBroker', 0],
  ['DescribeTopicPartitions', 0],
]);

/**
 * True when a response of this API (its name, `Produce`) and version with a throttle time makes the client hold its
 * requests.
 */
export function clientThrottles(apiName: string, version: number): boolean {
  const from = CLIENT_THROTTLED_FROM.get(apiName);
  return from !== undefined && version >= from;
}
