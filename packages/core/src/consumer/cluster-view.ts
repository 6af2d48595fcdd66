import type { CoordinatorType, RefreshOptions } from '../cluster/cluster.js';
import type { BrokerInfo, MetadataSnapshot, PartitionInfo } from '../cluster/metadata.js';
import type { RequestOptions } from '../network/connection.js';
import type { ApiDefinition } from '../protocol/messages/api-definition.js';

/**
 * The narrow views the parts of both consumers (group and share) take of the cluster layer, so that each part
 * depends on what it uses and is unit-tested with a plain fake: `Cluster` implements every one of them.
 *
 * - {@link MetadataView}: the metadata snapshot and its refreshes (group members, the position updater).
 * - {@link BrokerAccess}: that, plus connections to brokers by node and lane and leader hints (fetchers, offset
 *   lookups, leader-epoch validation).
 * - {@link ConsumerCluster}: that, plus coordinator lookup and topic tracking: everything a consumer facade uses.
 */

/** The part of a broker connection the consumers use (`Connection` is one). */
export interface BrokerChannel {
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

/** The cluster's metadata as the consumers read it. */
export interface MetadataView {
  /** The latest metadata snapshot. */
  readonly metadata: MetadataSnapshot;
  /** A partition's metadata, or undefined. */
  partition(topic: string, partition: number): PartitionInfo | undefined;
  /** Refreshes metadata for the tracked topics (plus `options.topics`). */
  refreshMetadata(options?: RefreshOptions): Promise<MetadataSnapshot>;
  /** Subscribes to metadata updates; returns the unsubscribe function. */
  onMetadata(listener: (snapshot: MetadataSnapshot) => void): () => void;
}

/** Metadata and brokers: what talks to partition leaders. */
export interface BrokerAccess extends MetadataView {
  /** A ready connection to a node on a lane. */
  connection(nodeId: number, lane?: string): Promise<BrokerChannel>;
  /** Applies a leader hint from a response (KIP-951). */
  updateLeader(topic: string, partition: number, leaderId: number, leaderEpoch: number, endpoint?: BrokerInfo): void;
  /** Backoff before retry `attempt` (0-based). */
  retryDelay(attempt: number): number;
}

/** Everything a consumer uses of the cluster layer. */
export interface ConsumerCluster extends BrokerAccess {
  /** The coordinator of a key (consumer and share groups use the group coordinator). */
  findCoordinator(type: CoordinatorType, key: string, timeoutMs?: number): Promise<BrokerInfo>;
  /** Forgets a cached coordinator. */
  invalidateCoordinator(type: CoordinatorType, key: string): void;
  /** Keeps topics in the metadata snapshot. */
  trackTopics(topics: Iterable<string>): void;
}
