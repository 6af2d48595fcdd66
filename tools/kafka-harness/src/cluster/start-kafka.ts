import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveKafka } from '../artifacts/resolve-kafka.js';
import { KafkaHarnessError } from '../errors.js';
import { findJava } from '../java.js';
import { type KafkaRelease, releaseFacts } from '../releases/kafka-releases.js';
import { brokerProperties, formatProperties, type ListenerName, type NodePorts } from './broker-properties.js';
import { allocatePorts, LOOPBACK } from './free-ports.js';
import { JvmKafkaCluster } from './jvm-kafka-cluster.js';
import { brokerJvmOptions } from './jvm-options.js';
import type { KafkaCluster, KafkaSaslInfo, KafkaTlsInfo } from './kafka-cluster.js';
import { KafkaNodeProcess } from './kafka-node.js';
import { formatStorage, randomClusterId } from './storage-format.js';
import { SASL_MECHANISMS, TEST_USERS } from './test-users.js';
import { generateTlsMaterial, type TlsMaterial } from './tls-material.js';

/** SASL listener options. */
export interface SaslListenerOptions {
  /** KIP-368 re-authentication: `connections.max.reauth.ms` of the SASL listeners. Default: none. */
  readonly connectionsMaxReauthMs?: number;
}

/** SSL listener options. */
export interface SslListenerOptions {
  /** `ssl.client.auth` of the broker. Default `requested` (a client certificate is optional). */
  readonly clientAuth?: 'none' | 'requested' | 'required';
}

/** Options of {@link startKafka}. */
export interface StartKafkaOptions {
  /**
   * The Kafka release: a supported line (`3.7`, ..., `4.4`) or its version (`3.7.2`). Default `KAFKA_VERSION` from
   * the environment, else the newest supported release. See `KAFKA_RELEASES` for what differs between them.
   */
  readonly version?: string;
  /**
   * Switch on what the release ships as early access or preview: KIP-848 consumer groups on 3.7 to 3.9 (the new
   * group coordinator and `group.coordinator.rebalance.protocols=classic,consumer`), KIP-932 share groups on 4.0
   * and 4.1. Without it, every release runs its groups as released. Default false.
   */
  readonly earlyAccess?: boolean;
  /** Number of nodes, each broker and controller. Default 1; use 3 for failover tests. */
  readonly nodes?: number;
  /**
   * Adds a SASL_PLAINTEXT listener (and SASL_SSL when `ssl` is on too) with PLAIN, SCRAM-SHA-256, SCRAM-SHA-512
   * and OAUTHBEARER (unsecured tokens), and the test users of `TEST_USERS`. Default false.
   */
  readonly sasl?: boolean | SaslListenerOptions;
  /** Adds an SSL listener with a fresh test CA and broker certificate. Default false. */
  readonly ssl?: boolean | SslListenerOptions;
  /**
   * Turns on the StandardAuthorizer: `admin` (and the inter-broker principal `ANONYMOUS`, that is the PLAINTEXT
   * listener) are super users and `allow.everyone.if.no.acl.found=true`. Default false.
   */
  readonly authorizer?: boolean;
  /** Extra broker properties, applied to every node over the defaults. */
  readonly brokerProperties?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Feature levels set when storage is formatted (`--feature`), for example `{ 'share.version': 1 }`. From Kafka
   * 3.8 on (3.7's `kafka-storage format` has no `--feature`).
   */
  readonly features?: Readonly<Record<string, number>>;
  /** Metadata release version set when storage is formatted (`--release-version`). Default: the latest. */
  readonly releaseVersion?: string;
  /** The cluster's folder. Default: a new folder under the OS temp directory. Removed by `stop()`. */
  readonly directory?: string;
  /** Maximum heap of each broker JVM in MiB. Default 768. */
  readonly heapMaxMb?: number;
  /** Initial heap of each broker JVM in MiB (at most `heapMaxMb`). Default 256. */
  readonly heapMinMb?: number;
  /** Extra JVM options for the brokers. */
  readonly jvmOptions?: readonly string[];
  /** Time allowed for the cluster to answer. Default 90000. */
  readonly startTimeoutMs?: number;
  /**
   * Let the JVMs outlive this Node process (no exit handlers, no watchdog): for the CLI's background clusters.
   * Default false.
   */
  readonly persistent?: boolean;
  /** `jvm` (default) or `docker`; default from `VLTAVA_KAFKA_RUNTIME`. */
  readonly runtime?: 'jvm' | 'docker';
  /** Progress messages for people. */
  readonly log?: (message: string) => void;
}

const CLIENT_LISTENERS: readonly ListenerName[] = ['PLAINTEXT', 'SASL_PLAINTEXT', 'SSL', 'SASL_SSL'];

function enabledListeners(sasl: boolean, ssl: boolean): ListenerName[] {
  return CLIENT_LISTENERS.filter(
    (name) =>
      name === 'PLAINTEXT' ||
      (name === 'SASL_PLAINTEXT' && sasl) ||
      (name === 'SSL' && ssl) ||
      (name === 'SASL_SSL' && sasl && ssl),
  );
}

async function allocateNodePorts(nodeCount: number, listeners: readonly ListenerName[]): Promise<NodePorts[]> {
  const perNode = listeners.length + 1;
  const ports = await allocatePorts(nodeCount * perNode);
  return Array.from({ length: nodeCount }, (_, index) => {
    const slice = ports.slice(index * perNode, (index + 1) * perNode);
    const entries = listeners.map((name, i) => [name, slice[i + 1]!] as const);
    return {
      controller: slice[0]!,
      listeners: Object.fromEntries(entries) as NodePorts['listeners'],
    };
  });
}

function validate(options: StartKafkaOptions): number {
  const nodes = options.nodes ?? 1;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) {
    throw new KafkaHarnessError('ERR_USAGE', `nodes must be an integer from 1 to 9, got ${String(options.nodes)}.`);
  }
  return nodes;
}

/** The feature levels to format with: the early-access ones when asked, then the caller's. */
function formatFeatures(release: KafkaRelease, version: string, options: StartKafkaOptions) {
  const features = { ...(options.earlyAccess === true ? release.earlyAccessFeatures : {}), ...options.features };
  if (Object.keys(features).length > 0 && !release.formatFeatures) {
    throw new KafkaHarnessError(
      'ERR_KAFKA_VERSION',
      `Kafka ${version} cannot set feature levels at format time (kafka-storage format --feature exists from 3.8 ` +
        `on); drop the features option (${Object.keys(features).join(', ')}) or start 3.8 or newer.`,
    );
  }
  return Object.keys(features).length === 0 ? undefined : features;
}

/**
 * Starts an Apache Kafka cluster in KRaft mode on free loopback ports and resolves once every node is listed in a
 * Metadata response. By default one node with a PLAINTEXT listener; see {@link StartKafkaOptions} for 3-node
 * clusters, SASL, SSL and the authorizer.
 *
 * Unless `persistent` is set, no JVM outlives the calling process: `stop()` ends them, exit and signal handlers
 * end them, and a detached watchdog ends them when the process is killed outright.
 *
 * @example
 * ```ts
 * const cluster = await startKafka({ nodes: 3 });
 * try { ... cluster.bootstrap ... } finally { await cluster.stop(); }
 * ```
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaCluster> {
  const runtime = options.runtime ?? (process.env.VLTAVA_KAFKA_RUNTIME === 'docker' ? 'docker' : 'jvm');
  if (runtime === 'docker') {
    const { startDockerKafka } = await import('../docker/docker-kafka.js');
    return startDockerKafka(options);
  }
  const nodeCount = validate(options);
  const [java, artifacts] = await Promise.all([
    findJava(),
    resolveKafka({
      ...(options.version === undefined ? {} : { version: options.version }),
      ...(options.log === undefined ? {} : { log: options.log }),
    }),
  ]);
  // The facts of the jars' own line (KAFKA_HOME may hold another patch release of it, or a newer line).
  const release = releaseFacts(artifacts.version);
  const features = formatFeatures(release, artifacts.version, options);
  const directory =
    options.directory === undefined ? await mkdtemp(join(tmpdir(), 'vltava-kafka-')) : resolve(options.directory);
  await mkdir(directory, { recursive: true });
  const tls = options.ssl ? await generateTlsMaterial(join(directory, 'tls')) : undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      const cluster = await startAttempt(
        options,
        nodeCount,
        directory,
        java.command,
        artifacts.classpath,
        artifacts.version,
        release,
        features,
        tls,
      );
      if (cluster instanceof JvmKafkaCluster) return cluster;
      // The attempt failed; retry once when a port was taken between choosing it and the JVM binding it.
      if (!cluster.portConflict || attempt >= 2) throw cluster.error;
      options.log?.('A port was taken by another process while Kafka started; retrying with new ports.');
    }
  } catch (error) {
    await rm(directory, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    throw error;
  }
}

async function startAttempt(
  options: StartKafkaOptions,
  nodeCount: number,
  directory: string,
  java: string,
  classpath: readonly string[],
  version: string,
  release: KafkaRelease,
  features: Readonly<Record<string, number>> | undefined,
  tls: TlsMaterial | undefined,
): Promise<JvmKafkaCluster | { error: unknown; portConflict: boolean }> {
  const saslOn = options.sasl !== undefined && options.sasl !== false;
  const sslOn = options.ssl !== undefined && options.ssl !== false;
  const listeners = enabledListeners(saslOn, sslOn);
  const ports = await allocateNodePorts(nodeCount, listeners);
  const nodes = ports.map((nodePorts, index) => ({ nodeId: index + 1, ports: nodePorts }));
  const clusterId = randomClusterId();
  const saslOptions = typeof options.sasl === 'object' ? options.sasl : {};
  const clientAuth = (typeof options.ssl === 'object' ? options.ssl.clientAuth : undefined) ?? 'requested';

  // Fresh node folders for this attempt.
  for (const entry of await readdir(directory)) {
    if (entry.startsWith('node-')) await rm(join(directory, entry), { recursive: true, force: true });
  }
  const processes: KafkaNodeProcess[] = [];
  const jvmOptions = [
    ...brokerJvmOptions(options.heapMaxMb, options.heapMinMb, release.logging.api),
    ...(options.jvmOptions ?? []),
  ];
  for (const node of nodes) {
    const nodeDir = join(directory, `node-${node.nodeId}`);
    await mkdir(join(nodeDir, 'data'), { recursive: true });
    const propertiesFile = join(nodeDir, 'server.properties');
    const entries = brokerProperties({
      nodeId: node.nodeId,
      nodes,
      logDir: join(nodeDir, 'data'),
      line: release.line,
      ...(options.earlyAccess === true ? { earlyAccess: release.earlyAccessProperties } : {}),
      ...(saslOn ? { sasl: saslOptions } : {}),
      ...(tls === undefined
        ? {}
        : { ssl: { keystoreFile: tls.brokerKeystoreFile, truststoreFile: tls.caFile, clientAuth } }),
      authorizer: options.authorizer === true,
      ...(options.brokerProperties === undefined ? {} : { overrides: options.brokerProperties }),
    });
    await writeFile(propertiesFile, formatProperties(entries), { mode: 0o600 });
    processes.push(
      new KafkaNodeProcess(
        {
          nodeId: node.nodeId,
          directory: nodeDir,
          propertiesFile,
          logFile: join(nodeDir, 'broker.log'),
          ports: node.ports,
        },
        { java, classpath, jvmOptions },
      ),
    );
  }

  await Promise.all(
    processes.map((node) =>
      formatStorage({
        java,
        classpath,
        propertiesFile: node.spec.propertiesFile,
        clusterId,
        scramUsers: saslOn,
        logging: release.logging.api,
        ...(features === undefined ? {} : { features }),
        ...(options.releaseVersion === undefined ? {} : { releaseVersion: options.releaseVersion }),
      }),
    ),
  );

  const address = (listener: ListenerName) => ports.map((p) => `${LOOPBACK}:${p.listeners[listener]}`);
  const sasl: KafkaSaslInfo | undefined = saslOn
    ? {
        bootstrap: address('SASL_PLAINTEXT').join(','),
        brokers: address('SASL_PLAINTEXT'),
        saslSslBrokers: sslOn ? address('SASL_SSL') : undefined,
        mechanisms: SASL_MECHANISMS,
        users: TEST_USERS,
        connectionsMaxReauthMs: saslOptions.connectionsMaxReauthMs,
      }
    : undefined;
  const tlsInfo: KafkaTlsInfo | undefined =
    tls === undefined
      ? undefined
      : {
          bootstrap: address('SSL').join(','),
          brokers: address('SSL'),
          caPem: tls.caPem,
          caFile: tls.caFile,
          clientCertPem: tls.clientCertPem,
          clientKeyPem: tls.clientKeyPem,
          clientKeystoreFile: tls.clientKeystoreFile,
          clientName: tls.clientName,
          clientAuth,
        };
  const cluster = new JvmKafkaCluster({
    version,
    clusterId,
    directory,
    nodes: processes,
    sasl,
    tls: tlsInfo,
    authorizer: options.authorizer === true,
    persistent: options.persistent === true,
    startTimeoutMs: options.startTimeoutMs ?? 90_000,
  });
  cluster.armCleanup();
  options.log?.(`Starting Apache Kafka ${version} (${nodeCount} node${nodeCount === 1 ? '' : 's'}) in ${directory}`);
  cluster.launch();
  try {
    await cluster.waitForNodes(
      nodes.map((node) => node.nodeId),
      options.startTimeoutMs ?? 90_000,
    );
    return cluster;
  } catch (error) {
    const portConflict = cluster.portConflict();
    await cluster.stop({ keepData: true });
    return { error, portConflict };
  }
}
