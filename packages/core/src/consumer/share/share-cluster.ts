import type { CoordinatorType, RefreshOptions } from '../../cluster/cluster.js';
import type { BrokerInfo, MetadataSnapshot, PartitionInfo } from '../../cluster/metadata.js';
import type { RequestOptions } from '../../network/connection.js';
import type { ApiDefinition } from '../../protocol/messages/api-definition.js';

/** The part of a broker connection the share consumer uses. */
export interface ShareConnection {
  /** `nodeId@host:port`, for messages. */
  readonly label: string;
  /** The highest version of `api` both sides speak; throws `UnsupportedVersionError` when there is none. */
  versionFor(
    api: Pick<ApiDefinition, 'name' | 'apiKey' | 'minVersion' | 'maxStableVersion'>,
    maxVersion?: number,
  ): number;
  /** Sends one request and resolves with its response. */
  send<Req, Res>(api: ApiDefinition<Req, Res>, request: Req, options?: RequestOptions): Promise<Res>;
}

/**
 * The part of the cluster layer the share consumer depends on: metadata, connections by node and lane,
 * coordinator lookup, retry backoff. `Cluster` is one; unit tests pass a fake.
 */
export interface ShareCluster {
  /** The latest metadata snapshot. */
  readonly metadata: MetadataSnapshot;
  /** A ready connection to a node on a lane. */
  connection(nodeId: number, lane?: string): Promise<ShareConnection>;
  /** The coordinator of a key (share groups use the group coordinator). */
  findCoordinator(type: CoordinatorType, key: string, timeoutMs?: number): Promise<BrokerInfo>;
  /** Forgets a cached coordinator. */
  invalidateCoordinator(type: CoordinatorType, key: string): void;
  /** Refreshes metadata for the tracked topics (plus `options.topics`). */
  refreshMetadata(options?: RefreshOptions): Promise<MetadataSnapshot>;
  /** Keeps topics in the metadata snapshot. */
  trackTopics(topics: Iterable<string>): void;
  /** A partition's metadata, or undefined. */
  partition(topic: string, partition: number): PartitionInfo | undefined;
  /** Applies a leader hint from a response (KIP-951). */
  updateLeader(topic: string, partition: number, leaderId: number, leaderEpoch: number, endpoint?: BrokerInfo): void;
  /** Subscribes to metadata updates; returns the unsubscribe function. */
  onMetadata(listener: (snapshot: MetadataSnapshot) => void): () => void;
  /** Backoff before retry `attempt` (0-based). */
  retryDelay(attempt: number): number;
}
