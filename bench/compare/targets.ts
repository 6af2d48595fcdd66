/**
 * The targets of issue 23 (and the adapters' of issue 22), read at the common setting, acks=all with idempotence:
 * each is evaluated from the summaries of a run, row by row, and the report states where each is met or missed.
 */
import type { Client } from './clients.js';
import { COMMON, cellId, OWN, type Scenario } from './scenarios.js';
import type { Summaries, Summary } from './summary.js';

/** The Node.js peers the "2x every peer" targets are about. */
export const NODE_PEERS = ['kafkajs', 'platformatic', 'confluent-kafkajs', 'confluent-native'] as const;

/** One target's outcome. */
export interface TargetOutcome {
  readonly target: string;
  readonly verdict: 'met' | 'missed' | 'not measured';
  /** Rows met / rows measured, the worst row, the figures. */
  readonly detail: string;
}

/** One row measured against a target: its label, the ratio, and the most the ratio may be. */
interface Check {
  readonly row: string;
  readonly ratio: number;
  readonly limit: number;
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function outcome(target: string, checks: readonly Check[], what: string): TargetOutcome {
  const measured = checks.filter((c) => Number.isFinite(c.ratio));
  if (measured.length === 0) return { target, verdict: 'not measured', detail: `no row with both figures (${what})` };
  const missed = measured.filter((c) => c.ratio > c.limit + 1e-9);
  const worst = measured.reduce((a, b) => (b.ratio / b.limit > a.ratio / a.limit ? b : a));
  return {
    target,
    verdict: missed.length === 0 ? 'met' : 'missed',
    detail:
      `${measured.length - missed.length} of ${measured.length} rows met (${what}); worst ${fmt(worst.ratio)} ` +
      `against at most ${fmt(worst.limit)} (${worst.row})` +
      (missed.length > 0 ? `; missed in: ${missed.map((c) => `${c.row} ${fmt(c.ratio)}`).join('; ')}` : ''),
  };
}

/** The cell a client's common-setting runs have. */
export function commonCell(client: Pick<Client, 'arrays'>, scenario: Scenario): string {
  return scenario.kind === 'produce' && client.arrays ? cellId(COMMON) : OWN;
}

/** The least share of its baseline's records/s a layer must reach in `kind` (issue 22), if it has one. */
export function floorOf(client: Pick<Client, 'floor' | 'consumeFloor'>, kind: Scenario['kind']): number | undefined {
  if (kind === 'consume') return client.consumeFloor ?? client.floor;
  return kind === 'produce' ? client.floor : undefined;
}

/** Evaluates every target on a run's summaries. */
export function evaluateTargets(
  scenarios: readonly Scenario[],
  clients: readonly Client[],
  summaries: Summaries,
  best: ReadonlyMap<string, string> = new Map(),
): TargetOutcome[] {
  const byId = new Map(clients.map((c) => [c.id, c]));
  const at = (scenario: Scenario, id: string): Summary | undefined => {
    const client = byId.get(id);
    return client === undefined ? undefined : summaries.get(scenario.id, id, commonCell(client, scenario));
  };
  const rate = (s: Summary | undefined) => s?.rate.median ?? Number.NaN;
  const steady = (s: Summary | undefined) => s?.steadyRate.median ?? Number.NaN;
  const produceAll = scenarios.filter((s) => s.kind === 'produce' && s.settings.acks === 'all');
  const consume = scenarios.filter((s) => s.kind === 'consume');
  const results: TargetOutcome[] = [];

  const versusPeers = (list: readonly Scenario[]) =>
    NODE_PEERS.flatMap((peer) =>
      list.map((s) => ({
        row: `${byId.get(peer)?.label ?? peer}, ${s.label}`,
        ratio: rate(at(s, peer)) / rate(at(s, 'vltava')),
        limit: 0.5,
      })),
    );
  results.push(
    outcome('Producer at least 2x every Node.js peer, every row', versusPeers(produceAll), 'peer / Vltava records/s'),
    outcome('Consumer at least 2x every Node.js peer, every row', versusPeers(consume), 'peer / Vltava records/s'),
  );
  for (const [size, times] of [
    [100, 1.5],
    [1024, 1],
  ] as const) {
    const rows = produceAll.filter((s) => s.kind === 'produce' && s.settings.size === size);
    results.push(
      outcome(
        `Producer at least ${times}x Java's steady state at ${size === 100 ? '100 B' : '1 KiB'}`,
        rows.map((s) => ({ row: s.label, ratio: steady(at(s, 'java')) / steady(at(s, 'vltava')), limit: 1 / times })),
        'Java steady-state / Vltava steady-state records/s',
      ),
    );
  }
  results.push(
    outcome(
      'Consumer at least 1x Java, CRC checks alike (both on)',
      consume.map((s) => ({ row: s.label, ratio: rate(at(s, 'java')) / rate(at(s, 'vltava')), limit: 1 })),
      'Java / Vltava records/s',
    ),
  );
  const share = scenarios.filter((s) => s.kind === 'share');
  results.push(
    outcome(
      'Share consumer at least 1x kafka-share-consumer-perf-test (issue 19)',
      share.map((s) => ({ row: s.label, ratio: rate(at(s, 'java')) / rate(at(s, 'vltava')), limit: 1 })),
      'Java / Vltava records/s',
    ),
  );
  for (const s of scenarios.filter((x) => x.kind === 'latency')) {
    const mine = at(s, 'vltava');
    const peers = NODE_PEERS.map((peer) => ({ peer, summary: at(s, peer) })).filter((p) => p.summary?.p99.n);
    if (mine === undefined || mine.p99.n === 0 || peers.length === 0) {
      results.push({ target: 'p99 latency the lowest, ranges apart', verdict: 'not measured', detail: s.label });
      continue;
    }
    const overlapping = peers.filter((p) => !(mine.p99.max < p.summary!.p99.min));
    const lowest = peers.every((p) => mine.p99.median < p.summary!.p99.median);
    results.push({
      target: 'p99 latency the lowest, ranges apart',
      verdict: lowest && overlapping.length === 0 ? 'met' : 'missed',
      detail:
        `${s.label}: Vltava p99 ${fmt(mine.p99.median)} ms (${fmt(mine.p99.min)}-${fmt(mine.p99.max)}); ` +
        peers
          .map(
            (p) =>
              `${byId.get(p.peer)?.label ?? p.peer} ${fmt(p.summary!.p99.median)} (${fmt(p.summary!.p99.min)}-${fmt(p.summary!.p99.max)})`,
          )
          .join(', ') +
        (overlapping.length > 0 ? `; ranges overlap with ${overlapping.map((p) => p.peer).join(', ')}` : ''),
    });
  }
  // Issue 22: each of Vltava's layers (a client with a `floor`) at least that share of the core API, same run.
  for (const client of clients) {
    for (const kind of ['produce', 'consume'] as const) {
      const share = floorOf(client, kind);
      if (share === undefined || client.baseline === undefined || !client.kinds.includes(kind)) continue;
      const rows = scenarios.filter((s) => s.kind === kind && (s.kind !== 'produce' || s.settings.acks === 'all'));
      const measured = rows.filter((s) => at(s, client.id) !== undefined);
      const result = outcome(
        `${client.api?.[kind] ?? client.label} at least ${share}x the core (issue 22)`,
        measured.map((s) => ({
          row: s.label,
          ratio: rate(at(s, client.baseline!)) / rate(at(s, client.id)),
          limit: 1 / share,
        })),
        'core / layer records/s',
      );
      // Read at the common setting, as every target; the core's own best setting is stated beside it, since a
      // layer sends as it sees fit and the core at its best setting is what a user of the core API can have.
      const bestCell = best.get(client.baseline);
      const atBest = measured.flatMap((s) => {
        const core = bestCell === undefined ? undefined : summaries.get(s.id, client.baseline!, bestCell);
        return core === undefined || bestCell === commonCell(byId.get(client.baseline!)!, s)
          ? []
          : [rate(at(s, client.id)) / rate(core)];
      });
      results.push(
        atBest.length === 0
          ? result
          : {
              ...result,
              detail: `${result.detail}; against the core at its best setting (${bestCell}): layer / core ${atBest.map((r) => fmt(r)).join(', ')}`,
            },
      );
    }
  }
  return results;
}
