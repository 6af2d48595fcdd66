/**
 * Instructions per record of the consumer's fetch path (fetch, buffer, delivery, `for await`), counted by
 * valgrind's callgrind: a figure that does not move with the load of a shared machine, to compare two versions of
 * the consumer.
 *
 *   npx tsx bench/consumer/instructions.ts [--records 1000000] [--runs 2] [--tree name=path/to/packages/core ...]
 *
 * Starts `fake-fetch-broker.ts` (a separate process, so not counted), then, for each tree (default: this
 * checkout's `packages/core`, which must be built: `npm run build`, or `tsc -p tsconfig.build.json` in it) and run,
 * drains `--records` and a fifth of them with `for await` in a fresh Node under callgrind (`instructions-drain.mjs`,
 * plain JavaScript over the compiled `dist/esm`), alternating trees. The instructions of the larger drain minus
 * those of the smaller, divided by the difference in records, is the cost per record with start-up, connection and
 * most of the JIT's warm-up taken out. Needs valgrind.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const RECORDS = arg('records', 1_000_000);
const RUNS = arg('runs', 2);
const trees: Array<[string, string]> = [];
for (let i = 0; i < process.argv.length; i++) {
  if (process.argv[i] !== '--tree') continue;
  const [name, path] = process.argv[i + 1]!.split('=');
  trees.push([name!, resolve(path!)]);
}
if (trees.length === 0) trees.push(['this', resolve(here, '../../packages/core')]);

async function startBroker(): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'fake-fetch-broker.ts'), '--records', String(RECORDS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const address = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)/.exec(out);
      if (match !== null) done(match[1]!);
    });
    child.on('exit', (code) => fail(new Error(`fake broker exited with ${code}`)));
  });
  return { child, address };
}

/** Instructions (Ir) of one drain of `records` under callgrind. */
function count(core: string, address: string, records: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'vltava-callgrind-'));
  try {
    const out = join(dir, 'callgrind.out');
    execFileSync(
      'valgrind',
      [
        '--tool=callgrind',
        `--callgrind-out-file=${out}`,
        process.execPath,
        // No background compiler or GC threads: the same work in the same order, run after run.
        '--single-threaded',
        join(here, 'instructions-drain.mjs'),
        core,
        address,
        String(records),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
    );
    const summary = /^summary: (\d+)/m.exec(readFileSync(out, 'utf8'));
    if (summary === null) throw new Error('no summary in the callgrind output');
    return Number(summary[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { child, address } = await startBroker();
try {
  const small = Math.floor(RECORDS / 5);
  console.log(`node ${process.version}; ${RECORDS} and ${small} records of 100 bytes over 6 partitions; ${RUNS} runs`);
  for (let run = 0; run < RUNS; run++) {
    for (const [name, core] of trees) {
      const large = count(core, address, RECORDS);
      const few = count(core, address, small);
      const perRecord = (large - few) / (RECORDS - small);
      console.log(
        `${name.padEnd(8)} run ${run + 1}: ${(large / 1e9).toFixed(3)} G and ${(few / 1e9).toFixed(3)} G instructions; ` +
          `${perRecord.toFixed(1)} per record`,
      );
    }
  }
} finally {
  child.kill();
}
