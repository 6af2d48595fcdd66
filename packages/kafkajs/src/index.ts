/**
 * `@vltava/kafkajs`: the public API of KafkaJS 2.2 on Vltava's engine. Replace `from 'kafkajs'` with
 * `from '@vltava/kafkajs'` (or alias the dependency) and the application runs on Vltava: the same classes, methods,
 * options, events, errors and value shapes, with the differences listed in the package README.
 *
 * @packageDocumentation
 */

export { Admin, type AdminConfig } from './admin/admin.js';
export type {
  Acl,
  AclEntry,
  AclFilter,
  AclResource,
  ConfigEntries,
  ConfigSynonyms,
  DeleteAclFilterResponses,
  DeleteAclResponse,
  DeleteGroupsResult,
  DescribeAclResource,
  DescribeAclResponse,
  DescribeConfigResponse,
  FetchOffsetsPartition,
  IResourceConfig,
  IResourceConfigEntry,
  ITopicConfig,
  ITopicMetadata,
  ITopicPartitionConfig,
  ListPartitionReassignmentsResponse,
  MatchingAcl,
  OngoingPartitionReassignment,
  OngoingTopicReassignment,
  PartitionReassignment,
  ReplicaAssignment,
  ResourceConfigQuery,
  SeekEntry,
} from './admin/admin-types.js';
export {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ConfigResourceTypes,
  ConfigSource,
  ResourcePatternTypes,
} from './admin/enums.js';
export type { BrokersFunction, ISocketFactory, ISocketFactoryArgs, KafkaConfig } from './config/kafka-config.js';
export type {
  AuthenticationProviderArgs,
  Authenticator,
  Mechanism,
  OauthbearerProviderResponse,
  SASLMechanism,
  SASLMechanismOptions,
  SASLMechanismOptionsMap,
  SASLOptions,
  SaslAuthenticateArgs,
  SaslAuthenticationRequest,
  SaslAuthenticationResponse,
} from './config/sasl.js';
export {
  AssignerProtocol,
  type Assignment,
  type ISerializer,
  type MemberAssignment,
  type MemberMetadata,
} from './consumer/assigner-protocol.js';
export {
  type ApiVersions,
  type Assigner,
  type Broker,
  type BrokerMetadata,
  type BuiltInAssignorName,
  type Cluster,
  type CoordinatorMetadata,
  type GroupMember,
  type GroupMemberAssignment,
  type GroupState,
  type PartitionAssigner,
  PartitionAssigners,
  type PartitionMetadata,
} from './consumer/assigners.js';
export { Batch } from './consumer/batch.js';
export { Consumer } from './consumer/consumer.js';
export type {
  ConsumerConfig,
  ConsumerEachBatchPayload,
  ConsumerEachMessagePayload,
  ConsumerGroupState,
  ConsumerRunConfig,
  ConsumerSubscribeTopic,
  ConsumerSubscribeTopics,
  EachBatchHandler,
  EachBatchPayload,
  EachMessageHandler,
  EachMessagePayload,
  GroupDescription,
  GroupDescriptions,
  MemberDescription,
  OffsetsByTopicPartition,
  TopicOffsets,
  TopicPartition,
  TopicPartitionOffset,
  TopicPartitionOffsetAndMetadata,
  TopicPartitions,
} from './consumer/consumer-types.js';
export type { KafkaMessage } from './consumer/kafka-message.js';
export {
  isKafkaJSError,
  isRebalancing,
  KafkaJSAggregateError,
  KafkaJSAlterPartitionReassignmentsError,
  KafkaJSBrokerNotFound,
  KafkaJSConnectionClosedError,
  KafkaJSConnectionError,
  KafkaJSCreateTopicError,
  KafkaJSDeleteGroupsError,
  KafkaJSDeleteTopicRecordsError,
  type KafkaJSDeleteTopicRecordsErrorPartition,
  KafkaJSError,
  type KafkaJSErrorMetadata,
  KafkaJSFetcherRebalanceError,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSInvalidLongError,
  KafkaJSInvalidVarIntError,
  KafkaJSInvariantViolation,
  KafkaJSLockTimeout,
  KafkaJSMemberIdRequired,
  KafkaJSMetadataNotLoaded,
  KafkaJSNoBrokerAvailableError,
  KafkaJSNonRetriableError,
  KafkaJSNotImplemented,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSOffsetOutOfRange,
  KafkaJSPartialMessageError,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
  KafkaJSSASLAuthenticationError,
  KafkaJSServerDoesNotSupportApiKey,
  KafkaJSStaleTopicMetadataAssignment,
  KafkaJSTimeout,
  KafkaJSTopicMetadataNotLoaded,
  KafkaJSUnsupportedMagicByteInMessageSet,
  type ProtocolErrorInfo,
} from './errors/errors.js';
export type { InstrumentationEvent, RemoveInstrumentationEventListener } from './instrumentation/emitter.js';
export {
  ADMIN_EVENTS,
  type AdminEvents,
  CONSUMER_EVENTS,
  type ConsumerEvents,
  PRODUCER_EVENTS,
  type ProducerEvents,
} from './instrumentation/event-names.js';
export type {
  ConnectEvent,
  ConsumerCommitOffsetsEvent,
  ConsumerCrashEvent,
  ConsumerEndBatchProcessEvent,
  ConsumerFetchEvent,
  ConsumerFetchStartEvent,
  ConsumerGroupJoinEvent,
  ConsumerHeartbeatEvent,
  ConsumerRebalancingEvent,
  ConsumerReceivedUnsubcribedTopicsEvent,
  ConsumerStartBatchProcessEvent,
  DisconnectEvent,
  IBatchProcessEvent,
  IMemberAssignment,
  RequestEvent,
  RequestQueueSizeEvent,
  RequestTimeoutEvent,
} from './instrumentation/event-types.js';
export { Kafka } from './kafka.js';
export { type LogEntry, type Logger, type LoggerEntryContent, type logCreator, logLevel } from './logger/logger.js';
export { CompressionCodecs, CompressionTypes } from './producer/compression.js';
export type { IHeaders, Message, ProducerBatch, ProducerRecord, TopicMessages } from './producer/message.js';
export {
  type DefaultPartitioner,
  type ICustomPartitioner,
  type LegacyPartitioner,
  type PartitionerArgs,
  Partitioners,
} from './producer/partitioners.js';
export { Producer, type ProducerConfig, type RecordMetadata } from './producer/producer.js';
export { type Offsets, Transaction } from './producer/transaction.js';
export type { RetryOptions } from './retry/retry.js';
