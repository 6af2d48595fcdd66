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

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const value = Buffer.alloc(100, 0x61);

type Form = 'promise' | 'callback' | 'sendBatch';

async function once(bootstrap: string, topic: string, form: Form): Promise<{ appendNs: number; totalNs: number }> {
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
  let settled = 0;
  const callback = () => {
    settled++;
  };
  const start = process.hrtime.bigint();
  let all: Promise<unknown>;
  if (form === 'promise') {
    const promises = new Array<Promise<unknown>>(RECORDS);
    for (let i = 0; i < RECORDS; i++) promises[i] = producer.send(records[i]!);
    all = Promise.all(promises);
  } else if (form === 'callback') {
    for (let i = 0; i < RECORDS; i++) producer.send(records[i]!, callback);
    all = producer.flush();
  } else {
    all = producer.sendBatch(records);
  }
  const appended = process.hrtime.bigint();
  await producer.flush();
  await all;
  const end = process.hrtime.bigint();
  await producer.close();
  if (form === 'callback' && settled !== RECORDS) throw new Error('callbacks missing');
  return { appendNs: Number(appended - start) / RECORDS, totalNs: Number(end - start) / RECORDS };
}

const broker = await benchBroker();
try {
  const topic = await benchTopic(broker.bootstrap, 6);
  const forms: Form[] = ['promise', 'callback', 'sendBatch'];
  const rows = new Map<Form, Array<{ appendNs: number; totalNs: number }>>(forms.map((f) => [f, []]));
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
