import { resolveKafka } from '@vltava/kafka-harness';

/**
 * The Java classpath holding Apache Kafka's client library (`kafka-clients`), its compression libraries
 * (zstd-jni, lz4-java, snappy-java) and slf4j-api, for the record batch interop program.
 *
 * The jars are the ones the test harness resolves for the broker (Maven, the pinned checksummed list, or
 * `KAFKA_HOME`), cached under the user's cache directory; `KAFKA_CLASSPATH` overrides them.
 */
export async function kafkaClientsClasspath(): Promise<string> {
  const configured = process.env.KAFKA_CLASSPATH;
  if (configured !== undefined && configured !== '') return configured;
  const { classpath } = await resolveKafka();
  return classpath.join(':');
}
