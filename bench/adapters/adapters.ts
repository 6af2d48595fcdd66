/**
 * Vltava's Rx and stream layers against its core API, alternating, with CPU profiles: the loop behind the layers'
 * rows of `npm run bench` (same drivers, same child process per run), for working on the layers' per-record costs.
 *
 *   npx tsx --conditions=@vltava/source bench/adapters/adapters.ts [--reps 5] [--only produce-100,consume-100] [--prof dir]
 *     [--clients vltava,vltava-rx,vltava-streams,vltava-streams-send] [--brokers host:port] [--core-cell 10000x5]
 *
 * Scenarios: `produce-100` (1,000,000 x 100 B), `produce-1024` (200,000 x 1 KiB), acks=all idempotent, no compression,
 * `lingerMs` 10 and `batchSize` 200,000 as in `npm run bench`; `consume-100` (1,000,000 x 100 B pre-produced by the
 * core producer, drained in a fresh group). Prints each run, then per scenario the median records/s of each client,
 * its min-max, CPU s, and its ratio to the core API. With `--prof dir`, every run writes a `.cpuprofile` there
 * (`node --cpu-prof`, one folder per run); `bench/adapters/top-functions.ts` sums their self time by function.
 *
 * Uses the cluster named by `--brokers`, or starts the benchmark broker (`bench/broker.ts`) and stops it at the end.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Producer } from '../../packages/core/src/index.js';
import type { KafkaCluster } from '../../tools/kafka-harness/src/index.js';
import { startBenchKafka } from '../broker.js';
import { CLIENTS, type Client } from '../compare/clients.js';
import { type Job, type JobResult, RESULT_PREFIX } from '../compare/job.js';
import { payloadPool } from '../compare/payload.js';
import { BENCH_DIR } from '../compare/peers.js';
import { BATCH_SIZE, LINGER_MS, PARTITIONS } from '../compare/scenarios.js';
import { floorOf } from '../compare/targets.js';
import { benchTopic } from '../producer/bench-support.js';

const argv = process.argv.slice(2);
const option = (name: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
};
const REPS = Number(option('reps') ?? 5);
const ONLY = option('only')?.split(',') ?? ['produce-100', 'produce-1024', 'consume-100'];
const CLIENT_IDS = option('clients')?.split(',') ?? ['vltava', 'vltava-rx', 'vltava-streams', 'vltava-streams-send'];
const PROF = option('prof');
/** The core producer's array length and calls in flight (`--core-cell 10000x5`); default the common setting. */
const [ARRAY_LENGTH, ARRAYS_IN_FLIGHT] = (option('core-cell') ?? '1000x5').split('x').map(Number) as [number, number];
const CHILD = join(BENCH_DIR, 'compare', 'child.ts');

interface Scenario {
  readonly id: string;
  readonly job: (bootstrap: string, topic: string, groupId: string) => Job;
}

const produce =
  (size: number, records: number) =>
  (bootstrap: string, topic: string): Job => ({
    kind: 'produce',
    bootstrap,
    topic,
    settings: {
      records,
      size,
      acks: 'all',
      compression: 'none',
      lingerMs: LINGER_MS,
      batchSize: BATCH_SIZE,
      arrayLength: ARRAY_LENGTH,
      arraysInFlight: ARRAYS_IN_FLIGHT,
      keys: 0,
    },
  });

const SCENARIOS: Scenario[] = [
  { id: 'produce-100', job: produce(100, 1_000_000) },
  { id: 'produce-1024', job: produce(1024, 200_000) },
  {
    id: 'consume-100',
    job: (bootstrap, topic, groupId) => ({
      kind: 'consume',
      bootstrap,
      topic,
      groupId,
      records: 1_000_000,
      partitions: PARTITIONS,
      compression: 'none',
    }),
  },
];

function runChild(client: Client, job: Job, profile: string | undefined): Promise<JobResult> {
  const args = [
    // One folder per run: the main thread and tsx's loader thread each write a profile.
    ...(profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(PROF!, profile)}`]),
    '--conditions=@vltava/source',
    '--import',
    'tsx',
    CHILD,
    client.driver,
    client.variant ?? '-',
    BENCH_DIR,
    JSON.stringify(job),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: join(BENCH_DIR, '..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line !== undefined) resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as JobResult);
      else reject(new Error(`${client.id} exited with ${code}: ${out.trim().slice(-1500)}`));
    });
  });
}

async function preProduce(bootstrap: string, topic: string, records: number): Promise<void> {
  const producer = new Producer({ brokers: bootstrap, logLevel: 'error', lingerMs: 10, batchSize: BATCH_SIZE });
  const pool = payloadPool(100);
  for (let sent = 0; sent < records; sent += 10_000) {
    const batch = Array.from({ length: 10_000 }, (_, i) => ({ topic, value: pool[(sent + i) % pool.length]! }));
    const result = await producer.sendBatch(batch);
    if (result.failed > 0) throw result.firstError;
  }
  await producer.close();
}

const floorText = (floor: number | undefined, ratio: number) =>
  floor === undefined ? '' : ` (floor ${floor}: ${ratio >= floor - 1e-9 ? 'met' : 'missed'})`;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main(): Promise<void> {
  const external = option('brokers');
  const cluster: KafkaCluster | undefined = external === undefined ? await startBenchKafka() : undefined;
  const bootstrap = external ?? cluster!.bootstrap;
  if (PROF !== undefined) mkdirSync(PROF, { recursive: true });
  const clients = CLIENTS.filter((c) => CLIENT_IDS.includes(c.id));
  try {
    for (const scenario of SCENARIOS.filter((s) => ONLY.includes(s.id))) {
      const consume = scenario.id.startsWith('consume');
      const inScenario = clients.filter((c) => c.kinds.includes(consume ? 'consume' : 'produce'));
      let consumeTopic: string | undefined;
      if (consume) {
        consumeTopic = await benchTopic(bootstrap, PARTITIONS);
        await preProduce(bootstrap, consumeTopic, 1_000_000);
      }
      const results = new Map<string, JobResult[]>();
      for (let rep = 0; rep <= REPS; rep++) {
        // Rep 0 warms the broker up for the scenario and is not counted.
        const order =
          rep === 0 ? [inScenario[0]!] : inScenario.map((_, i) => inScenario[(i + rep) % inScenario.length]!);
        for (const client of order) {
          const topic = consumeTopic ?? (await benchTopic(bootstrap, PARTITIONS));
          const job = scenario.job(bootstrap, topic, `adapters-${client.id}-${rep}-${Date.now().toString(36)}`);
          const profile = PROF === undefined || rep === 0 ? undefined : `${scenario.id}-${client.id}-${rep}`;
          const result = await runChild(client, job, profile);
          const rate = Math.round((result.records / result.ms) * 1000);
          console.log(
            `${scenario.id} rep ${rep}${rep === 0 ? ' (warm-up)' : ''} ${client.id}: ${rate.toLocaleString('en')} ` +
              `records/s, ${result.cpuSeconds.toFixed(2)} CPU s${consume && result.note ? ` (${result.note})` : ''}`,
          );
          if (rep > 0) results.set(client.id, [...(results.get(client.id) ?? []), result]);
        }
      }
      const rateOf = (r: JobResult) => (r.records / r.ms) * 1000;
      const core = median((results.get('vltava') ?? []).map(rateOf));
      console.log(`\n${scenario.id}: client, median records/s (min-max), median CPU s, ratio to the core API`);
      for (const client of inScenario) {
        const list = results.get(client.id) ?? [];
        const rates = list.map(rateOf);
        const m = median(rates);
        console.log(
          `  ${client.id.padEnd(20)} ${Math.round(m).toLocaleString('en').padStart(10)} ` +
            `(${Math.round(Math.min(...rates)).toLocaleString('en')}-${Math.round(Math.max(...rates)).toLocaleString('en')})` +
            `  ${median(list.map((r) => r.cpuSeconds)).toFixed(2)} CPU s  ${(m / core).toFixed(2)}` +
            floorText(floorOf(client, consume ? 'consume' : 'produce'), m / core),
        );
      }
      console.log('');
    }
  } finally {
    await cluster?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
