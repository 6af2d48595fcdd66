/**
 * The Vltava Kafka test harness: starts real Apache Kafka (KRaft) on loopback ports for tests, benchmarks and
 * people, runs Kafka's own command-line tools, and resolves Kafka's jars (Maven, a pinned checksummed list, or
 * `KAFKA_HOME`). See the README of `tools/kafka-harness`.
 */
export type { ArtifactCoordinates, PinnedArtifact } from './artifacts/artifact.js';
export {
  type KafkaArtifactSource,
  type KafkaArtifacts,
  type ResolveKafkaOptions,
  resolveKafka,
} from './artifacts/resolve-kafka.js';
export { harnessCacheDir } from './cache-dir.js';
export type { ListenerName, NodePorts } from './cluster/broker-properties.js';
export type {
  KafkaCluster,
  KafkaClusterDescription,
  KafkaNodeInfo,
  KafkaSaslInfo,
  KafkaTlsInfo,
  StopClusterOptions,
} from './cluster/kafka-cluster.js';
export {
  type SaslListenerOptions,
  type SslListenerOptions,
  type StartKafkaOptions,
  startKafka,
} from './cluster/start-kafka.js';
export { type KafkaTestUser, SASL_MECHANISMS, type SaslMechanism, TEST_USERS } from './cluster/test-users.js';
export { generateTlsMaterial, type TlsMaterial } from './cluster/tls-material.js';
export { KafkaHarnessError, type KafkaHarnessErrorCode } from './errors.js';
export { findJava, type JavaRuntime } from './java.js';
export { KAFKA_SCALA_VERSION, KAFKA_VERSION } from './kafka-version.js';
export { type ClientSecurity, clientSecurityProperties } from './tools/client-properties.js';
export { KAFKA_TOOLS, type KafkaToolName } from './tools/kafka-tool-table.js';
export {
  type KafkaToolResult,
  type KafkaToolTarget,
  type RunKafkaToolOptions,
  runKafkaTool,
} from './tools/run-kafka-tool.js';
export {
  ApiKey,
  type ApiVersionRange,
  type ApiVersionsResult,
  fetchApiVersions,
  fetchMetadata,
  KafkaWireConnection,
  type MetadataBroker,
  type MetadataResult,
  type WireEndpoint,
} from './wire/kafka-wire-client.js';
