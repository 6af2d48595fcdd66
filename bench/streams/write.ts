/**
 * Write-stream throughput: sends N records (default 500,000 of 100 bytes) to a 6-partition topic through the
 * producer directly (`sendBatch` in chunks of 4096, the baseline), through `createWriteStream` (callbacks on
 * acknowledgement, `_writev` batches), and through `createSendStream` into a sink (results emitted per record), each
 * with a few high-water marks. Prints records/s. Bounded: each run writes exactly N records.
 *
 *   npx tsx --conditions=@vltava/source bench/streams/write.ts [--records 500000] [--size 100] [--runs 3] [--linger ms]
 *     [--batch bytes] [--brokers host:port]
 *
 * Uses the cluster named by `--brokers`, or starts a single-node broker with the harness (stopped at the end).
 */

import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Admin, Producer } from '../../packages/core/src/index.js';
import { createSendStream, createWriteStream } from '../../packages/streams/src/index.js';
import type { KafkaCluster } from '../../tools/kafka-harness/src/index.js';
import { startBenchKafka } from '../broker.js';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const RECORDS = arg('records', 500_000);
const SIZE = arg('size', 100);
const RUNS = arg('runs', 3);
/** Producer `lingerMs` and `batchSize`; -1 leaves the producer's default. */
const LINGER = arg('linger', -1);
const BATCH = arg('batch', -1);
const VALUE = 'x'.repeat(SIZE);

function records(topic: string): Readable {
  let i = 0;
  return new Readable({
    objectMode: true,
    highWaterMark: 1024,
    read() {
      while (i < RECORDS) {
        if (!this.push({ topic, key: String(i % 1000), value: VALUE })) {
          i++;
          return;
        }
        i++;
      }
      this.push(null);
    },
  });
}

type Mode = { name: string; run: (producer: Producer<string, string>, topic: string) => Promise<void> };

const modes: Mode[] = [
  {
    name: 'sendBatch x4096',
    run: async (producer, topic) => {
      for (let start = 0; start < RECORDS; start += 4096) {
        const n = Math.min(4096, RECORDS - start);
        const result = await producer.sendBatch(
          Array.from({ length: n }, (_, j) => ({ topic, key: String((start + j) % 1000), value: VALUE })),
        );
        if (result.failed > 0) throw result.firstError;
      }
    },
  },
  ...[1024, 4096, 16384].map(
    (hwm): Mode => ({
      name: `write stream hwm ${hwm}`,
      run: (producer, topic) =>
        pipeline(
          records(topic),
          createWriteStream(producer, (r: { topic: string; key: string; value: string }) => r, { highWaterMark: hwm }),
        ),
    }),
  ),
  {
    name: 'send stream hwm 4096',
    run: (producer, topic) =>
      pipeline(
        records(topic),
        createSendStream(producer, (r: { topic: string; key: string; value: string }) => r),
        new Writable({ objectMode: true, highWaterMark: 4096, write: (_chunk, _encoding, callback) => callback() }),
      ),
  },
];

async function main(): Promise<void> {
  const at = process.argv.indexOf('--brokers');
  const external = at >= 0 ? process.argv[at + 1] : undefined;
  const cluster: KafkaCluster | undefined = external === undefined ? await startBenchKafka() : undefined;
  const bootstrap = external ?? cluster!.bootstrap;
  const admin = new Admin({ brokers: bootstrap, logLevel: 'error' });
  try {
    console.log(`node ${process.version}, ${RECORDS} records of ${SIZE} bytes per run, ${RUNS} runs per mode`);
    for (const mode of modes) {
      const rates: number[] = [];
      for (let run = -1; run < RUNS; run++) {
        const topic = `write-stream-bench-${Date.now().toString(36)}-${run + 1}`;
        const [created] = await admin.createTopics([{ topic, numPartitions: 6 }], { waitForMetadata: true });
        if (created?.error !== undefined) throw created.error;
        const producer = new Producer<string, string>({
          brokers: bootstrap,
          logLevel: 'error',
          acks: 1,
          ...(LINGER < 0 ? {} : { lingerMs: LINGER }),
          ...(BATCH < 0 ? {} : { batchSize: BATCH }),
        });
        await producer.connect();
        const started = performance.now();
        await mode.run(producer, topic);
        const ms = performance.now() - started;
        await producer.close();
        if (run >= 0) rates.push((RECORDS / ms) * 1000); // run -1 warms up
      }
      rates.sort((a, b) => a - b);
      console.log(
        `${mode.name.padEnd(24)} median ${Math.round(rates[Math.floor(rates.length / 2)]!).toLocaleString('en')} records/s ` +
          `(best ${Math.round(rates.at(-1)!).toLocaleString('en')})`,
      );
    }
  } finally {
    await admin.close();
    await cluster?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
