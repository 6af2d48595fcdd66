/**
 * What each producer layer costs per record by itself, without a broker: the same pipelines as the layers' rows of
 * `npm run bench` (`compare/drivers/vltava-rx.ts`, `vltava-streams.ts`) sending into a producer stub that
 * acknowledges every `sendBatch` at once, so that only the layer (and the pipeline shape a user writes around it)
 * is timed. The core driver's own loop (arrays of 1,000, 5 in flight) into the same stub is the reference.
 *
 *   npx tsx --conditions=@vltava/source bench/adapters/layer-cost.ts [--records 1000000] [--runs 5] [--only sendTo,...]
 *
 * For a CPU profile of one pipeline: `node --cpu-prof --cpu-prof-dir=<dir> --conditions=@vltava/source --import tsx
 * bench/adapters/layer-cost.ts --only sendTo`, then `bench/adapters/top-functions.ts <dir>`.
 *
 * Prints, per pipeline, the median ns per record and CPU ns per record over the runs (alternating pipelines). On a
 * machine shared with other work these figures move far less than records/s against a broker: a layer's cost here
 * against the core producer's CPU per record (about 770 ns at 100 B in `bench/adapters/adapters.ts`) says how far
 * its records/s can stay from the core's (at most 85 ns per record for 0.9 of it, 190 ns for 0.8).
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ignoreElements, lastValueFrom, map, range, tap } from 'rxjs';
import type { ProducerLike, ProducerRecord, RecordMetadata, SendBatchResult } from '../../packages/core/src/index.js';
import { sendTo } from '../../packages/rx/src/index.js';
import { createSendStream, createWriteStream } from '../../packages/streams/src/index.js';
import { payloadPool } from '../compare/payload.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
};
const RECORDS = option('records', 1_000_000);
const RUNS = option('runs', 5);
const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1]!.split(',') : undefined;
const TOPIC = 'layer-cost';
const pool = payloadPool(100);
const KEYS = Array.from({ length: 1024 }, (_, i) => Buffer.from(String(i)));

const METADATA: RecordMetadata = {
  topic: TOPIC,
  partition: 0,
  offset: 0n,
  timestamp: 0,
  serializedKeySize: -1,
  serializedValueSize: 100,
} as RecordMetadata;

/** A producer that acknowledges each `sendBatch` on the next microtask, with one shared metadata. */
class StubProducer implements ProducerLike<unknown, unknown> {
  records = 0;
  send(): void {
    throw new Error('not used');
  }
  sendBatch(records: Iterable<ProducerRecord<unknown, unknown>>): Promise<SendBatchResult> {
    const count = (records as readonly unknown[]).length;
    this.records += count;
    return Promise.resolve({
      count,
      succeeded: count,
      failed: 0,
      firstError: undefined,
      metadata: () => METADATA,
      error: () => undefined,
    });
  }
  waitForBuffer(): Promise<void> {
    return Promise.resolve();
  }
  partitionsFor(): Promise<never[]> {
    return Promise.resolve([]);
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const values = () => {
  let i = 0;
  return new Readable({
    objectMode: true,
    highWaterMark: 4096,
    read() {
      while (i < RECORDS) {
        if (!this.push(pool[i++ % pool.length]!)) return;
      }
      this.push(null);
    },
  });
};

const PIPELINES: Record<string, (producer: StubProducer) => Promise<unknown>> = {
  /** The core driver's loop: arrays of 1,000 records, 5 calls in flight. */
  'core sendBatch 1000x5': async (producer) => {
    let next = 0;
    const worker = async () => {
      while (next < RECORDS) {
        const start = next;
        const count = Math.min(1000, RECORDS - next);
        next += count;
        const batch: ProducerRecord<unknown, unknown>[] = new Array(count);
        for (let i = 0; i < count; i++) batch[i] = { topic: TOPIC, value: pool[(start + i) % pool.length]! };
        await producer.sendBatch(batch);
      }
    };
    await Promise.all(Array.from({ length: 5 }, worker));
  },
  /** The Rx pipeline around `sendTo` without it: what the shape costs by itself. */
  'rxjs shape, no layer': async (producer) => {
    let n = 0;
    await lastValueFrom(
      range(0, RECORDS).pipe(
        map((i) => pool[i % pool.length]!),
        tap(() => n++),
        ignoreElements(),
      ),
      { defaultValue: undefined },
    );
    producer.records = n;
  },
  /** The Node pipeline around the write stream, into a Writable that drops each batch: what Node's streams cost. */
  'node shape, no layer': async (producer) => {
    await pipeline(
      values(),
      new Writable({
        objectMode: true,
        highWaterMark: 4096,
        writev: (chunks, done) => {
          producer.records += chunks.length;
          done();
        },
      }),
    );
  },
  sendTo: async (producer) => {
    let acknowledged = 0;
    await lastValueFrom(
      range(0, RECORDS).pipe(
        map((i) => pool[i % pool.length]!),
        sendTo(producer, { topic: TOPIC }),
        tap(() => acknowledged++),
        ignoreElements(),
      ),
      { defaultValue: undefined },
    );
    if (acknowledged !== RECORDS) throw new Error(`sendTo emitted ${acknowledged} results`);
  },
  /** `sendTo` with a mapper that builds each record (the keyed rows' shape). */
  'sendTo mapper': async (producer) => {
    let acknowledged = 0;
    await lastValueFrom(
      range(0, RECORDS).pipe(
        sendTo(producer, (i: number) => ({ topic: TOPIC, key: KEYS[i & 1023]!, value: pool[i % pool.length]! })),
        tap(() => acknowledged++),
        ignoreElements(),
      ),
      { defaultValue: undefined },
    );
    if (acknowledged !== RECORDS) throw new Error(`sendTo emitted ${acknowledged} results`);
  },
  createWriteStream: (producer) => pipeline(values(), createWriteStream(producer, { topic: TOPIC })),
  createSendStream: async (producer) => {
    let results = 0;
    await pipeline(
      values(),
      createSendStream(producer, { topic: TOPIC }),
      new Writable({
        objectMode: true,
        highWaterMark: 4096,
        writev: (chunks, done) => {
          results += chunks.length;
          done();
        },
      }),
    );
    if (results !== RECORDS) throw new Error(`createSendStream emitted ${results} results`);
  },
};

const median = (list: number[]) => [...list].sort((a, b) => a - b)[list.length >> 1]!;

async function main(): Promise<void> {
  const names = Object.keys(PIPELINES).filter((name) => ONLY === undefined || ONLY.includes(name));
  const wall = new Map<string, number[]>(names.map((n) => [n, []]));
  const cpu = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let run = 0; run <= RUNS; run++) {
    // Run 0 warms every pipeline up (JIT) and is not counted; later runs rotate the order.
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + run) % names.length]!;
      const producer = new StubProducer();
      const startedCpu = process.cpuUsage();
      const started = performance.now();
      await PIPELINES[name]!(producer);
      const ms = performance.now() - started;
      const used = process.cpuUsage(startedCpu);
      if (producer.records !== RECORDS) throw new Error(`${name} sent ${producer.records} records`);
      if (run > 0) {
        wall.get(name)!.push((ms * 1e6) / RECORDS);
        cpu.get(name)!.push(((used.user + used.system) * 1e3) / RECORDS);
      }
    }
  }
  console.log(
    `${RECORDS.toLocaleString('en')} records x 100 B into a stub producer, ${RUNS} runs: median ns per record`,
  );
  for (const name of names) {
    const w = median(wall.get(name)!);
    const c = median(cpu.get(name)!);
    console.log(`  ${name.padEnd(24)} ${w.toFixed(0).padStart(6)} ns wall  ${c.toFixed(0).padStart(6)} ns CPU`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
