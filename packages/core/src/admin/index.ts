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
export { Admin } from './admin.js';
export { AdminBatchError, unwrapResults } from './admin-errors.js';
export type { AdminCallOptions, AdminOptions } from './admin-options.js';
export type { BrokerNode, IsolationLevel, ItemResult, Succeeded, TopicPartition } from './admin-types.js';
export type { ConfigEntry, ConfigSource, ConfigSynonym, ConfigType } from './config-entry.js';
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
