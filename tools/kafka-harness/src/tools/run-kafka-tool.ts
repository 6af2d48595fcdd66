import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { resolveKafka } from '../artifacts/resolve-kafka.js';
import { formatProperties } from '../cluster/broker-properties.js';
import { toolJvmOptions } from '../cluster/jvm-options.js';
import type { KafkaCluster } from '../cluster/kafka-cluster.js';
import { signalProcessTree } from '../cluster/kafka-node.js';
import { KafkaHarnessError } from '../errors.js';
import { findJava } from '../java.js';
import { releaseFacts } from '../releases/kafka-releases.js';
import { type ClientSecurity, clientSecurityProperties } from './client-properties.js';
import {
  isKafkaToolName,
  KAFKA_TOOLS,
  type KafkaToolName,
  type KafkaToolSpec,
  placeConnectionArguments,
  toolMainClass,
} from './kafka-tool-table.js';
import { guardToolProcess, toolGuardDir } from './tool-process-guard.js';

/** Options of {@link runKafkaTool}. */
export interface RunKafkaToolOptions {
  /** Written to the tool's standard input, which is then closed (console producer input). */
  readonly input?: string | Uint8Array;
  /** Time allowed; the tool is killed after it and the call rejects with `ERR_TOOL`. Default 60000. */
  readonly timeoutMs?: number;
  /**
   * Connect through a secured listener of the cluster: the harness writes the client properties to a temporary
   * file and passes it with `--command-config`.
   */
  readonly security?: ClientSecurity;
  /** More client properties for `--command-config` (merged over `security`'s). */
  readonly clientProperties?: Readonly<Record<string, string>>;
  /** Extra environment for the JVM. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The Kafka release whose tool to run. Default: the cluster's own version when the target is a harness cluster,
   * else `KAFKA_VERSION` from the environment, else the newest supported release.
   */
  readonly version?: string;
}

/** What a tool run produced. */
export interface KafkaToolResult {
  /** Exit code (0 on success). */
  readonly exitCode: number | null;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error (tool warnings and errors). */
  readonly stderr: string;
  /** The tool's arguments as run (after the bootstrap was added), without the JVM part. */
  readonly args: readonly string[];
}

/** Where a tool connects: a harness cluster, a bootstrap string `host:port,...`, or nothing (`kafka-storage`). */
export type KafkaToolTarget = KafkaCluster | string | null;

/**
 * Runs an Apache Kafka command-line tool (`kafka-topics`, `kafka-console-producer`, `kafka-producer-perf-test`...)
 * from the same jars the brokers run, against a cluster. `--bootstrap-server` is added unless the arguments name
 * one. Resolves with exit code and output whatever the exit code; rejects only when the tool cannot run or times
 * out.
 *
 * @example
 * ```ts
 * await runKafkaTool(cluster, 'kafka-topics', ['--create', '--topic', 't', '--partitions', '3']);
 * const { stdout } = await runKafkaTool(cluster, 'kafka-topics', ['--list']);
 * ```
 */
export async function runKafkaTool(
  target: KafkaToolTarget,
  tool: KafkaToolName,
  args: readonly string[],
  options: RunKafkaToolOptions = {},
): Promise<KafkaToolResult> {
  if (!isKafkaToolName(tool)) {
    throw new KafkaHarnessError(
      'ERR_USAGE',
      `Unknown Kafka tool ${String(tool)}; known: ${Object.keys(KAFKA_TOOLS).join(', ')}.`,
    );
  }
  const spec: KafkaToolSpec = KAFKA_TOOLS[tool];
  const version = options.version ?? (target !== null && typeof target === 'object' ? target.version : undefined);
  const [java, artifacts] = await Promise.all([findJava(), resolveKafka(version === undefined ? {} : { version })]);
  const release = releaseFacts(artifacts.version);
  const mainClass = toolMainClass(tool, release.line);
  if (mainClass === undefined) {
    throw new KafkaHarnessError(
      'ERR_KAFKA_VERSION',
      `${tool} is not part of Kafka ${artifacts.version} (it exists from ${spec.since} on); run it against a newer release.`,
    );
  }

  let bootstrap: string | undefined;
  let properties: Record<string, string> = {};
  if (typeof target === 'string') {
    bootstrap = target;
    if (options.security !== undefined) {
      throw new KafkaHarnessError(
        'ERR_USAGE',
        '`security` needs a harness cluster as target; with a bootstrap string pass `clientProperties`.',
      );
    }
  } else if (target !== null) {
    bootstrap =
      options.security === undefined ? target.bootstrap : target.listenerBrokers(options.security.listener).join(',');
    if (options.security !== undefined) properties = clientSecurityProperties(target, options.security);
  }
  properties = { ...properties, ...options.clientProperties };

  const scratch = Object.keys(properties).length === 0 ? undefined : await mkdtemp(join(tmpdir(), 'vltava-tool-'));
  try {
    let commandConfig: string | undefined;
    if (scratch !== undefined) {
      commandConfig = join(scratch, 'client.properties');
      await writeFile(commandConfig, formatProperties(Object.entries(properties)), { mode: 0o600 });
    }
    const toolArgs = placeConnectionArguments(tool, args, bootstrap, commandConfig);
    const jvmArgs = [
      ...toolJvmOptions(spec.performance === true, release.logging.api),
      `-Dvltava.harness.guard=${toolGuardDir()}`,
      '-cp',
      artifacts.classpath.join(delimiter),
      mainClass,
      ...toolArgs,
    ];
    return await runJvm(java.command, jvmArgs, toolArgs, tool, options);
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}

function runJvm(
  java: string,
  jvmArgs: readonly string[],
  toolArgs: readonly string[],
  tool: string,
  options: RunKafkaToolOptions,
): Promise<KafkaToolResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(java, jvmArgs, {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
      windowsHide: true,
    });
    guardToolProcess(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => {
      // The tool may exit without reading its input; its exit code tells what happened.
    });
    child.stdin.end(options.input === undefined ? undefined : Buffer.from(options.input));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) signalProcessTree(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new KafkaHarnessError('ERR_TOOL', `Could not run ${tool}: ${error.message}`, { cause: error }));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const out = Buffer.concat(stdout).toString('utf8');
      const err = Buffer.concat(stderr).toString('utf8');
      if (timedOut) {
        const tail = `${out}\n${err}`.trim().split('\n').slice(-20).join('\n');
        reject(
          new KafkaHarnessError(
            'ERR_TOOL',
            `${tool} ${toolArgs.join(' ')} timed out after ${timeoutMs} ms; its last output:\n${tail}`,
          ),
        );
        return;
      }
      resolve({ exitCode: code, stdout: out, stderr: err, args: toolArgs });
    });
  });
}
