import { spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WATCHDOG_SCRIPT } from '../harness-paths.js';

/** The file in a cluster folder that lists the pids of its JVMs, for the watchdog. */
export function pidFile(clusterDir: string): string {
  return join(clusterDir, 'jvm-pids.json');
}

/** Records the pids of a cluster's running JVMs for its watchdog (written atomically). */
export function writePidFile(clusterDir: string, pids: readonly number[]): void {
  const file = pidFile(clusterDir);
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ pids })}\n`);
  renameSync(temporary, file);
}

/**
 * Starts the detached watchdog of a cluster (see `watchdog-process.mjs`): when this Node process ends in any way,
 * including SIGKILL, the watchdog kills the JVMs listed in the cluster's pid file and removes the cluster folder.
 * Returns its pid, so that a normal stop can end it.
 */
export function startWatchdog(clusterDir: string): number | undefined {
  const child = spawn(process.execPath, [WATCHDOG_SCRIPT, String(process.pid), clusterDir], {
    detached: true,
    stdio: 'ignore',
    windowsHide: true,
  });
  child.on('error', () => {});
  child.unref();
  return child.pid;
}
