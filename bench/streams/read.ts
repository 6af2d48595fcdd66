/**
 * Read-stream throughput: drains pre-produced records (default 500,000 of 100 bytes over 6 partitions) with the
 * consumer's own `for await` (the baseline), through `createReadStream` into `createCommitStream` (the stream
 * layer's cost: a Readable, pipe, the offset tracker and acknowledgements), and with an async generator transform
 * between them (the usual shape of a pipeline). Prints records/s and the number of fetch pauses. Bounded: every
 * run reads exactly the produced records.
 *
 *   npx tsx --conditions=@vltava/source bench/streams/read.ts [--records 500000] [--size 100] [--partitions 6] [--runs 3] [--brokers host:port]
 *
 * Uses the cluster named by `--brokers`, or starts a single-node broker with the harness (stopped at the end).
 * Records are produced once with Kafka's `kafka-producer-perf-test`; each run reads them from offset 0 with a fresh
 * consumer in a fresh group.
 */

import { pipeline } from 'node:stream/promises';
import { Consumer, type ConsumerRecord } from '../../packages/core/src/index.js';
import { createCommitStream, createReadStream } from '../../packages/streams/src/index.js';
import { type KafkaCluster, runKafkaTool } from '../../tools/kafka-harness/src/index.js';
import { startBenchKafka } from '../broker.js';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const RECORDS = arg('records', 500_000);
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
    ],
    { timeoutMs: 600_000 },
  );
  if (perf.exitCode !== 0) throw new Error(`kafka-producer-perf-test failed: ${perf.stderr}`);
}

type Mode = 'for-await' | 'stream' | 'stream+transform';

async function drain(
  bootstrap: string,
  topic: string,
  mode: Mode,
  run: number,
): Promise<{ ms: number; pauses: number }> {
  const consumer = new Consumer({
    brokers: bootstrap,
    groupId: `read-bench-${mode}-${run}-${Date.now().toString(36)}`,
    autoOffsetReset: 'earliest',
    logLevel: 'error',
  });
  consumer.subscribe([topic]);
  await consumer.connect();
  let count = 0;
  let pauses = 0;
  const started = performance.now();
  if (mode === 'for-await') {
    for await (const _record of consumer) {
      if (++count === RECORDS) break;
    }
    await consumer.close();
  } else {
    const stream = createReadStream(consumer, { stopAfterRecords: RECORDS });
    const committer = createCommitStream(consumer);
    if (mode === 'stream') {
      await pipeline(stream, committer);
    } else {
      await pipeline(
        stream,
        async function* (records: AsyncIterable<ConsumerRecord>) {
          for await (const record of records) yield { ...record, value: record.value };
        },
        committer,
      );
    }
    count = committer.received;
    pauses = stream.fetchPauses;
  }
  const ms = performance.now() - started;
  if (count !== RECORDS) throw new Error(`read ${count} records, expected ${RECORDS}`);
  return { ms, pauses };
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--brokers');
  const external = at >= 0 ? process.argv[at + 1] : undefined;
  const cluster: KafkaCluster | undefined = external === undefined ? await startBenchKafka() : undefined;
  const bootstrap = external ?? cluster!.bootstrap;
  try {
    const topic = `read-stream-bench-${Date.now().toString(36)}`;
    console.log(`producing ${RECORDS} records of ${SIZE} bytes into ${PARTITIONS} partitions of ${topic} ...`);
    await produce(bootstrap, topic);
    console.log(`node ${process.version}, ${RUNS} runs per mode (one warm-up run first); times include the group join`);
    await drain(bootstrap, topic, 'stream', -1);
    for (const mode of ['for-await', 'stream', 'stream+transform'] as const) {
      const results: number[] = [];
      let pauses = 0;
      for (let run = 0; run < RUNS; run++) {
        const outcome = await drain(bootstrap, topic, mode, run);
        results.push((RECORDS / outcome.ms) * 1000);
        pauses = Math.max(pauses, outcome.pauses);
      }
      results.sort((a, b) => a - b);
      const median = results[Math.floor(results.length / 2)]!;
      console.log(
        `${mode.padEnd(17)} median ${Math.round(median).toLocaleString('en')} records/s ` +
          `(best ${Math.round(results.at(-1)!).toLocaleString('en')})${mode === 'for-await' ? '' : `, up to ${pauses} fetch pauses`}`,
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
