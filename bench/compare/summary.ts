/** Medians and spreads of the runs of one client in one scenario at one setting, as the report shows them. */
import { counts, rateOf, steadyRateOf } from './plan.js';
import type { RunLine } from './results.js';
import { type Spread, spread } from './stats.js';

/** What a row of the report shows. */
export interface Summary {
  readonly rate: Spread;
  readonly steadyRate: Spread;
  readonly mbps: Spread;
  readonly cpu: Spread;
  readonly brokerCpu: Spread;
  readonly rss: Spread;
  readonly p50: Spread;
  readonly p99: Spread;
  readonly p999: Spread;
  /** Latency runs: measured records that never arrived. */
  readonly lost: Spread;
  readonly otherCpu: Spread;
  /** Runs that count (finished, not noisy). */
  readonly counted: number;
  readonly failed: number;
  readonly noisy: number;
  /** First lines of the distinct errors. */
  readonly errors: readonly string[];
  /** Distinct notes of the runs. */
  readonly notes: readonly string[];
}

/** Summarizes runs (of one client, scenario and setting). */
export function summarize(runs: readonly RunLine[]): Summary {
  const ok = runs.filter(counts);
  const of = (value: (run: RunLine) => number | undefined) => spread(ok.map((run) => value(run) ?? Number.NaN));
  return {
    rate: of(rateOf),
    steadyRate: of(steadyRateOf),
    mbps: of((run) => (run.bytes ?? Number.NaN) / (run.ms ?? Number.NaN) / 1000),
    cpu: of((run) => run.cpu),
    brokerCpu: of((run) => run.brokerCpu),
    rss: of((run) => run.rssMiB),
    p50: of((run) => run.latency?.p50),
    p99: of((run) => run.latency?.p99),
    p999: of((run) => run.latency?.p999),
    lost: of((run) => run.latency?.lost),
    otherCpu: spread(runs.map((run) => run.otherCpu ?? Number.NaN)),
    counted: ok.length,
    failed: runs.filter((run) => run.error !== undefined).length,
    noisy: runs.filter((run) => run.noisy !== undefined && run.error === undefined).length,
    errors: [...new Set(runs.flatMap((run) => (run.error ? [run.error.split('\n')[0]!.slice(0, 200)] : [])))],
    notes: [...new Set(runs.flatMap((run) => (run.note ? [run.note] : [])))],
  };
}

/** The summaries of a raw run, by scenario, client and cell. */
export class Summaries {
  private readonly cache = new Map<string, Summary>();
  private readonly byKey = new Map<string, RunLine[]>();

  constructor(runs: readonly RunLine[]) {
    for (const run of runs) {
      const key = `${run.scenario}|${run.client}|${run.cell}`;
      this.byKey.set(key, [...(this.byKey.get(key) ?? []), run]);
    }
  }

  /** The summary of one client in one scenario at one cell, or undefined when it did not run there. */
  get(scenario: string, client: string, cell: string): Summary | undefined {
    const key = `${scenario}|${client}|${cell}`;
    const runs = this.byKey.get(key);
    if (runs === undefined) return undefined;
    let summary = this.cache.get(key);
    if (summary === undefined) {
      summary = summarize(runs);
      this.cache.set(key, summary);
    }
    return summary;
  }

  /** The cells a client ran in a scenario. */
  cells(scenario: string, client: string): string[] {
    const prefix = `${scenario}|${client}|`;
    return [...this.byKey.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  }
}
