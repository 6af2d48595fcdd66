/**
 * Vltava producer throughput: 100-byte and 1 KiB records, acks=1 (idempotence off) and acks=all (idempotent),
 * compression none, lz4 and zstd, through the three API forms (a Promise per record, a callback, sendBatch).
 * Each scenario sends a fixed number of records to a fresh 6-partition topic on one broker, after two warm-up runs
 * that are not counted.
 *
 * Run: `npx tsx bench/producer/producer.bench.ts` (starts a broker with the harness, or uses KAFKA_BROKERS).
 * `BENCH_QUICK=1` runs a smaller matrix (100-byte records, none/lz4, every API form).
 */
import { type BenchResult, benchBroker, benchTopic, printTable } from './bench-support.js';
import { type ApiForm, runVltava } from './vltava-runner.js';

const quick = process.env.BENCH_QUICK === '1';
const sizes = quick ? [100] : [100, 1024];
const acksModes = quick ? (['all'] as const) : (['1', 'all'] as const);
const codecs = quick ? (['none', 'lz4'] as const) : (['none', 'lz4', 'zstd'] as const);
const forms: ApiForm[] = ['promise', 'callback', 'sendBatch'];

const broker = await benchBroker();
const results: BenchResult[] = [];
try {
  // Warm the broker (and the client) up first: a fresh broker's JIT makes the first runs several times slower.
  for (let i = 0; i < 2; i++) {
    const topic = await benchTopic(broker.bootstrap, 6);
    await runVltava('warm-up', broker.bootstrap, topic, 'callback', 300_000, 100, {});
  }
  for (const size of sizes) {
    const records = size <= 100 ? 300_000 : 100_000;
    for (const acks of acksModes) {
      for (const compression of codecs) {
        for (const form of forms) {
          const topic = await benchTopic(broker.bootstrap, 6);
          const name = `${size} B, acks=${acks}${acks === 'all' ? ' idempotent' : ''}, ${compression}, ${form}`;
          const result = await runVltava(name, broker.bootstrap, topic, form, records, size, {
            acks: acks === 'all' ? 'all' : 1,
            enableIdempotence: acks === 'all',
            compression,
          });
          results.push(result);
          console.error(`done: ${name}`);
        }
      }
    }
  }
  console.log(`Node ${process.version}, ${new Date().toISOString()}`);
  printTable(results);
} finally {
  await broker.stop();
}
