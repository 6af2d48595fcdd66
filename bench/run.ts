/**
 * Vltava against the other Kafka clients, in one run, on one broker: `npm run bench` (full: every scenario, 10
 * alternating repetitions, about two and a half hours on a quiet two-core machine) or `npm run bench -- --quick`
 * (a subset with fewer records, one repetition, a few minutes once the peers are installed). `npm run bench --
 * --soak` runs the soak instead (`soak/soak.ts`).
 *
 * Every client runs in its own child process per run, against a fresh 6-partition topic, in rotating order. Each
 * run's figures go to a JSON-lines file as they come (full: `bench/results/runs/<time>.jsonl`, committed; quick:
 * `bench/results/raw/quick-<time>.jsonl`), and the report is rendered from that file at the end (full:
 * `bench/RESULTS.md` and `bench/ratios.svg`; quick: `bench/results/raw/quick-RESULTS.md`).
 * `npx tsx bench/compare/render.ts <file.jsonl>` renders it again.
 *
 * Options: `--quick`, `--reps N`, `--only produce,consume,latency` (kinds or scenario ids), `--clients a,b` (ids of
 * `compare/clients.ts`), the load guard's `--load-guard wait|warn|off`, `--max-load`, `--max-other-cpu`,
 * `--load-wait` (see `compare/load-guard.ts`), and `KAFKA_BROKERS=host:port` to use a running broker instead of
 * starting one (`BENCH_BROKER_PIDS=pid,...` then names its JVMs for the broker CPU figures).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Admin } from '../packages/core/src/index.js';
import { nodeRuntime } from '../packages/core/test/compat/node-runtime.js';
import { KAFKA_VERSION } from '../tools/kafka-harness/src/index.js';
import { benchBrokerDescription, startBenchKafka } from './broker.js';
import { runChild } from './compare/child-process.js';
import { CLIENTS, type Client, NODE_LINES, PEER_NODE, type Platform } from './compare/clients.js';
import { javaConsume, javaProduce, javaShareConsume, payloadFile } from './compare/java-perf.js';
import type { Job, JobResult } from './compare/job.js';
import { guardOptions, LoadGuard } from './compare/load-guard.js';
import { BENCH_DIR, type Blocked, installPeers, peerVersion, type Runtime } from './compare/peers.js';
import { bestCells, type Entry, entriesFor, rotation } from './compare/plan.js';
import { processCpuSeconds } from './compare/proc-stat.js';
import { renderReport } from './compare/render.js';
import { RawWriter, type RunLine, round } from './compare/results.js';
import { COMMON, OWN, PARTITIONS, parseCell, type Scenario, scenarios } from './compare/scenarios.js';
import { floorOf } from './compare/targets.js';
import { benchTopic } from './producer/bench-support.js';

const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
};
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/**
 * Installs (once) the Node lines and the peers on them: every peer on {@link PEER_NODE}, Vltava's LZ4 on the rest.
 * With `needPeers` false (a `--clients` selection without any peer, such as `vltava,vltava-rx`) nothing is installed:
 * each line's `peerDir` is then the bench folder, which has no peers (Vltava's drivers fall back to the LZ4 backend
 * they find and say so in their note).
 */
async function runtimes(
  lines: ReadonlySet<number>,
  needPeers: boolean,
): Promise<{ byLine: Map<number, Runtime>; blocked: Map<number, Blocked> }> {
  const byLine = new Map<number, Runtime>();
  const blocked = new Map<number, Blocked>();
  const own = Number(process.versions.node.split('.')[0]);
  const install = (node: string, line: number, nodedir: string | undefined, withOptional: boolean) =>
    needPeers
      ? installPeers(node, line, nodedir, log, { withOptional })
      : Promise.resolve({ peerDir: BENCH_DIR, blocked: new Map() as Blocked });
  for (const line of NODE_LINES) {
    if (!lines.has(line)) continue;
    const withOptional = line === PEER_NODE;
    if (line === own) {
      const installed = await install(process.execPath, own, undefined, withOptional);
      byLine.set(line, { major: own, node: process.execPath, version: process.version, peerDir: installed.peerDir });
      blocked.set(line, installed.blocked);
    } else {
      const node = await nodeRuntime(line);
      const installed = await install(node.node, line, node.nodedir, withOptional);
      byLine.set(line, { major: line, node: node.node, version: node.version, peerDir: installed.peerDir });
      blocked.set(line, installed.blocked);
    }
  }
  return { byLine, blocked };
}

const USAGE = `npm run bench -- [options]   (npx tsx --conditions=@vltava/source bench/run.ts [options])

  --quick                 a subset with fewer records, one repetition (raw results under bench/results/raw/)
  --reps N                repetitions per row (default 10, quick 1)
  --only a,b              kinds (produce, consume, share, latency) or scenario ids
  --clients a,b           client ids: ${CLIENTS.map((c) => c.id).join(', ')}
  --load-guard MODE       wait (default), warn or off; with --max-load, --max-other-cpu, --load-wait
  --dry-run               print the scenarios and the runs of one repetition, then exit (no install, no broker)
  --soak                  the soak instead (soak/soak.ts)
  --help                  this text

  KAFKA_BROKERS=host:port uses a running broker (BENCH_BROKER_PIDS=pid,... names its JVMs for broker CPU figures).`;

/** Whether any of `clients` needs the peers installed (a selection of Vltava's own rows needs none). */
function needsPeers(clients: readonly Client[]): boolean {
  return clients.some((client) => client.peer !== undefined);
}

/** Prints what a run would do: each scenario, and the runs of its first repetition with their settings and floors. */
function dryRun(list: readonly Scenario[], chosen: readonly Client[], reps: number): void {
  console.log(`${list.length} scenarios, ${reps} repetitions; peers installed: ${needsPeers(chosen) ? 'yes' : 'no'}`);
  for (const scenario of list) {
    const entries = entriesFor(scenario, chosen, new Map());
    if (entries.length === 0) continue;
    console.log(`\n${scenario.id}: ${scenario.label}`);
    for (const { client, cell } of entries) {
      const floor = floorOf(client, scenario.kind);
      const node = client.platform === 'java' ? 'JVM' : `Node ${client.platform}`;
      const against = client.baseline === undefined ? '' : `, against ${client.baseline}`;
      const bound = floor === undefined ? '' : `, floor ${floor}`;
      console.log(`  ${client.id.padEnd(22)} ${node.padEnd(8)} ${cell === OWN ? 'own' : cell}${against}${bound}`);
    }
  }
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: BENCH_DIR, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  if (argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  if (argv.includes('--soak')) {
    const { runSoak } = await import('./soak/soak.js');
    await runSoak(option, log);
    return;
  }
  const quick = argv.includes('--quick');
  const reps = Number(option('reps') ?? (quick ? 1 : 10));
  const only = option('only')?.split(',');
  const onlyClients = option('clients')?.split(',');
  const guardSettings = guardOptions(option, quick);
  const started = new Date();
  const loadBefore = loadavg();

  const list = scenarios(quick).filter((s) => !only || only.includes(s.kind) || only.includes(s.id));
  const chosen = CLIENTS.filter((client) => !onlyClients || onlyClients.includes(client.id));
  if (argv.includes('--dry-run')) {
    dryRun(list, chosen, reps);
    return;
  }
  const lines = new Set(chosen.flatMap((c) => (c.platform === 'java' ? [] : [c.platform])));
  const { byLine, blocked } = await runtimes(lines, needsPeers(chosen));
  const runnable = chosen.filter((client) => {
    if (client.peer === undefined || client.platform === 'java') return true;
    const reason = blocked.get(client.platform)?.get(client.peer);
    if (reason !== undefined) log(`${client.label}: blocked (${reason})`);
    return reason === undefined;
  });

  const external = process.env.KAFKA_BROKERS?.trim();
  const externalPids = (process.env.BENCH_BROKER_PIDS ?? '').split(',').filter(Boolean).map(Number);
  let brokerPids: number[] = externalPids;
  const guard = new LoadGuard(guardSettings, log, () => brokerPids);
  const atStart = await guard.beforeStart();
  const cluster = external ? undefined : await startBenchKafka((line) => log(`[harness] ${line}`));
  brokerPids = cluster ? cluster.nodes.flatMap((n) => (n.pid === undefined ? [] : [n.pid])) : externalPids;
  const bootstrap = external ?? cluster!.bootstrap;
  const admin = new Admin({ brokers: bootstrap, logLevel: 'error' });

  const stamp = started.toISOString().slice(0, 16).replace(/:/g, '-');
  const folder = quick ? join(BENCH_DIR, 'results', 'raw') : join(BENCH_DIR, 'results', 'runs');
  mkdirSync(folder, { recursive: true });
  const rawFile = join(folder, `${quick ? 'quick-' : ''}${stamp}.jsonl`);
  const raw = new RawWriter(rawFile);
  raw.header({
    type: 'header',
    mode: quick ? 'quick' : 'full',
    started: started.toISOString(),
    reps,
    commit: gitCommit(),
    command: `npm run bench -- ${argv.join(' ')}`.trim(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadBefore,
    },
    guard: { ...guardSettings, othersAtStart: atStart.others.map((p) => `${p.pid} ${p.command}`) },
    kafka: KAFKA_VERSION,
    ...(external ? {} : { broker: benchBrokerDescription() }),
    nodes: Object.fromEntries([...byLine].map(([line, runtime]) => [line, runtime.version])),
    peers: Object.fromEntries(
      [...new Set(runnable.flatMap((c) => (c.peer && c.platform !== 'java' ? [`${c.peer}|${c.platform}`] : [])))].map(
        (key) => {
          const [peer, line] = key.split('|') as [string, string];
          return [`${peer} (Node ${line})`, peerVersion(byLine.get(Number(line))!.peerDir, peer)];
        },
      ),
    ),
    blocked: Object.fromEntries(
      [...blocked].flatMap(([line, map]) => [...map].map(([peer, reason]) => [`${peer} (Node ${line})`, reason])),
    ),
    clients: runnable,
    scenarios: list,
  });
  const runs: RunLine[] = [];
  const payloads = new Map<number, Awaited<ReturnType<typeof payloadFile>>>();
  const payload = async (size: number) => {
    if (!payloads.has(size)) payloads.set(size, await payloadFile(size));
    return payloads.get(size)!.path;
  };
  const freshTopic = () => benchTopic(bootstrap, PARTITIONS);
  const dropTopic = async (topic: string) => {
    await admin.deleteTopics([topic]).catch((error: unknown) => log(`could not delete ${topic}: ${String(error)}`));
  };
  /** The sum of the topic's end offsets. */
  const endOffsets = async (topic: string): Promise<number> => {
    const results = await admin.listOffsets(
      Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition, spec: 'latest' as const })),
    );
    let sum = 0n;
    for (const result of results) {
      if (result.error !== undefined) throw result.error;
      sum += result.offset ?? 0n;
    }
    return Number(sum);
  };
  /** A share group reads from the earliest offset only when its group config says so (default `latest`). */
  const shareGroupFromEarliest = async (job: Job) => {
    if (job.kind !== 'share') return;
    const [result] = await admin.incrementalAlterConfigs([
      {
        resource: { type: 'group', name: job.groupId },
        ops: [{ name: 'share.auto.offset.reset', op: 'set', value: 'earliest' }],
      },
    ]);
    if (result?.error !== undefined) throw result.error;
  };
  const runClient = (client: Client, job: Job): Promise<JobResult> => {
    if (client.platform !== 'java')
      return runChild(byLine.get(client.platform as Exclude<Platform, 'java'>)!, client, job);
    if (job.kind === 'produce') return payload(job.settings.size).then((file) => javaProduce(job, file));
    if (job.kind === 'share') return javaShareConsume(job);
    if (job.kind === 'consume') return javaConsume(job);
    throw new Error('the Java tools have no latency run');
  };
  const brokerCpu = () => {
    let total = 0;
    for (const pid of brokerPids) {
      const cpu = processCpuSeconds(pid);
      if (cpu === undefined) return undefined;
      total += cpu;
    }
    return brokerPids.length > 0 ? total : undefined;
  };

  try {
    // Warm the broker (its JIT, page cache, log directories) with a run that is not counted.
    log('warm-up: one Java producer perf run, not counted');
    const firstProduce = list.find((s) => s.kind === 'produce');
    if (firstProduce?.kind === 'produce') {
      const topic = await freshTopic();
      await javaProduce(
        { kind: 'produce', bootstrap, topic, settings: { ...firstProduce.settings, ...COMMON, keys: 0 } },
        await payload(firstProduce.settings.size),
      );
      await dropTopic(topic);
    }
    let best = new Map<string, string>();
    for (const scenario of list) {
      if (guardSettings.mode === 'wait') await guard.quiet(scenario.id);
      const entries = entriesFor(scenario, runnable, best);
      if (entries.length === 0) continue;
      const consumeTopic = await preProduce(scenario);
      // One run per throughput scenario that is not counted, so that no client's first repetition pays for the
      // broker's first contact with the scenario (a first fetch of the pre-produced topic, new batch sizes).
      const warmer = entries.find((e) => e.client.platform !== 'java');
      if (scenario.kind !== 'latency' && warmer !== undefined) {
        const topic = consumeTopic ?? (await freshTopic());
        const job = jobFor(scenario, warmer, bootstrap, topic, `bench-warm-up-${Date.now().toString(36)}`);
        await shareGroupFromEarliest(job);
        await runClient(warmer.client, job).then(
          () => log(`${scenario.id}: warm-up run (${warmer.client.id}, not counted)`),
          (error: unknown) => log(`${scenario.id}: warm-up run failed: ${String(error)}`),
        );
        if (consumeTopic === undefined) await dropTopic(topic);
      }
      for (let rep = 1; rep <= reps; rep++) {
        for (const entry of rotation(entries, rep)) {
          for (let attempt = 1; attempt <= 3; attempt++) {
            const line = await measure(scenario, entry, rep, consumeTopic);
            runs.push(line);
            raw.run(line);
            log(summary(scenario, entry, rep, reps, line));
            if (!line.noisy || guardSettings.mode !== 'wait') break;
            await guard.quiet(`${scenario.id} rep ${rep} ${entry.client.id} (noisy run ${attempt})`);
          }
        }
      }
      if (consumeTopic !== undefined) await dropTopic(consumeTopic);
      if (scenario.kind === 'produce' && scenario.matrix) {
        best = bestCells(runs, list);
        log(`best settings so far: ${[...best].map(([client, cell]) => `${client} ${cell}`).join(', ')}`);
      }
    }
  } finally {
    raw.footer({ type: 'footer', finished: new Date().toISOString(), loadAfter: loadavg() });
    await admin.close();
    for (const file of payloads.values()) await file.remove();
    await cluster?.stop();
  }
  const out = quick ? folder : BENCH_DIR;
  const markdown = join(out, quick ? `quick-${stamp}-RESULTS.md` : 'RESULTS.md');
  renderReport(rawFile, markdown, join(out, quick ? `quick-${stamp}-ratios.svg` : 'ratios.svg'));
  log(`raw results: ${rawFile}`);
  log(`report: ${markdown}`);

  /** Produces a consume scenario's records with the Java tool into a fresh topic (undefined for other kinds). */
  async function preProduce(scenario: Scenario): Promise<string | undefined> {
    if (scenario.kind !== 'consume' && scenario.kind !== 'share') return undefined;
    const topic = await freshTopic();
    const compression = scenario.kind === 'consume' ? scenario.compression : 'none';
    log(`pre-producing ${scenario.records} records of ${scenario.size} B (${compression}) into ${topic}`);
    await javaProduce(
      {
        kind: 'produce',
        bootstrap,
        topic,
        settings: {
          records: scenario.records,
          size: scenario.size,
          acks: 1,
          compression,
          lingerMs: 10,
          batchSize: 200_000,
          keys: 0,
          ...COMMON,
        },
      },
      await payload(scenario.size),
    );
    const written = await endOffsets(topic);
    if (written !== scenario.records) throw new Error(`pre-produced ${written} records, not ${scenario.records}`);
    return topic;
  }

  /** One run: a fresh topic (or the pre-produced one), the client's child, the guard's and the broker's figures. */
  async function measure(scenario: Scenario, entry: Entry, rep: number, consumeTopic?: string): Promise<RunLine> {
    const topic = consumeTopic ?? (await freshTopic());
    const groupId = `bench-group-${entry.client.id}-${rep}-${Date.now().toString(36)}`;
    const job = jobFor(scenario, entry, bootstrap, topic, groupId);
    await shareGroupFromEarliest(job);
    const t = round((Date.now() - started.getTime()) / 1000, 0)!;
    const mark = guard.mark();
    const brokerBefore = brokerCpu();
    let result: JobResult | undefined;
    let error: string | undefined;
    try {
      result = await runClient(entry.client, job);
    } catch (failure) {
      error = String((failure as Error).message ?? failure);
    }
    const brokerAfter = brokerCpu();
    const load = guard.measure(mark);
    let ends: number | undefined;
    if (job.kind === 'produce' && result !== undefined) {
      ends = await endOffsets(topic).catch(() => undefined);
      if (ends !== result.produced) {
        error = `the topic's end offsets sum to ${ends}, the client wrote ${result.produced} records`;
      }
    }
    if (consumeTopic === undefined) await dropTopic(topic);
    return {
      type: 'run',
      scenario: scenario.id,
      client: entry.client.id,
      cell: entry.cell,
      rep,
      t,
      ...(result === undefined
        ? {}
        : {
            records: result.records,
            bytes: result.bytes,
            ms: round(result.ms, 1),
            steadyRecords: result.steady?.records,
            steadyMs: round(result.steady?.ms, 1),
            cpu: round(result.cpuSeconds, 2),
            rssMiB: round(result.peakRssMiB, 0),
            produced: result.produced,
            latency: result.latency,
            note: result.note,
          }),
      brokerCpu:
        brokerBefore === undefined || brokerAfter === undefined ? undefined : round(brokerAfter - brokerBefore, 2),
      endOffsets: ends,
      load1: round(load.load1, 2)!,
      otherCpu: round(load.otherCpu, 2),
      steal: round(load.steal, 2),
      seconds: round(load.seconds, 1),
      ...(load.busy ? { busy: true as const } : {}),
      ...(load.noisy ? { noisy: true as const } : {}),
      ...(error === undefined ? {} : { error: error.slice(0, 2000) }),
    };
  }
}

function summary(scenario: Scenario, entry: Entry, rep: number, reps: number, line: RunLine): string {
  const what = `${scenario.id} rep ${rep}/${reps} ${entry.client.id}${entry.cell === OWN ? '' : ` ${entry.cell}`}`;
  if (line.error !== undefined) return `${what}: FAILED: ${line.error.split('\n')[0]}`;
  const rate = Math.round(((line.records ?? 0) / (line.ms ?? Number.NaN)) * 1000).toLocaleString('en');
  return (
    `${what}: ${scenario.kind === 'latency' ? '' : `${rate} records/s, `}${line.cpu?.toFixed(2)} CPU s, broker ${line.brokerCpu ?? '-'} CPU s, ` +
    `others ${line.otherCpu ?? '-'} CPU s, load ${line.load1}` +
    (line.latency ? `, p50 ${line.latency.p50} p99 ${line.latency.p99} p99.9 ${line.latency.p999} ms` : '') +
    (line.noisy
      ? ' (NOISY: other processes took more CPU than the guard allows; repeated)'
      : line.busy
        ? ' (busy: other processes took more CPU than the guard allows)'
        : '')
  );
}

function jobFor(scenario: Scenario, entry: Entry, bootstrap: string, topic: string, groupId: string): Job {
  switch (scenario.kind) {
    case 'produce': {
      const cell = parseCell(entry.cell) ?? COMMON;
      const records = entry.client.platform === 'java' ? scenario.javaRecords : scenario.settings.records;
      return { kind: 'produce', bootstrap, topic, settings: { ...scenario.settings, ...cell, records } };
    }
    case 'consume':
      return {
        kind: 'consume',
        bootstrap,
        topic,
        groupId,
        records: scenario.records,
        partitions: scenario.partitions,
        compression: scenario.compression,
      };
    case 'share':
      return { kind: 'share', bootstrap, topic, groupId, records: scenario.records };
    case 'latency':
      return {
        kind: 'latency',
        bootstrap,
        topic,
        groupId,
        rate: scenario.rate,
        seconds: scenario.seconds,
        warmupSeconds: scenario.warmupSeconds,
        size: scenario.size,
        lingerMs: scenario.lingerMs,
        batchSize: scenario.batchSize,
      };
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
