/**
 * Every name this package takes from `@vltava/core`, in one place. The facade imports core through this module
 * only, so that a renamed core export costs one line here. Only core's public entry is used.
 *
 * @module
 */
export type {
  AclBinding,
  AclFilter as CoreAclFilter,
  AclOperation,
  AclPatternType,
  AclPermissionType,
  AclResourceType,
  AdminOptions as CoreAdminOptions,
  ClientOptions,
  CompressionType,
  ConfigEntry,
  ConfigResourceType,
  ConfigSource as CoreConfigSource,
  ConsumerOptions as CoreConsumerOptions,
  ConsumerRebalanceListener,
  ConsumerRecord as CoreConsumerRecord,
  ConsumerRecords as CoreConsumerRecords,
  GroupDescription as CoreGroupDescription,
  GroupMemberSubscription,
  LogFields,
  Logger as CoreLogger,
  MemberAssignment as CoreMemberAssignment,
  NewAcl,
  PartitionAssignor,
  PartitionInfo as CorePartitionInfo,
  ProducerOptions as CoreProducerOptions,
  ProducerRecord as CoreProducerRecord,
  RecordMetadata as CoreRecordMetadata,
  SaslExchangeContext,
  SaslMechanism,
  SaslOptions,
  SendBatchResult,
  TopicPartition as CoreTopicPartition,
  TopicPartitionInfo,
  TopicPartitionOffset as CoreTopicPartitionOffset,
} from '@vltava/core';
export {
  Admin as CoreAdmin,
  COMPRESSION_TYPES,
  Consumer as CoreConsumer,
  ErrorCodes,
  isKafkaError,
  KafkaError,
  metricPoints,
  murmur2,
  Producer as CoreProducer,
} from '@vltava/core';
