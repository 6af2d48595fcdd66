import { existsSync, readFileSync, statSync } from 'node:fs';

/** Where a developer machine keeps a Kafka classpath (from `mvn dependency:build-classpath`) until the harness has one. */
const DEV_CLASSPATH_FILE = '/tmp/kx/cp.txt';

/**
 * The Java classpath holding Apache Kafka's client library (`kafka-clients`) and its compression libraries
 * (zstd-jni, lz4-java, snappy-java) plus slf4j-api, for the record batch interop program.
 *
 * The single place that knows where Kafka's jars are: `KAFKA_CLASSPATH` (a classpath, or the path of a file that
 * holds one), else the developer file {@link DEV_CLASSPATH_FILE}. To be pointed at the Kafka harness's
 * `resolveKafka()` once that lands.
 */
export function kafkaClientsClasspath(): string {
  const configured = process.env.KAFKA_CLASSPATH;
  if (configured !== undefined && configured !== '') {
    if (!configured.endsWith('.jar') && existsSync(configured) && statSync(configured).isFile()) {
      return readFileSync(configured, 'utf8').trim();
    }
    return configured;
  }
  if (existsSync(DEV_CLASSPATH_FILE)) return readFileSync(DEV_CLASSPATH_FILE, 'utf8').trim();
  throw new Error(
    `No Kafka classpath for the record interop tests: set KAFKA_CLASSPATH to a classpath holding kafka-clients ` +
      `and its compression jars (or to a file holding one), or create ${DEV_CLASSPATH_FILE}`,
  );
}
