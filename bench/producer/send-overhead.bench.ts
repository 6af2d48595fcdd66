/**
 * What handing one record to the producer costs, per API form, without the network in the way: `lingerMs` is an
 * hour and `bufferMemory` 1 GiB, so the timed loop only serializes, partitions and appends into batches; the
 * flush afterwards is not timed. The difference between the forms is the price of a Promise (and its
 * settlement) per record.
 *
 * Run: `npx tsx bench/producer/send-overhead.bench.ts` (starts a broker with the harness, or uses KAFKA_BROKERS).
 */
import { Producer } from '../../packages/core/src/producer/producer.js';
import { benchBroker, benchTopic } from './bench-support.js';
import { type ApiForm, handOff } from './vltava-runner.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const value = Buffer.alloc(100, 0x61);

async function once(bootstrap: string, topic: string, form: ApiForm): Promise<{ appendNs: number; totalNs: number }> {
  const producer = new Producer({
    brokers: bootstrap,
    logLevel: 'error',
    lingerMs: 3_600_000,
    bufferMemory: 1 << 30,
    batchSize: 1 << 20,
  });
  const warmUp = producer.send({ topic, value });
  await producer.flush();
  await warmUp;
  const records = Array.from({ length: RECORDS }, () => ({ topic, value }));
  const start = process.hrtime.bigint();
  const all = handOff(producer, records, form);
  const appended = process.hrtime.bigint();
  await producer.flush();
  await all;
  const end = process.hrtime.bigint();
  await producer.close();
  return { appendNs: Number(appended - start) / RECORDS, totalNs: Number(end - start) / RECORDS };
}

const broker = await benchBroker();
try {
  const topic = await benchTopic(broker.bootstrap, 6);
  const forms: ApiForm[] = ['promise', 'callback', 'sendBatch'];
  const rows = new Map<ApiForm, Array<{ appendNs: number; totalNs: number }>>(forms.map((f) => [f, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const form of forms) rows.get(form)!.push(await once(broker.bootstrap, topic, form));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(`Node ${process.version}: ${RECORDS} records of 100 bytes, median of ${ROUNDS} rounds\n`);
  console.log('| API form | hand-off per record (ns) | to all acknowledged, per record (ns) |');
  console.log('| --- | ---: | ---: |');
  for (const form of forms) {
    const runs = rows.get(form)!;
    console.log(
      `| ${form} | ${median(runs.map((r) => r.appendNs)).toFixed(0)} | ${median(runs.map((r) => r.totalNs)).toFixed(0)} |`,
    );
  }
} finally {
  await broker.stop();
}
