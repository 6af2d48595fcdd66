import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signalProcessTree } from '../cluster/kafka-node.js';
import { onProcessExit } from '../process/exit-cleanup.js';
import { startWatchdog, writePidFile } from '../process/watchdog.js';

let guardDir: string | undefined;
const running = new Set<ChildProcess>();

function record(): void {
  if (guardDir === undefined) return;
  const pids = [...running].map((child) => child.pid).filter((pid): pid is number => pid !== undefined);
  try {
    writePidFile(guardDir, pids);
  } catch {
    // Exiting: the folder is already gone.
  }
}

/**
 * The folder that marks this process's tool JVMs. Its path goes on each tool's command line
 * (`-Dvltava.harness.guard=<folder>`), so that the watchdog, which kills only processes whose command line names
 * the folder, never kills a stranger that reused a pid.
 */
export function toolGuardDir(): string {
  if (guardDir !== undefined) return guardDir;
  const dir = mkdtempSync(join(tmpdir(), 'vltava-tools-'));
  guardDir = dir;
  writePidFile(dir, []);
  startWatchdog(dir);
  onProcessExit({
    cleanUpNow: () => {
      for (const child of running) if (child.pid !== undefined) signalProcessTree(child.pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  });
  return dir;
}

/** Tracks a running tool JVM so that it does not outlive this process (exit handlers and the watchdog). */
export function guardToolProcess(child: ChildProcess): void {
  toolGuardDir();
  running.add(child);
  record();
  child.once('exit', () => {
    running.delete(child);
    record();
  });
}
