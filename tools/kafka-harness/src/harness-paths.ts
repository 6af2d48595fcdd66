import { fileURLToPath, pathToFileURL } from 'node:url';
import { KAFKA_VERSION } from './kafka-version.js';

/** The root folder of the harness package (`tools/kafka-harness`). */
export const HARNESS_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The Maven project whose dependencies are Kafka's runtime. */
export const HARNESS_POM = fileURLToPath(new URL('../maven/pom.xml', import.meta.url));

/**
 * The log4j2 configuration of Kafka 4.x brokers: INFO to standard output, which the harness writes to the node's log
 * file.
 */
export const BROKER_LOG4J_CONFIG = fileURLToPath(new URL('../config/log4j2-broker.properties', import.meta.url));

/** The log4j2 configuration of Kafka 4.x command-line tools: WARN to standard error, so standard output stays clean. */
export const TOOLS_LOG4J_CONFIG = fileURLToPath(new URL('../config/log4j2-tools.properties', import.meta.url));

/** The log4j 1 configuration of Kafka 3.x brokers (reload4j), the same as {@link BROKER_LOG4J_CONFIG}. */
export const BROKER_LOG4J1_CONFIG = fileURLToPath(new URL('../config/log4j-broker.properties', import.meta.url));

/** The log4j 1 configuration of Kafka 3.x command-line tools (reload4j), the same as {@link TOOLS_LOG4J_CONFIG}. */
export const TOOLS_LOG4J1_CONFIG = fileURLToPath(new URL('../config/log4j-tools.properties', import.meta.url));

/** The detached watchdog script that kills a cluster's JVMs when the Node process that started them is gone. */
export const WATCHDOG_SCRIPT = fileURLToPath(new URL('./process/watchdog-process.mjs', import.meta.url));

/** The pinned list of jars (coordinates and SHA-256) for a Kafka version, used when Maven is not installed. */
export function artifactListFile(version: string = KAFKA_VERSION): string {
  return fileURLToPath(new URL(`../artifacts/kafka-${version}.json`, import.meta.url));
}

/** The JVM option that points a Kafka release's logging at the harness's configuration for brokers or tools. */
export function loggingJvmOption(api: 'log4j1' | 'log4j2', role: 'broker' | 'tools'): string {
  if (api === 'log4j1') {
    // log4j 1 reads a URL; a plain path works only relative to the classpath.
    return `-Dlog4j.configuration=${pathToFileURL(role === 'broker' ? BROKER_LOG4J1_CONFIG : TOOLS_LOG4J1_CONFIG).href}`;
  }
  return `-Dlog4j2.configurationFile=${role === 'broker' ? BROKER_LOG4J_CONFIG : TOOLS_LOG4J_CONFIG}`;
}
