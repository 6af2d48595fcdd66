/**
 * The Apache Kafka release the harness runs. The one place the version is pinned: the Maven pom receives it as
 * `-Dkafka.version`, the fallback artifact list is `artifacts/kafka-<version>.json`, the Docker image is
 * `apache/kafka:<version>`.
 */
export const KAFKA_VERSION = '4.4.0';

/** The Scala binary version of the broker artifact (`kafka_2.13`). */
export const KAFKA_SCALA_VERSION = '2.13';

/** The lowest Java feature release Apache Kafka 4.x brokers run on. */
export const MIN_JAVA_VERSION = 17;
