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
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countInstructions, median, numberArg, startFakeBroker, treeArgs } from '../callgrind/callgrind.js';

const here = dirname(fileURLToPath(import.meta.url));
const RECORDS = numberArg('records', 1_000_000);
const SMALL = numberArg('small', Math.floor(RECORDS / 5));
const RUNS = numberArg('runs', 2);
const trees = treeArgs(join(here, '../../packages/core'));

/** Instructions (Ir) of one drain of `records` under callgrind. */
const count = (core: string, address: string, records: number) =>
  countInstructions(join(here, 'instructions-drain.mjs'), [core, address, String(records)]);

const { child, address } = await startFakeBroker(join(here, 'fake-fetch-broker.ts'), ['--records', String(RECORDS)]);
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
