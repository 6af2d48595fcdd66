/**
 * Raw results as JSON lines, compact enough to commit (a full run is a few hundred KB): one `header` line (machine,
 * versions, guard, clients, scenarios), one `run` line per client run as it finishes, one `footer` line at the end.
 * RESULTS.md is rendered from these files only (`compare/render.ts`), so anyone can re-derive it or read every run.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import type { Client } from './clients.js';
import type { GuardOptions } from './load-guard.js';
import type { Scenario } from './scenarios.js';

/** The first line. */
export interface Header {
  readonly type: 'header';
  readonly mode: 'quick' | 'full';
  readonly started: string;
  readonly reps: number;
  /** The commit the run measured (`git describe --always --dirty`). */
  readonly commit: string;
  readonly command: string;
  readonly machine: { cpu: string; cores: number; memoryGiB: number; loadBefore: number[] };
  readonly guard: GuardOptions & { othersAtStart: string[] };
  readonly kafka: string;
  readonly broker?: string;
  /** Node versions by line. */
  readonly nodes: Record<string, string>;
  readonly peers: Record<string, string>;
  readonly blocked: Record<string, string>;
  readonly clients: readonly Client[];
  readonly scenarios: readonly Scenario[];
}

/** One client run. Figures are rounded (ms to 0.1, CPU to 0.01 s, MiB to 1). */
export interface RunLine {
  readonly type: 'run';
  readonly scenario: string;
  readonly client: string;
  /** The array setting (`1000x5`), or `own` for a client that sends one record per call. */
  readonly cell: string;
  readonly rep: number;
  /** When the run started, seconds after the header's `started`. */
  readonly t: number;
  readonly records?: number;
  readonly bytes?: number;
  readonly ms?: number;
  /** Producers: records and ms of the steady state (after the first 20% acknowledged). */
  readonly steadyRecords?: number;
  readonly steadyMs?: number;
  /** The client's CPU seconds (its process from creating the client to closing it; the JVM's whole life). */
  readonly cpu?: number;
  readonly rssMiB?: number;
  /** The broker JVM's CPU seconds during the run. */
  readonly brokerCpu?: number;
  /** Producers: the sum of the topic's end offsets after the run, and the records the client said it wrote. */
  readonly endOffsets?: number;
  readonly produced?: number;
  readonly latency?: { p50: number; p99: number; p999: number; max: number; count: number; lost: number };
  /** 1-minute load average at the start; CPU seconds other processes took during the run; stolen CPU seconds. */
  readonly load1: number;
  readonly otherCpu?: number;
  readonly steal?: number;
  /** Wall seconds of the run as the guard measured it (the child process's life). */
  readonly seconds?: number;
  /** Other processes took more CPU than the guard allows (`maxOtherCores`). */
  readonly busy?: true;
  /** Busy while the guard waits for quiet (mode `wait`): left out of the figures, and the run repeated. */
  readonly noisy?: true;
  readonly note?: string;
  readonly error?: string;
}

/** The last line. */
export interface Footer {
  readonly type: 'footer';
  readonly finished: string;
  readonly loadAfter: number[];
}

/** A whole file. */
export interface RawRun {
  readonly header: Header;
  readonly runs: RunLine[];
  readonly footer?: Footer;
}

/** Rounds to `digits` decimals (undefined stays undefined). */
export function round(value: number | undefined, digits: number): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Drops undefined fields, so that a line holds only what was measured. */
function compact<T extends object>(line: T): T {
  return Object.fromEntries(Object.entries(line).filter(([, value]) => value !== undefined)) as T;
}

/** Appends lines to a raw results file as a run goes (a crash keeps what was measured). */
export class RawWriter {
  constructor(readonly path: string) {}

  header(header: Header): void {
    writeFileSync(this.path, `${JSON.stringify(compact(header))}\n`);
  }

  run(line: RunLine): void {
    appendFileSync(this.path, `${JSON.stringify(compact(line))}\n`);
  }

  footer(footer: Footer): void {
    appendFileSync(this.path, `${JSON.stringify(compact(footer))}\n`);
  }
}

/** Reads a raw results file. */
export function readRaw(path: string): RawRun {
  let header: Header | undefined;
  let footer: Footer | undefined;
  const runs: RunLine[] = [];
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text) as Header | RunLine | Footer;
    if (line.type === 'header') header = line;
    else if (line.type === 'footer') footer = line;
    else runs.push(line);
  }
  if (header === undefined) throw new Error(`${path} has no header line`);
  return footer === undefined ? { header, runs } : { header, runs, footer };
}
