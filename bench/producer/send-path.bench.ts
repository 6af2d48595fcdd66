/**
 * The producer's whole send path on the client side, without a real broker: records go through `send` (Promise or
 * callback) or `sendBatch`, into batches, out as Produce requests over a loopback socket to an in-process fake
 * broker (`packages/core/test/support/fake-broker.ts`) that acknowledges every batch at once, and back to their
 * completions. Idempotence is on (the default), 6 partitions, 100-byte values, no key.
 *
 * Two uses:
 * - time per record, per API form (median of `BENCH_ROUNDS`): the client's CPU cost, with no broker competing for
 *   the cores (still noisy on a loaded machine);
 * - instruction counts, which a loaded machine does not disturb: run it under callgrind with a small and a large
 *   record count and divide the difference of the two totals by the difference of the counts, so that start-up and
 *   compilation cancel out:
 *   `BENCH_FORMS=callback BENCH_RECORDS=20000 BENCH_ROUNDS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null
 *   node --single-threaded --min-semi-space-size=64 --max-semi-space-size=64 --import tsx
 *   bench/producer/send-path.bench.ts` (and again with 120000). The fixed 64 MiB young generation matters: with
 *   V8's default the number of garbage collections depends on timing, and the per-record figure of the Promise form
 *   then varies by 30% from run to run; `--single-threaded` keeps compilation and GC on the counted thread.
 *
 * Run: `npx tsx bench/producer/send-path.bench.ts` (BENCH_RECORDS, BENCH_ROUNDS, BENCH_FORMS=promise,callback,sendBatch).
 */
import { Producer } from '../../packages/core/src/producer/producer.js';
import { FakeBroker } from '../../packages/core/test/support/fake-broker.js';
import { produceAnswers } from './produce-answers.js';
import { type ApiForm, handOff } from './vltava-runner.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FORMS = (process.env.BENCH_FORMS?.split(',') ?? ['promise', 'callback', 'sendBatch']) as ApiForm[];
const TOPIC = 'bench';
const PARTITIONS = 6;
const value = Buffer.alloc(100, 0x61);

async function once(bootstrap: string, form: ApiForm): Promise<{ appendNs: number; totalNs: number }> {
  // Timeouts far beyond any run, even under valgrind (50 times slower): a request that timed out would be retried,
  // and the work counted would depend on the machine's speed.
  const producer = new Producer({
    brokers: bootstrap,
    logLevel: 'error',
    requestTimeoutMs: 600_000,
    deliveryTimeoutMs: 1_200_000,
    maxBlockMs: 600_000,
  });
  await producer.send({ topic: TOPIC, value });
  const records = Array.from({ length: RECORDS }, () => ({ topic: TOPIC, value }));
  const start = process.hrtime.bigint();
  const all = handOff(producer, records, form);
  const appended = process.hrtime.bigint();
  await all;
  await producer.flush();
  const end = process.hrtime.bigint();
  await producer.close();
  return { appendNs: Number(appended - start) / RECORDS, totalNs: Number(end - start) / RECORDS };
}

let port = 0;
const broker = await FakeBroker.start(produceAnswers(TOPIC, PARTITIONS, () => port));
port = broker.port;
try {
  const rows = new Map<ApiForm, Array<{ appendNs: number; totalNs: number }>>(FORMS.map((f) => [f, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const form of FORMS) rows.get(form)!.push(await once(broker.address, form));
  }
  if (broker.failures.length > 0) throw broker.failures[0];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(`Node ${process.version}: ${RECORDS} records of 100 bytes, fake broker, median of ${ROUNDS} rounds\n`);
  console.log('| API form | hand-off per record (ns) | to all acknowledged, per record (ns) |');
  console.log('| --- | ---: | ---: |');
  for (const form of FORMS) {
    const runs = rows.get(form)!;
    console.log(
      `| ${form} | ${median(runs.map((r) => r.appendNs)).toFixed(0)} | ${median(runs.map((r) => r.totalNs)).toFixed(0)} |`,
    );
  }
} finally {
  await broker.stop();
}
