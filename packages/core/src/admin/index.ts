/**
 * The admin client and the types of its methods. The public surface re-exports this module.
 *
 * @module
 */
export type {
  AclOperation,
  AclPatternType,
  AclPermissionType,
  AclResourceType,
} from './acl-codes.js';
export type {
  AclBinding,
  AclFilter,
  CreateAclResult,
  DeleteAclsResult,
  DeletedAclResult,
  NewAcl,
} from './acls.js';
export { Admin } from './admin.js';
export { AdminBatchError, unwrapResults } from './admin-errors.js';
export type { AdminCallOptions, AdminOptions } from './admin-options.js';
export type { BrokerNode, ItemResult, Succeeded } from './admin-types.js';
export type {
  ClusterBroker,
  ClusterDescription,
  DescribeClusterOptions,
  DescribeLogDirsOptions,
  DescribeLogDirsResult,
  FeatureMetadata,
  LogDirDescription,
  QuorumInfo,
  QuorumReplicaState,
  ReplicaInfo,
} from './cluster-info.js';
export type { ConfigEntry, ConfigSource, ConfigSynonym, ConfigType } from './config-entry.js';
export type {
  AlterConfigOp,
  AlterConfigOpType,
  AlterConfigsOptions,
  AlterConfigsResource,
  AlterConfigsResult,
  ConfigResource,
  ConfigResourceType,
  DescribeConfigsOptions,
  DescribeConfigsResource,
  DescribeConfigsResult,
  IncrementalAlterConfigsResource,
} from './configs.js';
export type {
  CommittedOffset,
  GroupOffsetsResult,
  GroupOffsetsSpec,
  GroupPartitionResult,
  ListGroupOffsetsOptions,
  OffsetToCommit,
  PartitionOffsetResult,
  ResetGroupOffsetsOptions,
  ResetOffsetResult,
  ResetTarget,
} from './group-offsets.js';
export type {
  ClassicGroupDescription,
  ClassicGroupMember,
  ConsumerGroupDescription,
  ConsumerGroupMember,
  DeleteGroupResult,
  DescribeGroupResult,
  DescribeGroupsOptions,
  GroupDescription,
  GroupListing,
  GroupState,
  GroupType,
  ListGroupsOptions,
  MemberToRemove,
  RemoveGroupMembersOptions,
  RemoveMemberResult,
} from './groups.js';
export type {
  AlterClientQuotasOptions,
  AlterClientQuotasResult,
  ClientQuotaAlteration,
  ClientQuotaEntry,
  DescribeClientQuotasOptions,
  QuotaEntity,
  QuotaEntityType,
  QuotaFilterComponent,
} from './quotas.js';
export type {
  DeleteRecordsResult,
  ListOffsetsOptions,
  ListOffsetsRequestItem,
  ListOffsetsResult,
  OffsetInfo,
  OffsetSpec,
  RecordsToDelete,
} from './records-and-offsets.js';
export type {
  AlterPartitionReassignmentsOptions,
  ElectionType,
  PartitionReassignment,
  PartitionReassignmentRequest,
  PartitionResult,
} from './replica-placement.js';
export type {
  AlterScramResult,
  DescribeScramResult,
  ScramCredentialAlteration,
  ScramCredentialDeletion,
  ScramCredentialInfo,
  ScramCredentialUpsertion,
  ScramMechanismName,
} from './scram.js';
export type {
  DescribeShareGroupResult,
  DescribeShareGroupsOptions,
  ShareGroupDescription,
  ShareGroupMember,
  ShareGroupOffset,
  ShareGroupOffsetResult,
  ShareGroupOffsetsResult,
  ShareGroupOffsetsSpec,
  ShareGroupPartitionResult,
  ShareGroupTopicResult,
  ShareOffsetToSet,
} from './share-groups.js';
export type {
  CreatedTopic,
  CreatePartitionsOptions,
  CreatePartitionsResult,
  CreateTopicResult,
  CreateTopicsOptions,
  DeleteTopicResult,
  DeleteTopicsOptions,
  DescribeTopicResult,
  DescribeTopicsOptions,
  ListTopicsOptions,
  NewPartitions,
  NewTopic,
  PartitionDescription,
  TopicDescription,
  TopicListing,
  TopicToDelete,
} from './topics.js';
export type {
  AbortTransactionSpec,
  DescribeProducersOptions,
  DescribeProducersResult,
  DescribeTransactionResult,
  ListTransactionsOptions,
  ProducerState,
  TransactionDescription,
  TransactionListing,
  TransactionState,
} from './transactions.js';
