/**
 * The Java client's own performance tools, from the harness's Kafka artifacts, as child JVMs measured like the
 * Node clients: `kafka-producer-perf-test`, `kafka-consumer-perf-test` and `kafka-share-consumer-perf-test` run
 * under `/usr/bin/time` (GNU time), which reports the JVM's user and system CPU seconds and peak RSS (the whole
 * JVM: start-up and JIT included, which the Node figures leave out). Without `/usr/bin/time` the figures are
 * missing (null), the throughput is not.
 *
 * - The producer tool runs its scenario's `javaRecords` (5x the Node clients' at 100 B) with the first 20% as
 *   `--warmup-records`, and reports its total rate and its steady-state rate (the line it adds for the records after
 *   the warm-up). Keyed scenarios use `--key-distribution range --record-key-range <keys>`, the keys the Node
 *   drivers send.
 * - Both consumer tools set `check.crcs=false` after reading their options (no option turns the checks back on),
 *   where Vltava checks CRCs: they run through `java/VltavaCrcCheckedPerf.java`, compiled here with `javac` once per
 *   Kafka version, which calls each tool's own `run(args, consumerFactory)` with a factory that sets
 *   `check.crcs=true`. Without `javac` the tools run as shipped (CRC checks off), and the result says so.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { toolJvmOptions } from '../../tools/kafka-harness/src/cluster/jvm-options.js';
import { findJava, harnessCacheDir, KAFKA_TOOLS, resolveKafka } from '../../tools/kafka-harness/src/index.js';
import { type ConsumeJob, type JobResult, type ProduceJob, type ShareConsumeJob, STEADY_STATE_FROM } from './job.js';
import { payloadPool } from './payload.js';

const TIME = '/usr/bin/time';
const CRC_CHECKED = join(import.meta.dirname, 'java', 'VltavaCrcCheckedPerf.java');
const CRC_CHECKED_CLASS = 'org.apache.kafka.tools.VltavaCrcCheckedPerf';

let crcChecked: Promise<string | undefined> | undefined;

/**
 * The folder holding the compiled `VltavaCrcCheckedPerf` for this Kafka version (compiled on first use, cached by
 * the source's hash), or undefined when there is no `javac`.
 */
export function crcCheckedClasses(): Promise<string | undefined> {
  crcChecked ??= (async () => {
    const [java, artifacts] = await Promise.all([findJava(), resolveKafka()]);
    const source = readFileSync(CRC_CHECKED);
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
    const folder = join(harnessCacheDir(), 'bench-java', `${artifacts.version}-${hash}`);
    if (existsSync(join(folder, 'org', 'apache', 'kafka', 'tools', 'VltavaCrcCheckedPerf.class'))) return folder;
    const sibling = join(dirname(java.command), 'javac');
    const javac = java.command.includes('/') && existsSync(sibling) ? sibling : 'javac';
    const scratch = `${folder}.tmp-${process.pid}`;
    try {
      await mkdir(scratch, { recursive: true });
      await promisify(execFile)(javac, ['-cp', artifacts.classpath.join(delimiter), '-d', scratch, CRC_CHECKED], {
        timeout: 120_000,
      });
      await rm(folder, { recursive: true, force: true });
      await rename(scratch, folder);
      return folder;
    } catch {
      await rm(scratch, { recursive: true, force: true });
      return undefined;
    }
  })();
  return crcChecked;
}

interface JvmRun {
  readonly stdout: string;
  readonly cpuSeconds: number | null;
  readonly peakRssMiB: number | null;
  /** Consumer tools: whether they ran with `check.crcs=true`. */
  readonly crcChecks: boolean;
}

async function runTool(
  tool: 'kafka-producer-perf-test' | 'kafka-consumer-perf-test' | 'kafka-share-consumer-perf-test',
  args: string[],
) {
  const [java, artifacts] = await Promise.all([findJava(), resolveKafka()]);
  const scratch = await mkdtemp(join(tmpdir(), 'vltava-bench-java-'));
  const timeFile = join(scratch, 'time.txt');
  const crcClasses = tool === 'kafka-producer-perf-test' ? undefined : await crcCheckedClasses();
  const classpath = crcClasses === undefined ? artifacts.classpath : [...artifacts.classpath, crcClasses];
  const main =
    crcClasses === undefined
      ? [KAFKA_TOOLS[tool].mainClass]
      : [CRC_CHECKED_CLASS, tool === 'kafka-consumer-perf-test' ? 'consumer' : 'share'];
  const jvm = [...toolJvmOptions(true), '-cp', classpath.join(delimiter), ...main, ...args];
  const timed = existsSync(TIME);
  const [command, argv] = timed
    ? [TIME, ['-f', '%U %S %M', '-o', timeFile, java.command, ...jvm]]
    : [java.command, jvm];
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
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
        child.once('close', (exit) => {
          clearTimeout(timer);
          resolve({ code: exit, stdout: out, stderr: err });
        });
      },
    );
    if (code !== 0) throw new Error(`${tool} exited with ${code}: ${stderr.slice(-2000)}`);
    let cpuSeconds: number | null = null;
    let peakRssMiB: number | null = null;
    if (timed) {
      const [user, system, rssKb] = (await readFile(timeFile, 'utf8')).trim().split(/\s+/).map(Number);
      cpuSeconds = user! + system!;
      peakRssMiB = rssKb! / 1024;
    }
    return { stdout, cpuSeconds, peakRssMiB, crcChecks: crcClasses !== undefined } satisfies JvmRun;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Writes the bench's payload pool for `size` as a `--payload-file` (one value per line). */
export async function payloadFile(size: number): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vltava-bench-payload-'));
  const path = join(dir, `payload-${size}.txt`);
  await writeFile(
    path,
    payloadPool(size)
      .map((value) => value.toString('latin1'))
      .join('\n'),
  );
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * `kafka-producer-perf-test` with the scenario's settings and the bench's payloads: `job.settings.records` records,
 * the first {@link STEADY_STATE_FROM} of them as `--warmup-records`.
 */
export async function javaProduce(job: ProduceJob, payload: string): Promise<JobResult> {
  const { records, size, acks, compression, lingerMs, batchSize, keys } = job.settings;
  const warmup = Math.round(records * STEADY_STATE_FROM);
  const run = await runTool('kafka-producer-perf-test', [
    '--topic',
    job.topic,
    '--num-records',
    String(records),
    '--warmup-records',
    String(warmup),
    '--payload-file',
    payload,
    '--throughput',
    '-1',
    ...(keys > 0 ? ['--key-distribution', 'range', '--record-key-range', String(keys)] : []),
    '--command-property',
    `bootstrap.servers=${job.bootstrap}`,
    `acks=${acks === 'all' ? 'all' : '1'}`,
    `enable.idempotence=${acks === 'all'}`,
    `compression.type=${compression}`,
    `linger.ms=${lingerMs}`,
    `batch.size=${batchSize}`,
  ]);
  // "5000000 records sent, 523012.3 records/sec (49.88 MB/sec), ..." is the summary line; with a warm-up the tool
  // adds "4000000 steady state records sent, 561234.5 records/sec ...".
  const lines = run.stdout.trim().split('\n').reverse();
  const total = lines.map((line) => /^(\d+) records sent, ([\d.]+) records\/sec/.exec(line)).find(Boolean);
  const steady = lines
    .map((line) => /^(\d+) steady state records sent, ([\d.]+) records\/sec/.exec(line))
    .find(Boolean);
  const rate = Number(total?.[2]);
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`no summary from the producer perf test:\n${run.stdout}`);
  const steadyRecords = Number(steady?.[1]);
  const steadyRate = Number(steady?.[2]);
  return {
    records,
    bytes: records * size,
    ms: (records / rate) * 1000,
    ...(steadyRate > 0 ? { steady: { records: steadyRecords, ms: (steadyRecords / steadyRate) * 1000 } } : {}),
    produced: records,
    cpuSeconds: run.cpuSeconds ?? Number.NaN,
    peakRssMiB: run.peakRssMiB ?? Number.NaN,
    note: `--warmup-records ${warmup}`,
  };
}

/** `kafka-consumer-perf-test` in the job's group, from the earliest offset, until the job's record count. */
export async function javaConsume(job: ConsumeJob): Promise<JobResult> {
  const run = await runTool('kafka-consumer-perf-test', [
    '--bootstrap-server',
    job.bootstrap,
    '--topic',
    job.topic,
    '--num-records',
    String(job.records),
    '--group',
    job.groupId,
    '--timeout',
    '120000',
  ]);
  // Header: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
  // rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const lines = run.stdout.trim().split('\n');
  const header = lines.findIndex((line) => line.startsWith('start.time'));
  const fields = (lines[header + 1] ?? '').split(',').map((field) => field.trim());
  const records = Number(fields[4]);
  const rate = Number(fields[5]);
  if (!(records >= job.records) || !(rate > 0)) throw new Error(`unexpected consumer perf test output:\n${run.stdout}`);
  const mb = Number(fields[2]);
  return {
    records,
    bytes: Math.round(mb * 1024 * 1024),
    ms: (records / rate) * 1000,
    cpuSeconds: run.cpuSeconds ?? Number.NaN,
    peakRssMiB: run.peakRssMiB ?? Number.NaN,
    note:
      `${run.crcChecks ? 'check.crcs=true' : 'check.crcs=false (no javac)'}; rebalance ${fields[6]} ms, ` +
      `fetch ${fields[7]} ms (${fields[9]} records/s while fetching)`,
  };
}

/**
 * `kafka-share-consumer-perf-test` in the job's share group (whose `share.auto.offset.reset` the orchestrator set
 * to `earliest`), until the job's record count. Its defaults: one share consumer, implicit acknowledgement.
 */
export async function javaShareConsume(job: ShareConsumeJob): Promise<JobResult> {
  const run = await runTool('kafka-share-consumer-perf-test', [
    '--bootstrap-server',
    job.bootstrap,
    '--topic',
    job.topic,
    '--num-records',
    String(job.records),
    '--group',
    job.groupId,
    '--timeout',
    '120000',
  ]);
  // Header: start.time, end.time, data.consumed.in.MB, MB.sec, nMsg.sec, data.consumed.in.nMsg, fetch.time.ms
  const lines = run.stdout.trim().split('\n');
  const header = lines.findIndex((line) => line.startsWith('start.time'));
  const names = (lines[header] ?? '').split(',').map((field) => field.trim());
  const fields = (lines[header + 1] ?? '').split(',').map((field) => field.trim());
  const field = (name: string) => Number(fields[names.indexOf(name)]);
  const records = field('data.consumed.in.nMsg');
  const rate = field('nMsg.sec');
  if (!(records >= job.records) || !(rate > 0))
    throw new Error(`unexpected share consumer perf test output:\n${run.stdout}`);
  return {
    records,
    bytes: Math.round(field('data.consumed.in.MB') * 1024 * 1024),
    ms: (records / rate) * 1000,
    cpuSeconds: run.cpuSeconds ?? Number.NaN,
    peakRssMiB: run.peakRssMiB ?? Number.NaN,
    note: `${run.crcChecks ? 'check.crcs=true' : 'check.crcs=false (no javac)'}; fetch ${fields[names.indexOf('fetch.time.ms')]} ms`,
  };
}
