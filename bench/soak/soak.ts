/**
 * The soak (`npm run bench -- --soak`; not part of CI): a 3-node cluster, a client process (`soak-client.ts`) with a
 * producer, an Rx pipeline and a `for await` group at a steady rate for `--soak-minutes` (default 120), and a broker
 * killed (-9) every `--soak-kill-every` minutes (default 4), restarted `--soak-down-seconds` later (default 20).
 * The client samples its memory after a forced GC; this process writes the samples, the kills and the end-to-end
 * counts to `bench/results/soak/<time>.jsonl` and then checks that each group's committed offsets equal its
 * topic's end offsets, and renders the soak section into a markdown file (`bench/results/soak/<time>.md`;
 * `compare/render.ts` puts the newest soak into RESULTS.md).
 *
 * Options: `--soak-minutes`, `--soak-warmup-minutes` (10), `--soak-rate` records/s (1000), `--soak-kill-every`,
 * `--soak-down-seconds`, `--soak-sample-seconds` (30; 10 for runs under an hour), `--soak-node` (24), and
 * `--soak-malloc-arena-max N` (glibc's MALLOC_ARENA_MAX for the client: how much of RSS is malloc arenas).
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Admin } from '../../packages/core/src/index.js';
import { nodeRuntime } from '../../packages/core/test/compat/node-runtime.js';
import { KAFKA_VERSION, startKafka } from '../../tools/kafka-harness/src/index.js';
import { BENCH_DIR } from '../compare/peers.js';
import { readSoak, type SoakEnd, type SoakHeader, soakMarkdown } from './soak-report.js';
import { COUNTS_PREFIX, SAMPLE_PREFIX, type SoakClientOptions, type SoakCounts } from './soak-samples.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the soak. */
export async function runSoak(
  option: (name: string) => string | undefined,
  log: (line: string) => void,
): Promise<void> {
  const number = (name: string, fallback: number) => {
    const value = option(name);
    const parsed = value === undefined ? fallback : Number(value);
    if (!(parsed > 0)) throw new Error(`--${name}: a positive number, not ${value}`);
    return parsed;
  };
  const minutes = number('soak-minutes', 120);
  const warmupMinutes = number('soak-warmup-minutes', Math.min(10, minutes / 3));
  const rate = number('soak-rate', 1000);
  const killEveryMinutes = number('soak-kill-every', 4);
  const downSeconds = number('soak-down-seconds', 20);
  const sampleSeconds = number('soak-sample-seconds', minutes < 60 ? 10 : 30);
  const line = number('soak-node', 24);
  const arenas = option('soak-malloc-arena-max');
  const env: Record<string, string> = arenas === undefined ? {} : { MALLOC_ARENA_MAX: arenas };

  const started = new Date();
  const folder = join(BENCH_DIR, 'results', 'soak');
  mkdirSync(folder, { recursive: true });
  const stamp = started.toISOString().slice(0, 16).replace(/:/g, '-');
  const file = join(folder, `${stamp}.jsonl`);
  const write = (record: object) => appendFileSync(file, `${JSON.stringify(record)}\n`);
  const node = await nodeRuntime(line);
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['describe', '--always', '--dirty'], { cwd: BENCH_DIR, encoding: 'utf8' }).trim();
  } catch {}
  const header: SoakHeader = {
    type: 'soak-header',
    started: started.toISOString(),
    commit,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
    node: `Node ${node.version}`,
    kafka: KAFKA_VERSION,
    minutes,
    warmupMinutes,
    rate,
    killEveryMinutes,
    downSeconds,
    sampleSeconds,
    env,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, loadBefore: loadavg() },
  };
  writeFileSync(file, `${JSON.stringify(header)}\n`);

  log(`soak: ${minutes} min at ${rate} records/s, a broker killed every ${killEveryMinutes} min; ${file}`);
  const cluster = await startKafka({ nodes: 3, log: (text) => log(`[harness] ${text}`) });
  const admin = new Admin({ brokers: cluster.bootstrap, logLevel: 'error' });
  const inTopic = 'soak-in';
  const outTopic = 'soak-out';
  let end: SoakEnd = { type: 'soak-end', finished: '', committed: {} };
  try {
    const created = await admin.createTopics(
      [inTopic, outTopic].map((topic) => ({
        topic,
        numPartitions: 6,
        replicationFactor: 3,
        // Keep a few minutes of records: the disk stays small however long the soak runs.
        configs: { 'retention.ms': '900000', 'segment.ms': '300000', 'segment.bytes': String(16 * 1024 * 1024) },
      })),
      { waitForMetadata: true },
    );
    for (const result of created) if (result.error !== undefined) throw result.error;

    const clientOptions: SoakClientOptions = { minutes, rate, sampleSeconds, inTopic, outTopic };
    const child = spawn(
      node.node,
      [
        '--expose-gc',
        '--conditions=@vltava/source',
        '--import',
        'tsx',
        join(BENCH_DIR, 'soak', 'soak-client.ts'),
        cluster.bootstrap,
        JSON.stringify(clientOptions),
      ],
      { cwd: join(BENCH_DIR, '..'), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
    );
    const t0 = performance.now();
    const seconds = () => Math.round((performance.now() - t0) / 100) / 10;
    let counts: SoakCounts | undefined;
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let at = buffered.indexOf('\n');
      while (at >= 0) {
        const text = buffered.slice(0, at);
        buffered = buffered.slice(at + 1);
        if (text.startsWith(SAMPLE_PREFIX)) {
          const sample = JSON.parse(text.slice(SAMPLE_PREFIX.length));
          write({ type: 'sample', ...sample });
          if (Math.round(sample.t) % 300 < sampleSeconds) {
            log(
              `soak t=${Math.round(sample.t / 60)} min: RSS ${sample.rssMiB} MiB, heap ${sample.heapUsedMiB} MiB, ` +
                `external ${sample.externalMiB} MiB, handles ${sample.handles}, sent ${sample.sent}, checked ${sample.checked}`,
            );
          }
        } else if (text.startsWith(COUNTS_PREFIX)) {
          counts = JSON.parse(text.slice(COUNTS_PREFIX.length)) as SoakCounts;
        }
        at = buffered.indexOf('\n');
      }
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));

    // Broker kills, round robin over the nodes, none in the last three minutes (the drain needs every broker).
    let stop = false;
    const killing = (async () => {
      let next = 0;
      const ids = cluster.nodes.map((n) => n.nodeId);
      for (;;) {
        const waitUntil = t0 + (next + 1) * killEveryMinutes * 60_000;
        while (!stop && performance.now() < waitUntil) await sleep(1000);
        if (stop || performance.now() > t0 + (minutes - 3) * 60_000) return;
        const id = ids[next % ids.length]!;
        next++;
        write({ type: 'soak-event', t: seconds(), what: `kill node ${id}` });
        log(`soak: killing node ${id}`);
        await cluster.killNode(id);
        await sleep(downSeconds * 1000);
        write({ type: 'soak-event', t: seconds(), what: `restart node ${id}` });
        await cluster.restartNode(id);
        write({ type: 'soak-event', t: seconds(), what: `node ${id} back` });
      }
    })();
    const code = await exited;
    stop = true;
    await killing;
    if (code !== 0 || counts === undefined)
      throw new Error(`the soak client exited with ${code}: ${stderr.slice(-3000)}`);

    const committed: SoakEnd['committed'] = {};
    for (const [group, topic] of [
      ['soak-rx', inTopic],
      ['soak-check', outTopic],
    ] as const) {
      const [result] = await admin.listGroupOffsets([group], { includeLag: true });
      if (result === undefined || result.error !== undefined)
        throw result?.error ?? new Error(`no offsets of ${group}`);
      let lag = 0;
      let partitions = 0;
      for (const partition of result.offsets) {
        if (partition.topic !== topic) continue;
        partitions++;
        lag += partition.error === undefined ? Number(partition.lag ?? Number.NaN) : Number.NaN;
      }
      committed[group] = { equal: partitions === 6 && lag === 0, lag: partitions === 6 ? lag : Number.NaN };
    }
    end = { type: 'soak-end', finished: new Date().toISOString(), counts, committed };
  } catch (error) {
    end = {
      ...end,
      finished: new Date().toISOString(),
      error: String((error as Error).message ?? error).slice(0, 3000),
    };
    throw error;
  } finally {
    write(end);
    await admin.close();
    await cluster.stop();
    const markdown = join(folder, `${stamp}.md`);
    writeFileSync(markdown, `${soakMarkdown(readSoak(file), `${stamp}.jsonl`).join('\n')}\n`);
    log(`soak: ${file}; summary ${markdown}`);
  }
}
