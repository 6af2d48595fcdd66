import { closeSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describeError, KafkaHarnessError } from '../errors.js';
import { onProcessExit } from '../process/exit-cleanup.js';
import { isProcessAlive } from '../process/process-alive.js';
import { pollUntil } from '../process/wait-for.js';
import { startWatchdog, writePidFile } from '../process/watchdog.js';
import { fetchApiVersions, fetchMetadata, type MetadataResult } from '../wire/kafka-wire-client.js';
import type { ListenerName } from './broker-properties.js';
import { LOOPBACK } from './free-ports.js';
import type {
  KafkaCluster,
  KafkaClusterDescription,
  KafkaNodeInfo,
  KafkaSaslInfo,
  KafkaTlsInfo,
  StopClusterOptions,
} from './kafka-cluster.js';
import type { KafkaNodeProcess } from './kafka-node.js';

/** Reads the last `lines` lines of a file (at most the last 256 KiB); empty when the file does not exist. */
export function tailFile(file: string, lines = 100): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = statSync(file).size;
    const length = Math.min(size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8').replace(/\n+$/, '');
    return text.split('\n').slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}

/** What the JVM cluster is built from (see `startKafka`). */
export interface JvmKafkaClusterInit {
  readonly version: string;
  readonly clusterId: string;
  readonly directory: string;
  readonly nodes: readonly KafkaNodeProcess[];
  readonly sasl: KafkaSaslInfo | undefined;
  readonly tls: KafkaTlsInfo | undefined;
  readonly authorizer: boolean;
  /** When true the JVMs outlive this process: no exit handler, no watchdog (the CLI's background clusters). */
  readonly persistent: boolean;
  /** Default time allowed for nodes to (re)join. */
  readonly startTimeoutMs: number;
}

/** A cluster of local broker JVMs, each broker and controller. See {@link KafkaCluster}. */
export class JvmKafkaCluster implements KafkaCluster {
  readonly runtime = 'jvm' as const;
  readonly version: string;
  readonly clusterId: string;
  readonly directory: string;
  readonly sasl: KafkaSaslInfo | undefined;
  readonly tls: KafkaTlsInfo | undefined;
  readonly authorizer: boolean;
  private readonly processes: readonly KafkaNodeProcess[];
  private readonly persistent: boolean;
  private readonly startTimeoutMs: number;
  private watchdogPid: number | undefined;
  private unregisterExitCleanup: (() => void) | undefined;
  private stopped = false;

  constructor(init: JvmKafkaClusterInit) {
    this.version = init.version;
    this.clusterId = init.clusterId;
    this.directory = init.directory;
    this.processes = [...init.nodes].sort((a, b) => a.spec.nodeId - b.spec.nodeId);
    this.sasl = init.sasl;
    this.tls = init.tls;
    this.authorizer = init.authorizer;
    this.persistent = init.persistent;
    this.startTimeoutMs = init.startTimeoutMs;
  }

  /**
   * Arms the clean-up for a non-persistent cluster before any JVM starts: an exit/signal handler and the detached
   * watchdog that acts when this process dies without running handlers.
   */
  armCleanup(): void {
    if (this.persistent || this.unregisterExitCleanup !== undefined) return;
    writePidFile(this.directory, []);
    this.watchdogPid = startWatchdog(this.directory);
    this.unregisterExitCleanup = onProcessExit({ cleanUpNow: () => this.cleanUpNow() });
  }

  get nodes(): readonly KafkaNodeInfo[] {
    return this.processes.map((node) => ({
      nodeId: node.spec.nodeId,
      host: LOOPBACK,
      ports: node.spec.ports,
      pid: node.pid,
      running: node.running,
      logFile: node.spec.logFile,
    }));
  }

  get brokers(): readonly string[] {
    return this.listenerBrokers('PLAINTEXT');
  }

  get bootstrap(): string {
    return this.brokers.join(',');
  }

  listenerBrokers(listener: ListenerName): string[] {
    return this.processes.map((node) => {
      const port = node.spec.ports.listeners[listener];
      if (port === undefined) {
        throw new KafkaHarnessError(
          'ERR_USAGE',
          `This cluster has no ${listener} listener; start it with that option.`,
        );
      }
      return `${LOOPBACK}:${port}`;
    });
  }

  private node(nodeId: number): KafkaNodeProcess {
    const node = this.processes.find((candidate) => candidate.spec.nodeId === nodeId);
    if (node === undefined) {
      const ids = this.processes.map((candidate) => candidate.spec.nodeId).join(', ');
      throw new KafkaHarnessError('ERR_KAFKA_NODE', `No node ${nodeId} in this cluster (nodes: ${ids}).`);
    }
    return node;
  }

  private assertNotStopped(what: string): void {
    if (this.stopped) throw new KafkaHarnessError('ERR_KAFKA_NODE', `Cannot ${what}: the cluster was stopped.`);
  }

  private recordPids(): void {
    if (this.persistent || this.stopped) return;
    const pids = this.processes.map((node) => node.pid).filter((pid): pid is number => pid !== undefined);
    try {
      writePidFile(this.directory, pids);
    } catch {
      // The folder is gone (stopping); nothing left to guard.
    }
  }

  /** Starts the given nodes' JVMs (all by default) without waiting; used by `startKafka`. */
  launch(nodeIds: readonly number[] = this.processes.map((node) => node.spec.nodeId)): void {
    for (const id of nodeIds) this.node(id).start();
    this.recordPids();
  }

  async metadata(topics: readonly string[] | null = []): Promise<MetadataResult> {
    let lastError: unknown;
    for (const node of this.processes.filter((candidate) => candidate.running)) {
      try {
        return await fetchMetadata({ host: LOOPBACK, port: node.spec.ports.listeners.PLAINTEXT }, topics);
      } catch (error) {
        lastError = error;
      }
    }
    throw new KafkaHarnessError(
      'ERR_PROTOCOL',
      `No node of cluster ${this.clusterId} answered Metadata${lastError === undefined ? ' (none runs)' : `: ${describeError(lastError)}`}.`,
      { cause: lastError },
    );
  }

  apiVersions(nodeId?: number) {
    const node = nodeId === undefined ? this.processes.find((candidate) => candidate.running) : this.node(nodeId);
    if (node === undefined) throw new KafkaHarnessError('ERR_KAFKA_NODE', 'No node of the cluster is running.');
    return fetchApiVersions({ host: LOOPBACK, port: node.spec.ports.listeners.PLAINTEXT });
  }

  async killNode(nodeId: number): Promise<void> {
    this.assertNotStopped(`kill node ${nodeId}`);
    await this.node(nodeId).kill();
    this.recordPids();
  }

  async stopNode(nodeId: number): Promise<void> {
    this.assertNotStopped(`stop node ${nodeId}`);
    await this.node(nodeId).terminate();
    this.recordPids();
  }

  async startNode(nodeId: number): Promise<void> {
    this.assertNotStopped(`start node ${nodeId}`);
    const node = this.node(nodeId);
    if (node.running) return;
    node.start();
    this.recordPids();
    await this.waitForNodes();
  }

  async restartNode(nodeId: number): Promise<void> {
    this.assertNotStopped(`restart node ${nodeId}`);
    await this.node(nodeId).terminate();
    await this.startNode(nodeId);
  }

  async waitForNodes(nodeIds?: readonly number[], timeoutMs: number = this.startTimeoutMs): Promise<void> {
    const running = this.processes.filter((node) => node.running);
    const expected = nodeIds ?? running.map((node) => node.spec.nodeId);
    const result = await pollUntil(
      async () => {
        for (const node of running) {
          const metadata = await fetchMetadata({ host: LOOPBACK, port: node.spec.ports.listeners.PLAINTEXT }, [], {
            timeoutMs: 5_000,
          });
          const listed = new Set(metadata.brokers.map((broker) => broker.nodeId));
          if (!expected.every((id) => listed.has(id))) return undefined;
        }
        return true;
      },
      {
        timeoutMs,
        intervalMs: 150,
        abortReason: () => {
          const dead = running.find((node) => !node.running);
          return dead === undefined ? undefined : `node ${dead.spec.nodeId} exited`;
        },
      },
    );
    if (!result.ok) {
      const why = result.lastError === undefined ? '' : ` Last answer: ${describeError(result.lastError)}.`;
      throw new KafkaHarnessError(
        result.reason.endsWith('exited') ? 'ERR_KAFKA_START' : 'ERR_KAFKA_TIMEOUT',
        `Kafka nodes ${expected.join(', ')} did not all show up in Metadata: ${result.reason}.${why}\n${this.failureReport()}`,
        { cause: result.lastError },
      );
    }
  }

  /** The log tails of every node, for error messages. */
  failureReport(lines = 40): string {
    return this.processes
      .map(
        (node) =>
          `--- node ${node.spec.nodeId} (${node.spec.logFile}), last lines ---\n${tailFile(node.spec.logFile, lines)}`,
      )
      .join('\n');
  }

  /** True when a node's log says a port was taken (a race with another process after the ports were chosen). */
  portConflict(): boolean {
    return this.processes.some((node) => /BindException|Address already in use/.test(tailFile(node.spec.logFile, 200)));
  }

  logFile(nodeId: number): string {
    return this.node(nodeId).spec.logFile;
  }

  logTail(nodeId: number, lines = 100): string {
    return tailFile(this.node(nodeId).spec.logFile, lines);
  }

  private endWatchdog(): void {
    if (this.watchdogPid !== undefined && isProcessAlive(this.watchdogPid)) {
      try {
        process.kill(this.watchdogPid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    this.watchdogPid = undefined;
  }

  async stop(options: StopClusterOptions = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (options.graceful === true) await Promise.all(this.processes.map((node) => node.terminate()));
    else await Promise.all(this.processes.map((node) => node.kill()));
    this.endWatchdog();
    this.unregisterExitCleanup?.();
    this.unregisterExitCleanup = undefined;
    if (options.keepData !== true) {
      await rm(this.directory, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  }

  /** Synchronous last-resort clean-up, run from exit and signal handlers. */
  cleanUpNow(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const node of this.processes) node.killNow();
    // The watchdog stays: it sees this process end and removes whatever a dying JVM kept busy.
    try {
      rmSync(this.directory, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch {
      // A JVM still dying may hold the folder for a moment; the watchdog removes what is left.
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  describe(): KafkaClusterDescription {
    const has = (listener: ListenerName) =>
      this.processes.every((node) => node.spec.ports.listeners[listener] !== undefined);
    return {
      runtime: 'jvm',
      version: this.version,
      clusterId: this.clusterId,
      directory: this.directory,
      bootstrap: this.bootstrap,
      saslBootstrap: has('SASL_PLAINTEXT') ? this.listenerBrokers('SASL_PLAINTEXT').join(',') : undefined,
      sslBootstrap: has('SSL') ? this.listenerBrokers('SSL').join(',') : undefined,
      saslSslBootstrap: has('SASL_SSL') ? this.listenerBrokers('SASL_SSL').join(',') : undefined,
      caFile: this.tls?.caFile,
      authorizer: this.authorizer,
      nodes: this.nodes,
    };
  }
}
