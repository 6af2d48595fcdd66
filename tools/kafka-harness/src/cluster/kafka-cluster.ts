import type { ApiVersionsResult, MetadataResult } from '../wire/kafka-wire-client.js';
import type { ListenerName, NodePorts } from './broker-properties.js';
import type { KafkaTestUser, SaslMechanism } from './test-users.js';

/** One node of a running cluster. */
export interface KafkaNodeInfo {
  /** `node.id` (1, 2, 3...). */
  readonly nodeId: number;
  /** Always `127.0.0.1`. */
  readonly host: string;
  /** The node's ports. */
  readonly ports: NodePorts;
  /** Pid of the node's JVM while it runs. */
  readonly pid: number | undefined;
  /** Whether the JVM runs. */
  readonly running: boolean;
  /** The node's broker log (JVM standard output and error). */
  readonly logFile: string | undefined;
}

/** The SASL side of a cluster started with `sasl`. */
export interface KafkaSaslInfo {
  /** SASL_PLAINTEXT bootstrap, `127.0.0.1:port,...`. */
  readonly bootstrap: string;
  /** SASL_PLAINTEXT addresses, one per node. */
  readonly brokers: readonly string[];
  /** SASL_SSL addresses when SSL is enabled too. */
  readonly saslSslBrokers: readonly string[] | undefined;
  /** Enabled mechanisms. */
  readonly mechanisms: readonly SaslMechanism[];
  /** Known users (PLAIN and SCRAM); OAUTHBEARER takes any unsecured token whose `sub` names the principal. */
  readonly users: readonly KafkaTestUser[];
  /** `connections.max.reauth.ms` of the SASL listeners, when set (KIP-368). */
  readonly connectionsMaxReauthMs: number | undefined;
}

/** The TLS side of a cluster started with `ssl`. */
export interface KafkaTlsInfo {
  /** SSL bootstrap, `127.0.0.1:port,...`. */
  readonly bootstrap: string;
  /** SSL addresses, one per node. */
  readonly brokers: readonly string[];
  /** PEM of the CA that signed the broker certificates (SAN `IP:127.0.0.1`, `DNS:localhost`). */
  readonly caPem: string;
  /** The CA PEM as a file, for Java clients (`ssl.truststore.type=PEM`). */
  readonly caFile: string;
  /** A client certificate for mutual TLS; the broker maps it to `User:<clientName>`. */
  readonly clientCertPem: string;
  /** The client certificate's private key (PKCS#8 PEM, unencrypted). */
  readonly clientKeyPem: string;
  /** Client key and certificate in one PEM file, for Java clients (`ssl.keystore.type=PEM`). */
  readonly clientKeystoreFile: string;
  /** The CN of the client certificate. */
  readonly clientName: string;
  /** `ssl.client.auth` of the broker: `requested` by default, so clients may or may not present a certificate. */
  readonly clientAuth: 'none' | 'requested' | 'required';
}

/** Options of {@link KafkaCluster.stop}. */
export interface StopClusterOptions {
  /** Shut down with SIGTERM (Kafka's controlled shutdown) instead of killing at once. Default false. */
  readonly graceful?: boolean;
  /** Keep the cluster folder (logs and data) for inspection. Default false. */
  readonly keepData?: boolean;
}

/** A JSON description of a cluster, enough to reach and to stop it from another process (the CLI keeps it). */
export interface KafkaClusterDescription {
  readonly runtime: 'jvm' | 'docker';
  readonly version: string;
  readonly clusterId: string;
  readonly directory: string | undefined;
  readonly bootstrap: string;
  readonly saslBootstrap: string | undefined;
  readonly sslBootstrap: string | undefined;
  readonly saslSslBootstrap: string | undefined;
  readonly caFile: string | undefined;
  readonly authorizer: boolean;
  readonly nodes: readonly KafkaNodeInfo[];
}

/**
 * A running Apache Kafka cluster started by the harness. Every listener is on 127.0.0.1.
 * Stop it when done (`await cluster.stop()`, or `await using cluster = await startKafka()`).
 */
export interface KafkaCluster extends AsyncDisposable {
  /** `jvm` (local Java) or `docker`. */
  readonly runtime: 'jvm' | 'docker';
  /** The Kafka version running. */
  readonly version: string;
  /** The cluster id. */
  readonly clusterId: string;
  /** The cluster's folder (node configs, logs and data), removed by `stop()`. */
  readonly directory: string | undefined;
  /** PLAINTEXT bootstrap: `127.0.0.1:port,...`. */
  readonly bootstrap: string;
  /** PLAINTEXT addresses, one per node. */
  readonly brokers: readonly string[];
  /** SASL listeners, when started with `sasl`. */
  readonly sasl: KafkaSaslInfo | undefined;
  /** SSL listener and certificates, when started with `ssl`. */
  readonly tls: KafkaTlsInfo | undefined;
  /** Whether the StandardAuthorizer is on. */
  readonly authorizer: boolean;
  /** The nodes, by ascending id. */
  readonly nodes: readonly KafkaNodeInfo[];

  /** Addresses of one listener, one per node. Throws when that listener is not enabled. */
  listenerBrokers(listener: ListenerName): string[];
  /** Metadata from the first node that answers (brokers listed are the live, unfenced ones). */
  metadata(topics?: readonly string[] | null): Promise<MetadataResult>;
  /** ApiVersions from a node (default: the first running one). */
  apiVersions(nodeId?: number): Promise<ApiVersionsResult>;
  /** Kills a node's JVM with SIGKILL (`kill -9`) and waits until it is gone. */
  killNode(nodeId: number): Promise<void>;
  /** Stops a node with SIGTERM (controlled shutdown) and waits until it is gone. */
  stopNode(nodeId: number): Promise<void>;
  /** Starts a stopped node again (same ports, same data) and waits until every node lists it in Metadata. */
  startNode(nodeId: number): Promise<void>;
  /** Stops the node if it runs, starts it again and waits until it is back in Metadata. */
  restartNode(nodeId: number): Promise<void>;
  /** Waits until every running node lists every running node (default) or the given nodes in Metadata. */
  waitForNodes(nodeIds?: readonly number[], timeoutMs?: number): Promise<void>;
  /** The path of a node's broker log. */
  logFile(nodeId: number): string;
  /** The last lines of a node's broker log (default 100), for failure reports. */
  logTail(nodeId: number, lines?: number): string;
  /** Ends every JVM of the cluster and removes its folder. Safe to call twice. */
  stop(options?: StopClusterOptions): Promise<void>;
  /** A JSON description (addresses, pids, folders). */
  describe(): KafkaClusterDescription;
}
