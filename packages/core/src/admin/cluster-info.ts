import { InvalidArgumentError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import type { KafkaError } from '../errors/kafka-error.js';
import { ApiVersions } from '../protocol/messages/generated/api-versions.js';
import { DescribeCluster } from '../protocol/messages/generated/describe-cluster.js';
import { DescribeLogDirs } from '../protocol/messages/generated/describe-log-dirs.js';
import { DescribeQuorum } from '../protocol/messages/generated/describe-quorum.js';
import { ZERO_UUID } from '../protocol/primitives/uuid.js';
import type { TopicPartition } from '../vocabulary/topic-partition.js';
import { type AclOperation, authorizedOperations } from './acl-codes.js';
import { exchange } from './admin-exchange.js';
import type { AdminCallOptions } from './admin-options.js';
import { type AdminRouter, brokerError, throwIfError } from './admin-request.js';
import { type BrokerNode, type ItemResult, timestampOrNull } from './admin-types.js';
import { comparePartitions } from './groups.js';
import { partitionEntries } from './item-outcomes.js';

/** A broker as `describeCluster` describes it. Java: `Node` (with `isFenced`, KIP-1073). */
export interface ClusterBroker extends BrokerNode {
  /** Whether the controller has fenced it (DescribeCluster v2+ with `includeFencedBrokers`; else false). */
  readonly isFenced: boolean;
}

/** The cluster. Java: `DescribeClusterResult`. */
export interface ClusterDescription {
  /** Cluster id. */
  readonly clusterId: string;
  /**
   * The controller as brokers report it. With KRaft, brokers name a random live broker (which forwards controller
   * requests); `describeQuorum` tells the active controller. Null when unknown.
   */
  readonly controller: ClusterBroker | null;
  /** The brokers, by node id. */
  readonly brokers: readonly ClusterBroker[];
  /** Operations the client may perform on the cluster, with `includeAuthorizedOperations`. */
  readonly authorizedOperations?: readonly AclOperation[];
}

/** Options of `describeCluster`. Java: `DescribeClusterOptions`. */
export interface DescribeClusterOptions extends AdminCallOptions {
  /** Ask for the operations the client may perform on the cluster. Java: `includeAuthorizedOperations`. */
  readonly includeAuthorizedOperations?: boolean;
  /** List fenced brokers too (DescribeCluster v2+, Kafka 4.0+). Java: `includeFencedBrokers`. */
  readonly includeFencedBrokers?: boolean;
}

/** One replica in a log directory. Java: `ReplicaInfo`. */
export interface ReplicaInfo extends TopicPartition {
  /** Bytes on disk. */
  readonly size: bigint;
  /** How far the log end is behind the high watermark (or the current replica, for a future one). */
  readonly offsetLag: bigint;
  /** Whether it is a future replica, being moved here by `alterReplicaLogDirs`. */
  readonly isFuture: boolean;
}

/** One log directory of a broker. Java: `LogDirDescription`. */
export interface LogDirDescription {
  /** Absolute path. */
  readonly path: string;
  /** The directory's error (offline), or undefined. */
  readonly error?: KafkaError;
  /** The replicas in it. */
  readonly replicas: readonly ReplicaInfo[];
  /** Size of its volume in bytes (DescribeLogDirs v4+), else null. */
  readonly totalBytes: bigint | null;
  /** Usable bytes of its volume (v4+), else null. */
  readonly usableBytes: bigint | null;
  /** Whether it is cordoned, taking no new replicas (v5+, KIP-1066). */
  readonly isCordoned: boolean;
}

/** The result of `describeLogDirs` for one broker. Java: `DescribeLogDirsResult.descriptions()`. */
export type DescribeLogDirsResult = ItemResult<
  { readonly brokerId: number },
  { readonly logDirs: readonly LogDirDescription[] }
>;

/** Options of `describeLogDirs`. Java: `DescribeLogDirsOptions`. */
export interface DescribeLogDirsOptions extends AdminCallOptions {
  /** Only these topics' replicas. Default: every replica. */
  readonly topics?: readonly string[];
}

/** The cluster's feature levels. Java: `FeatureMetadata`. */
export interface FeatureMetadata {
  /** Finalized (cluster-wide) levels by feature name (`metadata.version`, `group.version`, ...). */
  readonly finalizedFeatures: Readonly<
    Record<string, { readonly minVersionLevel: number; readonly maxVersionLevel: number }>
  >;
  /** Epoch of the finalized features, or null when unknown. */
  readonly finalizedFeaturesEpoch: bigint | null;
  /** Levels the answering broker supports, by feature name. */
  readonly supportedFeatures: Readonly<Record<string, { readonly minVersion: number; readonly maxVersion: number }>>;
}

/** A voter or observer of the metadata quorum. Java: `QuorumInfo.ReplicaState`. */
export interface QuorumReplicaState {
  /** Node id. */
  readonly replicaId: number;
  /** Directory id (KIP-853), or null when the broker does not say. */
  readonly replicaDirectoryId: string | null;
  /** Last known log end offset, or null. */
  readonly logEndOffset: bigint | null;
  /** When it last fetched from the leader (ms since the epoch), or null. */
  readonly lastFetchTimestamp: number | null;
  /** When it was last caught up (ms since the epoch), or null. */
  readonly lastCaughtUpTimestamp: number | null;
}

/** The KRaft metadata quorum. Java: `QuorumInfo`. */
export interface QuorumInfo {
  /** Node id of the active controller (the quorum leader). */
  readonly leaderId: number;
  /** Leader epoch. */
  readonly leaderEpoch: number;
  /** High watermark of the metadata log. */
  readonly highWatermark: bigint;
  /** Voters. */
  readonly voters: readonly QuorumReplicaState[];
  /** Observers (brokers that are not voters). */
  readonly observers: readonly QuorumReplicaState[];
  /** The voters' listeners (DescribeQuorum v2+), by node id. */
  readonly nodes: ReadonlyArray<{
    readonly nodeId: number;
    readonly endpoints: ReadonlyArray<{ readonly listener: string; readonly host: string; readonly port: number }>;
  }>;
}

/** `describeCluster`: cluster id, controller and brokers (DescribeCluster to any broker). */
export async function describeCluster(
  router: AdminRouter,
  options: DescribeClusterOptions = {},
): Promise<ClusterDescription> {
  const call = router.call('describeCluster', options);
  await router.ready(call);
  return router.retryOnAnyBroker(call, async (connection) => {
    const response = await exchange(router, call, connection, {
      api: DescribeCluster,
      needs: options.includeFencedBrokers === true ? { minVersion: 2, feature: 'includeFencedBrokers' } : {},
      request: (version) => ({
        includeClusterAuthorizedOperations: options.includeAuthorizedOperations === true,
        endpointType: 1,
        ...(version >= 2 ? { includeFencedBrokers: options.includeFencedBrokers === true } : {}),
      }),
    });
    throwIfError(response.errorCode, response.errorMessage, { api: 'DescribeCluster' }, connection);
    const brokers = response.brokers
      .map((b) => ({ nodeId: b.brokerId, host: b.host, port: b.port, rack: b.rack, isFenced: b.isFenced }))
      .sort((a, b) => a.nodeId - b.nodeId);
    const ops =
      options.includeAuthorizedOperations === true
        ? authorizedOperations(response.clusterAuthorizedOperations)
        : undefined;
    return {
      clusterId: response.clusterId,
      controller: brokers.find((b) => b.nodeId === response.controllerId) ?? null,
      brokers,
      ...(ops === undefined ? {} : { authorizedOperations: ops }),
    };
  });
}

/**
 * `describeLogDirs`: each broker's log directories and the replicas in them (DescribeLogDirs to each broker;
 * every broker when `brokerIds` is left out). One result per broker.
 */
export async function describeLogDirs(
  router: AdminRouter,
  brokerIds?: readonly number[],
  options: DescribeLogDirsOptions = {},
): Promise<DescribeLogDirsResult[]> {
  const call = router.call('describeLogDirs', options);
  for (const id of brokerIds ?? []) {
    if (!Number.isInteger(id) || id < 0) throw new InvalidArgumentError('describeLogDirs: broker ids are integers ≥ 0');
  }
  await router.ready(call);
  const ids = brokerIds === undefined ? await router.brokerIds(call) : [...brokerIds];
  let topics: Array<{ topic: string; partitions: number[] }> | null = null;
  if (options.topics !== undefined) {
    const metadata = await router.retry(call, () => router.metadata(call, options.topics ?? []));
    topics = metadata.topics
      .filter((t) => t.errorCode === ErrorCodes.NONE && t.name !== null)
      .map((t) => ({ topic: t.name!, partitions: t.partitions.map((p) => p.partitionIndex) }));
  }
  const outcomes = await router.eachBroker(call, ids, async (connection) => {
    const response = await exchange(router, call, connection, { api: DescribeLogDirs, request: () => ({ topics }) });
    throwIfError(response.errorCode, null, { api: 'DescribeLogDirs' }, connection);
    return response.results.map((dir): LogDirDescription => {
      const replicas = partitionEntries(dir.topics, (t) => [t.name, t.partitions]).map(
        (p): ReplicaInfo => ({
          topic: p.topic,
          partition: p.partitionIndex,
          size: p.partitionSize,
          offsetLag: p.offsetLag,
          isFuture: p.isFutureKey,
        }),
      );
      return {
        path: dir.logDir,
        ...(dir.errorCode === ErrorCodes.NONE
          ? {}
          : { error: brokerError(dir.errorCode, null, { api: 'DescribeLogDirs' }, connection) }),
        replicas: replicas.sort(comparePartitions),
        totalBytes: dir.totalBytes < 0n ? null : dir.totalBytes,
        usableBytes: dir.usableBytes < 0n ? null : dir.usableBytes,
        isCordoned: dir.isCordoned,
      };
    });
  });
  return ids.map((brokerId): DescribeLogDirsResult => {
    const outcome = outcomes.get(brokerId);
    if (outcome === undefined) return { brokerId, logDirs: [] };
    return 'error' in outcome ? { brokerId, error: outcome.error } : { brokerId, logDirs: outcome.value };
  });
}

/** `describeFeatures`: finalized and supported feature levels, from an ApiVersions request to any broker. */
export async function describeFeatures(router: AdminRouter, options: AdminCallOptions = {}): Promise<FeatureMetadata> {
  const call = router.call('describeFeatures', options);
  await router.ready(call);
  return router.retryOnAnyBroker(call, async (connection) => {
    const response = await exchange(router, call, connection, {
      api: ApiVersions,
      needs: { minVersion: 3, feature: 'describeFeatures' },
      request: () => ({ clientSoftwareName: 'vltava', clientSoftwareVersion: '0.1.0' }),
    });
    throwIfError(response.errorCode, null, { api: 'ApiVersions' }, connection);
    return {
      finalizedFeatures: Object.fromEntries(
        response.finalizedFeatures.map((f) => [
          f.name,
          { minVersionLevel: f.minVersionLevel, maxVersionLevel: f.maxVersionLevel },
        ]),
      ),
      finalizedFeaturesEpoch: response.finalizedFeaturesEpoch < 0n ? null : response.finalizedFeaturesEpoch,
      supportedFeatures: Object.fromEntries(
        response.supportedFeatures.map((f) => [f.name, { minVersion: f.minVersion, maxVersion: f.maxVersion }]),
      ),
    };
  });
}

/**
 * `describeQuorum`: the KRaft metadata quorum (DescribeQuorum to any broker, which forwards it to the active
 * controller): leader, voters and observers with their lag.
 */
export async function describeQuorum(router: AdminRouter, options: AdminCallOptions = {}): Promise<QuorumInfo> {
  const call = router.call('describeQuorum', options);
  await router.ready(call);
  return router.retryOnAnyBroker(call, async (connection) => {
    const version = router.negotiate(connection, DescribeQuorum);
    const request = { topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }] };
    const response = await router.send(call, connection, DescribeQuorum, request, version);
    throwIfError(response.errorCode, response.errorMessage, { api: 'DescribeQuorum' }, connection);
    const partition = response.topics[0]?.partitions[0];
    if (partition === undefined) {
      throw brokerError(
        -1,
        'DescribeQuorum answered without the metadata partition',
        { api: 'DescribeQuorum' },
        connection,
      );
    }
    throwIfError(partition.errorCode, partition.errorMessage, { api: 'DescribeQuorum' }, connection);
    const replica = (r: (typeof partition.currentVoters)[number]): QuorumReplicaState => ({
      replicaId: r.replicaId,
      replicaDirectoryId: version >= 2 && r.replicaDirectoryId !== ZERO_UUID ? r.replicaDirectoryId : null,
      logEndOffset: r.logEndOffset < 0n ? null : r.logEndOffset,
      lastFetchTimestamp: timestampOrNull(r.lastFetchTimestamp),
      lastCaughtUpTimestamp: timestampOrNull(r.lastCaughtUpTimestamp),
    });
    return {
      leaderId: partition.leaderId,
      leaderEpoch: partition.leaderEpoch,
      highWatermark: partition.highWatermark,
      voters: partition.currentVoters.map(replica),
      observers: partition.observers.map(replica),
      nodes: response.nodes.map((n) => ({
        nodeId: n.nodeId,
        endpoints: n.listeners.map((l) => ({ listener: l.name, host: l.host, port: l.port })),
      })),
    };
  });
}
