/**
 * Vltava against the other Kafka clients, in one run, on one broker: `npm run bench` (full: every scenario of the
 * issue, 5 repetitions, an hour or more on two cores) or `npm run bench -- --quick` (a subset, fewer records, one
 * repetition, under 3 minutes once the peers are installed).
 *
 * Every client runs in its own child process per repetition, against a fresh 6-partition topic, in rotating
 * order (A B C, B C A, ...). Results go to `bench/results/raw/<mode>-<time>.json` as they come; at the end the
 * report is written: `bench/RESULTS.md` and `bench/ratios.svg` (full), or `bench/results/raw/quick-RESULTS.md` and
 * `quick-ratios.svg` (quick). `npx tsx bench/compare/report.ts <raw.json>` rewrites a report from raw results.
 *
 * Options: `--quick`, `--reps N`, `--only produce,consume,latency` (kinds or scenario ids), `--clients a,b` (ids of
 * `compare/clients.ts`), `KAFKA_BROKERS=host:port` to use a running broker instead of starting one.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Admin } from '../packages/core/src/index.js';
import { nodeRuntime } from '../packages/core/test/compat/node-runtime.js';
import { KAFKA_VERSION } from '../tools/kafka-harness/src/index.js';
import { benchBrokerDescription, startBenchKafka } from './broker.js';
import { CLIENTS, type Client } from './compare/clients.js';
import { javaConsume, javaProduce, javaShareConsume, payloadFile } from './compare/java-perf.js';
import { type Job, type JobResult, RESULT_PREFIX } from './compare/job.js';
import { BENCH_DIR, type Blocked, installPeers, peerVersion, type Runtime } from './compare/peers.js';
import { type RawResults, type RunRecord, writeReport } from './compare/report.js';
import { PARTITIONS, type Scenario, scenarios } from './compare/scenarios.js';
import { benchTopic } from './producer/bench-support.js';

const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
};
const quick = argv.includes('--quick');
const reps = Number(option('reps') ?? (quick ? 1 : 5));
const only = option('only')?.split(',');
const onlyClients = option('clients')?.split(',');
const REPO = join(BENCH_DIR, '..');
const CHILD = join(BENCH_DIR, 'compare', 'child.ts');
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/**
 * The Node runtimes (the machine's, and 22), each with its install of the peer clients. The peers are installed only
 * when a selected client needs one (`--clients vltava,vltava-rx` installs nothing); without them a runtime's
 * `peerDir` is the bench folder, which has none.
 */
async function runtimes(needPeers: boolean): Promise<{ byMajor: Map<number, Runtime>; blocked: Map<number, Blocked> }> {
  const byMajor = new Map<number, Runtime>();
  const blocked = new Map<number, Blocked>();
  const own = Number(process.versions.node.split('.')[0]);
  const install = (node: string, major: number, nodedir: string | undefined) =>
    needPeers
      ? installPeers(node, major, nodedir, log)
      : Promise.resolve({
          peerDir: nodedir === undefined ? BENCH_DIR : join(BENCH_DIR, `.node${major}`),
          blocked: new Map() as Blocked,
        });
  const ownInstall = await install(process.execPath, own, undefined);
  byMajor.set(20, { major: own, node: process.execPath, version: process.version, peerDir: ownInstall.peerDir });
  blocked.set(20, ownInstall.blocked);
  const newer = own >= 22 ? undefined : await nodeRuntime(22);
  if (newer === undefined) {
    byMajor.set(22, byMajor.get(20)!);
    blocked.set(22, ownInstall.blocked);
  } else {
    const installed = await install(newer.node, 22, newer.nodedir);
    byMajor.set(22, { major: 22, node: newer.node, version: newer.version, peerDir: installed.peerDir });
    blocked.set(22, installed.blocked);
  }
  return { byMajor, blocked };
}

function runChild(runtime: Runtime, client: Client, job: Job): Promise<JobResult> {
  const args = [
    '--conditions=@vltava/source',
    '--import',
    'tsx',
    CHILD,
    client.driver,
    client.variant ?? '-',
    runtime.peerDir,
    JSON.stringify(job),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(runtime.node, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 900_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line !== undefined) resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as JobResult);
      else reject(new Error(`${client.id} exited with ${code}: ${(err || out).trim().slice(-1500)}`));
    });
  });
}

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = loadavg();
  const { byMajor, blocked } = await runtimes(
    CLIENTS.some((client) => client.peer !== undefined && (!onlyClients || onlyClients.includes(client.id))),
  );
  const runnable = CLIENTS.filter((client) => {
    if (onlyClients && !onlyClients.includes(client.id)) return false;
    if (client.peer === undefined || client.platform === 'java') return true;
    const reason = blocked.get(client.platform)?.get(client.peer);
    if (reason !== undefined) log(`${client.label}: blocked (${reason})`);
    return reason === undefined;
  });
  const list = scenarios(quick).filter((s) => !only || only.includes(s.kind) || only.includes(s.id));
  const external = process.env.KAFKA_BROKERS?.trim();
  const cluster = external ? undefined : await startBenchKafka((line) => log(`[harness] ${line}`));
  const bootstrap = external ?? cluster!.bootstrap;
  const admin = new Admin({ brokers: bootstrap, logLevel: 'error' });
  const rawDir = join(BENCH_DIR, 'results', 'raw');
  mkdirSync(rawDir, { recursive: true });
  const rawFile = join(rawDir, `${quick ? 'quick' : 'full'}-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const runs: RunRecord[] = [];
  const raw = (): RawResults => ({
    mode: quick ? 'quick' : 'full',
    started: started.toISOString(),
    finished: new Date().toISOString(),
    reps,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadBefore,
      loadAfter: loadavg(),
    },
    kafka: KAFKA_VERSION,
    ...(external ? {} : { broker: benchBrokerDescription() }),
    nodes: Object.fromEntries([...byMajor].map(([major, runtime]) => [major, runtime.version])),
    peers: Object.fromEntries(
      [...byMajor].flatMap(([major, runtime]) =>
        [...new Set(CLIENTS.flatMap((c) => (c.peer && c.platform === major ? [c.peer] : [])))].map((peer) => [
          `${peer} (Node ${major})`,
          peerVersion(runtime.peerDir, peer),
        ]),
      ),
    ),
    blocked: Object.fromEntries(
      [...blocked].flatMap(([major, map]) => [...map].map(([peer, reason]) => [`${peer} (Node ${major})`, reason])),
    ),
    clients: runnable.map(({ id, label, platform, baseline, target, shareTarget, floor, consumeFloor }) => ({
      id,
      label,
      platform,
      baseline,
      target,
      shareTarget,
      floor,
      consumeFloor,
    })),
    scenarios: list,
    runs,
  });
  const save = () => writeFileSync(rawFile, `${JSON.stringify(raw(), null, 1)}\n`);
  const payloads = new Map<number, Awaited<ReturnType<typeof payloadFile>>>();
  const payload = async (size: number) => {
    if (!payloads.has(size)) payloads.set(size, await payloadFile(size));
    return payloads.get(size)!.path;
  };

  const freshTopic = () => benchTopic(bootstrap, PARTITIONS);
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
  const dropTopic = async (topic: string) => {
    await admin.deleteTopics([topic]).catch((error: unknown) => log(`could not delete ${topic}: ${String(error)}`));
  };

  try {
    // Warm the broker (its JIT, page cache, log directories) with a run that is not counted.
    log('warm-up: one Java producer perf run, not counted');
    {
      const topic = await freshTopic();
      const settings = list.find((s) => s.kind === 'produce')?.settings;
      if (settings) await javaProduce({ kind: 'produce', bootstrap, topic, settings }, await payload(settings.size));
      await dropTopic(topic);
    }
    for (const scenario of list) {
      const clients = runnable.filter((client) => takesPart(client, scenario));
      let consumeTopic: string | undefined;
      if (scenario.kind === 'consume' || scenario.kind === 'share') {
        consumeTopic = await freshTopic();
        log(`pre-producing ${scenario.records} records of ${scenario.size} B into ${consumeTopic}`);
        await javaProduce(
          {
            kind: 'produce',
            bootstrap,
            topic: consumeTopic,
            settings: {
              records: scenario.records,
              size: scenario.size,
              acks: 1,
              compression: 'none',
              lingerMs: 5,
              batchSize: 65_536,
              arrayLength: 1,
              arraysInFlight: 1,
            },
          },
          await payload(scenario.size),
        );
      }
      // One run per throughput scenario that is not counted, so that no client's first repetition pays for the
      // broker's first contact with the scenario (a first fetch of the pre-produced topic, new batch sizes).
      const warmer = clients.find((client) => client.platform !== 'java');
      if (scenario.kind !== 'latency' && warmer !== undefined) {
        const topic = consumeTopic ?? (await freshTopic());
        const job = jobFor(scenario, bootstrap, topic, `bench-warm-up-${Date.now().toString(36)}`);
        await shareGroupFromEarliest(job);
        await runChild(byMajor.get(warmer.platform as 20 | 22)!, warmer, job).then(
          () => log(`${scenario.id}: warm-up run (${warmer.id}, not counted)`),
          (error: unknown) => log(`${scenario.id}: warm-up run failed: ${String(error)}`),
        );
        if (consumeTopic === undefined) await dropTopic(topic);
      }
      for (let rep = 1; rep <= reps; rep++) {
        const order = clients.map((_, i) => clients[(i + rep - 1) % clients.length]!);
        for (const client of order) {
          const topic = consumeTopic ?? (await freshTopic());
          const groupId = `bench-group-${client.id}-${rep}-${Date.now().toString(36)}`;
          const job = jobFor(scenario, bootstrap, topic, groupId);
          await shareGroupFromEarliest(job);
          const at = performance.now();
          let result: JobResult | undefined;
          let error: string | undefined;
          try {
            if (client.platform === 'java') {
              result =
                job.kind === 'produce'
                  ? await javaProduce(job, await payload(job.settings.size))
                  : job.kind === 'share'
                    ? await javaShareConsume(job)
                    : await javaConsume(job as Extract<Job, { kind: 'consume' }>);
            } else {
              result = await runChild(byMajor.get(client.platform)!, client, job);
            }
          } catch (failure) {
            error = String((failure as Error).message ?? failure);
          }
          if (consumeTopic === undefined) await dropTopic(topic);
          runs.push({ scenario: scenario.id, client: client.id, rep, result, error });
          save();
          const summary = result
            ? `${Math.round((result.records / result.ms) * 1000).toLocaleString('en')} records/s, ` +
              `${result.cpuSeconds.toFixed(2)} CPU s, ${Math.round(result.peakRssMiB)} MiB` +
              (result.latency ? `, p50 ${result.latency.p50} p99 ${result.latency.p99} ms` : '')
            : `FAILED: ${error?.split('\n')[0]}`;
          log(`${scenario.id} rep ${rep}/${reps} ${client.id}: ${summary} (${Math.round(performance.now() - at)} ms)`);
        }
      }
      if (consumeTopic !== undefined) await dropTopic(consumeTopic);
    }
  } finally {
    save();
    await admin.close();
    for (const file of payloads.values()) await file.remove();
    await cluster?.stop();
  }
  const out = quick ? rawDir : BENCH_DIR;
  writeReport(
    raw(),
    join(out, quick ? 'quick-RESULTS.md' : 'RESULTS.md'),
    join(out, quick ? 'quick-ratios.svg' : 'ratios.svg'),
  );
  log(`raw results: ${rawFile}`);
  log(`report: ${join(out, quick ? 'quick-RESULTS.md' : 'RESULTS.md')}`);
}

function takesPart(client: Client, scenario: Scenario): boolean {
  if (!client.kinds.includes(scenario.kind)) return false;
  if (scenario.kind !== 'produce' || client.produceOnly === undefined) return true;
  const { size, acks, compression } = scenario.settings;
  return client.produceOnly(size, acks, compression);
}

function jobFor(scenario: Scenario, bootstrap: string, topic: string, groupId: string): Job {
  switch (scenario.kind) {
    case 'produce':
      return { kind: 'produce', bootstrap, topic, settings: scenario.settings };
    case 'consume':
      return { kind: 'consume', bootstrap, topic, groupId, records: scenario.records, partitions: scenario.partitions };
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
