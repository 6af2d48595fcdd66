import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KafkaClusterDescription } from '../cluster/kafka-cluster.js';
import { KafkaHarnessError } from '../errors.js';
import { isProcessAlive, processCommandLine } from '../process/process-alive.js';

/** What the CLI remembers about a cluster it started in the background. */
export interface CliClusterState {
  /** The name given with `--name` (default `default`). */
  readonly name: string;
  /** When it was started (ISO 8601). */
  readonly startedAt: string;
  /** The cluster: addresses, pids, folder. */
  readonly cluster: KafkaClusterDescription;
}

/** The folder of CLI clusters inside the cache directory. */
export function runDir(cacheDir: string): string {
  return join(cacheDir, 'run');
}

/** The state file of a named CLI cluster. */
export function stateFile(cacheDir: string, name: string): string {
  return join(runDir(cacheDir), `${name}.json`);
}

/** The data folder of a named CLI cluster. */
export function clusterDirectory(cacheDir: string, name: string): string {
  return join(runDir(cacheDir), name);
}

/** Checks a cluster name: letters, digits, `-` and `_`, so that it is a safe file name. */
export function checkClusterName(name: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw new KafkaHarnessError(
      'ERR_USAGE',
      `Invalid cluster name ${JSON.stringify(name)}: use letters, digits, - and _.`,
    );
  }
  return name;
}

/** Saves the state of a CLI cluster (atomically). */
export async function writeState(cacheDir: string, state: CliClusterState): Promise<void> {
  await mkdir(runDir(cacheDir), { recursive: true });
  const file = stateFile(cacheDir, state.name);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/** Reads the state of a CLI cluster, or undefined when there is none. */
export async function readState(cacheDir: string, name: string): Promise<CliClusterState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile(cacheDir, name), 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as CliClusterState;
  } catch (cause) {
    throw new KafkaHarnessError('ERR_STATE', `${stateFile(cacheDir, name)} is not valid JSON; delete it.`, { cause });
  }
}

/** The names of every CLI cluster with a state file. */
export async function listStates(cacheDir: string): Promise<string[]> {
  try {
    return (await readdir(runDir(cacheDir)))
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}

/** True when the pid runs one of this cluster's JVMs (alive, and its command line names the cluster folder). */
export function isClusterJvm(pid: number, directory: string | undefined): boolean {
  if (!isProcessAlive(pid)) return false;
  const commandLine = processCommandLine(pid);
  return commandLine === undefined || directory === undefined || commandLine.includes(directory);
}

/** The pids of the cluster's JVMs that still run. */
export function livePids(state: CliClusterState): number[] {
  return state.cluster.nodes
    .map((node) => node.pid)
    .filter((pid): pid is number => pid !== undefined && isClusterJvm(pid, state.cluster.directory));
}

/** Removes a CLI cluster's state file. */
export async function removeState(cacheDir: string, name: string): Promise<void> {
  await rm(stateFile(cacheDir, name), { force: true });
}
