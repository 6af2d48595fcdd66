/**
 * A consumer in a child process, for tests that must kill a member outright (SIGKILL: no LeaveGroup, no commit) or
 * measure memory with `--expose-gc`. Started by `spawnConsumerChild`; talks to the parent over IPC.
 *
 * Modes:
 * - `member`: subscribes and polls; reports every record it processed (`{ type: 'records', records }`), waits
 *   `delayMs` after each poll to pace itself; closes on `{ type: 'stop' }`.
 * - `slow`: subscribes and iterates with a loop body that takes `slowMs` per record, for `records` records, while
 *   sampling memory after forced garbage collections; reports `{ type: 'slow-result', ... }`.
 */
import { Consumer, type ConsumerRebalanceListener } from '../../../src/index.js';
import { metricPoints, metricValue } from '../../../src/metrics/metric-value.js';

interface ChildConfig {
  readonly mode: 'member' | 'slow';
  readonly brokers: string;
  readonly topic: string;
  readonly options: Record<string, unknown>;
  readonly delayMs?: number;
  readonly slowMs?: number;
  readonly records?: number;
}

const config = JSON.parse(process.argv[2]!) as ChildConfig;
const send = (message: unknown) =>
  new Promise<void>((resolve) => process.send!(message, undefined, {}, () => resolve()));
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const events: string[] = [];
const listener: ConsumerRebalanceListener = {
  onPartitionsAssigned: (p) => {
    events.push(`assigned:${p.length}`);
  },
  onPartitionsRevoked: (p) => {
    events.push(`revoked:${p.length}`);
  },
  onPartitionsLost: (p) => {
    events.push(`lost:${p.length}`);
  },
};

async function member(): Promise<void> {
  const consumer = new Consumer({ brokers: config.brokers, logLevel: 'error', ...config.options });
  consumer.subscribe([config.topic], listener);
  let stopping = false;
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stop') stopping = true;
  });
  while (!stopping) {
    const batch = await consumer.poll({ timeoutMs: 200 });
    if (batch.count > 0) {
      await send({ type: 'records', records: [...batch].map((r) => [r.partition, r.offset.toString()]) });
    }
    await send({ type: 'assignment', partitions: consumer.assignment().map((tp) => tp.partition) });
    if (config.delayMs) await delay(config.delayMs);
  }
  await consumer.close();
  await send({ type: 'closed' });
}

async function slow(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const measure = () => {
    gc();
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, total: m.heapUsed + m.arrayBuffers };
  };
  const consumer = new Consumer({ brokers: config.brokers, logLevel: 'error', ...config.options });
  await consumer.connect();
  const baseline = measure();
  consumer.subscribe([config.topic], listener);
  let max = baseline;
  let maxBufferedBytes = 0;
  let maxBufferedRecords = 0;
  let count = 0;
  const started = Date.now();
  let generationAtFirst = -1;
  for await (const _record of consumer) {
    count++;
    if (count === 1) generationAtFirst = consumer.groupMetadata().generationId;
    // The loop body: slowMs of (asynchronous) work, sampling memory meanwhile.
    const until = Date.now() + config.slowMs!;
    while (Date.now() < until) {
      await delay(250);
      const sample = measure();
      if (sample.total > max.total) max = sample;
      const metrics = consumer.metrics();
      maxBufferedBytes = Math.max(maxBufferedBytes, metricValue(metrics, 'vltava_consumer_buffered_bytes') ?? 0);
      maxBufferedRecords = Math.max(maxBufferedRecords, metricValue(metrics, 'vltava_consumer_buffered_records') ?? 0);
    }
    if (count >= config.records!) break;
  }
  const metrics = consumer.metrics();
  const result = {
    type: 'slow-result',
    count,
    elapsedMs: Date.now() - started,
    baseline,
    max,
    maxBufferedBytes,
    maxBufferedRecords,
    groupState: metricPoints(metrics, 'vltava_consumer_group_state')[0]?.labels.state,
    rebalances: metricValue(metrics, 'vltava_consumer_rebalances_total'),
    generationAtFirst,
    generationAtEnd: consumer.groupMetadata().generationId,
    events: [...events],
    lag: metricPoints(metrics, 'vltava_consumer_records_lag').map((p) => String(p.value)),
  };
  await consumer.close();
  await send(result);
}

(config.mode === 'member' ? member() : slow()).then(
  () => process.exit(0),
  async (error: unknown) => {
    await send({ type: 'error', message: String((error as Error)?.stack ?? error) });
    process.exit(1);
  },
);
