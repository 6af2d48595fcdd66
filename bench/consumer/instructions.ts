/**
 * Instructions per record of the consumer's fetch path (fetch, buffer, delivery, `for await`), counted by
 * valgrind's callgrind: a figure that does not move with the load of a shared machine, to compare two versions of
 * the consumer.
 *
 *   npx tsx bench/consumer/instructions.ts [--records 1000000] [--small 200000] [--runs 2]
 *     [--tree name=path/to/packages/core ...]
 *
 * Starts `fake-fetch-broker.ts` (a separate process, so not counted), then, for each tree (default: this
 * checkout's `packages/core`, which must be built: `npm run build`, or `tsc -p tsconfig.build.json` in it) and run,
 * drains `--records` (and `--small`, default a fifth of them; 0 for none) with `for await` in a fresh Node under
 * callgrind (`instructions-drain.mjs`, plain JavaScript over the compiled `dist/esm`), alternating trees, and prints
 * each count and, at the end, each tree's median. The larger drain minus the smaller, divided by the difference in
 * records, is the cost per record with start-up, connection and most of the JIT's warm-up taken out.
 *
 * The counts are not exact: when fetch responses arrive against the reading loop decides how much is buffered when
 * the garbage collector runs, and the collector is a tenth to a quarter of the total. Expect runs of the same tree
 * to differ by a few percent, and compare medians of several runs. Needs valgrind.
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
const SMALL = arg('small', Math.floor(RECORDS / 5));
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
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const totals = new Map<string, number[]>(trees.map(([name]) => [name, []]));
try {
  console.log(`node ${process.version}; ${RECORDS} and ${SMALL} records of 100 bytes over 6 partitions; ${RUNS} runs`);
  for (let run = 0; run < RUNS; run++) {
    for (const [name, core] of run % 2 === 0 ? trees : [...trees].reverse()) {
      const large = count(core, address, RECORDS);
      totals.get(name)!.push(large);
      let line = `${name.padEnd(8)} run ${run + 1}: ${(large / 1e9).toFixed(3)} G instructions`;
      if (SMALL > 0) {
        const few = count(core, address, SMALL);
        line += ` (${(few / 1e9).toFixed(3)} G for ${SMALL}: ${((large - few) / (RECORDS - SMALL)).toFixed(0)} per record)`;
      }
      console.log(line);
    }
  }
  for (const [name, values] of totals) {
    console.log(`${name.padEnd(8)} median ${(median(values) / 1e9).toFixed(3)} G for ${RECORDS} records`);
  }
} finally {
  child.kill();
}
