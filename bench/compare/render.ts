/**
 * Renders RESULTS.md (and the ratio chart) from a raw results file, and nothing else: every figure in the report
 * can be re-derived from the committed JSON lines.
 *
 *   npx tsx bench/compare/render.ts [bench/results/runs/<time>.jsonl] [RESULTS.md] [ratios.svg]
 *
 * Without arguments it renders the newest file of `bench/results/runs/` into `bench/RESULTS.md`. The soak's
 * section comes from the newest file of `bench/results/soak/` (see `soak/soak-report.ts`).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { soakSection } from '../soak/soak-report.js';
import { type ChartGroup, ratioChart } from './chart.js';
import type { Client } from './clients.js';
import { bestCells } from './plan.js';
import { type RawRun, readRaw } from './results.js';
import { COMMON, cellId, MATRIX, OWN, type Scenario } from './scenarios.js';
import { type Spread, spread } from './stats.js';
import { Summaries, type Summary } from './summary.js';
import { commonCell, evaluateTargets, floorOf, NODE_PEERS } from './targets.js';

const BENCH = join(import.meta.dirname, '..');

const COLORS: Record<string, string> = {
  'vltava-22': '#bde0fe',
  'vltava-26': '#a2d2ff',
  'vltava-rx': '#8ecae6',
  'vltava-streams': '#219ebc',
  'vltava-streams-send': '#6a4c93',
  'vltava-kafkajs': '#023047',
  kafkajs: '#e76f51',
  platformatic: '#f4a261',
  'confluent-kafkajs': '#2a9d8f',
  'confluent-native': '#264653',
  java: '#6d597a',
};

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-';
const range = (s: Spread, digits = 0) => (s.n > 1 ? `${fmt(s.min, digits)}-${fmt(s.max, digits)}` : '');
const cellLabel = (cell: string) => (cell === OWN ? 'own' : cell.replace('x', ' x '));

/** Renders the report of `rawFile` into `markdownPath` and `svgPath`. */
export function renderReport(rawFile: string, markdownPath: string, svgPath: string): void {
  const raw = readRaw(rawFile);
  const notesFile = rawFile.replace(/\.jsonl$/, '.notes.md');
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8').trim() : undefined;
  const { markdown, chart } = render(
    raw,
    relative(dirname(markdownPath), rawFile),
    relative(dirname(markdownPath), svgPath),
    notes,
  );
  writeFileSync(markdownPath, markdown);
  writeFileSync(svgPath, chart);
}

/** The report's markdown and chart. */
export function render(
  raw: RawRun,
  rawName: string,
  svgName: string,
  notes?: string,
): { markdown: string; chart: string } {
  const { header, runs, footer } = raw;
  const clients = header.clients;
  const byId = new Map(clients.map((c) => [c.id, c]));
  const label = (id: string) => byId.get(id)?.label ?? id;
  const summaries = new Summaries(runs);
  const node = (client: Client) =>
    client.platform === 'java' ? 'JVM' : `Node ${header.nodes[String(client.platform)] ?? client.platform}`;
  const lines: string[] = [];
  const groups: ChartGroup[] = [];
  const out = (...text: string[]) => lines.push(...text);

  out('# Vltava against the other Kafka clients', '');
  out(
    `Rendered by \`npx tsx bench/compare/render.ts\` from \`${rawName}\`, the raw results of \`${header.command}\` ` +
      `(${header.mode} mode, ${header.reps} repetition${header.reps === 1 ? '' : 's'} per row) at ${header.commit}, ` +
      `${header.started} to ${footer?.finished ?? '(unfinished)'}. Method: \`bench/README.md\`.`,
    '',
    'Every figure is the median of the runs that count, with their min-max; a run counts when it finished, the ' +
      "topic's end offsets equal the records it wrote (producers), and other processes took at most " +
      `${header.guard.maxOtherCores} cores during it (the load guard). Ratios are peer / Vltava on the same Node ` +
      'line in the same run (below 1: Vltava is faster). CPU: the client process from creating the client to ' +
      "closing it (the JVM's whole life for the Java tools); broker CPU: the broker JVM during the run.",
    '',
  );

  // Machine, load and versions -------------------------------------------------------------------------------------
  const loads = spread(runs.map((r) => r.load1));
  const others = spread(runs.map((r) => r.otherCpu ?? Number.NaN));
  const noisy = runs.filter((r) => r.noisy).length;
  const busy = runs.filter((r) => r.busy && !r.noisy).length;
  const failed = runs.filter((r) => r.error !== undefined);
  out('## Machine, load and versions', '');
  out(
    `- ${header.machine.cpu}, ${header.machine.cores} cores, ${header.machine.memoryGiB} GiB; broker, clients and ` +
      'orchestrator share the cores.',
    `- Load guard: \`${header.guard.mode}\`; before the first run at most ${header.guard.maxLoadPerCore} load per ` +
      `core and no other JVM or benchmark process; during each run other processes at most ${header.guard.maxOtherCores} cores. ` +
      `Load average (1, 5, 15 min) before: ${header.machine.loadBefore.map((l) => l.toFixed(2)).join(', ')}` +
      (footer ? `; after: ${footer.loadAfter.map((l) => l.toFixed(2)).join(', ')}` : '') +
      '.' +
      (header.guard.othersAtStart.length > 0
        ? ` Other benchmark processes at the start: ${header.guard.othersAtStart.join('; ')}.`
        : ''),
    `- Per run: 1-minute load average ${fmt(loads.median, 2)} (${range(loads, 2)}); CPU seconds other processes ` +
      `took ${fmt(others.median, 2)} (${range(others, 2)}); ${noisy} noisy run${noisy === 1 ? '' : 's'} left out ` +
      `and repeated; ${failed.length} failed run${failed.length === 1 ? '' : 's'}.` +
      (busy > 0
        ? ` **${busy} of ${runs.length} runs counted although other processes took more than ` +
          `${header.guard.maxOtherCores} cores during them** (the guard only warned): these figures measure a busy ` +
          'machine.'
        : ''),
    `- Kafka ${header.kafka}, one broker started by the harness (KRaft, PLAINTEXT, no authorizer)` +
      (header.broker ? `; ${header.broker}.` : ' (external).'),
    `- Node: ${Object.entries(header.nodes)
      .map(([line, version]) => `${version} (line ${line})`)
      .join(', ')}.`,
    `- Peers: ${Object.entries(header.peers)
      .map(([peer, version]) => `${peer} ${version}`)
      .join(', ')}.`,
  );
  for (const [peer, reason] of Object.entries(header.blocked)) {
    if (!reason.startsWith('not installed on this Node line')) out(`- **Blocked**: ${peer}: ${reason}.`);
  }
  out('');

  // Settings ---------------------------------------------------------------------------------------------------------
  out(...settingsSection(header.scenarios, clients, node));

  // Common settings --------------------------------------------------------------------------------------------------
  out(
    `## Common settings: every client at ${cellLabel(cellId(COMMON))} (records per call x calls in flight)`,
    '',
    'Every client that sends arrays sends them at this setting; the clients that send one record per call run at ' +
      'their own (the Java tool, the confluent native API, the Rx and stream adapters). The targets are read here.',
    '',
  );
  for (const scenario of header.scenarios) {
    const present = clients.filter((c) => summaries.get(scenario.id, c.id, commonCell(c, scenario)) !== undefined);
    if (present.length === 0) continue;
    out(`### ${scenario.label}`, '');
    out(...scenarioTable(scenario, present, (c) => commonCell(c, scenario), summaries, label, node, true));
    out('');
    if (scenario.kind !== 'share') {
      groups.push({
        label: scenario.label,
        bars: present
          .filter((c) => c.id !== 'vltava' && c.id !== 'java')
          .map((c) => {
            const mine = summaries.get(scenario.id, c.id, commonCell(c, scenario))!;
            const base = summaries.get(scenario.id, 'vltava', commonCell(byId.get('vltava')!, scenario));
            const ratio =
              scenario.kind === 'latency'
                ? (base?.p99.median ?? Number.NaN) / mine.p99.median
                : mine.rate.median / (base?.rate.median ?? Number.NaN);
            const target = (NODE_PEERS as readonly string[]).includes(c.id)
              ? scenario.kind === 'latency'
                ? 1
                : 0.5
              : undefined;
            return { label: c.label, ratio, target, color: COLORS[c.id] ?? '#999' };
          }),
      });
    }
  }

  // Best settings ----------------------------------------------------------------------------------------------------
  const best = bestCells(runs, header.scenarios);
  const matrixScenarios = header.scenarios.filter((s) => s.kind === 'produce' && s.matrix);
  out("## Each client's best setting", '');
  if (best.size === 0) {
    out('No matrix scenario ran: no best setting to show.', '');
  } else {
    out(
      `Each client that sends arrays ran every cell of the matrix (${MATRIX.map((c) => cellLabel(cellId(c))).join(', ')}, ` +
        "and its documentation's own setting where it has one) in the matrix scenarios " +
        `(${matrixScenarios.map((s) => s.label).join('; ')}); its best cell is the one with the highest geometric ` +
        'mean of its medians there. From then on every scenario also ran each client at its best cell where that is ' +
        'not the common one. The clients that send one record per call have one setting, shown again.',
      '',
      '| client | best setting | differs from the common setting in |',
      '| --- | --- | --- |',
    );
    for (const [id, cell] of best) {
      out(
        `| ${label(id)} | ${cellLabel(cell)} | ${cell === cellId(COMMON) ? '(the common setting)' : 'records per call x calls in flight'} |`,
      );
    }
    out('');
    for (const scenario of header.scenarios.filter((s) => s.kind === 'produce')) {
      const cellOf = (c: Client) => (c.arrays ? (best.get(c.id) ?? cellId(COMMON)) : OWN);
      const present = clients.filter((c) => summaries.get(scenario.id, c.id, cellOf(c)) !== undefined);
      if (present.length === 0) continue;
      out(`### ${scenario.label}, best settings`, '');
      out(...scenarioTable(scenario, present, cellOf, summaries, label, node, false));
      out('');
    }
  }

  // The matrix -------------------------------------------------------------------------------------------------------
  for (const scenario of matrixScenarios) {
    const cells = [...new Set(runs.filter((r) => r.scenario === scenario.id && r.cell !== OWN).map((r) => r.cell))];
    const rows = clients.filter((c) => c.arrays && cells.some((cell) => summaries.get(scenario.id, c.id, cell)));
    if (rows.length === 0) continue;
    out(
      `## The settings matrix: ${scenario.label}`,
      '',
      'records/s, median (min-max) of each client at each cell.',
      '',
    );
    out(`| client | ${cells.map(cellLabel).join(' | ')} |`, `| --- |${cells.map(() => ' ---: |').join('')}`);
    for (const client of rows) {
      const cellsText = cells.map((cell) => {
        const s = summaries.get(scenario.id, client.id, cell);
        return s === undefined ? '' : `${fmt(s.rate.median)} (${range(s.rate)})`;
      });
      out(`| ${client.label} | ${cellsText.join(' | ')} |`);
    }
    out('');
  }

  // Targets ----------------------------------------------------------------------------------------------------------
  const targets = evaluateTargets(header.scenarios, clients, summaries, best);
  out(
    '## Targets',
    '',
    "At the common setting, acks=all with idempotence (issue 23; the adapters' from issue 22). A missed target " +
      'needs the profile that explains it: see "When a target is missed" in `bench/README.md`.',
    '',
    '| target | verdict | where |',
    '| --- | --- | --- |',
  );
  for (const t of targets) out(`| ${t.target} | ${t.verdict === 'missed' ? '**missed**' : t.verdict} | ${t.detail} |`);
  out('');
  if (notes !== undefined && notes !== '') out('### Notes on this run (profiles of the misses)', '', notes, '');
  else if (targets.some((t) => t.verdict === 'missed')) {
    out(`No notes on the misses yet: \`${rawName.replace(/\.jsonl$/, '.notes.md')}\` would hold them.`, '');
  }

  // Soak -------------------------------------------------------------------------------------------------------------
  out(...soakSection(join(BENCH, 'results', 'soak'), dirname(join(BENCH, 'RESULTS.md'))));

  // Failures ---------------------------------------------------------------------------------------------------------
  if (failed.length > 0) {
    out('## Failed runs', '');
    const distinct = new Map<string, number>();
    for (const run of failed) {
      const key = `${label(run.client)}, ${run.scenario}: ${run.error!.split('\n')[0]!.slice(0, 240)}`;
      distinct.set(key, (distinct.get(key) ?? 0) + 1);
    }
    for (const [text, n] of distinct) out(`- ${text} (${n}x)`);
    out('');
  }
  out(`![peer / Vltava ratios at the common setting](${svgName})`, '');
  const chart = ratioChart(
    'Peer / Vltava at the common setting (medians of the same run)',
    'records/s for producer and consumer; 1/p99 for latency. Left of the black tick: Vltava meets its target.',
    groups,
  );
  return { markdown: `${lines.join('\n')}\n`, chart };
}

function scenarioTable(
  scenario: Scenario,
  present: readonly Client[],
  cellOf: (client: Client) => string,
  summaries: Summaries,
  label: (id: string) => string,
  node: (client: Client) => string,
  /** Whether the layers' floors are read here: at the common setting only, where the targets are. */
  floors: boolean,
): string[] {
  const rows: string[] = [];
  const get = (c: Client) => summaries.get(scenario.id, c.id, cellOf(c))!;
  const baseline = (id: string | undefined) => {
    if (id === undefined) return undefined;
    const base = present.find((x) => x.id === id);
    return base === undefined ? undefined : get(base);
  };
  const runsCell = (s: Summary) =>
    `${s.counted}${s.failed ? `, ${s.failed} failed` : ''}${s.noisy ? `, ${s.noisy} noisy` : ''}`;
  const ratio = (mine: number, base: number | undefined) => (base === undefined ? Number.NaN : mine / base);
  if (scenario.kind === 'latency') {
    rows.push(
      '| client | runs on | p50 ms | p99 ms (min-max) | p99.9 ms | lost (most) | client CPU s | broker CPU s | RSS MiB | Vltava p99 / peer p99 | runs |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const c of present) {
      const s = get(c);
      const base = baseline(c.baseline);
      rows.push(
        `| ${c.label} | ${node(c)} | ${fmt(s.p50.median, 2)} | ${fmt(s.p99.median, 2)}${s.p99.n > 1 ? ` (${range(s.p99, 2)})` : ''} | ` +
          `${fmt(s.p999.median, 2)} | ${fmt(s.lost.max)} | ${fmt(s.cpu.median, 2)} | ${fmt(s.brokerCpu.median, 2)} | ` +
          `${fmt(s.rss.median)} | ${fmt(ratio(base?.p99.median ?? Number.NaN, s.p99.median), 2)} | ${runsCell(s)} |`,
      );
    }
  } else {
    const producer = scenario.kind === 'produce';
    rows.push(
      `| client | runs on | setting | records/s | min-max |${producer ? ' steady-state records/s |' : ''} MB/s | client CPU s | broker CPU s | RSS MiB | peer / Vltava | runs |`,
      `| --- | --- | --- | ---: | ---: |${producer ? ' ---: |' : ''} ---: | ---: | ---: | ---: | ---: | ---: |`,
    );
    for (const c of present) {
      const s = get(c);
      const base = baseline(c.baseline);
      let ratioText = fmt(ratio(s.rate.median, base?.rate.median), 2);
      if (c.id === 'java' && producer && base !== undefined) {
        ratioText += ` (steady ${fmt(ratio(s.steadyRate.median, base.steadyRate.median), 2)})`;
      }
      const floor = floors ? floorOf(c, scenario.kind) : undefined;
      const layerRatio = ratio(s.rate.median, base?.rate.median);
      if (floor !== undefined && Number.isFinite(layerRatio)) {
        ratioText += ` (floor ${fmt(floor, 2)}: ${layerRatio >= floor - 1e-9 ? 'met' : '**missed**'})`;
      }
      const also = baseline(c.alsoAgainst);
      if (also !== undefined)
        ratioText += `; vs ${label(c.alsoAgainst!)} ${fmt(ratio(s.rate.median, also.rate.median), 2)}`;
      const setting = cellOf(c) === OWN ? 'own' : cellLabel(cellOf(c));
      rows.push(
        `| ${c.label} | ${node(c)} | ${setting} | ${fmt(s.rate.median)} | ${range(s.rate)} |` +
          (producer ? ` ${fmt(s.steadyRate.median)} |` : '') +
          ` ${fmt(s.mbps.median, 1)} | ${fmt(s.cpu.median, 2)} | ${fmt(s.brokerCpu.median, 2)} | ${fmt(s.rss.median)} | ` +
          `${c.baseline === undefined ? '' : ratioText} | ${runsCell(s)} |`,
      );
    }
  }
  const notes = present.flatMap((c) => get(c).errors.map((e) => `${c.label}: failed: ${e}`));
  if (notes.length > 0) rows.push('', ...notes.map((n) => `- ${n}`));
  return rows;
}

function settingsSection(
  scenarios: readonly Scenario[],
  clients: readonly Client[],
  node: (client: Client) => string,
): string[] {
  const lines = ['## Settings', ''];
  const produce = scenarios.find((s) => s.kind === 'produce');
  if (produce?.kind === 'produce') {
    const p = produce.settings;
    lines.push(
      `- Producers: \`linger.ms\` ${p.lingerMs} and \`batch.size\` ${fmt(p.batchSize)} bytes for every client that has ` +
        `them (Vltava: \`lingerMs\`, \`batchSize\`); kafkajs and \`@platformatic/kafka\` have neither (the array is ` +
        `their batch). Every client that sends arrays sends ${cellLabel(cellId(COMMON))} at the common setting. ` +
        'acks=1 without idempotence, or acks=all with idempotence. Values from one pool of 1,024 JSON-like texts ' +
        '(2-3x compressible); keyed scenarios give record i the key `String(i % 1024)` (what ' +
        '`kafka-producer-perf-test --key-distribution range --record-key-range 1024` sends), so every client ' +
        'batches by partition; each client partitions keys with its default partitioner. Every send is awaited to ' +
        'its acknowledgement before the clock stops. Steady state: the records after the first 20% acknowledged ' +
        '(the Java tool: `--warmup-records`, 20% of its records).',
    );
  }
  const consume = scenarios.filter((s) => s.kind === 'consume');
  if (consume.length > 0) {
    lines.push(
      '- Consumers: records produced beforehand by the Java tool (`linger.ms` 10, `batch.size` 200,000, the ' +
        "scenario's compression), drained from the earliest offset by a fresh group. One clock rule for every " +
        'consumer: from the first call that touches the network (connect, subscribe or consume; the group join ' +
        'is inside the time) to the last record. CRC checks on for every client that has the setting (Vltava ' +
        '`checkCrcs` true, the Java tool run with `check.crcs=true`).',
    );
  }
  const latency = scenarios.find((s) => s.kind === 'latency');
  if (latency?.kind === 'latency') {
    lines.push(
      `- Latency: ${fmt(latency.rate)} records/s of ${latency.size} B for ${latency.seconds} s after ` +
        `${latency.warmupSeconds} s of warm-up, producer (acks=all idempotent; \`linger.ms\` ${latency.lingerMs}, ` +
        `\`batch.size\` ${fmt(latency.batchSize)} where the client has them) and consumer in one process; each value ` +
        'carries its send time; p50, p99 and p99.9 of send-to-receive from an HDR-style histogram.',
    );
  }
  lines.push(
    '- Topics: a fresh one per run, 6 partitions, replication factor 1. Each run its own process; within a ' +
      'repetition the order of clients and cells rotates.',
    '',
    'How each client is driven, where it differs from the above:',
    '',
    '| client | runs on | produce | consume | share | latency |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const c of clients) {
    lines.push(
      `| ${c.label} | ${node(c)} | ${c.how.produce ?? ''} | ${c.how.consume ?? ''} | ${c.how.share ?? ''} | ${c.how.latency ?? ''} |`,
    );
  }
  lines.push('');
  return lines;
}

/** The newest raw results file of a folder. */
export function newest(folder: string, extension = '.jsonl'): string | undefined {
  if (!existsSync(folder)) return undefined;
  const files = readdirSync(folder)
    .filter((f) => f.endsWith(extension))
    .sort();
  return files.length === 0 ? undefined : join(folder, files.at(-1)!);
}

if (process.argv[1] && basename(process.argv[1]).startsWith('render')) {
  const [input, md, svg] = process.argv.slice(2);
  const file = input ?? newest(join(BENCH, 'results', 'runs'));
  if (file === undefined) throw new Error('usage: render.ts <raw.jsonl> [RESULTS.md] [ratios.svg]');
  renderReport(file, md ?? join(BENCH, 'RESULTS.md'), svg ?? join(BENCH, 'ratios.svg'));
}
