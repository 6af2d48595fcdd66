/**
 * Writes the report of a run: a markdown file (machine, versions, settings, per scenario the medians with their
 * min-max spread and the ratio of every peer to Vltava against its target) and the SVG chart of the ratios.
 *
 *   npx tsx bench/compare/report.ts bench/results/raw/full-....json [RESULTS.md] [ratios.svg]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { type ChartGroup, ratioChart } from './chart.js';
import type { Platform } from './clients.js';
import type { JobResult } from './job.js';
import { PARTITIONS, type Scenario } from './scenarios.js';
import { type Spread, spread } from './stats.js';

/** One run of one client. */
export interface RunRecord {
  readonly scenario: string;
  readonly client: string;
  readonly rep: number;
  readonly result?: JobResult;
  readonly error?: string;
}

/** Everything a run recorded. */
export interface RawResults {
  readonly mode: 'quick' | 'full';
  readonly started: string;
  readonly finished: string;
  readonly reps: number;
  readonly machine: { cpu: string; cores: number; memoryGiB: number; loadBefore: number[]; loadAfter: number[] };
  readonly kafka: string;
  /** The broker's settings over the harness's (absent in raw results of older runs: the test suites' broker). */
  readonly broker?: string;
  readonly nodes: Record<string, string>;
  readonly peers: Record<string, string>;
  readonly blocked: Record<string, string>;
  readonly clients: ReadonlyArray<{
    id: string;
    label: string;
    platform: Platform;
    baseline?: string;
    target?: number;
    shareTarget?: number;
    floor?: number;
    consumeFloor?: number;
  }>;
  readonly scenarios: readonly Scenario[];
  readonly runs: readonly RunRecord[];
}

const COLORS: Record<string, string> = {
  'vltava-rx': '#8ecae6',
  'vltava-streams': '#219ebc',
  'vltava-kafkajs': '#023047',
  'vltava-streams-send': '#6a4c93',
  kafkajs: '#e76f51',
  platformatic: '#f4a261',
  'platformatic-1-20': '#e9c46a',
  'confluent-kafkajs': '#2a9d8f',
  'confluent-native': '#264653',
  java: '#6d597a',
};

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-';
const range = (s: Spread, digits = 0) => (s.n > 1 ? `${fmt(s.min, digits)}-${fmt(s.max, digits)}` : '');

interface Summary {
  readonly rate: Spread;
  readonly mbps: Spread;
  readonly cpu: Spread;
  readonly rss: Spread;
  readonly p50: Spread;
  readonly p99: Spread;
  readonly p999: Spread;
  readonly failures: number;
  readonly notes: string[];
}

function summarize(runs: readonly RunRecord[]): Summary {
  const ok = runs.flatMap((r) => (r.result ? [r.result] : []));
  return {
    rate: spread(ok.map((r) => (r.records / r.ms) * 1000)),
    mbps: spread(ok.map((r) => r.bytes / r.ms / 1000)),
    cpu: spread(ok.map((r) => r.cpuSeconds)),
    rss: spread(ok.map((r) => r.peakRssMiB)),
    p50: spread(ok.map((r) => r.latency?.p50 ?? Number.NaN)),
    p99: spread(ok.map((r) => r.latency?.p99 ?? Number.NaN)),
    p999: spread(ok.map((r) => r.latency?.p999 ?? Number.NaN)),
    failures: runs.length - ok.length,
    notes: [...new Set(runs.flatMap((r) => (r.error ? [`failed: ${r.error.split('\n')[0]}`] : [])))],
  };
}

/**
 * Peer / Vltava on a higher-is-better figure (records/s; 1/p99 for latency), and whether the target holds: a peer's
 * ratio must stay at most its `target`; Vltava's own layers' (Rx, streams) ratio to the core API must reach their
 * `floor`.
 */
interface Ratio {
  readonly client: string;
  readonly label: string;
  readonly ratio: number;
  readonly target?: number;
  readonly floor?: number;
  readonly met?: boolean;
}

/** Writes the markdown report and the chart. */
export function writeReport(raw: RawResults, markdownPath: string, svgPath: string): void {
  const label = new Map(raw.clients.map((c) => [c.id, c.label]));
  const lines: string[] = [];
  const groups: ChartGroup[] = [];
  const allRatios: Array<Ratio & { scenario: Scenario }> = [];
  const node = (platform: Platform) =>
    platform === 'java' ? 'JVM' : `Node ${raw.nodes[String(platform)] ?? platform}`;

  lines.push('# Vltava against the other Kafka clients');
  lines.push('');
  lines.push(
    `Written by \`npm run bench${raw.mode === 'quick' ? ' -- --quick' : ''}\` (${raw.mode} mode, ${raw.reps} ` +
      `repetition${raw.reps === 1 ? '' : 's'}) from ${raw.started} to ${raw.finished}. Raw results: ` +
      '`bench/results/raw/` (not committed). Method and settings: `bench/README.md`.',
  );
  lines.push('');
  lines.push('## Machine and versions');
  lines.push('');
  lines.push(
    `- Machine: ${raw.machine.cpu}, ${raw.machine.cores} cores, ${raw.machine.memoryGiB} GiB; broker, client and`,
  );
  lines.push('  orchestrator share the cores.');
  lines.push(
    `- Load average (1, 5, 15 min) before: ${raw.machine.loadBefore.map((l) => l.toFixed(2)).join(', ')}; after: ` +
      `${raw.machine.loadAfter.map((l) => l.toFixed(2)).join(', ')}.`,
  );
  lines.push(`- Kafka ${raw.kafka}, one broker started by the harness (KRaft, PLAINTEXT, no authorizer).`);
  lines.push(
    raw.broker === undefined
      ? "  Broker settings: the test suites' (1 MiB log segments, log on disk)."
      : `  Broker settings: ${raw.broker}.`,
  );
  lines.push(
    `- Node: ${Object.entries(raw.nodes)
      .map(([k, v]) => `${v} (as "Node ${k}")`)
      .join(', ')}.`,
  );
  lines.push(
    `- Peers: ${Object.entries(raw.peers)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  for (const [peer, reason] of Object.entries(raw.blocked)) lines.push(`- **Blocked**: ${peer}: ${reason}.`);
  lines.push('');
  lines.push(...settingsLines(raw.scenarios));

  for (const scenario of raw.scenarios) {
    const runs = raw.runs.filter((r) => r.scenario === scenario.id);
    const clients = raw.clients.filter((c) => runs.some((r) => r.client === c.id));
    if (clients.length === 0) continue;
    const summaries = new Map(clients.map((c) => [c.id, summarize(runs.filter((r) => r.client === c.id))]));
    const latency = scenario.kind === 'latency';
    const ratios: Ratio[] = [];
    for (const client of clients) {
      if (client.baseline === undefined) continue;
      const mine = summaries.get(client.id)!;
      const base = summaries.get(client.baseline);
      if (base === undefined) continue;
      const ratio = latency ? base.p99.median / mine.p99.median : mine.rate.median / base.rate.median;
      const target = latency
        ? client.id.startsWith('vltava')
          ? undefined
          : 1
        : scenario.kind === 'consume' && client.id === 'java'
          ? undefined
          : scenario.kind === 'share'
            ? (client.shareTarget ?? client.target)
            : client.target;
      const floor =
        scenario.kind === 'consume'
          ? (client.consumeFloor ?? client.floor)
          : scenario.kind === 'produce'
            ? client.floor
            : undefined;
      const met = !Number.isFinite(ratio)
        ? undefined
        : floor !== undefined
          ? ratio >= floor - 1e-9
          : target === undefined
            ? undefined
            : ratio <= target + 1e-9;
      ratios.push({ client: client.id, label: client.label, ratio, target, floor, met });
    }
    allRatios.push(...ratios.map((r) => ({ ...r, scenario })));
    groups.push({
      label: scenario.label,
      bars: ratios.map((r) => ({
        label: label.get(r.client) ?? r.client,
        ratio: r.ratio,
        target: r.target,
        color: COLORS[r.client] ?? '#999',
      })),
    });

    lines.push(`## ${scenario.label}`);
    lines.push('');
    const ratioOf = (id: string) => ratios.find((r) => r.client === id);
    const ratioCell = (id: string) => {
      const r = ratioOf(id);
      if (r === undefined) return '';
      const base = clients.find((c) => c.id === id)?.baseline;
      const vs = base === 'vltava' ? '' : ` (vs ${label.get(base ?? '') ?? base})`;
      return `${fmt(r.ratio, 2)}${vs}`;
    };
    const targetCell = (id: string) => {
      const r = ratioOf(id);
      if (r?.floor !== undefined) return `${r.met ? 'met' : '**missed**'} (>= ${fmt(r.floor, 2)})`;
      if (r?.target === undefined) return '';
      return `${r.met ? 'met' : '**missed**'} (<= ${fmt(r.target, 2)})`;
    };
    if (latency) {
      lines.push(
        '| client | runs on | p50 ms | p99 ms (min-max) | p99.9 ms | CPU s | peak RSS MiB | Vltava p99 / peer p99 | target |',
      );
      lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
      for (const client of clients) {
        const s = summaries.get(client.id)!;
        lines.push(
          `| ${client.label} | ${node(client.platform)} | ${fmt(s.p50.median, 2)} | ${fmt(s.p99.median, 2)} ` +
            `(${range(s.p99, 2)}) | ${fmt(s.p999.median, 2)} | ${fmt(s.cpu.median, 1)} | ${fmt(s.rss.median)} | ` +
            `${ratioCell(client.id)} | ${targetCell(client.id)}${s.failures ? ` ${s.failures} failed` : ''} |`,
        );
      }
    } else {
      lines.push(
        '| client | runs on | records/s (median) | min-max | MB/s | CPU s | peak RSS MiB | peer / Vltava | target | ' +
          'peer CPU s / Vltava CPU s |',
      );
      lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
      for (const client of clients) {
        const s = summaries.get(client.id)!;
        const base = client.baseline === undefined ? undefined : summaries.get(client.baseline);
        // The JVM's CPU seconds include its start-up (measured around the whole process): no ratio for it.
        const comparable = base !== undefined && base.cpu.median > 0 && client.platform !== 'java';
        const cpuRatio = comparable ? fmt(s.cpu.median / base.cpu.median, 2) : '';
        lines.push(
          `| ${client.label} | ${node(client.platform)} | ${fmt(s.rate.median)} | ${range(s.rate)} | ` +
            `${fmt(s.mbps.median, 1)} | ${fmt(s.cpu.median, 2)} | ${fmt(s.rss.median)} | ${ratioCell(client.id)} | ` +
            `${targetCell(client.id)}${s.failures ? ` ${s.failures} failed` : ''} | ${cpuRatio} |`,
        );
      }
    }
    const notes = clients.flatMap((c) => summaries.get(c.id)!.notes.map((n) => `${c.label}: ${n}`));
    if (notes.length > 0) {
      lines.push('');
      for (const note of notes) lines.push(`- ${note}`);
    }
    lines.push('');
  }

  lines.push('## Targets');
  lines.push('');
  lines.push('| peer | kind | scenarios met | worst ratio (scenario) |');
  lines.push('| --- | --- | ---: | --- |');
  const keyed = new Map<string, Array<Ratio & { scenario: Scenario }>>();
  for (const r of allRatios) {
    if (r.target === undefined && r.floor === undefined) continue;
    const key = `${r.label}|${r.scenario.kind}`;
    keyed.set(key, [...(keyed.get(key) ?? []), r]);
  }
  for (const [key, list] of keyed) {
    const [peer, kind] = key.split('|');
    const met = list.filter((r) => r.met).length;
    // How far from its bound a ratio is (above 1: missed).
    const miss = (r: Ratio) => (r.floor !== undefined ? r.floor / r.ratio : r.ratio / r.target!);
    const worst = list.reduce((a, b) => (miss(b) > miss(a) ? b : a));
    const bound = worst.floor !== undefined ? `>= ${fmt(worst.floor, 2)}` : `<= ${fmt(worst.target!, 2)}`;
    lines.push(
      `| ${peer} | ${kind} | ${met} of ${list.length} | ${fmt(worst.ratio, 2)} vs ${bound} (${worst.scenario.label}) |`,
    );
  }
  lines.push('');
  if (allRatios.some((r) => r.met === false)) {
    lines.push(
      'Where a target is missed, read the row with its CPU column (peer CPU s / Vltava CPU s): where both clients ' +
        'keep the two cores busy, records/s follow CPU per record; `bench/README.md` ("The benchmark broker") ' +
        'says what limits the 1 KiB rows.',
    );
    lines.push('');
  }
  lines.push(`![peer / Vltava ratios](${relative(dirname(markdownPath), svgPath) || basename(svgPath)})`);
  lines.push('');
  writeFileSync(markdownPath, `${lines.join('\n')}\n`);
  writeFileSync(
    svgPath,
    ratioChart(
      'Peer / Vltava, per scenario (medians of the same run)',
      'records/s for producer and consumer; 1/p99 for latency. Below the black tick: Vltava meets its target.',
      groups,
    ),
  );
}

/** The settings every client of the run shared, from its scenarios. */
function settingsLines(scenarios: readonly Scenario[]): string[] {
  const lines = ['## Settings', ''];
  const produce = scenarios.find((s) => s.kind === 'produce');
  if (produce?.kind === 'produce') {
    const p = produce.settings;
    lines.push(
      `- Producers: \`lingerMs\`/\`linger.ms\` ${p.lingerMs} and \`batchSize\`/\`batch.size\` ${fmt(p.batchSize)} bytes ` +
        `for every client that has them; the clients without them (kafkajs, @platformatic/kafka) send arrays of ` +
        `${fmt(p.arrayLength)} records, ${p.arraysInFlight} in flight. acks=1 without idempotence, or acks=all with ` +
        'idempotence; values only (no keys), from one pool of JSON-like texts; every send awaited to its ' +
        'acknowledgement before the clock stops. How each client is driven: `bench/README.md`.',
    );
  }
  const consume = scenarios.find((s) => s.kind === 'consume');
  if (consume?.kind === 'consume') {
    lines.push(
      `- Consumer: ${fmt(consume.records)} records of ${consume.size} B on ${consume.partitions} partitions, ` +
        'produced beforehand; a fresh group from the earliest offset, timed from the start call (join included).',
    );
  }
  const share = scenarios.find((s) => s.kind === 'share');
  if (share?.kind === 'share') {
    lines.push(
      `- Share consumer (KIP-932): ${fmt(share.records)} records of ${share.size} B on ${share.partitions} ` +
        'partitions, produced beforehand; a fresh share group (`share.auto.offset.reset=earliest`, set with ' +
        'the admin client before the run), every record accepted, timed from the start call (join included). ' +
        'Vltava: one `ShareConsumer`, `for await` (implicit accept), defaults (`maxPollRecords` 500, ' +
        '`batch_optimized`); Java: `kafka-share-consumer-perf-test` with its defaults (one consumer thread).',
    );
  }
  const latency = scenarios.find((s) => s.kind === 'latency');
  if (latency?.kind === 'latency') {
    lines.push(
      `- Latency: ${fmt(latency.rate)} records/s of ${latency.size} B for ${latency.seconds} s after ` +
        `${latency.warmupSeconds} s of warm-up; producer (\`lingerMs\` ${latency.lingerMs}, \`batchSize\` ` +
        `${fmt(latency.batchSize)}) and consumer in one process.`,
    );
  }
  lines.push(`- Topics: a fresh one per run, ${PARTITIONS} partitions, replication factor 1.`);
  lines.push('');
  return lines;
}

if (process.argv[1] && basename(process.argv[1]).startsWith('report')) {
  const [input, md, svg] = process.argv.slice(2);
  if (input === undefined) throw new Error('usage: report.ts <raw.json> [RESULTS.md] [ratios.svg]');
  const raw = JSON.parse(readFileSync(input, 'utf8')) as RawResults;
  const bench = join(import.meta.dirname, '..');
  writeReport(raw, md ?? join(bench, 'RESULTS.md'), svg ?? join(bench, 'ratios.svg'));
}
