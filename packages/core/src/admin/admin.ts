import { resolveClientOptions } from '../cluster/client-options.js';
import { Cluster } from '../cluster/cluster.js';
import { connectionMetricFamilies } from '../cluster/connection-metric-families.js';
import { checkOptions } from '../config/check-options.js';
import { diagnosticChannels } from '../diagnostics/channels.js';
import type { MetricFamily, MetricLabels } from '../metrics/metric-family.js';
import { nextClientInstance } from '../utils/client-instance.js';
import type { CloseOptions } from '../vocabulary/close-options.js';
import type { TopicPartition } from '../vocabulary/topic-partition.js';
import {
  type AclBinding,
  type AclFilter,
  type CreateAclResult,
  createAcls,
  type DeleteAclsResult,
  deleteAcls,
  describeAcls,
  type NewAcl,
} from './acls.js';
import { AdminMetrics } from './admin-metrics.js';
import type { AdminCallOptions, AdminOptions } from './admin-options.js';
import { resolveAdminTimeout } from './admin-options.js';
import { ADMIN_CLOSE_OPTIONS_SCHEMA, ADMIN_OPTIONS_SCHEMA } from './admin-options-schema.js';
import { AdminRouter } from './admin-request.js';
import {
  type ClusterDescription,
  type DescribeClusterOptions,
  type DescribeLogDirsOptions,
  type DescribeLogDirsResult,
  describeCluster,
  describeFeatures,
  describeLogDirs,
  describeQuorum,
  type FeatureMetadata,
  type QuorumInfo,
} from './cluster-info.js';
import {
  type AlterConfigsOptions,
  type AlterConfigsResource,
  type AlterConfigsResult,
  alterConfigs,
  type DescribeConfigsOptions,
  type DescribeConfigsResource,
  type DescribeConfigsResult,
  describeConfigs,
  type IncrementalAlterConfigsResource,
  incrementalAlterConfigs,
} from './configs.js';
import {
  alterGroupOffsets,
  deleteGroupOffsets,
  type GroupOffsetsResult,
  type GroupOffsetsSpec,
  type GroupPartitionResult,
  type ListGroupOffsetsOptions,
  listGroupOffsets,
  type OffsetToCommit,
  type ResetGroupOffsetsOptions,
  type ResetOffsetResult,
  resetGroupOffsets,
} from './group-offsets.js';
import {
  type DeleteGroupResult,
  type DescribeGroupResult,
  type DescribeGroupsOptions,
  deleteGroups,
  describeGroups,
  type GroupListing,
  type ListGroupsOptions,
  listGroups,
  type MemberToRemove,
  type RemoveGroupMembersOptions,
  type RemoveMemberResult,
  removeGroupMembers,
} from './groups.js';
import {
  type AlterClientQuotasOptions,
  type AlterClientQuotasResult,
  alterClientQuotas,
  type ClientQuotaAlteration,
  type ClientQuotaEntry,
  type DescribeClientQuotasOptions,
  describeClientQuotas,
} from './quotas.js';
import {
  type DeleteRecordsResult,
  deleteRecords,
  type ListOffsetsOptions,
  type ListOffsetsRequestItem,
  type ListOffsetsResult,
  listOffsets,
  type RecordsToDelete,
} from './records-and-offsets.js';
import {
  type AlterPartitionReassignmentsOptions,
  alterPartitionReassignments,
  type ElectionType,
  electLeaders,
  listPartitionReassignments,
  type PartitionReassignment,
  type PartitionReassignmentRequest,
  type PartitionResult,
} from './replica-placement.js';
import {
  type AlterScramResult,
  alterUserScramCredentials,
  type DescribeScramResult,
  describeUserScramCredentials,
  type ScramCredentialAlteration,
} from './scram.js';
import {
  alterShareGroupOffsets,
  type DescribeShareGroupResult,
  type DescribeShareGroupsOptions,
  deleteShareGroupOffsets,
  deleteShareGroups,
  describeShareGroups,
  listShareGroupOffsets,
  type ShareGroupOffsetsResult,
  type ShareGroupOffsetsSpec,
  type ShareGroupPartitionResult,
  type ShareGroupTopicResult,
  type ShareOffsetToSet,
} from './share-groups.js';
import {
  type CreatePartitionsOptions,
  type CreatePartitionsResult,
  type CreateTopicResult,
  type CreateTopicsOptions,
  createPartitions,
  createTopics,
  type DeleteTopicResult,
  type DeleteTopicsOptions,
  type DescribeTopicResult,
  type DescribeTopicsOptions,
  deleteTopics,
  describeTopics,
  type ListTopicsOptions,
  listTopics,
  type NewPartitions,
  type NewTopic,
  type TopicListing,
  type TopicToDelete,
} from './topics.js';
import {
  type AbortTransactionSpec,
  abortTransaction,
  type DescribeProducersOptions,
  type DescribeProducersResult,
  type DescribeTransactionResult,
  describeProducers,
  describeTransactions,
  type ListTransactionsOptions,
  listTransactions,
  type TransactionListing,
} from './transactions.js';

/**
 * The admin client: topics, configs, groups, offsets, records, ACLs, quotas, SCRAM credentials, cluster and
 * transactions, typed, over the Kafka wire protocol. Java: `org.apache.kafka.clients.admin.Admin`; kafka-python:
 * `KafkaAdminClient`.
 *
 * ```ts
 * await using admin = new Admin({ brokers: ['127.0.0.1:9092'] });
 * const [created] = await admin.createTopics([{ topic: 'orders', numPartitions: 6 }], { waitForMetadata: true });
 * if (created?.error) throw created.error;
 * ```
 *
 * Methods connect lazily; `connect()` only makes the first failure surface early. Every method takes an options
 * object with `timeoutMs` (the whole call, retries included; default `defaultApiTimeoutMs`, 60000) and `signal`.
 *
 * Batch methods (`createTopics`, `describeConfigs`, `deleteGroups`, ...) resolve with one result per item, each
 * with either its data or its `error` (see `ItemResult`), so one bad item never hides the others; they reject
 * only when the whole call failed (no broker reachable in time, authentication, abort, close, a bad argument).
 * Use `unwrapResults` to throw an `AdminBatchError` when any item failed. Methods about one thing (`describeCluster`,
 * `describeAcls`, `abortTransaction`) reject with the error.
 *
 * Each request goes to the broker that must answer it (controller, coordinator, partition leader, any broker, every
 * broker), with retries on retriable errors and metadata refreshes in between; see `AdminRouter`.
 */
export class Admin implements AsyncDisposable {
  private readonly cluster: Cluster;
  private readonly router: AdminRouter;
  private readonly adminMetrics = new AdminMetrics();
  /** `client_id` and `client_type` of every metric series. */
  private readonly metricLabels: MetricLabels;

  /**
   * This client object's name, unique in the process (`admin-1`, `admin-2`, ...): the `clientInstance` of its
   * connections and requests in the diagnostics channels, where clients that share a `clientId` are told apart.
   */
  readonly instance: string = nextClientInstance('admin');

  /**
   * Creates the client; nothing connects until the first call (or `connect()`). Throws `ConfigError` for an unknown
   * option (naming the closest known one), a bad value or a malformed broker address.
   */
  constructor(options: AdminOptions) {
    checkOptions(options, ADMIN_OPTIONS_SCHEMA, 'admin', 'config');
    const resolved = resolveClientOptions(options);
    this.cluster = new Cluster(resolved, { allowAutoTopicCreation: false, clientInstance: this.instance });
    this.router = new AdminRouter(this.cluster, resolveAdminTimeout(options), resolved.logger);
    this.metricLabels = { client_id: resolved.clientId, client_type: 'admin' };
  }

  /**
   * A snapshot of the admin client's metrics in the one metrics shape (docs/METRICS.md): calls, failures and
   * durations per method (`vltava_admin_*`), and its connections' requests, bytes and quota throttling
   * (`vltava_connection_*`). Every series carries `client_id` and `client_type="admin"`. Serve it with
   * `toPrometheusText`, or register it in a `MetricRegistry`.
   */
  metrics(): MetricFamily[] {
    const labels = this.metricLabels;
    const connections = connectionMetricFamilies(this.cluster.connectionStats()).map((family) => ({
      ...family,
      points: family.points.map((point) => ({ ...point, labels: { ...labels, ...point.labels } })),
    }));
    return [...this.adminMetrics.families(labels), ...connections];
  }

  /**
   * Runs an admin method: traced on `vltava:admin` when that channel has subscribers, and counted in the metrics.
   */
  private traced<T>(method: string, run: () => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    const channel = diagnosticChannels.admin;
    let promise: Promise<T>;
    try {
      promise = channel.hasSubscribers
        ? channel.tracePromise(run, { clientId: this.metricLabels.client_id!, method })
        : run();
    } catch (error) {
      this.adminMetrics.completed(method, startedAt, error);
      throw error;
    }
    return promise.then(
      (value) => {
        this.adminMetrics.completed(method, startedAt, undefined);
        return value;
      },
      (error: unknown) => {
        this.adminMetrics.completed(method, startedAt, error);
        throw error;
      },
    );
  }

  /**
   * Connects and fetches the first metadata, so that bad addresses, credentials or certificates fail here rather
   * than in the first call. Optional.
   */
  async connect(options: AdminCallOptions = {}): Promise<void> {
    await this.router.ready(this.router.call('connect', options));
  }

  /**
   * Closes every connection. Calls in progress reject with `ClientClosedError` at once, so closing never waits as
   * long as `timeoutMs` (taken, checked, as by every client's `close`). Java: `close(Duration)`.
   */
  async close(options: CloseOptions = {}): Promise<void> {
    checkOptions(options, ADMIN_CLOSE_OPTIONS_SCHEMA, 'admin.close()', 'call');
    this.cluster.close();
  }

  /** `await using admin = new Admin(...)` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // Topics ---------------------------------------------------------------------------------------------------------

  /**
   * Lists the topics of the cluster, by name, with their ids; internal topics only with `includeInternal`.
   * Java: `listTopics(ListTopicsOptions)`; kafka-python: `list_topics()`.
   */
  listTopics(options?: ListTopicsOptions): Promise<TopicListing[]> {
    return this.traced('listTopics', () => listTopics(this.router, options));
  }

  /**
   * Describes topics: id, internal flag, and each partition's leader, leader epoch, replicas, ISR, offline replicas
   * (and eligible leader replicas where the broker reports them). One result per topic; an unknown topic fails
   * alone with `UnknownTopicOrPartitionError`. Java: `describeTopics(TopicCollection, DescribeTopicsOptions)`;
   * kafka-python: `describe_topics()`.
   */
  describeTopics(topics: readonly string[], options?: DescribeTopicsOptions): Promise<DescribeTopicResult[]> {
    return this.traced('describeTopics', () => describeTopics(this.router, topics, options));
  }

  /**
   * Creates topics with a partition count and replication factor (broker defaults when left out) or an explicit
   * replica assignment, and configs; `validateOnly` checks without creating; `waitForMetadata` resolves only once
   * every broker sees them. One result per topic (topic id, partitions, replication factor, configs as created).
   * Java: `createTopics(Collection<NewTopic>, CreateTopicsOptions)`; kafka-python: `create_topics()`.
   */
  createTopics(topics: readonly NewTopic[], options?: CreateTopicsOptions): Promise<CreateTopicResult[]> {
    return this.traced('createTopics', () => createTopics(this.router, topics, options));
  }

  /**
   * Deletes topics by name or by topic id; `waitForMetadata` resolves only once no broker lists them. One result
   * per topic. Java: `deleteTopics(TopicCollection, DeleteTopicsOptions)`; kafka-python: `delete_topics()`.
   */
  deleteTopics(topics: readonly TopicToDelete[], options?: DeleteTopicsOptions): Promise<DeleteTopicResult[]> {
    return this.traced('deleteTopics', () => deleteTopics(this.router, topics, options));
  }

  /**
   * Adds partitions to topics (up to `totalCount`), optionally placing the new replicas; `waitForMetadata` resolves
   * once every broker sees them led. One result per topic. Java: `createPartitions(Map<String, NewPartitions>)`;
   * kafka-python: `create_partitions()`.
   */
  createPartitions(
    partitions: readonly NewPartitions[],
    options?: CreatePartitionsOptions,
  ): Promise<CreatePartitionsResult[]> {
    return this.traced('createPartitions', () => createPartitions(this.router, partitions, options));
  }

  // Configs --------------------------------------------------------------------------------------------------------

  /**
   * Describes the configs of topics, brokers (`{ type: 'broker', name: '1' }`, or `''` for the cluster-wide
   * defaults), broker loggers, groups and client-metrics resources: each key's value, source, flags, type, and with
   * `includeSynonyms` its value at every level. One result per resource. Java: `describeConfigs`;
   * kafka-python: `describe_configs()`.
   */
  describeConfigs(
    resources: readonly DescribeConfigsResource[],
    options?: DescribeConfigsOptions,
  ): Promise<DescribeConfigsResult[]> {
    return this.traced('describeConfigs', () => describeConfigs(this.router, resources, options));
  }

  /**
   * Replaces the dynamic configs of resources with the given sets (keys left out return to their defaults). Prefer
   * `incrementalAlterConfigs`. One result per resource. Java: `alterConfigs` (deprecated); kafka-python:
   * `alter_configs()`.
   */
  alterConfigs(
    resources: readonly AlterConfigsResource[],
    options?: AlterConfigsOptions,
  ): Promise<AlterConfigsResult[]> {
    return this.traced('alterConfigs', () => alterConfigs(this.router, resources, options));
  }

  /**
   * Sets, deletes, appends to or subtracts from single config keys of resources (KIP-339). One result per resource.
   * Java: `incrementalAlterConfigs`.
   */
  incrementalAlterConfigs(
    resources: readonly IncrementalAlterConfigsResource[],
    options?: AlterConfigsOptions,
  ): Promise<AlterConfigsResult[]> {
    return this.traced('incrementalAlterConfigs', () => incrementalAlterConfigs(this.router, resources, options));
  }

  // Groups ---------------------------------------------------------------------------------------------------------

  /**
   * Lists the groups of every broker (classic, KIP-848 consumer, share and streams groups) with their protocol
   * type, state and type, optionally filtered by state and type. Java: `listGroups` / `listConsumerGroups`;
   * kafka-python: `list_consumer_groups()`.
   */
  listGroups(options?: ListGroupsOptions): Promise<GroupListing[]> {
    return this.traced('listGroups', () => listGroups(this.router, options));
  }

  /**
   * Describes groups: KIP-848 consumer groups (epochs, assignor, members with current and target assignments) and
   * classic groups (protocol, members with decoded assignments). One result per group; an unknown group fails alone
   * with `GroupIdNotFoundError`. Java: `describeConsumerGroups` / `describeClassicGroups`; kafka-python:
   * `describe_consumer_groups()`.
   */
  describeGroups(groupIds: readonly string[], options?: DescribeGroupsOptions): Promise<DescribeGroupResult[]> {
    return this.traced('describeGroups', () => describeGroups(this.router, groupIds, options));
  }

  /**
   * Deletes groups and their offsets; a group with members fails alone (`NonEmptyGroupError`). One result per
   * group. Java: `deleteConsumerGroups`; kafka-python: `delete_consumer_groups()`.
   */
  deleteGroups(groupIds: readonly string[], options?: AdminCallOptions): Promise<DeleteGroupResult[]> {
    return this.traced('deleteGroups', () => deleteGroups(this.router, groupIds, options));
  }

  /**
   * Lists groups' committed offsets (every committed partition, or the ones given), with `includeLag` also each
   * partition's end offset and lag. One result per group, with a result per partition. Java:
   * `listConsumerGroupOffsets`; kafka-python: `list_consumer_group_offsets()`.
   */
  listGroupOffsets(
    groups: readonly GroupOffsetsSpec[],
    options?: ListGroupOffsetsOptions,
  ): Promise<GroupOffsetsResult[]> {
    return this.traced('listGroupOffsets', () => listGroupOffsets(this.router, groups, options));
  }

  /**
   * Commits offsets for a group that has no active members. One result per partition; rejects when the group
   * cannot be reached. Java: `alterConsumerGroupOffsets`; kafka-python: `alter_consumer_group_offsets()`.
   */
  alterGroupOffsets(
    groupId: string,
    offsets: readonly OffsetToCommit[],
    options?: AdminCallOptions,
  ): Promise<GroupPartitionResult[]> {
    return this.traced('alterGroupOffsets', () => alterGroupOffsets(this.router, groupId, offsets, options));
  }

  /**
   * Moves a group's offsets to the earliest or latest offset, to a timestamp, by a shift or to an offset, for
   * given partitions, every partition of given topics, or every partition the group committed; `dryRun` only
   * computes them. The group must have no active members. One result per partition (new and previous offset).
   * Java: `kafka-consumer-groups --reset-offsets` (composed of `listOffsets` and `alterConsumerGroupOffsets`).
   */
  resetGroupOffsets(groupId: string, options: ResetGroupOffsetsOptions): Promise<ResetOffsetResult[]> {
    return this.traced('resetGroupOffsets', () => resetGroupOffsets(this.router, groupId, options));
  }

  /**
   * Deletes a group's committed offsets of some partitions; a partition the group still consumes fails alone
   * (`GroupSubscribedToTopicError`); a group-level failure rejects. Java: `deleteConsumerGroupOffsets`.
   */
  deleteGroupOffsets(
    groupId: string,
    partitions: readonly TopicPartition[],
    options?: AdminCallOptions,
  ): Promise<GroupPartitionResult[]> {
    return this.traced('deleteGroupOffsets', () => deleteGroupOffsets(this.router, groupId, partitions, options));
  }

  /**
   * Removes members from a group as if they left (by member id or static instance id), or `'all'` of them. One
   * result per member; a group-level failure rejects. Java: `removeMembersFromConsumerGroup`.
   */
  removeGroupMembers(
    groupId: string,
    members: readonly MemberToRemove[] | 'all',
    options?: RemoveGroupMembersOptions,
  ): Promise<RemoveMemberResult[]> {
    return this.traced('removeGroupMembers', () => removeGroupMembers(this.router, groupId, members, options));
  }

  // Share groups (KIP-932) ------------------------------------------------------------------------------------------

  /**
   * Describes share groups: state, epochs, assignor, and members with their assignments (members of a share group
   * may share partitions). One result per group; an unknown group, or one of another type, fails alone with
   * `GroupIdNotFoundError`. List share groups with `listGroups({ types: ['share'] })`. Java: `describeShareGroups`.
   */
  describeShareGroups(
    groupIds: readonly string[],
    options?: DescribeShareGroupsOptions,
  ): Promise<DescribeShareGroupResult[]> {
    return this.traced('describeShareGroups', () => describeShareGroups(this.router, groupIds, options));
  }

  /**
   * Lists share groups' positions: each share-partition's start offset (every record below it is settled) and lag.
   * One result per group, with a result per partition. Java: `listShareGroupOffsets`.
   */
  listShareGroupOffsets(
    groups: readonly ShareGroupOffsetsSpec[],
    options?: AdminCallOptions,
  ): Promise<ShareGroupOffsetsResult[]> {
    return this.traced('listShareGroupOffsets', () => listShareGroupOffsets(this.router, groups, options));
  }

  /**
   * Sets share-partition start offsets of a share group with no active members. One result per partition; a
   * group-level failure rejects. Java: `alterShareGroupOffsets`.
   */
  alterShareGroupOffsets(
    groupId: string,
    offsets: readonly ShareOffsetToSet[],
    options?: AdminCallOptions,
  ): Promise<ShareGroupPartitionResult[]> {
    return this.traced('alterShareGroupOffsets', () => alterShareGroupOffsets(this.router, groupId, offsets, options));
  }

  /**
   * Deletes a share group's state for whole topics (with no active members); the group then starts them by
   * `share.auto.offset.reset`. One result per topic. Java: `deleteShareGroupOffsets`.
   */
  deleteShareGroupOffsets(
    groupId: string,
    topics: readonly string[],
    options?: AdminCallOptions,
  ): Promise<ShareGroupTopicResult[]> {
    return this.traced('deleteShareGroupOffsets', () => deleteShareGroupOffsets(this.router, groupId, topics, options));
  }

  /** Deletes share groups (and their state); a group with members fails alone. Java: `deleteShareGroups`. */
  deleteShareGroups(groupIds: readonly string[], options?: AdminCallOptions): Promise<DeleteGroupResult[]> {
    return this.traced('deleteShareGroups', () => deleteShareGroups(this.router, groupIds, options));
  }

  // Records and offsets --------------------------------------------------------------------------------------------

  /**
   * Deletes the records of partitions below an offset (the log start moves up). One result per partition, with the
   * new low watermark. Java: `deleteRecords`; kafka-python: `delete_records()`.
   */
  deleteRecords(records: readonly RecordsToDelete[], options?: AdminCallOptions): Promise<DeleteRecordsResult[]> {
    return this.traced('deleteRecords', () => deleteRecords(this.router, records, options));
  }

  /**
   * Looks up offsets of partitions: earliest, latest, by timestamp, of the max timestamp (and the tiered-storage
   * bounds). One result per partition. Java: `listOffsets(Map<TopicPartition, OffsetSpec>)`; kafka-python:
   * `list_offsets()`.
   */
  listOffsets(requests: readonly ListOffsetsRequestItem[], options?: ListOffsetsOptions): Promise<ListOffsetsResult[]> {
    return this.traced('listOffsets', () => listOffsets(this.router, requests, options));
  }

  // ACLs, quotas, SCRAM --------------------------------------------------------------------------------------------

  /**
   * The ACLs matching a filter (every ACL with the default filter). Rejects with `SecurityDisabledError` when the
   * cluster has no authorizer. Java: `describeAcls(AclBindingFilter)`; kafka-python: `describe_acls()`.
   */
  describeAcls(filter?: AclFilter, options?: AdminCallOptions): Promise<AclBinding[]> {
    return this.traced('describeAcls', () => describeAcls(this.router, filter, options));
  }

  /** Creates ACLs. One result per ACL. Java: `createAcls`; kafka-python: `create_acls()`. */
  createAcls(acls: readonly NewAcl[], options?: AdminCallOptions): Promise<CreateAclResult[]> {
    return this.traced('createAcls', () => createAcls(this.router, acls, options));
  }

  /**
   * Deletes the ACLs matching filters. One result per filter, listing the ACLs it matched. Java: `deleteAcls`;
   * kafka-python: `delete_acls()`.
   */
  deleteAcls(filters: readonly AclFilter[], options?: AdminCallOptions): Promise<DeleteAclsResult[]> {
    return this.traced('deleteAcls', () => deleteAcls(this.router, filters, options));
  }

  /** The client quotas of the entities matching a filter. Java: `describeClientQuotas(ClientQuotaFilter)`. */
  describeClientQuotas(options?: DescribeClientQuotasOptions): Promise<ClientQuotaEntry[]> {
    return this.traced('describeClientQuotas', () => describeClientQuotas(this.router, options));
  }

  /** Sets and removes client quotas. One result per entity. Java: `alterClientQuotas`. */
  alterClientQuotas(
    alterations: readonly ClientQuotaAlteration[],
    options?: AlterClientQuotasOptions,
  ): Promise<AlterClientQuotasResult[]> {
    return this.traced('alterClientQuotas', () => alterClientQuotas(this.router, alterations, options));
  }

  /**
   * The SCRAM credentials (mechanisms and iterations, never secrets) of users, or of every user. One result per
   * user. Java: `describeUserScramCredentials`.
   */
  describeUserScramCredentials(users?: readonly string[], options?: AdminCallOptions): Promise<DescribeScramResult[]> {
    return this.traced('describeUserScramCredentials', () => describeUserScramCredentials(this.router, users, options));
  }

  /**
   * Sets (salting and hashing the password locally) or deletes users' SCRAM credentials. One result per user.
   * Java: `alterUserScramCredentials`.
   */
  alterUserScramCredentials(
    alterations: readonly ScramCredentialAlteration[],
    options?: AdminCallOptions,
  ): Promise<AlterScramResult[]> {
    return this.traced('alterUserScramCredentials', () => alterUserScramCredentials(this.router, alterations, options));
  }

  // Cluster --------------------------------------------------------------------------------------------------------

  /**
   * The cluster id, controller and brokers (with racks). Java: `describeCluster`; kafka-python: `describe_cluster()`.
   */
  describeCluster(options?: DescribeClusterOptions): Promise<ClusterDescription> {
    return this.traced('describeCluster', () => describeCluster(this.router, options));
  }

  /**
   * The log directories of brokers (every broker by default) and the replicas in them. One result per broker.
   * Java: `describeLogDirs`; kafka-python: `describe_log_dirs()`.
   */
  describeLogDirs(brokerIds?: readonly number[], options?: DescribeLogDirsOptions): Promise<DescribeLogDirsResult[]> {
    return this.traced('describeLogDirs', () => describeLogDirs(this.router, brokerIds, options));
  }

  /** The cluster's finalized feature levels and a broker's supported ranges. Java: `describeFeatures`. */
  describeFeatures(options?: AdminCallOptions): Promise<FeatureMetadata> {
    return this.traced('describeFeatures', () => describeFeatures(this.router, options));
  }

  /** The KRaft metadata quorum: leader, voters, observers. Java: `describeMetadataQuorum`. */
  describeQuorum(options?: AdminCallOptions): Promise<QuorumInfo> {
    return this.traced('describeQuorum', () => describeQuorum(this.router, options));
  }

  /**
   * Elects leaders (preferred or unclean) for partitions, or for every partition that needs it (`null`). One
   * result per partition. Java: `electLeaders`; kafka-python: `perform_leader_election()`.
   */
  electLeaders(
    electionType: ElectionType,
    partitions: readonly TopicPartition[] | null,
    options?: AdminCallOptions,
  ): Promise<PartitionResult[]> {
    return this.traced('electLeaders', () => electLeaders(this.router, electionType, partitions, options));
  }

  /**
   * Starts or cancels (`replicas: null`) partition reassignments. One result per partition. Java:
   * `alterPartitionReassignments`; kafka-python: `alter_partition_reassignments()`.
   */
  alterPartitionReassignments(
    reassignments: readonly PartitionReassignmentRequest[],
    options?: AlterPartitionReassignmentsOptions,
  ): Promise<PartitionResult[]> {
    return this.traced('alterPartitionReassignments', () =>
      alterPartitionReassignments(this.router, reassignments, options),
    );
  }

  /**
   * The ongoing partition reassignments, of some partitions or all. Java: `listPartitionReassignments`;
   * kafka-python: `list_partition_reassignments()`.
   */
  listPartitionReassignments(
    partitions?: readonly TopicPartition[],
    options?: AdminCallOptions,
  ): Promise<PartitionReassignment[]> {
    return this.traced('listPartitionReassignments', () =>
      listPartitionReassignments(this.router, partitions, options),
    );
  }

  // Transactions ---------------------------------------------------------------------------------------------------

  /** Lists the transactional ids of every coordinator, with filters. Java: `listTransactions`. */
  listTransactions(options?: ListTransactionsOptions): Promise<TransactionListing[]> {
    return this.traced('listTransactions', () => listTransactions(this.router, options));
  }

  /** Describes transactions by transactional id. One result per id. Java: `describeTransactions`. */
  describeTransactions(
    transactionalIds: readonly string[],
    options?: AdminCallOptions,
  ): Promise<DescribeTransactionResult[]> {
    return this.traced('describeTransactions', () => describeTransactions(this.router, transactionalIds, options));
  }

  /** The active producers of partitions. One result per partition. Java: `describeProducers`. */
  describeProducers(
    partitions: readonly TopicPartition[],
    options?: DescribeProducersOptions,
  ): Promise<DescribeProducersResult[]> {
    return this.traced('describeProducers', () => describeProducers(this.router, partitions, options));
  }

  /**
   * Aborts a hanging transaction in one partition by writing its abort marker (KIP-664). Rejects on failure.
   * Java: `abortTransaction(AbortTransactionSpec)`.
   */
  abortTransaction(spec: AbortTransactionSpec, options?: AdminCallOptions): Promise<void> {
    return this.traced('abortTransaction', () => abortTransaction(this.router, spec, options));
  }
}
