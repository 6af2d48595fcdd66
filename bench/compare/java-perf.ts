/**
 * The Java client's own performance tools, from the harness's Kafka artifacts, as child JVMs measured like the
 * Node clients: `kafka-producer-perf-test` and `kafka-consumer-perf-test` run under `/usr/bin/time` (GNU time),
 * which reports the JVM's user and system CPU seconds and peak RSS (the whole JVM: start-up and JIT included, which
 * the Node figures leave out). Without `/usr/bin/time` the figures are missing (null), the throughput is not.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { toolJvmOptions } from '../../tools/kafka-harness/src/cluster/jvm-options.js';
import { findJava, KAFKA_TOOLS, resolveKafka } from '../../tools/kafka-harness/src/index.js';
import type { ConsumeJob, JobResult, ProduceJob, ShareConsumeJob } from './job.js';
import { payloadPool } from './payload.js';

const TIME = '/usr/bin/time';

interface JvmRun {
  readonly stdout: string;
  readonly cpuSeconds: number | null;
  readonly peakRssMiB: number | null;
}

async function runTool(
  tool: 'kafka-producer-perf-test' | 'kafka-consumer-perf-test' | 'kafka-share-consumer-perf-test',
  args: string[],
) {
  const [java, artifacts] = await Promise.all([findJava(), resolveKafka()]);
  const scratch = await mkdtemp(join(tmpdir(), 'vltava-bench-java-'));
  const timeFile = join(scratch, 'time.txt');
  const jvm = [
    ...toolJvmOptions(true),
    '-cp',
    artifacts.classpath.join(delimiter),
    KAFKA_TOOLS[tool].mainClass,
    ...args,
  ];
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
    return { stdout, cpuSeconds, peakRssMiB } satisfies JvmRun;
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

/** `kafka-producer-perf-test` with the scenario's settings and the bench's payloads. */
export async function javaProduce(job: ProduceJob, payload: string): Promise<JobResult> {
  const { records, size, acks, compression, lingerMs, batchSize } = job.settings;
  const run = await runTool('kafka-producer-perf-test', [
    '--topic',
    job.topic,
    '--num-records',
    String(records),
    '--payload-file',
    payload,
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${job.bootstrap}`,
    `acks=${acks === 'all' ? 'all' : '1'}`,
    `enable.idempotence=${acks === 'all'}`,
    `compression.type=${compression}`,
    `linger.ms=${lingerMs}`,
    `batch.size=${batchSize}`,
  ]);
  // "1000000 records sent, 523012.3 records/sec (49.88 MB/sec), ..." is the summary line.
  const summary = run.stdout
    .trim()
    .split('\n')
    .reverse()
    .find((line) => /records sent, [\d.]+ records\/sec/.test(line));
  const rate = Number(summary?.match(/records sent, ([\d.]+) records\/sec/)?.[1]);
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`no summary from the producer perf test:\n${run.stdout}`);
  return {
    records,
    bytes: records * size,
    ms: (records / rate) * 1000,
    cpuSeconds: run.cpuSeconds ?? Number.NaN,
    peakRssMiB: run.peakRssMiB ?? Number.NaN,
    note: summary,
  };
}

/** `kafka-consumer-perf-test` in the job's group, from the earliest offset, until the job's record count. */
export async function javaConsume(job: ConsumeJob): Promise<JobResult> {
  const run = await runTool('kafka-consumer-perf-test', [
    '--bootstrap-server',
    job.bootstrap,
    '--topic',
    job.topic,
    '--messages',
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
    note: `rebalance ${fields[6]} ms, fetch ${fields[7]} ms (${fields[9]} records/s while fetching)`,
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
    note: `fetch ${fields[names.indexOf('fetch.time.ms')]} ms`,
  };
}
