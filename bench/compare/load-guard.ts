/**
 * The load guard: a benchmark on a machine that other work keeps busy measures that work too. Before the first run
 * the guard waits (up to `waitMinutes`) for a quiet machine: a 1-minute load average per core at most
 * `maxLoadPerCore`, and no other JVM or benchmark process (a `java`, or a command line naming `bench`, `vitest`,
 * `valgrind` or `perf`, that is not this process, one of its children or one of its ancestors). During the run the
 * load average counts the benchmark's own broker and clients, so each run is judged by what it can measure instead:
 * the machine's busy CPU seconds (/proc/stat) less those of this process, its children and the broker, which is
 * the CPU that other processes took during the run. A run in which they took more than `maxOtherCores` cores on
 * average is busy; with the guard waiting (mode `wait`) it is also noisy: the orchestrator waits for a quiet
 * machine and runs it again, and the report leaves noisy runs out of its figures (and counts them). In mode `warn`
 * busy runs count, and the report says how many there were.
 *
 * Modes: `wait` (the default of full runs: wait, then refuse with an error), `warn` (the default of quick runs:
 * say so and go on), `off`. Every run records its load average and other processes' CPU either way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { type MachineCpu, machineCpu, ownCpuSeconds, processCpuSeconds } from './proc-stat.js';

/** How strict the guard is. */
export type GuardMode = 'wait' | 'warn' | 'off';

/** The guard's thresholds. */
export interface GuardOptions {
  readonly mode: GuardMode;
  /** Highest 1-minute load average per core before the first run. */
  readonly maxLoadPerCore: number;
  /** Highest CPU other processes may take during a run, in cores (CPU seconds per second). */
  readonly maxOtherCores: number;
  /** How long to wait for a quiet machine before refusing (mode `wait`). */
  readonly waitMinutes: number;
}

/** Defaults: a quiet two-core machine idles at a load of 0.0-0.2 per core. */
export const DEFAULT_GUARD: Omit<GuardOptions, 'mode'> = { maxLoadPerCore: 0.3, maxOtherCores: 0.25, waitMinutes: 30 };

/** A process the guard counts as other benchmark work. */
export interface ForeignProcess {
  readonly pid: number;
  readonly command: string;
}

const BENCH_LIKE = /\b(bench|vitest|valgrind|perf)\b/;

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** JVMs and benchmark processes running that are not this process, its ancestors or its descendants. */
export function foreignProcesses(): ForeignProcess[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
  const parents = new Map<number, number>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent !== undefined) parents.set(pid, parent);
  }
  const ancestors = new Set<number>();
  for (let pid: number | undefined = process.pid; pid !== undefined && pid > 1; pid = parents.get(pid)) {
    ancestors.add(pid);
  }
  const ours = (pid: number) => {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parents.get(at)) {
      if (at === process.pid) return true;
    }
    return ancestors.has(pid);
  };
  const found: ForeignProcess[] = [];
  for (const pid of pids) {
    if (ours(pid)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue;
    }
    if (argv.length === 0) continue; // a kernel thread
    const command = argv.join(' ');
    const program = argv[0]!.split('/').pop() ?? '';
    if (program === 'java' || program.startsWith('java') || BENCH_LIKE.test(command)) {
      found.push({ pid, command: command.length > 160 ? `${command.slice(0, 157)}...` : command });
    }
  }
  return found;
}

/** The machine's state as the guard sees it. */
export interface MachineState {
  readonly load1: number;
  readonly perCore: number;
  readonly others: readonly ForeignProcess[];
}

/** Load average and other benchmark processes now. */
export function machineState(): MachineState {
  const load1 = loadavg()[0] ?? 0;
  return { load1, perCore: load1 / Math.max(1, cpus().length), others: foreignProcesses() };
}

/** What one run measured of the machine around it. */
export interface RunLoad {
  /** 1-minute load average at the start of the run. */
  readonly load1: number;
  /** CPU seconds other processes took during the run (machine busy less this process, its children, the broker). */
  readonly otherCpu: number | undefined;
  /** CPU seconds the hypervisor took from the machine during the run. */
  readonly steal: number | undefined;
  /** Seconds the run took (start of the child to its end). */
  readonly seconds: number;
  /** Other processes took more than `maxOtherCores` on average. */
  readonly busy: boolean;
  /** Busy, and the guard waits (mode `wait`): the run does not count and is repeated. */
  readonly noisy: boolean;
}

interface Mark {
  readonly at: number;
  readonly load1: number;
  readonly machine: MachineCpu | undefined;
  readonly own: number | undefined;
  readonly broker: number | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The guard of one benchmark run. */
export class LoadGuard {
  constructor(
    readonly options: GuardOptions,
    private readonly log: (line: string) => void,
    /** The broker JVMs' pids (their CPU is part of the benchmark, not other work). */
    private readonly brokerPids: () => readonly number[] = () => [],
  ) {}

  private brokerCpu(): number | undefined {
    let total = 0;
    for (const pid of this.brokerPids()) {
      const cpu = processCpuSeconds(pid);
      if (cpu === undefined) return undefined;
      total += cpu;
    }
    return total;
  }

  /** Starts measuring a run. */
  mark(): Mark {
    return {
      at: performance.now(),
      load1: loadavg()[0] ?? 0,
      machine: machineCpu(),
      own: ownCpuSeconds(),
      broker: this.brokerCpu(),
    };
  }

  /** What the run since `mark` measured of the machine. */
  measure(mark: Mark): RunLoad {
    const seconds = (performance.now() - mark.at) / 1000;
    const machine = machineCpu();
    const own = ownCpuSeconds();
    const broker = this.brokerCpu();
    let otherCpu: number | undefined;
    let steal: number | undefined;
    if (machine && mark.machine && own !== undefined && mark.own !== undefined) {
      const brokerDelta = broker !== undefined && mark.broker !== undefined ? broker - mark.broker : 0;
      otherCpu = Math.max(0, machine.busy - mark.machine.busy - (own - mark.own) - brokerDelta);
      steal = machine.steal - mark.machine.steal;
    }
    const busy = otherCpu !== undefined && seconds > 0 && otherCpu / seconds > this.options.maxOtherCores;
    return { load1: mark.load1, otherCpu, steal, seconds, busy, noisy: busy && this.options.mode === 'wait' };
  }

  /** Cores other processes use now, over a short window in which this process runs nothing. */
  async otherCoresNow(windowMs = 3000): Promise<number | undefined> {
    const mark = this.mark();
    await sleep(windowMs);
    const load = this.measure(mark);
    return load.otherCpu === undefined ? undefined : load.otherCpu / (windowMs / 1000);
  }

  /**
   * Before the first run: waits for a load average per core of at most `maxLoadPerCore` and no other benchmark
   * process; after `waitMinutes`, refuses (mode `wait`) or goes on with a warning (mode `warn`).
   */
  async beforeStart(): Promise<MachineState> {
    return this.waitFor(
      'the start',
      (state) => state.perCore <= this.options.maxLoadPerCore && state.others.length === 0,
      async () => machineState(),
    );
  }

  /**
   * After a noisy run, or before a scenario: waits until no other benchmark process runs and other processes use at
   * most `maxOtherCores` (measured over a few seconds).
   */
  async quiet(what: string): Promise<void> {
    if (this.options.mode === 'off') return;
    let cores: number | undefined;
    await this.waitFor(
      what,
      (state) => state.others.length === 0 && (cores === undefined || cores <= this.options.maxOtherCores),
      async () => {
        cores = await this.otherCoresNow();
        return machineState();
      },
      () => (cores === undefined ? '' : `, other processes use ${cores.toFixed(2)} cores`),
    );
  }

  private async waitFor(
    what: string,
    ok: (state: MachineState) => boolean,
    sample: () => Promise<MachineState>,
    extra: () => string = () => '',
  ): Promise<MachineState> {
    let state = await sample();
    if (this.options.mode === 'off' || ok(state)) return state;
    const describe = (s: MachineState) =>
      `load ${s.load1.toFixed(2)} (${s.perCore.toFixed(2)} per core, at most ${this.options.maxLoadPerCore})` +
      extra() +
      (s.others.length > 0
        ? `; other benchmark processes: ${s.others.map((p) => `${p.pid} ${p.command}`).join('; ')}`
        : '');
    if (this.options.mode === 'warn') {
      this.log(`load guard (warn only) at ${what}: machine busy: ${describe(state)}`);
      return state;
    }
    const deadline = performance.now() + this.options.waitMinutes * 60_000;
    this.log(
      `load guard at ${what}: waiting up to ${this.options.waitMinutes} min for a quiet machine: ${describe(state)}`,
    );
    while (!ok(state)) {
      if (performance.now() > deadline) {
        throw new Error(
          `load guard: the machine stayed busy for ${this.options.waitMinutes} min at ${what} (${describe(state)}); ` +
            'stop the other work, or run with --load-guard warn (figures then say how busy the machine was)',
        );
      }
      await sleep(15_000);
      state = await sample();
    }
    this.log(`load guard at ${what}: quiet now (${describe(state)})`);
    return state;
  }
}

/** The guard of the command line: `--load-guard wait|warn|off`, `--max-load`, `--max-other-cpu`, `--load-wait`. */
export function guardOptions(option: (name: string) => string | undefined, quick: boolean): GuardOptions {
  const mode = (option('load-guard') ?? (quick ? 'warn' : 'wait')) as GuardMode;
  if (!['wait', 'warn', 'off'].includes(mode)) throw new Error(`--load-guard: wait, warn or off, not ${mode}`);
  const number = (name: string, fallback: number) => {
    const value = option(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!(parsed >= 0)) throw new Error(`--${name}: a number, not ${value}`);
    return parsed;
  };
  return {
    mode,
    maxLoadPerCore: number('max-load', DEFAULT_GUARD.maxLoadPerCore),
    maxOtherCores: number('max-other-cpu', DEFAULT_GUARD.maxOtherCores),
    waitMinutes: number('load-wait', DEFAULT_GUARD.waitMinutes),
  };
}
