/**
 * The soak's client process (run by `soak.ts` with `--expose-gc`): three users of Vltava in one Node process, for
 * `minutes`, against a 3-node cluster whose brokers the orchestrator kills and restarts:
 *
 * - a producer (acks=all, idempotent) sending `rate` records/s of 100 B to `soak-in`, record `n` keyed
 *   `String(n % 64)` and carrying `n` in its first 8 bytes;
 * - an Rx pipeline: `fromConsumer(group soak-rx, soak-in)` -> `sendTo(second producer, soak-out)` ->
 *   `commitOffsets()`, restarted by `retry` if it errors;
 * - a `for await` group of two consumers (group soak-check) reading `soak-out`, counting how often each `n` arrives.
 *
 * Every `sampleSeconds` it reads the event-loop delay of the interval, forces a full GC (`gc()`), and prints one
 * sample line: RSS (and its anonymous and file parts from /proc/self/status), heap used and total after the GC, V8's
 * malloced memory, external memory and ArrayBuffers, active handles and requests by type, the delay percentiles, and
 * the counters. At the end it stops the producer, waits (up to 3 min) for every acknowledged record to come out of
 * the pipeline, closes everything (committing), and prints the end-to-end counts.
 *
 *   node --expose-gc --conditions=@vltava/source --import tsx soak-client.ts <bootstrap> <options JSON>
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { retry, type Subscription } from 'rxjs';
import { Consumer, Producer } from '../../packages/core/src/index.js';
import { commitOffsets, fromConsumer, sendTo } from '../../packages/rx/src/index.js';
import {
  COUNTS_PREFIX,
  SAMPLE_PREFIX,
  type SoakClientOptions,
  type SoakCounts,
  type SoakSample,
} from './soak-samples.js';

const MiB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MiB) * 100) / 100;

function statusKiB(field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function main(): Promise<void> {
  const [bootstrap, json] = process.argv.slice(2);
  if (bootstrap === undefined || json === undefined) throw new Error('usage: soak-client.ts <bootstrap> <options>');
  const options = JSON.parse(json) as SoakClientOptions;
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const started = performance.now();
  const total = Math.ceil(options.rate * options.minutes * 60 * 1.05) + 1000;
  // How often each record arrived at the end, and which sends failed. Written through once now, so that their pages
  // are resident from the start instead of adding to RSS as the run goes.
  const seen = new Uint8Array(total).fill(1).fill(0);
  const failed = new Uint8Array(total).fill(1).fill(0);
  let sent = 0;
  let acked = 0;
  let failedSends = 0;
  let forwarded = 0;
  let checked = 0;
  let rxRestarts = 0;
  let firstError: string | undefined;
  const note = (error: unknown) => {
    firstError ??= String((error as Error)?.message ?? error).slice(0, 500);
  };

  const common = { brokers: bootstrap, logLevel: 'error' as const };
  const producer = new Producer({ ...common, acks: 'all', enableIdempotence: true, lingerMs: 5 });
  const relay = new Producer({ ...common, acks: 'all', enableIdempotence: true, lingerMs: 5 });
  const keys = Array.from({ length: 64 }, (_, i) => Buffer.from(String(i)));

  // The Rx pipeline.
  const pipeline: Subscription = fromConsumer(
    () => new Consumer({ ...common, groupId: 'soak-rx', autoOffsetReset: 'earliest' }),
    { topics: [options.inTopic] },
  )
    .pipe(
      sendTo(relay, (message) => {
        forwarded++;
        return { topic: options.outTopic, key: message.record.key, value: message.record.value };
      }),
      commitOffsets(),
      retry({
        delay: (error: unknown) => {
          rxRestarts++;
          note(error);
          return new Promise((resolve) => setTimeout(resolve, 1000));
        },
      }),
    )
    .subscribe({ error: note });

  // The for-await group.
  const checkers = [0, 1].map(() => new Consumer({ ...common, groupId: 'soak-check', autoOffsetReset: 'earliest' }));
  const reading = checkers.map(async (consumer) => {
    consumer.subscribe([options.outTopic]);
    try {
      for await (const record of consumer) {
        const value = record.value as Buffer;
        const n = Number(value.readBigUInt64BE(0));
        if (n < total && seen[n]! < 255) seen[n]!++;
        checked++;
      }
    } catch (error) {
      note(error);
    }
  });

  // The producer, at a steady rate.
  const deadline = started + options.minutes * 60_000;
  const template = Buffer.alloc(100, 0x61);
  const onSent = (n: number) => (error: unknown) => {
    if (error === undefined) acked++;
    else {
      failedSends++;
      failed[n] = 1;
      note(error);
    }
  };
  const producing = new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total - 1000, Math.floor(((now - started) / 1000) * options.rate));
      while (sent < due) {
        const value = Buffer.from(template);
        value.writeBigUInt64BE(BigInt(sent), 0);
        producer.send({ topic: options.inTopic, key: keys[sent % keys.length]!, value }, onSent(sent));
        sent++;
      }
      if (now < deadline) setTimeout(tick, 10);
      else resolve();
    };
    tick();
  });

  // Samples.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const sample = () => {
    const eld = { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
    delay.reset();
    gc();
    const memory = process.memoryUsage();
    const heap = getHeapStatistics();
    const resources = process.getActiveResourcesInfo();
    const handleTypes: Record<string, number> = {};
    for (const type of resources) handleTypes[type] = (handleTypes[type] ?? 0) + 1;
    const line: SoakSample = {
      t: Math.round((performance.now() - started) / 100) / 10,
      rssMiB: mib(memory.rss),
      rssAnonMiB: mib(statusKiB('RssAnon') * 1024),
      rssFileMiB: mib(statusKiB('RssFile') * 1024),
      heapUsedMiB: mib(memory.heapUsed),
      heapTotalMiB: mib(memory.heapTotal),
      heapPhysicalMiB: mib(heap.total_physical_size),
      nativeMiB: mib(statusKiB('RssAnon') * 1024 - heap.total_physical_size - memory.arrayBuffers),
      mallocedMiB: mib(heap.malloced_memory),
      externalMiB: mib(memory.external),
      arrayBuffersMiB: mib(memory.arrayBuffers),
      handles: resources.length,
      handleTypes,
      eldP50: Math.round(eld.p50 * 100) / 100,
      eldP99: Math.round(eld.p99 * 100) / 100,
      eldMax: Math.round(eld.max * 100) / 100,
      sent,
      acked,
      forwarded,
      checked,
      rxRestarts,
    };
    process.stdout.write(`${SAMPLE_PREFIX}${JSON.stringify(line)}\n`);
  };
  const sampler = setInterval(sample, options.sampleSeconds * 1000);

  await producing;
  await producer.flush();
  // Drain: wait until every acknowledged record arrived at the end (or 3 minutes passed).
  const drainStarted = performance.now();
  const arrived = () => {
    for (let n = 0; n < sent; n++) if (seen[n] === 0 && failed[n] === 0) return false;
    return true;
  };
  while (performance.now() - drainStarted < 180_000) {
    if (failedSends + acked >= sent && arrived()) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  clearInterval(sampler);
  sample();
  delay.disable();
  pipeline.unsubscribe();
  await Promise.all(checkers.map((consumer) => consumer.close().catch(note)));
  await Promise.all(reading);
  await relay.close().catch(note);
  await producer.close().catch(note);

  let lost = 0;
  let duplicated = 0;
  let unacknowledgedArrived = 0;
  for (let n = 0; n < sent; n++) {
    if (failed[n] === 1) {
      if (seen[n]! > 0) unacknowledgedArrived++;
      continue;
    }
    if (seen[n] === 0) lost++;
    else duplicated += seen[n]! - 1;
  }
  const counts: SoakCounts = {
    sent,
    acked,
    failedSends,
    lost,
    duplicated,
    unacknowledgedArrived,
    rxRestarts,
    drainSeconds: Math.round(drainSeconds),
    ...(firstError === undefined ? {} : { firstError }),
  };
  process.stdout.write(`${COUNTS_PREFIX}${JSON.stringify(counts)}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
