/**
 * What the producer, consumer, commit, rebalance and transaction channels cost the clients: producer send rate and
 * consumer drain rate against the benchmark broker (bench/broker.ts, one real node), as client CPU time per record
 * (`process.cpuUsage`: the broker is another process, and other work on a shared machine does not count), in
 * variants run in rotating order, several rounds:
 *
 * - `baseline`: `@vltava/core` of a commit before the client channels were published (`--baseline <ref>`, default
 *   the branch point 548ae50), its sources exported from git into bench/diagnostics/.baseline/ (ignored by git);
 * - `baseline again`: the same a second time, for the run's noise floor;
 * - `no subscriber`: the current core, nobody subscribed (the claim: the same as the baseline);
 * - `otel`: the current core with `@vltava/otel` and the real OpenTelemetry SDK (spans to an in-memory exporter,
 *   W3C context injected into every record's headers), enabled for its rounds only.
 *
 * The producer sends `--records` records of 100 bytes with `send(record, callback)` to a 3-partition topic and waits
 * for every acknowledgement; the consumer (no group, assigned) reads them back with `for await` to the end.
 *
 *   npx tsx --conditions=@vltava/source bench/diagnostics/client-path.ts [--rounds 5] [--records 100000]
 *     [--baseline ref] [--variants 'baseline,baseline again,no subscriber,otel']
 *
 * Writes bench/results/diagnostics/client-path-all.json (or -never-subscribed.json without the `otel` variant: the
 * channels then never had a subscriber in the process, see bench/diagnostics/README.md).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startBenchKafka } from '../broker.js';
import { printTable } from '../records/measure.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1]! : fallback;
};
const ROUNDS = Number(option('rounds', '5'));
const RECORDS = Number(option('records', '100000'));
const BASELINE_REF = option('baseline', '548ae50');
const VARIANTS = option('variants', 'baseline,baseline again,no subscriber,otel').split(',');
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
const BASELINE_DIR = join(HERE, '.baseline');

type CoreModule = typeof import('../../packages/core/src/index.js');

/** Exports `packages/core/src` of `ref` next to the current one, so that it resolves the same dependencies. */
async function loadBaseline(ref: string): Promise<CoreModule> {
  rmSync(BASELINE_DIR, { recursive: true, force: true });
  mkdirSync(BASELINE_DIR, { recursive: true });
  const archive = execFileSync('git', ['archive', ref, 'packages/core/src'], { cwd: REPO, maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '--exclude=*.test.ts', '-C', BASELINE_DIR], { input: archive });
  return (await import(join(BASELINE_DIR, 'packages/core/src/index.ts'))) as CoreModule;
}

/** Client CPU microseconds spent in `fn`. */
async function cpu(fn: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

const value = Buffer.alloc(100, 7);

async function produce(core: CoreModule, brokers: string, topic: string): Promise<number> {
  const producer = new core.Producer<string, Buffer>({ brokers, logLevel: 'error', lingerMs: 5 });
  await producer.connect();
  await producer.partitionsFor(topic);
  try {
    return await cpu(
      () =>
        new Promise<void>((resolve, reject) => {
          let left = RECORDS;
          const done = (error: unknown) => {
            if (error) reject(error);
            else if (--left === 0) resolve();
          };
          (async () => {
            for (let i = 0; i < RECORDS; i++) {
              if (producer.bufferAvailable < 1 << 20) await producer.waitForBuffer();
              producer.send({ topic, key: `k${i % 1000}`, value }, done);
            }
          })().catch(reject);
        }),
    );
  } finally {
    await producer.close();
  }
}

async function drain(core: CoreModule, brokers: string, topic: string): Promise<number> {
  const consumer = new core.Consumer<Buffer, Buffer>({ brokers, logLevel: 'error', autoOffsetReset: 'earliest' });
  consumer.assign([0, 1, 2].map((partition) => ({ topic, partition })));
  try {
    return await cpu(async () => {
      let read = 0;
      for await (const _record of consumer.records({ signal: AbortSignal.timeout(300_000) })) {
        if (++read >= RECORDS) break;
      }
      if (read < RECORDS) throw new Error(`read ${read} of ${RECORDS}`);
    });
  } finally {
    await consumer.close();
  }
}

const cluster = await startBenchKafka();
const brokers = cluster.bootstrap;
const current = (await import('../../packages/core/src/index.js')) as CoreModule;
const { instrumentVltava } = await import('../../packages/otel/src/index.js');
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const meterProvider = new MeterProvider();
const baseline = VARIANTS.some((v) => v.startsWith('baseline')) ? await loadBaseline(BASELINE_REF) : undefined;

const samples = new Map<string, { produce: number[]; drain: number[] }>();
try {
  let topicNumber = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
    for (const variant of order) {
      const core = variant.startsWith('baseline') ? baseline! : current;
      const instrumentation = variant === 'otel' ? instrumentVltava({ tracerProvider, meterProvider }) : undefined;
      const topic = `diag-client-path-${process.pid}-${topicNumber++}`;
      // Each variant's own admin client, so that both module copies run the same code paths (no bias from one of
      // them seeing more shapes).
      const admin = new core.Admin({ brokers, logLevel: 'error' });
      await admin.createTopics([{ topic, numPartitions: 3 }], { waitForMetadata: true });
      try {
        const p = await produce(core, brokers, topic);
        const d = await drain(core, brokers, topic);
        const entry = samples.get(variant) ?? { produce: [], drain: [] };
        entry.produce.push(p / RECORDS);
        entry.drain.push(d / RECORDS);
        samples.set(variant, entry);
        console.log(
          `round ${round} ${variant}: produce ${(p / RECORDS).toFixed(2)} us/rec, drain ${(d / RECORDS).toFixed(2)} us/rec`,
        );
      } finally {
        instrumentation?.disable();
        exporter.reset();
        await admin.deleteTopics([topic]).catch(() => undefined);
        await admin.close();
      }
    }
  }
} finally {
  await cluster.stop();
  rmSync(BASELINE_DIR, { recursive: true, force: true });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const base = samples.get('baseline');
const rows = [...samples].map(([variant, s]) => ({
  variant,
  'produce CPU us/record': median(s.produce).toFixed(3),
  'produce rate vs baseline': base === undefined ? '-' : (median(base.produce) / median(s.produce)).toFixed(3),
  'drain CPU us/record': median(s.drain).toFixed(3),
  'drain rate vs baseline': base === undefined ? '-' : (median(base.drain) / median(s.drain)).toFixed(3),
}));
printTable(`client path, ${RECORDS} records x ${ROUNDS} rounds (median)`, rows);
const out = join(
  REPO,
  'bench',
  'results',
  'diagnostics',
  `client-path-${VARIANTS.includes('otel') ? 'all' : 'never-subscribed'}.json`,
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ node: process.version, records: RECORDS, rounds: ROUNDS, baseline: BASELINE_REF, samples: Object.fromEntries(samples), rows }, null, 2)}\n`,
);
