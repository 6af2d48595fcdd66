import { lineAtLeast, NEWEST_KAFKA_RELEASE } from '../releases/kafka-releases.js';
import { LOOPBACK } from './free-ports.js';
import { SASL_MECHANISMS, TEST_USERS } from './test-users.js';

/** Client-facing listeners a node can have. PLAINTEXT is always there; the others are options. */
export type ListenerName = 'PLAINTEXT' | 'SASL_PLAINTEXT' | 'SSL' | 'SASL_SSL';

/** Every listener name, in the order they are declared. */
export const LISTENER_NAMES: readonly ListenerName[] = ['PLAINTEXT', 'SASL_PLAINTEXT', 'SSL', 'SASL_SSL'];

/** The ports of one node, all on 127.0.0.1. */
export interface NodePorts {
  /** KRaft controller listener (`CONTROLLER`). */
  readonly controller: number;
  /** Client listeners that are enabled, by name. PLAINTEXT is always present. */
  readonly listeners: Readonly<Partial<Record<ListenerName, number>>> & { readonly PLAINTEXT: number };
}

/** What one node's `server.properties` is made from. */
export interface BrokerPropertiesInput {
  /** This node's id. */
  readonly nodeId: number;
  /** Every node of the cluster (the controller quorum is all of them). */
  readonly nodes: readonly { readonly nodeId: number; readonly ports: NodePorts }[];
  /** This node's log directory. */
  readonly logDir: string;
  /**
   * The Kafka release line (`3.7`, ..., `4.4`): settings a line does not know are left out (see
   * {@link LINE_DEPENDENT_PROPERTIES}). Default the newest supported line.
   */
  readonly line?: string;
  /** Settings that switch on the release's early-access features (`KafkaRelease.earlyAccessProperties`). */
  readonly earlyAccess?: Readonly<Record<string, string>>;
  /** SASL settings, when SASL listeners are enabled. */
  readonly sasl?: { readonly connectionsMaxReauthMs?: number };
  /** PEM files of the TLS listeners, when SSL listeners are enabled. */
  readonly ssl?: {
    readonly keystoreFile: string;
    readonly truststoreFile: string;
    readonly clientAuth: 'none' | 'requested' | 'required';
  };
  /** Enables the StandardAuthorizer. */
  readonly authorizer?: boolean;
  /** Extra properties; they override the defaults. */
  readonly overrides?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The harness's settings that not every supported line knows, with the line each appeared in (read from each
 * release's broker `ConfigDef`). A broker only warns about a setting it does not know, but the harness writes none:
 * a node's `server.properties` shows exactly what that release runs with.
 */
export const LINE_DEPENDENT_PROPERTIES: Readonly<Record<string, string>> = {
  'share.coordinator.state.topic.replication.factor': '4.0',
  'share.coordinator.state.topic.min.isr': '4.0',
  'share.coordinator.state.topic.num.partitions': '4.0',
  'group.share.min.session.timeout.ms': '3.9',
  'group.share.session.timeout.ms': '3.9',
  'group.share.min.heartbeat.interval.ms': '3.9',
  'group.share.heartbeat.interval.ms': '3.9',
  'group.streams.min.session.timeout.ms': '4.1',
  'group.streams.session.timeout.ms': '4.1',
  'group.streams.min.heartbeat.interval.ms': '4.1',
  'group.streams.heartbeat.interval.ms': '4.1',
  'group.streams.initial.rebalance.delay.ms': '4.2',
};

/** The principal every SSL client certificate maps to: its CN (`CN=alice,...` becomes `User:alice`). */
const SSL_PRINCIPAL_RULES = 'RULE:^CN=([^,]+).*$/$1/,DEFAULT';

function jaasPlain(): string {
  const users = TEST_USERS.map((user) => `user_${user.username}="${user.password}"`).join(' ');
  return `org.apache.kafka.common.security.plain.PlainLoginModule required ${users};`;
}

function saslListenerProperties(listener: 'sasl_plaintext' | 'sasl_ssl', reauthMs: number | undefined) {
  const prefix = `listener.name.${listener}`;
  const entries: [string, string][] = [
    [`${prefix}.sasl.enabled.mechanisms`, SASL_MECHANISMS.join(',')],
    [`${prefix}.plain.sasl.jaas.config`, jaasPlain()],
    [`${prefix}.scram-sha-256.sasl.jaas.config`, 'org.apache.kafka.common.security.scram.ScramLoginModule required;'],
    [`${prefix}.scram-sha-512.sasl.jaas.config`, 'org.apache.kafka.common.security.scram.ScramLoginModule required;'],
    // Unsecured JWS tokens (alg "none"), validated by Kafka's built-in unsecured validator: for tests only.
    [
      `${prefix}.oauthbearer.sasl.jaas.config`,
      'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="admin";',
    ],
    [
      `${prefix}.oauthbearer.sasl.server.callback.handler.class`,
      'org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredValidatorCallbackHandler',
    ],
  ];
  if (reauthMs !== undefined) entries.push([`${prefix}.connections.max.reauth.ms`, String(reauthMs)]);
  return entries;
}

function sslListenerProperties(listener: 'ssl' | 'sasl_ssl', ssl: NonNullable<BrokerPropertiesInput['ssl']>) {
  const prefix = `listener.name.${listener}`;
  return [
    [`${prefix}.ssl.keystore.type`, 'PEM'],
    [`${prefix}.ssl.keystore.location`, ssl.keystoreFile],
    [`${prefix}.ssl.truststore.type`, 'PEM'],
    [`${prefix}.ssl.truststore.location`, ssl.truststoreFile],
    [`${prefix}.ssl.client.auth`, ssl.clientAuth],
    [`${prefix}.ssl.principal.mapping.rules`, SSL_PRINCIPAL_RULES],
  ] as [string, string][];
}

/**
 * The `server.properties` of one node of a KRaft cluster run by the harness, as ordered entries.
 *
 * Every node is broker and controller; the controller quorum is every node (static voters). All listeners bind
 * 127.0.0.1. Replication settings follow the cluster size: with 3 or more nodes, replication factor 3 and
 * `min.insync.replicas=2` everywhere (internal topics too); with fewer, replication factor = node count and
 * `min.insync.replicas=1`. Group settings favour fast tests: no initial rebalance delay, low minimum session
 * timeouts and heartbeat intervals for classic, consumer (KIP-848), share and streams groups, as far as the line
 * knows them. The consumer, share and streams protocols are on wherever the release turns them on by default (in
 * 4.4 through the feature levels `kafka-storage format` sets: `group.version=1`, `share.version=2`,
 * `streams.version=1`); early-access ones only with `earlyAccess`.
 */
export function brokerProperties(input: BrokerPropertiesInput): [string, string][] {
  const self = input.nodes.find((node) => node.nodeId === input.nodeId);
  if (self === undefined) throw new RangeError(`node ${input.nodeId} is not in the node list`);
  const replication = Math.min(3, input.nodes.length);
  const minIsr = replication >= 3 ? 2 : 1;
  const listenerEntries = Object.entries(self.ports.listeners) as [ListenerName, number][];
  const listeners = [
    ...listenerEntries.map(([name, port]) => `${name}://${LOOPBACK}:${port}`),
    `CONTROLLER://${LOOPBACK}:${self.ports.controller}`,
  ];
  const advertised = listenerEntries.map(([name, port]) => `${name}://${LOOPBACK}:${port}`);
  const protocolMap = [...listenerEntries.map(([name]) => `${name}:${name}`), 'CONTROLLER:PLAINTEXT'];
  const voters = input.nodes.map((node) => `${node.nodeId}@${LOOPBACK}:${node.ports.controller}`);

  const entries: [string, string][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', String(input.nodeId)],
    ['controller.quorum.voters', voters.join(',')],
    ['controller.listener.names', 'CONTROLLER'],
    ['listeners', listeners.join(',')],
    ['advertised.listeners', advertised.join(',')],
    ['listener.security.protocol.map', protocolMap.join(',')],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    ['log.dirs', input.logDir],
    // Replication sized to the cluster.
    ['default.replication.factor', String(replication)],
    ['min.insync.replicas', String(minIsr)],
    ['offsets.topic.replication.factor', String(replication)],
    ['offsets.topic.num.partitions', '5'],
    ['transaction.state.log.replication.factor', String(replication)],
    ['transaction.state.log.min.isr', String(minIsr)],
    ['transaction.state.log.num.partitions', '5'],
    ['share.coordinator.state.topic.replication.factor', String(replication)],
    ['share.coordinator.state.topic.min.isr', String(minIsr)],
    ['share.coordinator.state.topic.num.partitions', '5'],
    // Topics.
    ['auto.create.topics.enable', 'true'],
    ['num.partitions', '1'],
    ['log.segment.bytes', String(1024 * 1024)],
    ['log.retention.check.interval.ms', '30000'],
    // Groups: fast rebalances for tests.
    ['group.initial.rebalance.delay.ms', '0'],
    ['group.min.session.timeout.ms', '1000'],
    ['group.consumer.min.session.timeout.ms', '1000'],
    ['group.consumer.session.timeout.ms', '10000'],
    ['group.consumer.min.heartbeat.interval.ms', '100'],
    ['group.consumer.heartbeat.interval.ms', '1000'],
    ['group.share.min.session.timeout.ms', '1000'],
    ['group.share.session.timeout.ms', '10000'],
    ['group.share.min.heartbeat.interval.ms', '100'],
    ['group.share.heartbeat.interval.ms', '1000'],
    ['group.streams.min.session.timeout.ms', '1000'],
    ['group.streams.session.timeout.ms', '10000'],
    ['group.streams.min.heartbeat.interval.ms', '100'],
    ['group.streams.heartbeat.interval.ms', '1000'],
    ['group.streams.initial.rebalance.delay.ms', '0'],
    // Brokers of a multi-node cluster: notice a dead broker within a few seconds.
    ['broker.heartbeat.interval.ms', '1000'],
    ['broker.session.timeout.ms', '6000'],
    ['replica.lag.time.max.ms', '10000'],
  ];

  const line = input.line ?? NEWEST_KAFKA_RELEASE.line;
  for (let i = entries.length - 1; i >= 0; i--) {
    const since = LINE_DEPENDENT_PROPERTIES[entries[i]![0]];
    if (since !== undefined && !lineAtLeast(line, since)) entries.splice(i, 1);
  }

  if (input.sasl !== undefined) {
    entries.push(['sasl.enabled.mechanisms', SASL_MECHANISMS.join(',')]);
    if (self.ports.listeners.SASL_PLAINTEXT !== undefined) {
      entries.push(...saslListenerProperties('sasl_plaintext', input.sasl.connectionsMaxReauthMs));
    }
    if (self.ports.listeners.SASL_SSL !== undefined) {
      entries.push(...saslListenerProperties('sasl_ssl', input.sasl.connectionsMaxReauthMs));
    }
  }
  if (input.ssl !== undefined) {
    if (self.ports.listeners.SSL !== undefined) entries.push(...sslListenerProperties('ssl', input.ssl));
    if (self.ports.listeners.SASL_SSL !== undefined) entries.push(...sslListenerProperties('sasl_ssl', input.ssl));
  }
  if (input.authorizer === true) {
    // ANONYMOUS is the principal of the PLAINTEXT listener, which brokers and controllers use among themselves.
    const superUsers = ['User:ANONYMOUS', ...TEST_USERS.filter((u) => u.superUser).map((u) => `User:${u.username}`)];
    entries.push(
      ['authorizer.class.name', 'org.apache.kafka.metadata.authorizer.StandardAuthorizer'],
      ['super.users', superUsers.join(';')],
      ['allow.everyone.if.no.acl.found', 'true'],
    );
  }

  for (const [key, value] of [...Object.entries(input.earlyAccess ?? {}), ...Object.entries(input.overrides ?? {})]) {
    const index = entries.findIndex(([existing]) => existing === key);
    if (index >= 0) entries[index] = [key, String(value)];
    else entries.push([key, String(value)]);
  }
  return entries;
}

function escapeProperty(text: string, isKey: boolean): string {
  let escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  if (isKey) escaped = escaped.replace(/([=: #!])/g, '\\$1');
  else escaped = escaped.replace(/^([ #!])/, '\\$1');
  return escaped;
}

/** Serialises entries in Java `.properties` syntax, escaping what Java would misread. */
export function formatProperties(entries: readonly (readonly [string, string])[]): string {
  return `${entries.map(([key, value]) => `${escapeProperty(key, true)}=${escapeProperty(value, false)}`).join('\n')}\n`;
}
