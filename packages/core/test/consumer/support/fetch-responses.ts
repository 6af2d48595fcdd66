import type { FetchResponsePartitionData } from '../../../src/protocol/messages/generated/fetch.js';

/**
 * A partition of a Fetch response as a broker sends it when all is well and nothing is set but what `fields` says:
 * no error, no divergence, no leader hint, no read replica, no records.
 */
export function fetchPartitionData(
  partition: number,
  fields: Partial<FetchResponsePartitionData> = {},
): FetchResponsePartitionData {
  return {
    partitionIndex: partition,
    errorCode: 0,
    highWatermark: 100n,
    lastStableOffset: -1n,
    logStartOffset: 0n,
    divergingEpoch: { epoch: -1, endOffset: -1n },
    currentLeader: { leaderId: -1, leaderEpoch: -1 },
    snapshotId: { endOffset: -1n, epoch: -1 },
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: null,
    ...fields,
  };
}
