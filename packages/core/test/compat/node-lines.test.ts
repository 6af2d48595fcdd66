// @vltava/core must run on Node.js 20, 22 and 24. The suites run on the machine's Node (20); this suite packs the
// built package the way it is published, installs it into a fresh project with the newer Node lines (native codecs
// compiled for that Node), and sends and reads records in every codec through both the ESM and the CommonJS entry
// (zstd also in batches large enough for the compression worker threads).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRuntime } from './node-runtime.js';

const run = promisify(execFile);
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const coreDir = join(repoRoot, 'packages/core');
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const PER_CODEC = 40;

let workDir: string;
let tarball: string;

/** The npm CLI script, to run with another Node binary. */
async function npmCli(): Promise<string> {
  if (process.env.npm_execpath?.endsWith('.js')) return process.env.npm_execpath;
  const { stdout } = await run('which', ['npm']);
  return realpathSync(stdout.trim());
}

beforeAll(async () => {
  if (!existsSync(join(coreDir, 'dist/esm/index.js')) || !existsSync(join(coreDir, 'dist/cjs/index.js'))) {
    throw new Error('packages/core/dist is missing: `npm test` builds it first; alone, run `npm run build` before');
  }
  workDir = mkdtempSync(join(tmpdir(), 'vltava-compat-'));
  await run('npm', ['pack', '--pack-destination', workDir], { cwd: coreDir, timeout: 120_000 });
  const packed = readdirSync(workDir).find((name) => name.endsWith('.tgz'));
  if (packed === undefined) throw new Error('npm pack produced no tarball');
  tarball = join(workDir, packed);
}, 180_000);

afterAll(() => {
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

/** The same program in both module systems: create a topic, send in every codec, read everything back. */
function smokeProgram(moduleSystem: 'esm' | 'cjs'): string {
  const load =
    moduleSystem === 'esm'
      ? `import { Admin, Consumer, Producer } from '@vltava/core';\nimport nodeModule from 'node:module';`
      : `const { Admin, Consumer, Producer } = require('@vltava/core');\nconst nodeModule = require('node:module');`;
  return `${load}
const [brokers, topic, codecsJson, perCodec] = process.argv.slice(2);
const codecs = JSON.parse(codecsJson);
// Counts the worker threads the package starts (its zstd compression workers), in either module system.
const workerThreads = nodeModule.createRequire(process.cwd() + '/')('node:worker_threads');
let workersStarted = 0;
const BaseWorker = workerThreads.Worker;
workerThreads.Worker = class extends BaseWorker {
  constructor(...args) {
    super(...args);
    workersStarted++;
  }
};
nodeModule.syncBuiltinESMExports();
const largeValue = (compression, i) => compression + '-large-' + i + ':' + '{"status":"shipped"}'.repeat(200);
async function main() {
  const admin = new Admin({ brokers: [brokers], logLevel: 'error' });
  const [created] = await admin.createTopics([{ topic, numPartitions: 2, replicationFactor: 1 }], { waitForMetadata: true });
  if (created.error) throw created.error;
  await admin.close();
  let sent = 0;
  for (const compression of codecs) {
    const producer = new Producer({ brokers: [brokers], compression, logLevel: 'error' });
    const sends = [];
    for (let i = 0; i < Number(perCodec); i++) {
      sends.push(producer.send({ topic, key: compression + '-' + i, value: compression + '-value-' + i }));
    }
    await Promise.all(sends);
    sent += sends.length;
    await producer.close();
    if (compression === 'zstd') {
      // Batches of 32 KiB and more compress on the worker threads.
      const large = new Producer({ brokers: [brokers], compression, batchSize: 262144, lingerMs: 20, logLevel: 'error' });
      const sends = [];
      for (let i = 0; i < Number(perCodec); i++) sends.push(large.send({ topic, value: largeValue(compression, i), partition: 0 }));
      await Promise.all(sends);
      sent += sends.length;
      await large.close();
    }
  }
  const consumer = new Consumer({ brokers: [brokers], groupId: topic, autoOffsetReset: 'earliest', logLevel: 'error' });
  consumer.subscribe([topic]);
  const seen = new Set();
  for await (const record of consumer.records({ signal: AbortSignal.timeout(60000) })) {
    seen.add(record.value.toString());
    if (seen.size === sent) break;
  }
  await consumer.close();
  const expected = codecs.flatMap((c) => Array.from({ length: Number(perCodec) }, (_, i) => c + '-value-' + i));
  for (const c of codecs.filter((c) => c === 'zstd')) {
    for (let i = 0; i < Number(perCodec); i++) expected.push(largeValue(c, i));
  }
  const missing = expected.filter((v) => !seen.has(v)).length;
  console.log(JSON.stringify({ node: process.version, sent, received: seen.size, missing, compressionWorkers: workersStarted > 0 }));
}
main().catch((error) => { console.error(error); process.exit(1); });
`;
}

const CASES = [
  { major: 22, ignoreScripts: false },
  { major: 24, ignoreScripts: false },
  // Installs that skip native builds (`--ignore-scripts`) still work: LZ4 falls back to plain JavaScript, zstd to
  // node:zlib (22.15+), snappy ships prebuilt binaries.
  { major: 22, ignoreScripts: true },
];

for (const { major, ignoreScripts } of CASES) {
  describe(`Node.js ${major}${ignoreScripts ? ' with --ignore-scripts' : ''}`, () => {
    it('installs the packed package, then sends and reads every codec through ESM and CommonJS', async () => {
      const runtime = await nodeRuntime(major);
      expect(runtime.version.startsWith(`v${major}.`)).toBe(true);
      const project = join(workDir, `node-${major}${ignoreScripts ? '-no-scripts' : ''}`);
      rmSync(project, { recursive: true, force: true });
      const env = {
        ...process.env,
        PATH: `${dirname(runtime.node)}${delimiter}${process.env.PATH ?? ''}`,
        npm_config_nodedir: runtime.nodedir,
        npm_config_audit: 'false',
        npm_config_fund: 'false',
      };
      await run('mkdir', ['-p', project]);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: `compat-${major}`, private: true, dependencies: { '@vltava/core': `file:${tarball}` } }),
      );
      const install = [await npmCli(), 'install', '--no-package-lock', ...(ignoreScripts ? ['--ignore-scripts'] : [])];
      await run(runtime.node, install, { cwd: project, env, timeout: 300_000 });
      if (ignoreScripts) {
        // The lz4 package ships a binary built for an old Node; without its install script it cannot load here, so
        // LZ4 records below go through the plain-JavaScript blocks.
        const nativeLoads = await run(runtime.node, ['-e', "require('lz4')"], { cwd: project, env }).then(
          () => true,
          () => false,
        );
        expect(nativeLoads).toBe(false);
      }
      writeFileSync(join(project, 'smoke.mjs'), smokeProgram('esm'));
      writeFileSync(join(project, 'smoke.cjs'), smokeProgram('cjs'));
      for (const file of ['smoke.mjs', 'smoke.cjs']) {
        const topic = uniqueName(`compat-${major}`);
        const { stdout } = await run(
          runtime.node,
          [file, kafkaBrokers()[0]!, topic, JSON.stringify(CODECS), String(PER_CODEC)],
          { cwd: project, env, timeout: 120_000 },
        );
        const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
        // Every codec's small records, and large ones (batches past 32 KiB) for zstd.
        const records = (CODECS.length + 1) * PER_CODEC;
        expect(result).toEqual({
          node: runtime.version,
          sent: records,
          received: records,
          missing: 0,
          compressionWorkers: true,
        });
      }
    }, 600_000);
  });
}
