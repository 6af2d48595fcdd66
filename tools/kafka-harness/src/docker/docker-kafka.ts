// The optional Docker runtime: one Kafka node in the official apache/kafka image, started with testcontainers.
// Used only when VLTAVA_KAFKA_RUNTIME=docker (or `runtime: 'docker'`) and a Docker engine answers. It is kept to
// this one file, and it is not exercised by the harness's own tests (their machine has no Docker engine).
// Limits: one node, PLAINTEXT only, no node control; the Kafka tools still run on the local JVM.
import { brokerProperties, type NodePorts } from '../cluster/broker-properties.js';
import { allocatePorts, LOOPBACK } from '../cluster/free-ports.js';
import type { KafkaCluster, KafkaClusterDescription, KafkaNodeInfo } from '../cluster/kafka-cluster.js';
import type { StartKafkaOptions } from '../cluster/start-kafka.js';
import { randomClusterId } from '../cluster/storage-format.js';
import { describeError, KafkaHarnessError } from '../errors.js';
import { pollUntil } from '../process/wait-for.js';
import { kafkaRelease, requestedKafkaRelease } from '../releases/kafka-releases.js';
import { fetchApiVersions, fetchMetadata } from '../wire/kafka-wire-client.js';

/** The official image of a supported Kafka release (`apache/kafka:4.4.0`). */
export function kafkaDockerImage(version: string): string {
  return `apache/kafka:${version}`;
}

/**
 * The environment variable the apache/kafka image turns into a broker property: `KAFKA_` plus the name with `.`
 * as `_`, `_` as `__` and `-` as `___`, upper-cased.
 */
export function dockerEnvName(property: string): string {
  return `KAFKA_${property.replace(/_/g, '__').replace(/-/g, '___').replace(/\./g, '_').toUpperCase()}`;
}

/** The part of testcontainers (11.x) this file uses. */
interface ContainerBuilder {
  withEnvironment(environment: Record<string, string>): ContainerBuilder;
  withExposedPorts(...ports: { container: number; host: number }[]): ContainerBuilder;
  withStartupTimeout(startupTimeoutMs: number): ContainerBuilder;
  start(): Promise<StartedContainer>;
}

interface StartedContainer {
  stop(): Promise<unknown>;
}

interface TestcontainersModule {
  GenericContainer: new (image: string) => ContainerBuilder;
}

function unsupported(what: string): KafkaHarnessError {
  return new KafkaHarnessError(
    'ERR_DOCKER',
    `The Docker runtime runs one PLAINTEXT node only; ${what} needs the JVM runtime (unset VLTAVA_KAFKA_RUNTIME).`,
  );
}

/** Starts one Kafka node in Docker (see the file comment for the limits). */
export async function startDockerKafka(options: StartKafkaOptions): Promise<KafkaCluster> {
  if ((options.nodes ?? 1) !== 1) throw unsupported('a multi-node cluster');
  if (options.sasl || options.ssl) throw unsupported('SASL or SSL');
  const release = options.version === undefined ? requestedKafkaRelease() : kafkaRelease(options.version);
  const version = release.version;
  const image = kafkaDockerImage(version);
  let testcontainers: TestcontainersModule;
  try {
    // A variable specifier: the optional dependency is neither needed to typecheck nor loaded unless asked for.
    const specifier = 'testcontainers';
    testcontainers = (await import(specifier)) as TestcontainersModule;
  } catch (cause) {
    throw new KafkaHarnessError(
      'ERR_DOCKER',
      'VLTAVA_KAFKA_RUNTIME=docker needs the optional dependency testcontainers; run npm install with optional dependencies.',
      { cause },
    );
  }
  const [hostPort, controllerPort] = (await allocatePorts(2)) as [number, number];
  const ports: NodePorts = { controller: controllerPort, listeners: { PLAINTEXT: hostPort } };
  const clusterId = randomClusterId();
  const properties = brokerProperties({
    nodeId: 1,
    nodes: [{ nodeId: 1, ports }],
    logDir: '/var/lib/kafka/data',
    line: release.line,
    ...(options.earlyAccess === true ? { earlyAccess: release.earlyAccessProperties } : {}),
    authorizer: options.authorizer === true,
    overrides: {
      // Inside the container the client listener binds every interface so that Docker can forward the host port.
      listeners: `PLAINTEXT://0.0.0.0:${hostPort},CONTROLLER://127.0.0.1:${controllerPort}`,
      ...options.brokerProperties,
    },
  });
  const environment: Record<string, string> = { CLUSTER_ID: clusterId };
  for (const [key, value] of properties) environment[dockerEnvName(key)] = value;

  let container: StartedContainer;
  try {
    container = await new testcontainers.GenericContainer(image)
      .withEnvironment(environment)
      .withExposedPorts({ container: hostPort, host: hostPort })
      .withStartupTimeout(options.startTimeoutMs ?? 120_000)
      .start();
  } catch (cause) {
    throw new KafkaHarnessError('ERR_DOCKER', `Could not start ${image}: ${describeError(cause)}`, {
      cause,
    });
  }
  const endpoint = { host: LOOPBACK, port: hostPort };
  const ready = await pollUntil(async () => ((await fetchMetadata(endpoint)).brokers.length > 0 ? true : undefined), {
    timeoutMs: options.startTimeoutMs ?? 120_000,
  });
  if (!ready.ok) {
    await container.stop();
    throw new KafkaHarnessError('ERR_KAFKA_TIMEOUT', `${image} did not answer Metadata: ${ready.reason}.`);
  }

  let stopped = false;
  const node: KafkaNodeInfo = { nodeId: 1, host: LOOPBACK, ports, pid: undefined, running: true, logFile: undefined };
  const bootstrap = `${LOOPBACK}:${hostPort}`;
  const noNodeControl = () => Promise.reject(unsupported('node control'));
  const cluster: KafkaCluster = {
    runtime: 'docker',
    version,
    clusterId,
    directory: undefined,
    bootstrap,
    brokers: [bootstrap],
    sasl: undefined,
    tls: undefined,
    authorizer: options.authorizer === true,
    nodes: [node],
    listenerBrokers: (listener) => {
      if (listener !== 'PLAINTEXT') throw unsupported(`the ${listener} listener`);
      return [bootstrap];
    },
    metadata: (topics = []) => fetchMetadata(endpoint, topics),
    apiVersions: () => fetchApiVersions(endpoint),
    killNode: noNodeControl,
    stopNode: noNodeControl,
    startNode: noNodeControl,
    restartNode: noNodeControl,
    waitForNodes: async () => {},
    logFile: () => {
      throw unsupported('a log file');
    },
    logTail: () => '',
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await container.stop();
    },
    [Symbol.asyncDispose]: () => cluster.stop(),
    describe: (): KafkaClusterDescription => ({
      runtime: 'docker',
      version,
      clusterId,
      directory: undefined,
      bootstrap,
      saslBootstrap: undefined,
      sslBootstrap: undefined,
      saslSslBootstrap: undefined,
      caFile: undefined,
      authorizer: options.authorizer === true,
      nodes: [node],
    }),
  };
  return cluster;
}
