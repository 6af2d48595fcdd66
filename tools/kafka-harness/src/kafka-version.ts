import { NEWEST_KAFKA_RELEASE } from './releases/kafka-releases.js';

/**
 * The Apache Kafka release the harness runs when no version is asked for: the newest supported release. Every
 * supported release, and what differs between them, is in `releases/kafka-releases.ts`; `KAFKA_VERSION` in the
 * environment or `startKafka({ version })` picks another.
 */
export const KAFKA_VERSION: string = NEWEST_KAFKA_RELEASE.version;

/** The Scala binary version of the broker artifact (`kafka_2.13`). */
export const KAFKA_SCALA_VERSION = '2.13';

/** The lowest Java feature release the harness runs Kafka on (Kafka 4.x brokers need 17; 3.x run on it too). */
export const MIN_JAVA_VERSION = 17;
