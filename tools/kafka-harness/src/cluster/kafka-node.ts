import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { delimiter } from 'node:path';
import { isProcessAlive } from '../process/process-alive.js';
import { withTimeout } from '../process/wait-for.js';
import type { NodePorts } from './broker-properties.js';

/** The files and ports of one node. */
export interface KafkaNodeSpec {
  /** `node.id`. */
  readonly nodeId: number;
  /** The node's folder (properties, log, data). */
  readonly directory: string;
  /** The node's `server.properties`. */
  readonly propertiesFile: string;
  /** The file the JVM's standard output and error go to. */
  readonly logFile: string;
  /** The node's ports. */
  readonly ports: NodePorts;
}

/** How to start a broker JVM. */
export interface KafkaLaunch {
  /** The `java` command. */
  readonly java: string;
  /** Kafka's classpath. */
  readonly classpath: readonly string[];
  /** JVM options. */
  readonly jvmOptions: readonly string[];
}

/** How a JVM ended. */
export interface NodeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the JVM could not be spawned at all. */
  readonly error?: Error;
}

/** Sends a signal to a process group led by `pid` (the JVM is spawned detached, so it leads its own group). */
export function signalProcessTree(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
    return;
  } catch {
    // No such group (already gone, or not a group leader on this platform): signal the process itself.
  }
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * One broker JVM (`kafka.Kafka server.properties`). The JVM runs detached in its own process group with its output
 * appended to the node's log file, so it keeps running while Node is busy and survives a CLI that exits; the
 * cluster (exit handlers and the watchdog) makes sure it does not outlive a test run.
 */
export class KafkaNodeProcess {
  private child: ChildProcess | undefined;
  private exit: Promise<NodeExit> | undefined;
  private exited = true;
  private currentPid: number | undefined;

  constructor(
    /** Files and ports of the node. */
    readonly spec: KafkaNodeSpec,
    private readonly launch: KafkaLaunch,
  ) {}

  /** Pid of the running JVM, undefined when it is not running. */
  get pid(): number | undefined {
    return this.exited ? undefined : this.currentPid;
  }

  /** True while the JVM runs. */
  get running(): boolean {
    return !this.exited;
  }

  /**
   * Resolves when the current JVM ends (immediately when none runs). While someone waits, the child process keeps
   * Node's event loop alive (it is unreferenced otherwise, so a running broker never holds Node open).
   */
  async whenExited(): Promise<NodeExit> {
    if (this.exit === undefined) return { code: null, signal: null };
    this.child?.ref();
    try {
      return await this.exit;
    } finally {
      this.child?.unref();
    }
  }

  /** Starts the JVM. The caller waits for the node to answer (see the cluster). */
  start(): void {
    if (this.running) return;
    const log = openSync(this.spec.logFile, 'a');
    try {
      writeSync(
        log,
        `\n==== vltava kafka harness: starting node ${this.spec.nodeId} at ${new Date().toISOString()} ====\n`,
      );
      const args = [
        ...this.launch.jvmOptions,
        '-cp',
        this.launch.classpath.join(delimiter),
        'kafka.Kafka',
        this.spec.propertiesFile,
      ];
      const child = spawn(this.launch.java, args, {
        cwd: this.spec.directory,
        detached: true,
        stdio: ['ignore', log, log],
        windowsHide: true,
      });
      child.unref();
      this.child = child;
      this.currentPid = child.pid;
      this.exited = child.pid === undefined;
      this.exit = new Promise<NodeExit>((resolve) => {
        child.once('exit', (code, signal) => {
          this.exited = true;
          resolve({ code, signal });
        });
        child.once('error', (error) => {
          this.exited = true;
          resolve({ code: null, signal: null, error });
        });
      });
    } finally {
      closeSync(log);
    }
  }

  /** Ends the JVM at once (SIGKILL, like `kill -9`) and waits until it is gone. */
  async kill(): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) return;
    signalProcessTree(pid, 'SIGKILL');
    await this.whenExited();
  }

  /**
   * Asks the JVM to shut down (SIGTERM: Kafka's controlled shutdown) and waits; after `timeoutMs` it is killed.
   */
  async terminate(timeoutMs = 30_000): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) return;
    signalProcessTree(pid, 'SIGTERM');
    if ((await withTimeout(this.whenExited(), timeoutMs)) === 'timeout') await this.kill();
  }

  /** Kills the JVM without waiting: for exit handlers, which cannot wait. */
  killNow(): void {
    const pid = this.pid;
    if (pid !== undefined && isProcessAlive(pid)) signalProcessTree(pid, 'SIGKILL');
  }
}
