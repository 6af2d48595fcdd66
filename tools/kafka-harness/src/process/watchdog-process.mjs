// The watchdog of one Kafka cluster started by the Vltava test harness.
//
// Started detached by the Node process that starts the cluster (the "parent"), it polls that parent. When the parent
// is gone, however it ended (even SIGKILL, which runs no exit handler), it kills the cluster's JVMs (and their
// process groups) and removes the cluster's folder. When the folder disappears (the cluster was stopped normally),
// it just exits. Plain JavaScript with no imports beyond Node, so it starts fast and needs no TypeScript loader.
//
// Usage: node watchdog-process.mjs <parent pid> <cluster folder> [poll ms]
import { existsSync, readFileSync, rmSync } from 'node:fs';

const [parentArg, clusterDir, pollArg] = process.argv.slice(2);
const parentPid = Number(parentArg);
const pollMs = Number(pollArg ?? 250);
if (!Number.isInteger(parentPid) || parentPid <= 0 || clusterDir === undefined) {
  console.error('usage: watchdog-process.mjs <parent pid> <cluster folder> [poll ms]');
  process.exit(2);
}

/** The start time of a process (field 22 of /proc/<pid>/stat), to notice a pid reused by another process. */
function startTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true;
  }
}

const parentStart = startTime(parentPid);

function parentAlive() {
  if (!alive(parentPid)) return false;
  return parentStart === undefined || startTime(parentPid) === parentStart;
}

/** True when the pid still runs a JVM of this cluster (its command line names the cluster folder). */
function isOurs(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(clusterDir);
  } catch {
    // No /proc (not Linux): trust the pid file, which only ever lists this cluster's JVMs.
    return !existsSync('/proc/self/cmdline') && alive(pid);
  }
}

function readPids() {
  try {
    const parsed = JSON.parse(readFileSync(`${clusterDir}/jvm-pids.json`, 'utf8'));
    return Array.isArray(parsed.pids) ? parsed.pids.filter((pid) => Number.isInteger(pid) && pid > 0) : [];
  } catch {
    return [];
  }
}

function kill(pid) {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Gone already, or not a group leader.
    }
  }
}

function cleanUp() {
  const pids = readPids().filter(isOurs);
  for (const pid of pids) kill(pid);
  const deadline = Date.now() + 15_000;
  const waitForExit = () => {
    if (pids.some(alive) && Date.now() < deadline) {
      setTimeout(waitForExit, 50);
      return;
    }
    rmSync(clusterDir, { recursive: true, force: true });
    process.exit(0);
  };
  waitForExit();
}

const timer = setInterval(() => {
  if (!existsSync(clusterDir)) {
    clearInterval(timer);
    process.exit(0);
  }
  if (!parentAlive()) {
    clearInterval(timer);
    cleanUp();
  }
}, pollMs);
for (const signal of ['SIGINT', 'SIGHUP']) process.on(signal, () => {});
