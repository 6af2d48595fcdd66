import type { PartitionMetadata } from '../consumer/assigners.js';
import type { KafkaJSProtocolError } from '../errors/errors.js';
import type {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ConfigResourceTypes,
  ConfigSource,
  ResourcePatternTypes,
} from './enums.js';

/** A configuration entry to set. */
export interface IResourceConfigEntry {
  name: string;
  value: string;
}

/** A topic to create. `numPartitions` and `replicationFactor` default to the broker's. */
export interface ITopicConfig {
  topic: string;
  numPartitions?: number;
  replicationFactor?: number;
  replicaAssignment?: ReplicaAssignment[];
  configEntries?: IResourceConfigEntry[];
}

/** Partitions to add to a topic: `count` is the new total. */
export interface ITopicPartitionConfig {
  topic: string;
  count: number;
  assignments?: Array<Array<number>>;
}

/** A topic's partitions as `fetchTopicMetadata` reports them. */
export interface ITopicMetadata {
  name: string;
  partitions: PartitionMetadata[];
}

/** A partition's replicas. */
export interface ReplicaAssignment {
  partition: number;
  replicas: Array<number>;
}

/** Reassignments of one topic's partitions. */
export interface PartitionReassignment {
  topic: string;
  partitionAssignment: Array<ReplicaAssignment>;
}

/** A partition and an offset (a string). */
export interface SeekEntry {
  partition: number;
  offset: string;
}

/** A committed offset with its metadata. */
export type FetchOffsetsPartition = SeekEntry & { metadata: string | null };

/** Configurations to describe. */
export interface ResourceConfigQuery {
  type: ConfigResourceTypes;
  name: string;
  configNames?: string[];
}

/** One configuration entry of `describeConfigs`. */
export interface ConfigEntries {
  configName: string;
  configValue: string;
  isDefault: boolean;
  configSource: ConfigSource;
  isSensitive: boolean;
  readOnly: boolean;
  configSynonyms: ConfigSynonyms[];
}

/** A value the entry takes from another source. */
export interface ConfigSynonyms {
  configName: string;
  configValue: string;
  configSource: ConfigSource;
}

/** `describeConfigs`'s answer. */
export interface DescribeConfigResponse {
  resources: {
    configEntries: ConfigEntries[];
    errorCode: number;
    errorMessage: string;
    resourceName: string;
    resourceType: ConfigResourceTypes;
  }[];
  throttleTime: number;
}

/** Configurations to set on one resource (AlterConfigs replaces the resource's whole configuration). */
export interface IResourceConfig {
  type: ConfigResourceTypes;
  name: string;
  configEntries: IResourceConfigEntry[];
}

/** The access part of an ACL. */
export interface Acl {
  principal: string;
  host: string;
  operation: AclOperationTypes;
  permissionType: AclPermissionTypes;
}

/** The resource part of an ACL. */
export interface AclResource {
  resourceType: AclResourceTypes;
  resourceName: string;
  resourcePatternType: ResourcePatternTypes;
}

/** An ACL. */
export type AclEntry = Acl & AclResource;

/** A resource with its ACLs. */
export type DescribeAclResource = AclResource & { acls: Acl[] };

/** `describeAcls`'s answer. */
export interface DescribeAclResponse {
  throttleTime: number;
  errorCode: number;
  errorMessage?: string;
  resources: DescribeAclResource[];
}

/** A filter of ACLs (`ANY` matches every value). */
export interface AclFilter {
  resourceType: AclResourceTypes;
  resourceName?: string;
  resourcePatternType: ResourcePatternTypes;
  principal?: string;
  host?: string;
  operation: AclOperationTypes;
  permissionType: AclPermissionTypes;
}

/** An ACL a filter of `deleteAcls` matched. */
export interface MatchingAcl {
  errorCode: number;
  errorMessage?: string;
  resourceType: AclResourceTypes;
  resourceName: string;
  resourcePatternType: ResourcePatternTypes;
  principal: string;
  host: string;
  operation: AclOperationTypes;
  permissionType: AclPermissionTypes;
}

/** What one filter of `deleteAcls` did. */
export interface DeleteAclFilterResponses {
  errorCode: number;
  errorMessage?: string;
  matchingAcls: MatchingAcl[];
}

/** `deleteAcls`'s answer. */
export interface DeleteAclResponse {
  throttleTime: number;
  filterResponses: DeleteAclFilterResponses[];
}

/** Reassignments in progress. */
export interface ListPartitionReassignmentsResponse {
  topics: OngoingTopicReassignment[];
}

/** One topic's reassignments in progress. */
export interface OngoingTopicReassignment {
  topic: string;
  partitions: OngoingPartitionReassignment[];
}

/** One partition's reassignment in progress. */
export interface OngoingPartitionReassignment {
  partitionIndex: number;
  replicas: number[];
  addingReplicas?: number[];
  removingReplicas?: number[];
}

/** One group of `deleteGroups`. */
export type DeleteGroupsResult = {
  groupId: string;
  errorCode?: number;
  error?: KafkaJSProtocolError;
};
