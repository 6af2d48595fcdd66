// The broker matrix: runs the broker-compatibility suite (packages/core/test/brokers) against supported Kafka
// releases, one after another (each run's shared broker is that release: KAFKA_VERSION), and prints how long each
// took.
//
//   npm run test:brokers                  every supported line; when all pass, records the run in
//                                         tools/kafka-harness/broker-matrix.json with the hash of its inputs
//   npm run test:brokers -- 3.9 4.0       some lines
//   npm run test:brokers -- --oldest      the oldest line (npm test runs it; the newest runs in the integration project)
//   npm run test:brokers -- --if-changed  CI: when the harness, the protocol layer or the suite differ from the
//                                         recorded run (their hash), the lines npm test did not run; else nothing
//   --cold                                each line with an empty cache directory (measures the jar download too)
//
// Run the whole matrix before committing a change to the harness or to packages/core/src/{protocol,network,cluster},
// and commit the broker-matrix.json it writes: CI then skips the middle lines until those files change again.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  KAFKA_RELEASES,
  type KafkaRelease,
  kafkaRelease,
  NEWEST_KAFKA_RELEASE,
  OLDEST_KAFKA_RELEASE,
} from '../src/releases/kafka-releases.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const RECORD = join(ROOT, 'tools/kafka-harness/broker-matrix.json');
const SUITE = 'packages/core/test/brokers';

/** What the matrix depends on: the harness, Vltava's protocol, network and cluster layers, and the suite. */
const INPUTS = [
  'tools/kafka-harness/src',
  'tools/kafka-harness/maven',
  'tools/kafka-harness/config',
  'tools/kafka-harness/artifacts',
  'packages/core/src/protocol',
  'packages/core/src/network',
  'packages/core/src/cluster',
  SUITE,
];

interface LineResult {
  readonly version: string;
  readonly passed: number;
  readonly failed: number;
  readonly seconds: number;
  readonly ok: boolean;
}

interface MatrixRecord {
  readonly inputsHash: string;
  readonly ranAt: string;
  readonly note: string;
  readonly results: readonly LineResult[];
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

/**
 * SHA-256 over the relative path and bytes of every input file, in sorted order (the same on a clean clone). Unit
 * tests next to the sources (`src/**\/*.test.ts`) are left out: they do not change what a broker sees.
 */
export function inputsHash(): string {
  const hash = createHash('sha256');
  const files = INPUTS.flatMap((dir) => filesUnder(join(ROOT, dir)))
    .map((file) => relative(ROOT, file).split('\\').join('/'))
    .filter((file) => !(file.includes('/src/') && file.endsWith('.test.ts')))
    .sort();
  for (const file of files) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(ROOT, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

function readRecord(): MatrixRecord | undefined {
  try {
    return JSON.parse(readFileSync(RECORD, 'utf8')) as MatrixRecord;
  } catch {
    return undefined;
  }
}

/** Runs the suite against one release; resolves with its counts and wall time. */
function runLine(release: KafkaRelease, cold: boolean): Promise<LineResult> {
  const cacheDir = cold ? mkdtempSync(join(tmpdir(), 'vltava-cold-cache-')) : undefined;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_VERSION: release.version,
    ...(cacheDir === undefined ? {} : { VLTAVA_CACHE_DIR: cacheDir }),
  };
  delete env.KAFKA_BROKERS;
  const startedAt = Date.now();
  console.log(`\n=== Kafka ${release.version}: ${SUITE}${cold ? ' (cold cache)' : ''} ===`);
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', '--project', 'integration', SUITE], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('close', (code) => {
      if (cacheDir !== undefined) rmSync(cacheDir, { recursive: true, force: true });
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the terminal colours of vitest's summary.
      const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
      const tests = /^\s*Tests\s+(.*)$/m.exec(plain)?.[1] ?? '';
      const files = /^\s*Test Files\s+(.*)$/m.exec(plain)?.[1] ?? '';
      const passed = Number(/(\d+) passed/.exec(tests)?.[1] ?? 0);
      // A file that fails to load (or a run that crashed) counts as a failure too.
      const failedFiles = Number(/(\d+) failed/.exec(files)?.[1] ?? 0);
      const failed = Number(/(\d+) failed/.exec(tests)?.[1] ?? 0) + failedFiles + (code !== 0 && passed === 0 ? 1 : 0);
      const seconds = Math.round((Date.now() - startedAt) / 100) / 10;
      resolve({ version: release.version, passed, failed, seconds, ok: code === 0 && passed > 0 && failed === 0 });
      if (code !== 0 && failed === 0) console.log(`vitest exited with ${String(code)}`);
    });
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const cold = args.includes('--cold');
  const ifChanged = args.includes('--if-changed');
  const named = args.filter((arg) => !arg.startsWith('--'));
  let releases: readonly KafkaRelease[];
  if (args.includes('--oldest')) releases = [OLDEST_KAFKA_RELEASE];
  else if (named.length > 0) releases = named.map((version) => kafkaRelease(version));
  else releases = KAFKA_RELEASES;

  const hash = inputsHash();
  if (ifChanged) {
    const record = readRecord();
    if (record?.inputsHash === hash) {
      console.log(
        `broker matrix: the harness, protocol layer and suite are as in the recorded full run of ${record.ranAt} ` +
          `(inputs ${hash.slice(0, 12)}); npm test ran ${OLDEST_KAFKA_RELEASE.line} and ${NEWEST_KAFKA_RELEASE.line}.`,
      );
      return 0;
    }
    console.log(
      `broker matrix: inputs ${hash.slice(0, 12)} differ from the recorded run (${record?.inputsHash.slice(0, 12) ?? 'none'}): ` +
        'running the lines npm test did not run. Run `npm run test:brokers` and commit broker-matrix.json to record them.',
    );
    releases = releases.filter((r) => r !== OLDEST_KAFKA_RELEASE && r !== NEWEST_KAFKA_RELEASE);
  }

  const results: LineResult[] = [];
  for (const release of releases) results.push(await runLine(release, cold));

  console.log('\nbroker matrix');
  console.log('version  result  tests  seconds');
  for (const r of results) {
    console.log(
      `${r.version.padEnd(9)}${(r.ok ? 'pass' : 'FAIL').padEnd(8)}${String(r.passed + r.failed).padEnd(7)}${r.seconds}`,
    );
  }
  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  const allOk = results.every((r) => r.ok);
  const full = KAFKA_RELEASES.every((release) => results.some((r) => r.version === release.version));
  if (allOk && full && !cold) {
    const record: MatrixRecord = {
      inputsHash: hash,
      ranAt: new Date().toISOString(),
      note: 'Written by `npm run test:brokers` after every supported line passed; CI runs the middle lines again when the inputs hash changes.',
      results,
    };
    writeFileSync(RECORD, `${JSON.stringify(record, null, 2)}\n`);
    console.log(`recorded in ${relative(ROOT, RECORD)} (inputs ${hash.slice(0, 12)}): commit it.`);
  }
  console.log(`broker matrix: ${passed} passed, ${failed} failed`);
  return allOk ? 0 : 1;
}

process.exitCode = await main();
