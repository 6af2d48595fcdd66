/**
 * Vltava against kafkajs and @platformatic/kafka in the same run, on the same broker: 100-byte records to a
 * 6-partition topic, acks=all with idempotence (and acks=1 without), no compression. Each client runs every round
 * (fresh topic per run, order rotated per round) after one warm-up round that is not counted (it warms the broker's
 * JIT as much as the clients'); the tables show every counted run, and the median and best of each client.
 *
 * Setup once: `cd bench && npm install` (the peers live in bench/package.json only).
 * Run: `npx tsx bench/producer/compare.bench.ts` (starts a broker with the harness, or uses KAFKA_BROKERS).
 * `BENCH_RECORDS` (default 500000) and `BENCH_ROUNDS` (default 5) size it.
 */
import { type BenchResult, benchBroker, benchTopic, printTable, rates } from './bench-support.js';
import { runKafkajs, runPlatformatic } from './peer-runners.js';
import { runVltava } from './vltava-runner.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 500_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SIZE = 100;

type Runner = (bootstrap: string, topic: string, idempotent: boolean) => Promise<BenchResult>;

const clients: Record<string, Runner> = {
  'vltava sendBatch': (b, t, idem) =>
    runVltava('vltava sendBatch', b, t, 'sendBatch', RECORDS, SIZE, {
      acks: idem ? 'all' : 1,
      enableIdempotence: idem,
    }),
  'vltava callback': (b, t, idem) =>
    runVltava('vltava callback', b, t, 'callback', RECORDS, SIZE, { acks: idem ? 'all' : 1, enableIdempotence: idem }),
  'vltava promise': (b, t, idem) =>
    runVltava('vltava promise', b, t, 'promise', RECORDS, SIZE, { acks: idem ? 'all' : 1, enableIdempotence: idem }),
  kafkajs: (b, t, idem) => runKafkajs('kafkajs', b, t, RECORDS, SIZE, idem),
  '@platformatic/kafka': (b, t, idem) => runPlatformatic('@platformatic/kafka', b, t, RECORDS, SIZE, idem),
};

const broker = await benchBroker();
try {
  for (const idempotent of [true, false]) {
    const results: BenchResult[] = [];
    const names = Object.keys(clients);
    for (let round = 0; round <= ROUNDS; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]!);
      for (const name of order) {
        const topic = await benchTopic(broker.bootstrap, 6);
        const result = await clients[name]!(broker.bootstrap, topic, idempotent);
        if (round > 0) results.push({ ...result, name: `${name} (round ${round})` });
        const label = round === 0 ? 'warm-up' : `round ${round}`;
        console.error(
          `${idempotent ? 'acks=all' : 'acks=1'} ${label}: ${name} ${rates(result).recordsPerSecond} records/s`,
        );
      }
    }
    const best = new Map<string, number>();
    const median = new Map<string, number>();
    for (const name of names) {
      const runs = results
        .filter((r) => r.name.startsWith(`${name} (`))
        .map((r) => rates(r).recordsPerSecond)
        .sort((a, b) => a - b);
      best.set(name, runs.at(-1)!);
      median.set(name, runs[runs.length >> 1]!);
    }
    console.log(
      `\n### ${SIZE}-byte records, ${idempotent ? 'acks=all, idempotent' : 'acks=1'}, no compression (Node ${process.version})\n`,
    );
    printTable(results);
    console.log('\n| client | median records/s | vs kafkajs | vs @platformatic/kafka | best records/s |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [name, value] of median) {
      const vsKafkajs = (value / median.get('kafkajs')!).toFixed(2);
      const vsPlatformatic = (value / median.get('@platformatic/kafka')!).toFixed(2);
      console.log(
        `| ${name} | ${value.toLocaleString('en')} | ${vsKafkajs}x | ${vsPlatformatic}x | ` +
          `${best.get(name)!.toLocaleString('en')} |`,
      );
    }
  }
} finally {
  await broker.stop();
}
