/**
 * Helpers for integration suites that run under the harness's vitest global setup (see `global-setup.ts`):
 * the shared broker's addresses and credentials through `inject()`, unique names, the Kafka tools against the
 * shared broker, and private clusters for suites that need their own (3 nodes, failover).
 */
import { inject } from 'vitest';
import type { KafkaCluster } from '../cluster/kafka-cluster.js';
import { type StartKafkaOptions, startKafka } from '../cluster/start-kafka.js';
import type { KafkaTestUser, SaslMechanism } from '../cluster/test-users.js';
import { KafkaHarnessError } from '../errors.js';
import { type ClientSecurity, clientSecurityProperties } from '../tools/client-properties.js';
import type { KafkaToolName } from '../tools/kafka-tool-table.js';
import { type KafkaToolResult, type RunKafkaToolOptions, runKafkaTool } from '../tools/run-kafka-tool.js';

declare module 'vitest' {
  /** The values the harness's global setup provides to every integration suite (read them with `inject`). */
  export interface ProvidedContext {
    /** PLAINTEXT bootstrap of the shared broker, `host:port[,host:port...]` (or `KAFKA_BROKERS`). */
    kafkaBootstrap: string;
    /** True when `KAFKA_BROKERS` named an external cluster and the harness started nothing. */
    kafkaExternal: boolean;
    /**
     * Kafka version of the shared broker (`KAFKA_VERSION`'s release, else the newest supported one; `unknown` for
     * external clusters).
     */
    kafkaVersion: string;
    /** Cluster id of the shared broker; null for external clusters. */
    kafkaClusterId: string | null;
    /** SASL_PLAINTEXT bootstrap; null for external clusters. */
    kafkaSaslBootstrap: string | null;
    /** SASL_SSL bootstrap; null for external clusters. */
    kafkaSaslSslBootstrap: string | null;
    /** Enabled SASL mechanisms (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER); empty for external clusters. */
    kafkaSaslMechanisms: SaslMechanism[];
    /** Known SASL users with their passwords (`admin` is the authorizer's super user). */
    kafkaSaslUsers: KafkaTestUser[];
    /** SSL bootstrap; null for external clusters. */
    kafkaSslBootstrap: string | null;
    /** PEM of the CA that signed the broker certificate (SAN IP:127.0.0.1, DNS:localhost). */
    kafkaSslCaPem: string | null;
    /** The CA PEM as a file (for Java tools). */
    kafkaSslCaFile: string | null;
    /** Client certificate PEM for mutual TLS (CN `alice`, principal `User:alice`). */
    kafkaSslClientCertPem: string | null;
    /** Client private key PEM for mutual TLS. */
    kafkaSslClientKeyPem: string | null;
    /** Client key and certificate in one PEM file (for Java tools). */
    kafkaSslClientKeystoreFile: string | null;
    /** Whether the StandardAuthorizer is on (it is for the harness's broker, with allow-if-no-ACL). */
    kafkaAuthorizer: boolean;
    /** The shared broker's log file; null for external clusters. */
    kafkaLogFile: string | null;
  }
}

/** The shared broker's PLAINTEXT addresses (`["127.0.0.1:port"]`). */
export function kafkaBrokers(): string[] {
  return inject('kafkaBootstrap')
    .split(',')
    .map((address) => address.trim())
    .filter((address) => address !== '');
}

/** The shared broker's SASL side. Throws when it has none (an external cluster from `KAFKA_BROKERS`). */
export function kafkaSasl(): {
  brokers: string[];
  saslSslBrokers: string[] | null;
  mechanisms: SaslMechanism[];
  users: KafkaTestUser[];
} {
  const bootstrap = inject('kafkaSaslBootstrap');
  if (bootstrap === null) {
    throw new KafkaHarnessError(
      'ERR_USAGE',
      'This suite needs the SASL listener of the harness broker; KAFKA_BROKERS names a cluster without one.',
    );
  }
  const saslSsl = inject('kafkaSaslSslBootstrap');
  return {
    brokers: bootstrap.split(','),
    saslSslBrokers: saslSsl === null ? null : saslSsl.split(','),
    mechanisms: inject('kafkaSaslMechanisms'),
    users: inject('kafkaSaslUsers'),
  };
}

/** The shared broker's TLS side. Throws when it has none (an external cluster from `KAFKA_BROKERS`). */
export function kafkaTls(): { brokers: string[]; ca: string; clientCert: string; clientKey: string } {
  const bootstrap = inject('kafkaSslBootstrap');
  const ca = inject('kafkaSslCaPem');
  const clientCert = inject('kafkaSslClientCertPem');
  const clientKey = inject('kafkaSslClientKeyPem');
  if (bootstrap === null || ca === null || clientCert === null || clientKey === null) {
    throw new KafkaHarnessError(
      'ERR_USAGE',
      'This suite needs the SSL listener of the harness broker; KAFKA_BROKERS names a cluster without one.',
    );
  }
  return { brokers: bootstrap.split(','), ca, clientCert, clientKey };
}

let counter = 0;

/**
 * A name no other suite, test or run uses, valid as a topic, group or transactional id:
 * `<prefix>-<pid>-<time>-<counter>-<random>` in base 36.
 */
export function uniqueName(prefix = 'test'): string {
  counter += 1;
  const random = Math.floor(Math.random() * 36 ** 4).toString(36);
  return `${prefix}-${process.pid.toString(36)}-${Date.now().toString(36)}-${counter.toString(36)}-${random}`;
}

/**
 * Starts a private cluster for a suite (for example `{ nodes: 3 }` for failover tests). Stop it in `afterAll`.
 * Its JVMs never outlive the test process.
 */
export function startCluster(options: StartKafkaOptions = {}): Promise<KafkaCluster> {
  return startKafka(options);
}

/**
 * Runs a Kafka command-line tool against the shared broker, from the jars of the broker's own release. With
 * `security`, it connects through the SASL or SSL listener with the known users and the harness CA.
 */
export async function kafkaTool(
  tool: KafkaToolName,
  args: readonly string[],
  options: Omit<RunKafkaToolOptions, 'security'> & { readonly security?: ClientSecurity } = {},
): Promise<KafkaToolResult> {
  const { security, ...given } = options;
  const sharedVersion = inject('kafkaVersion');
  const rest = given.version !== undefined || inject('kafkaExternal') ? given : { ...given, version: sharedVersion };
  if (security === undefined) return runKafkaTool(inject('kafkaBootstrap'), tool, args, rest);
  const bootstrap = {
    SASL_PLAINTEXT: inject('kafkaSaslBootstrap'),
    SSL: inject('kafkaSslBootstrap'),
    SASL_SSL: inject('kafkaSaslSslBootstrap'),
  }[security.listener];
  const caFile = inject('kafkaSslCaFile');
  const clientKeystoreFile = inject('kafkaSslClientKeystoreFile');
  if (bootstrap === null) {
    throw new KafkaHarnessError(
      'ERR_USAGE',
      `The shared broker has no ${security.listener} listener (external cluster).`,
    );
  }
  const properties = clientSecurityProperties(
    {
      sasl: { users: inject('kafkaSaslUsers') },
      tls: caFile === null || clientKeystoreFile === null ? undefined : { caFile, clientKeystoreFile },
    },
    security,
  );
  return runKafkaTool(bootstrap, tool, args, {
    ...rest,
    clientProperties: { ...properties, ...rest.clientProperties },
  });
}

export type { KafkaCluster, KafkaToolResult, StartKafkaOptions };
