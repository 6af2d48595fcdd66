/**
 * Instructions per record of the producer's send path (send, batching, Produce requests, acknowledgements),
 * counted by valgrind's callgrind against an in-memory broker: a figure that does not move with the load of a shared
 * machine, to compare two versions of the producer.
 *
 *   npx tsx bench/producer/instructions.ts [--records 300000] [--small 100000] [--runs 2] [--form callback|sendBatch]
 *     [--tree name=path/to/packages/core ...]
 *
 * Starts `fake-produce-broker.ts` (a separate process, so not counted), then, for each tree (default: this
 * checkout's `packages/core`, built with `npm run build`) and run, sends `--records` (and `--small`) records with
 * the compiled producer (`instructions-send.mjs`) in a fresh Node under callgrind, alternating trees. The larger
 * run minus the smaller, divided by the difference in records, is the cost per record with start-up and most of
 * the JIT's warm-up taken out. Node runs with a fixed 64 MiB young generation: with V8's default the number of
 * collections depends on timing and the figure varies by tens of percent. Needs valgrind.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countInstructions, median, numberArg, startFakeBroker, treeArgs } from '../callgrind/callgrind.js';

const here = dirname(fileURLToPath(import.meta.url));
const RECORDS = numberArg('records', 300_000);
const SMALL = numberArg('small', 100_000);
const RUNS = numberArg('runs', 2);
const at = process.argv.indexOf('--form');
const FORM = at >= 0 ? process.argv[at + 1]! : 'callback';
const trees = treeArgs(join(here, '../../packages/core'));
const NODE_FLAGS = ['--min-semi-space-size=64', '--max-semi-space-size=64'];

const { child, address } = await startFakeBroker(join(here, 'fake-produce-broker.ts'), []);
const count = (core: string, records: number) =>
  countInstructions(join(here, 'instructions-send.mjs'), [core, address, String(records), FORM], NODE_FLAGS);
const perRecord = new Map<string, number[]>(trees.map(([name]) => [name, []]));
try {
  console.log(
    `node ${process.version}; ${FORM}: ${RECORDS} and ${SMALL} records of 100 bytes, 6 partitions; ${RUNS} runs`,
  );
  for (let run = 0; run < RUNS; run++) {
    for (const [name, core] of run % 2 === 0 ? trees : [...trees].reverse()) {
      const large = count(core, RECORDS);
      const few = count(core, SMALL);
      const each = (large - few) / (RECORDS - SMALL);
      perRecord.get(name)!.push(each);
      console.log(
        `${name.padEnd(8)} run ${run + 1}: ${(large / 1e9).toFixed(3)} G, ${(few / 1e9).toFixed(3)} G: ${each.toFixed(0)} per record`,
      );
    }
  }
  for (const [name, values] of perRecord)
    console.log(`${name.padEnd(8)} median ${median(values).toFixed(0)} instructions per record`);
} finally {
  child.kill();
}
