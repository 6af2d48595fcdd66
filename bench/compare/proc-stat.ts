/**
 * CPU time from Linux's /proc, for the figures a client cannot measure itself: the broker JVM's CPU seconds during
 * a run (`/proc/<pid>/stat`), what this process and the children it waited for used (`/proc/self/stat`), and what
 * the whole machine used (`/proc/stat`), so that a run can say how much CPU went to processes that were not part of
 * it. Every function answers undefined where /proc cannot be read (not Linux, a process gone).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU figures (`getconf CLK_TCK`; 100 on every common Linux). */
export const CLOCK_TICKS: number = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

/** The fields of `/proc/<pid>/stat` after the command name (field 3 of proc(5) is index 0). */
function statFields(pid: number | 'self'): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) of a process so far. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const fields = statFields(pid);
  if (fields === undefined) return undefined;
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime and stime (proc(5) fields 14 and 15)
}

/** CPU seconds of this process and of every child it has waited for (user + system of both). */
export function ownCpuSeconds(): number | undefined {
  const fields = statFields('self');
  if (fields === undefined) return undefined;
  // utime, stime, cutime, cstime: proc(5) fields 14 to 17.
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/** The machine's CPU seconds so far, all cores together: busy (everything but idle and iowait), and stolen. */
export interface MachineCpu {
  readonly busy: number;
  readonly steal: number;
}

/** Reads the `cpu` line of /proc/stat. */
export function machineCpu(): MachineCpu | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [label, ...ticks] = line.trim().split(/\s+/);
    if (label !== 'cpu') return undefined;
    // user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user and nice).
    const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number);
    return {
      busy: ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0)) / CLOCK_TICKS,
      steal: (steal ?? 0) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}
