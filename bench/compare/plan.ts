/**
 * Which runs a scenario holds, in which order, and which array setting is each client's best: shared by the
 * orchestrator (which runs each client's best setting beside the common one once the matrix has found it) and the
 * report (which shows the common setting first and each client's best second).
 */
import { type Client, takesPart } from './clients.js';
import type { RunLine } from './results.js';
import { COMMON, cellId, MATRIX, OWN, type Scenario } from './scenarios.js';
import { spread } from './stats.js';

/** One client at one array setting. */
export interface Entry {
  readonly client: Client;
  readonly cell: string;
}

/** A run that counts: it finished, and other processes did not take more CPU than the guard allows. */
export function counts(run: RunLine): boolean {
  return run.error === undefined && run.noisy === undefined && run.ms !== undefined && run.records !== undefined;
}

/** Records per second of a run. */
export function rateOf(run: RunLine): number {
  return ((run.records ?? 0) / (run.ms ?? Number.NaN)) * 1000;
}

/** Steady-state records per second of a producer run (NaN when it has none). */
export function steadyRateOf(run: RunLine): number {
  return run.steadyRecords === undefined || run.steadyMs === undefined
    ? Number.NaN
    : (run.steadyRecords / run.steadyMs) * 1000;
}

/**
 * The runs of one repetition of `scenario`: every taking part client that sends arrays at every matrix cell (and
 * its own documented setting) in a matrix scenario, else at the common cell and at its best cell where that differs;
 * every other client (and every client in the other kinds of scenario) once, at its own setting.
 */
export function entriesFor(scenario: Scenario, clients: readonly Client[], best: ReadonlyMap<string, string>): Entry[] {
  const entries: Entry[] = [];
  for (const client of clients) {
    if (!takesPart(client, scenario)) continue;
    if (scenario.kind !== 'produce' || !client.arrays) {
      entries.push({ client, cell: OWN });
      continue;
    }
    const cells =
      scenario.matrix && !client.coreOnly
        ? [...MATRIX.map(cellId), ...(client.ownSetting ? [cellId(client.ownSetting)] : [])]
        : [cellId(COMMON)];
    const mine = best.get(client.id);
    if (mine !== undefined && !cells.includes(mine)) cells.push(mine);
    for (const cell of cells) entries.push({ client, cell });
  }
  return entries;
}

/** The order of repetition `rep` (1-based): the list rotated by `rep - 1`, so that no entry always runs first. */
export function rotation<T>(list: readonly T[], rep: number): T[] {
  if (list.length === 0) return [];
  const shift = (rep - 1) % list.length;
  return [...list.slice(shift), ...list.slice(0, shift)];
}

/**
 * Each array-sending client's best cell: the one with the highest geometric mean, over the matrix scenarios, of its
 * median records/s there (cells measured in every matrix scenario the client ran only).
 */
export function bestCells(runs: readonly RunLine[], scenarios: readonly Scenario[]): Map<string, string> {
  const matrixIds = new Set(scenarios.filter((s) => s.kind === 'produce' && s.matrix).map((s) => s.id));
  // client -> cell -> scenario -> rates
  const rates = new Map<string, Map<string, Map<string, number[]>>>();
  for (const run of runs) {
    if (!matrixIds.has(run.scenario) || run.cell === OWN || !counts(run)) continue;
    const byCell = rates.get(run.client) ?? new Map<string, Map<string, number[]>>();
    rates.set(run.client, byCell);
    const byScenario = byCell.get(run.cell) ?? new Map<string, number[]>();
    byCell.set(run.cell, byScenario);
    byScenario.set(run.scenario, [...(byScenario.get(run.scenario) ?? []), rateOf(run)]);
  }
  const best = new Map<string, string>();
  for (const [client, byCell] of rates) {
    if (byCell.size < 2) continue; // a client that ran one cell only (another Node line) has no best to find
    const scenariosRun = new Set([...byCell.values()].flatMap((m) => [...m.keys()]));
    let top: { cell: string; score: number } | undefined;
    for (const [cell, byScenario] of byCell) {
      if (byScenario.size < scenariosRun.size) continue;
      const logs = [...byScenario.values()].map((list) => Math.log(spread(list).median));
      const score = Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length);
      if (top === undefined || score > top.score) top = { cell, score };
    }
    if (top !== undefined) best.set(client, top.cell);
  }
  return best;
}
