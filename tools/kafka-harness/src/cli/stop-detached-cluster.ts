import { rm } from 'node:fs/promises';
import { signalProcessTree } from '../cluster/kafka-node.js';
import { isProcessAlive } from '../process/process-alive.js';
import { pollUntil } from '../process/wait-for.js';
import { type CliClusterState, livePids } from './cli-state.js';

/**
 * Stops a cluster started in the background by another process (the CLI's `start`): SIGTERM to each JVM (Kafka's
 * controlled shutdown), SIGKILL to those still running after `graceMs`, then removes the cluster folder. Only pids
 * whose command line names the cluster folder are signalled, so a reused pid is never hit.
 */
export async function stopDetachedCluster(state: CliClusterState, graceMs = 15_000): Promise<number[]> {
  const pids = livePids(state);
  for (const pid of pids) signalProcessTree(pid, 'SIGTERM');
  const graceful = await pollUntil(async () => (pids.some(isProcessAlive) ? undefined : true), {
    timeoutMs: graceMs,
    intervalMs: 100,
  });
  if (!graceful.ok) {
    for (const pid of pids.filter(isProcessAlive)) signalProcessTree(pid, 'SIGKILL');
    await pollUntil(async () => (pids.some(isProcessAlive) ? undefined : true), { timeoutMs: 10_000, intervalMs: 50 });
  }
  if (state.cluster.directory !== undefined) {
    await rm(state.cluster.directory, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
  return pids;
}
