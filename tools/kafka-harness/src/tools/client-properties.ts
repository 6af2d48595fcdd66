import type { ListenerName } from '../cluster/broker-properties.js';
import type { KafkaTestUser, SaslMechanism } from '../cluster/test-users.js';
import { KafkaHarnessError } from '../errors.js';

/** How a Java client (a Kafka tool) connects to a secured listener of a harness cluster. */
export interface ClientSecurity {
  /** The listener to use. */
  readonly listener: Exclude<ListenerName, 'PLAINTEXT'>;
  /** SASL mechanism for SASL listeners. Default `PLAIN`. */
  readonly mechanism?: SaslMechanism;
  /** User name. Default `admin`. */
  readonly username?: string;
  /** Password. Default: the known test user's password. */
  readonly password?: string;
  /** Present the harness's client certificate (mutual TLS) on SSL listeners. Default false. */
  readonly mutualTls?: boolean;
}

/** What client properties need to know about a cluster; a `KafkaCluster` has it. */
export interface ClientSecurityContext {
  /** The SASL users, when the cluster has SASL listeners. */
  readonly sasl?: { readonly users: readonly KafkaTestUser[] } | undefined;
  /** The CA file and the client keystore, when the cluster has SSL listeners. */
  readonly tls?: { readonly caFile: string; readonly clientKeystoreFile: string } | undefined;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Java client properties (`security.protocol`, `sasl.*`, `ssl.*`) for connecting to a secured listener of a harness
 * cluster, as a map. Pass them in a file with `--command-config` (`runKafkaTool` does it for you).
 */
export function clientSecurityProperties(
  cluster: ClientSecurityContext,
  security: ClientSecurity,
): Record<string, string> {
  const properties: Record<string, string> = { 'security.protocol': security.listener };
  if (security.listener === 'SASL_PLAINTEXT' || security.listener === 'SASL_SSL') {
    if (cluster.sasl === undefined) {
      throw new KafkaHarnessError('ERR_USAGE', 'This cluster has no SASL listener; start it with `sasl: true`.');
    }
    const mechanism = security.mechanism ?? 'PLAIN';
    const username = security.username ?? 'admin';
    const password = security.password ?? cluster.sasl.users.find((user) => user.username === username)?.password ?? '';
    properties['sasl.mechanism'] = mechanism;
    if (mechanism === 'OAUTHBEARER') {
      properties['sasl.jaas.config'] =
        `org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=${quote(username)};`;
    } else {
      const module =
        mechanism === 'PLAIN'
          ? 'org.apache.kafka.common.security.plain.PlainLoginModule'
          : 'org.apache.kafka.common.security.scram.ScramLoginModule';
      properties['sasl.jaas.config'] = `${module} required username=${quote(username)} password=${quote(password)};`;
    }
  }
  if (security.listener === 'SSL' || security.listener === 'SASL_SSL') {
    if (cluster.tls === undefined) {
      throw new KafkaHarnessError('ERR_USAGE', 'This cluster has no SSL listener; start it with `ssl: true`.');
    }
    properties['ssl.truststore.type'] = 'PEM';
    properties['ssl.truststore.location'] = cluster.tls.caFile;
    if (security.mutualTls === true) {
      properties['ssl.keystore.type'] = 'PEM';
      properties['ssl.keystore.location'] = cluster.tls.clientKeystoreFile;
    }
  }
  return properties;
}
