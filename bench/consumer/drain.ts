/**
 * Consumer throughput: drains pre-produced records (default 1,000,000 of 100 bytes over 6 partitions) with each way
 * of reading (`for await`, `batches()`, `poll()`), and prints records/s and MB/s of value bytes. Bounded: every run
 * reads exactly the produced records, then stops.
 *
 *   npx tsx bench/consumer/drain.ts [--records 1000000] [--size 100] [--partitions 6] [--runs 3] [--brokers host:port]
 *
 * Uses the cluster named by `--brokers`, or starts a single-node broker with the harness (stopped at the end).
 * Records are produced once, with Kafka's own `kafka-producer-perf-test`, before anything is measured; each run
 * reads them from offset 0 with a fresh consumer (no group), so runs do not share caches on the client side.
 */

import { Consumer } from '../../packages/core/src/index.js';
import { type KafkaCluster, runKafkaTool } from '../../tools/kafka-harness/src/index.js';
import { startBenchKafka } from '../broker.js';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const RECORDS = arg('records', 1_000_000);
const SIZE = arg('size', 100);
const PARTITIONS = arg('partitions', 6);
const RUNS = arg('runs', 3);

async function produce(bootstrap: string, topic: string): Promise<void> {
  const create = await runKafkaTool(bootstrap, 'kafka-topics', [
    '--create',
    '--topic',
    topic,
    '--partitions',
    String(PARTITIONS),
    '--replication-factor',
    '1',
  ]);
  if (create.exitCode !== 0) throw new Error(`kafka-topics failed: ${create.stderr}`);
  const perf = await runKafkaTool(
    bootstrap,
    'kafka-producer-perf-test',
    [
      '--topic',
      topic,
      '--num-records',
      String(RECORDS),
      '--record-size',
      String(SIZE),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${bootstrap}`,
      'acks=1',
      'linger.ms=5',
      'batch.size=262144',
      'compression.type=none',
    ],
    { timeoutMs: 600_000 },
  );
  if (perf.exitCode !== 0) throw new Error(`kafka-producer-perf-test failed: ${perf.stderr}`);
}

type Mode = 'for-await' | 'batches' | 'poll';

async function drain(bootstrap: string, topic: string, mode: Mode): Promise<{ ms: number; bytes: number }> {
  const consumer = new Consumer({ brokers: bootstrap, autoOffsetReset: 'earliest', logLevel: 'error' });
  consumer.assign(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition })));
  await consumer.connect();
  let count = 0;
  let bytes = 0;
  const started = performance.now();
  if (mode === 'for-await') {
    for await (const record of consumer) {
      bytes += record.serializedValueSize;
      if (++count === RECORDS) break;
    }
  } else if (mode === 'batches') {
    for await (const batch of consumer.batches({ maxRecords: 2000 })) {
      for (const record of batch) bytes += record.serializedValueSize;
      count += batch.count;
      if (count >= RECORDS) break;
    }
  } else {
    while (count < RECORDS) {
      const records = await consumer.poll({ timeoutMs: 1000, maxRecords: 2000 });
      for (const record of records) bytes += record.serializedValueSize;
      count += records.count;
    }
  }
  const ms = performance.now() - started;
  await consumer.close();
  if (count !== RECORDS) throw new Error(`read ${count} records, expected ${RECORDS}`);
  return { ms, bytes };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--brokers');
  const external = at >= 0 ? process.argv[at + 1] : undefined;
  const cluster: KafkaCluster | undefined = external === undefined ? await startBenchKafka() : undefined;
  const bootstrap = external ?? cluster!.bootstrap;
  try {
    const topic = `drain-bench-${Date.now().toString(36)}`;
    console.log(`producing ${RECORDS} records of ${SIZE} bytes into ${PARTITIONS} partitions of ${topic} ...`);
    await produce(bootstrap, topic);
    console.log(`node ${process.version}, ${RUNS} runs per mode (first run of the first mode warms the JIT)`);
    await drain(bootstrap, topic, 'for-await'); // warm-up
    for (const mode of ['for-await', 'batches', 'poll'] as const) {
      const results: number[] = [];
      let mbps = 0;
      for (let run = 0; run < RUNS; run++) {
        const { ms, bytes } = await drain(bootstrap, topic, mode);
        results.push((RECORDS / ms) * 1000);
        mbps = Math.max(mbps, bytes / 1e6 / (ms / 1000));
      }
      results.sort((a, b) => a - b);
      const median = results[Math.floor(results.length / 2)]!;
      console.log(
        `${mode.padEnd(10)} median ${Math.round(median).toLocaleString('en')} records/s ` +
          `(best ${Math.round(results.at(-1)!).toLocaleString('en')}), up to ${mbps.toFixed(1)} MB/s of values`,
      );
    }
  } finally {
    await cluster?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
