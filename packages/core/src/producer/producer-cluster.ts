import type { BrokerInfo, MetadataSnapshot, PartitionInfo, TopicInfo } from '../cluster/metadata.js';
import type { Connection } from '../network/connection.js';

/**
 * The narrow views of the cluster the producer's units depend on. `cluster/Cluster` and `network/Connection`
 * satisfy them; a test gives a fake of just these members, with no cast to the concrete classes.
 */

/** A ready connection to one broker, as the producer uses it. */
export type ProducerConnection = Pick<
  Connection,
  'label' | 'ready' | 'onClose' | 'versionFor' | 'send' | 'finalizedFeatures'
>;

/** What a {@link BrokerSink} needs: connections by node id, and topic ids from metadata. */
export interface SinkCluster {
  /** The latest metadata snapshot. */
  readonly metadata: MetadataSnapshot;
  /** A ready connection to a broker (connecting, with backoff, if needed). */
  connection(nodeId: number): Promise<ProducerConnection>;
}

/** What the sender needs of the cluster. */
export interface SenderCluster extends SinkCluster {
  /** Java: retry.backoff.ms, the least time between two metadata refreshes the sender starts. */
  readonly options: { readonly retryBackoffMs: number };
  /** A partition's metadata (its leader), or undefined. */
  partition(topic: string, partition: number): PartitionInfo | undefined;
  /** A ready connection to any broker (for InitProducerId). */
  anyConnection(): Promise<ProducerConnection>;
  /** Refreshes metadata. */
  refreshMetadata(): Promise<unknown>;
  /** Applies a leader hint of a Produce response (KIP-951). */
  updateLeader(topic: string, partition: number, leaderId: number, leaderEpoch: number, endpoint?: BrokerInfo): void;
  /** Backoff before retry number `attempt` (0-based): retry.backoff.ms doubling to retry.backoff.max.ms. */
  retryDelay(attempt: number): number;
}

/** What record admission needs of the cluster: a topic's metadata, fetched on demand. */
export interface TopicMetadataSource {
  /** Metadata of one topic, refreshing until it has partitions or `timeoutMs` passes. */
  topicMetadata(topic: string, timeoutMs: number): Promise<TopicInfo>;
  /** Refreshes metadata, tracking `topics` from now on. */
  refreshMetadata(options: { topics: Iterable<string> }): Promise<unknown>;
}

/** What the partition cache reads: the latest metadata and the topics the producer asked about. */
export interface MetadataView {
  /** The latest metadata snapshot. */
  readonly metadata: MetadataSnapshot;
  /** Topics kept in the snapshot. */
  readonly trackedTopics: ReadonlySet<string>;
}
