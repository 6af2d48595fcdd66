/**
 * Which documented way of driving @confluentinc/kafka-javascript's consumers is fastest: each mode of
 * `drivers/confluent.ts` (native: flowing mode, `consume(1000)` and `consume(10000)` loops; KafkaJS API: `eachBatch`
 * one partition at a time or six concurrently) drains the same pre-produced records, alternating, on the benchmark
 * broker; the comparison then drives each API in its fastest mode (`NATIVE_CONSUME_MODE`, `KAFKAJS_CONSUME_MODE`).
 *
 *   npx tsx --conditions=@vltava/source bench/compare/confluent-modes.ts [--records N] [--reps N]
 */
import { Admin } from '../../packages/core/src/index.js';
import { nodeRuntime } from '../../packages/core/test/compat/node-runtime.js';
import { startBenchKafka } from '../broker.js';
import { benchTopic } from '../producer/bench-support.js';
import { runChild } from './child-process.js';
import { PEER_NODE } from './clients.js';
import { KAFKAJS_CONSUME_MODES, NATIVE_CONSUME_MODES } from './drivers/confluent.js';
import { javaProduce, payloadFile } from './java-perf.js';
import { installPeers } from './peers.js';
import { COMMON, PARTITIONS } from './scenarios.js';
import { spread } from './stats.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
const records = option('records', 1_000_000);
const reps = option('reps', 5);
const log = (line: string) => console.error(`[modes ${new Date().toISOString().slice(11, 19)}] ${line}`);

const variants = [
  ...NATIVE_CONSUME_MODES.map((mode) => `native:${mode}`),
  ...KAFKAJS_CONSUME_MODES.map((mode) => `kafkajs:${mode}`),
];
const node = await nodeRuntime(PEER_NODE);
const install = await installPeers(node.node, PEER_NODE, node.nodedir, log);
const runtime = { major: PEER_NODE, node: node.node, version: node.version, peerDir: install.peerDir };
const cluster = await startBenchKafka((line) => log(`[harness] ${line}`));
const admin = new Admin({ brokers: cluster.bootstrap, logLevel: 'error' });
const payload = await payloadFile(100);
const results = new Map<string, Array<{ rate: number; cpu: number }>>();
try {
  const topic = await benchTopic(cluster.bootstrap, PARTITIONS);
  const settings = { records, size: 100, acks: 1 as const, compression: 'none' as const, lingerMs: 10 };
  await javaProduce(
    {
      kind: 'produce',
      bootstrap: cluster.bootstrap,
      topic,
      settings: { ...settings, batchSize: 200_000, keys: 0, ...COMMON },
    },
    payload.path,
  );
  for (let rep = 0; rep <= reps; rep++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + rep) % variants.length]!;
      const groupId = `modes-${variant.replace(':', '-')}-${rep}-${Date.now().toString(36)}`;
      const result = await runChild(
        runtime,
        { id: variant, driver: 'confluent', variant },
        {
          kind: 'consume',
          bootstrap: cluster.bootstrap,
          topic,
          groupId,
          records,
          partitions: PARTITIONS,
          compression: 'none',
        },
      );
      const rate = (result.records / result.ms) * 1000;
      log(
        `${rep === 0 ? 'warm-up ' : ''}${variant}: ${Math.round(rate).toLocaleString('en')} records/s, ${result.cpuSeconds.toFixed(2)} CPU s (${result.note})`,
      );
      if (rep > 0) results.set(variant, [...(results.get(variant) ?? []), { rate, cpu: result.cpuSeconds }]);
    }
  }
  console.log(
    `\n${records.toLocaleString('en')} records of 100 B, ${reps} alternating runs each (Node ${node.version}):\n`,
  );
  console.log('| mode | records/s (median) | min-max | CPU s |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [variant, list] of results) {
    const rate = spread(list.map((r) => r.rate));
    const cpu = spread(list.map((r) => r.cpu));
    console.log(
      `| ${variant} | ${Math.round(rate.median).toLocaleString('en')} | ${Math.round(rate.min).toLocaleString('en')}-${Math.round(rate.max).toLocaleString('en')} | ${cpu.median.toFixed(2)} |`,
    );
  }
} finally {
  await payload.remove();
  await admin.close();
  await cluster.stop();
}
