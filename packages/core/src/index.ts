/**
 * Vltava core: an Apache Kafka client written from the wire protocol up. Producer, consumer (with consumer groups,
 * classic and KIP-848) and admin client, plus the typed errors they raise.
 *
 * @packageDocumentation
 */

// The admin client.
export * from './admin/index.js';
// Connection settings shared by every client.
export type { BrokerAddress } from './cluster/broker-address.js';
export type { BootstrapBrokers, ClientOptions } from './cluster/client-options.js';
export type { BrokerInfo, MetadataSnapshot, PartitionInfo, TopicInfo } from './cluster/metadata.js';
// Options checking: the declarative schema every options object is checked against (also used by rx and streams).
export { checkOptions, type OptionsKind } from './config/check-options.js';
export { INT32_MAX, type OptionRule, type OptionsSchema, optionRules } from './config/option-rules.js';
// The consumer's and the share consumer's metrics in the one metrics shape (adapters of their metrics()).
export { consumerMetricFamilies } from './consumer/consumer-metric-families.js';
// The consumer, its assignors, deserializers and records.
export * from './consumer/index.js';
export { shareConsumerMetricFamilies } from './consumer/share/share-consumer-metric-families.js';
// The contracts @vltava/rx and @vltava/streams build on: ConsumerLike, ProducerLike, SendResult, ShareMessage.
export * from './contracts/index.js';
// Diagnostics: node:diagnostics_channel tracing channels and their payloads.
export * from './diagnostics/index.js';
// Errors: the KafkaError base, client errors, one class per Kafka error code.
export * from './errors/index.js';
// Metrics: the one shape, its catalogue, the registry and the Prometheus text exposition.
export * from './metrics/index.js';
export type { OAuthBearerToken, OAuthBearerTokenProvider } from './network/sasl/oauthbearer.js';
export type { SaslExchangeContext, SaslMechanism } from './network/sasl/sasl-mechanism.js';
export type { SaslOptions } from './network/sasl/sasl-options.js';
// The producer: Producer, serializers, partitioners, transactions, metrics.
export * from './producer/index.js';
export { producerMetricFamilies } from './producer/producer-metric-families.js';
// Record-level types shared by producer and consumer.
export { CodecUnavailableError } from './protocol/records/compression/codec-unavailable-error.js';
export { COMPRESSION_TYPES, type CompressionType } from './protocol/records/compression/compression-type.js';
export type { ControlRecordType, RecordHeader, TimestampType } from './protocol/records/record.js';
// Logging.
export { createConsoleLogger, type LogFields, type Logger, type LogLevel, silentLogger } from './utils/logger.js';
