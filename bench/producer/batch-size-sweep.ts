/**
 * What the broker pays per batch: Vltava's producer sends the same 1 KiB records with several `batchSize` values
 * and, per run, reports records/s, the client's CPU seconds, the broker JVM's CPU seconds (from /proc), and the
 * Produce requests and batches that went out (from `producer.metrics()`).
 *
 * It was written to read the 1 KiB scenarios of `npm run bench` when the benchmark broker rolled a log segment every
 * MiB (the test suites' setting): there the broker's cost, not the client's, set every client's pace.
 *
 * Run: `npx tsx --conditions=@vltava/source bench/producer/batch-size-sweep.ts` (starts the benchmark broker of
 * `bench/broker.ts`). `WARMUPS` (default 4) uncounted runs first (a fresh broker's JIT), then `REPS` (default 3)
 * repetitions, batch sizes rotated; `BATCH_SIZES` (comma-separated, default 16384,65536,262144,1048576); `RECORDS`
 * (default 200,000); `SIZE` (default 1024); `ACKS` (`1` or `all`, default `1`); `COMPRESSION` (default `none`);
 * `COMPRESSION_WORKERS` (comma-separated values of the producer's `compressionWorkers`, each run against every batch
 * size, rotated with them; default: the producer's default only); `lingerMs` 5 throughout. With `KAFKA_BROKERS` the broker's CPU is read from `BROKER_PID` when set, otherwise left
 * out.
 */
import type { KafkaCluster } from '@vltava/kafka-harness';
import { Admin, metricValue, Producer } from '../../packages/core/src/index.js';
import { startBenchKafka } from '../broker.js';
import { sendAll, vltavaProducerOptions } from '../compare/drivers/vltava.js';
import type { Compression, ProduceJob } from '../compare/job.js';
import { processCpuSeconds } from '../compare/proc-stat.js';
import { benchTopic } from './bench-support.js';

const BATCH_SIZES = (process.env.BATCH_SIZES ?? '16384,65536,262144,1048576').split(',').map(Number);
const reps = Number(process.env.REPS ?? 3);
const warmups = Number(process.env.WARMUPS ?? 4);
const records = Number(process.env.RECORDS ?? 200_000);
const size = Number(process.env.SIZE ?? 1024);
const acks = process.env.ACKS === 'all' ? 'all' : 1;
const compression = (process.env.COMPRESSION ?? 'none') as Compression;
const WORKERS: Array<number | undefined> = process.env.COMPRESSION_WORKERS?.split(',').map(Number) ?? [undefined];
/** Every batch size with every `compressionWorkers` value. */
const CONFIGS = BATCH_SIZES.flatMap((batchSize) => WORKERS.map((workers) => ({ batchSize, workers })));
type Config = (typeof CONFIGS)[number];
interface Run {
  readonly config: Config;
  readonly rate: number;
  readonly clientCpu: number;
  readonly brokerCpu: number | undefined;
  readonly requests: number;
  readonly batches: number;
}

async function runOnce(bootstrap: string, brokerPid: number | undefined, config: Config): Promise<Run> {
  const { batchSize, workers } = config;
  const topic = await benchTopic(bootstrap, 6);
  const job: ProduceJob = {
    kind: 'produce',
    bootstrap,
    topic,
    settings: {
      records,
      size,
      acks,
      compression,
      lingerMs: 5,
      batchSize,
      arrayLength: 10_000,
      arraysInFlight: 4,
      keys: 0,
    },
  };
  const producer = new Producer({
    ...vltavaProducerOptions(job),
    ...(workers === undefined ? {} : { compressionWorkers: workers }),
  });
  await producer.send({ topic, value: Buffer.alloc(1) });
  const brokerBefore = processCpuSeconds(brokerPid);
  const cpuBefore = process.cpuUsage();
  const { ms } = await sendAll(producer, job); // the bench driver's loop: sendBatch of 10,000, four in flight
  const cpu = process.cpuUsage(cpuBefore);
  const brokerAfter = processCpuSeconds(brokerPid);
  const counter = (name: string) => {
    const family = producer.metrics().find((m) => m.name === name);
    return family?.type === 'counter' ? (metricValue([family], name) ?? Number.NaN) : Number.NaN;
  };
  const result: Run = {
    config,
    rate: (records / ms) * 1000,
    clientCpu: (cpu.user + cpu.system) / 1e6,
    brokerCpu: brokerBefore === undefined || brokerAfter === undefined ? undefined : brokerAfter - brokerBefore,
    requests: counter('vltava_producer_requests_total'),
    batches: counter('vltava_producer_batches_sent_total'),
  };
  await producer.close();
  const admin = new Admin({ brokers: bootstrap, logLevel: 'error' });
  await admin.deleteTopics([topic]).finally(() => admin.close());
  return result;
}

function label(config: Config): string {
  return `batchSize ${config.batchSize}${config.workers === undefined ? '' : `, compressionWorkers ${config.workers}`}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const external = process.env.KAFKA_BROKERS?.trim();
let cluster: KafkaCluster | undefined;
try {
  cluster = external ? undefined : await startBenchKafka((m) => console.error(`[harness] ${m}`));
  const bootstrap = external ?? cluster!.bootstrap;
  const brokerPid = external
    ? process.env.BROKER_PID === undefined
      ? undefined
      : Number(process.env.BROKER_PID)
    : cluster!.nodes[0]?.pid;
  for (let i = 0; i < warmups; i++) {
    console.error(`warm-up ${i + 1} of ${warmups} (not counted)`);
    await runOnce(bootstrap, brokerPid, CONFIGS[i % CONFIGS.length]!);
  }
  const runs: Run[] = [];
  for (let rep = 0; rep < reps; rep++) {
    for (let i = 0; i < CONFIGS.length; i++) {
      const config = CONFIGS[(i + rep) % CONFIGS.length]!;
      const run = await runOnce(bootstrap, brokerPid, config);
      runs.push(run);
      const cpu = `client ${run.clientCpu.toFixed(2)} CPU s, broker ${run.brokerCpu?.toFixed(2) ?? 'n/a'}`;
      console.error(`${label(config)}: ${Math.round(run.rate)} records/s (${cpu})`);
    }
  }
  const fixed = (value: number | undefined, digits: number) => (value === undefined ? 'n/a' : value.toFixed(digits));
  console.log(
    `${records.toLocaleString('en')} records of ${size} B, acks=${acks}, ${compression}, lingerMs 5; medians of ${reps}`,
  );
  console.log('');
  console.log(
    '| batchSize | compressionWorkers | records/s (min-max) | client CPU s | broker CPU s | requests | batches | ' +
      'batches/request |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const config of CONFIGS) {
    const mine = runs.filter((r) => r.config === config);
    const rates = mine.map((r) => r.rate);
    const brokerCpus = mine.flatMap((r) => (r.brokerCpu === undefined ? [] : [r.brokerCpu]));
    const requests = median(mine.map((r) => r.requests));
    const batches = median(mine.map((r) => r.batches));
    console.log(
      `| ${config.batchSize.toLocaleString('en')} | ${config.workers ?? 'default'} | ` +
        `${Math.round(median(rates)).toLocaleString('en')} ` +
        `(${Math.round(Math.min(...rates)).toLocaleString('en')}-${Math.round(Math.max(...rates)).toLocaleString('en')}) | ` +
        `${median(mine.map((r) => r.clientCpu)).toFixed(2)} | ` +
        `${fixed(brokerCpus.length === 0 ? undefined : median(brokerCpus), 2)} | ${requests} | ${batches} | ` +
        `${(batches / requests).toFixed(1)} |`,
    );
  }
} finally {
  await cluster?.stop();
}
