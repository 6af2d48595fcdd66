/**
 * What each layer costs per record by itself, without a broker: the same pipelines as the layers' rows of
 * `npm run bench` (`compare/drivers/vltava-rx.ts`, `vltava-streams.ts`) on client stubs: a producer that
 * acknowledges every `sendBatch` at once, a consumer that hands out pre-made records in batches as fast as asked.
 * Only the layer (and the pipeline shape a user writes around it) is timed; the core drivers' own loops (arrays
 * of 1,000 with 5 in flight; `for await` over `batches()`) on the same stubs are the reference.
 *
 *   npx tsx --conditions=@vltava/source bench/adapters/layer-cost.ts [--records 1000000] [--runs 5] [--only sendTo,...]
 *
 * For a CPU profile of one pipeline: `node --cpu-prof --cpu-prof-dir=<dir> --conditions=@vltava/source --import tsx
 * bench/adapters/layer-cost.ts --only sendTo`, then `bench/adapters/top-functions.ts <dir>`.
 *
 * Prints, per pipeline, the median wall and CPU ns per record over the runs (alternating pipelines). On a machine
 * shared with other work the CPU figures move far less than records/s against a broker. Read a layer's cost
 * against the core client's own CPU per record against the broker (`bench/adapters/adapters.ts`: about 700 ns at
 * 100 B for the producer and for the consumer): a layer that adds L ns keeps about 700 / (700 + L) of the core's
 * records/s while the client is what limits them (0.9 of it at L = 80 ns, 0.8 at L = 175 ns). */
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ignoreElements, lastValueFrom, map, range, tap } from 'rxjs';
import type {
  ConsumerBackpressure,
  ConsumerBatchOptions,
  ConsumerGroupMetadata,
  ConsumerLike,
  ConsumerRecord,
  ProducerLike,
  ProducerRecord,
  RecordBatch,
  RecordMetadata,
  SendBatchResult,
  TopicPartition,
} from '../../packages/core/src/index.js';
import { fromConsumer, sendTo } from '../../packages/rx/src/index.js';
import {
  createCommitStream,
  createReadStream,
  createSendStream,
  createWriteStream,
} from '../../packages/streams/src/index.js';
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

const PARTITIONS = 6;
/** The records the consumer stub hands out, made once: partition by partition, in offset order. */
let consumed: ConsumerRecord<Buffer, Buffer>[][] | undefined;
const consumedRecords = () => {
  if (consumed === undefined) {
    consumed = Array.from({ length: PARTITIONS }, () => []);
    for (let i = 0; i < RECORDS; i++) {
      const list = consumed[i % PARTITIONS]!;
      list.push({
        topic: TOPIC,
        partition: i % PARTITIONS,
        offset: BigInt(list.length),
        timestamp: 0,
        timestampType: 'CreateTime',
        key: null as unknown as Buffer,
        value: pool[i % pool.length]!,
        headers: [],
        leaderEpoch: 0,
        serializedKeySize: -1,
        serializedValueSize: 100,
      });
    }
  }
  return consumed;
};

/** A consumer that hands out the records above in batches of `maxRecords` of one partition, as fast as asked. */
class StubConsumer implements ConsumerLike<Buffer, Buffer> {
  readonly backpressure: ConsumerBackpressure = { pause: () => undefined, resume: () => undefined, paused: () => [] };
  subscribe(): void {}
  async unsubscribe(): Promise<void> {}
  assignment(): TopicPartition[] {
    return Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: TOPIC, partition }));
  }
  batches(options: ConsumerBatchOptions = {}): AsyncIterator<RecordBatch<Buffer, Buffer>, undefined> {
    const max = options.maxRecords ?? 500;
    const all = consumedRecords();
    let partition = 0;
    let at = 0;
    return {
      next: async () => {
        while (partition < all.length && at >= all[partition]!.length) {
          partition++;
          at = 0;
        }
        if (partition >= all.length) return { done: true, value: undefined };
        const records = all[partition]!.slice(at, at + max);
        at += records.length;
        return { done: false, value: { partitions: [{ topic: TOPIC, partition, records }] } };
      },
      return: async () => ({ done: true, value: undefined }),
    };
  }
  acknowledge(): void {}
  async commit(): Promise<void> {}
  async close(): Promise<void> {}
  groupMetadata(): ConsumerGroupMetadata {
    return { groupId: 'layer-cost', generationId: 1, memberId: 'stub', groupInstanceId: null };
  }
}

const CONSUMERS: Record<string, () => Promise<number>> = {
  /** The core driver's loop: `for await` over batches of up to 2,000 records. */
  'core batches() for await': async () => {
    let n = 0;
    const iterator = new StubConsumer().batches({ maxRecords: 2000 });
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      for (const entry of next.value.partitions) n += entry.records.length;
    }
    return n;
  },
  fromConsumer: () =>
    new Promise<number>((resolve, reject) => {
      let n = 0;
      const subscription = fromConsumer(new StubConsumer(), { topics: [TOPIC] }).subscribe({
        next(message) {
          message.ack();
          if (++n === RECORDS) {
            resolve(n);
            queueMicrotask(() => subscription.unsubscribe());
          }
        },
        error: reject,
      });
    }),
  'createReadStream -> createCommitStream': async () => {
    let n = 0;
    const consumer = new StubConsumer();
    await pipeline(
      createReadStream(consumer, { stopAfterRecords: RECORDS }),
      createCommitStream(consumer, {
        sourceOf: (record: ConsumerRecord<Buffer, Buffer>) => {
          n++;
          return record;
        },
      }),
    );
    return n;
  },
};

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
  'rxjs shape (no layer)': async (producer) => {
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
  'node shape (no layer)': async (producer) => {
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
  /** The same with an object-mode PassThrough in the middle, where createSendStream goes: Node's cost of a Duplex. */
  'node duplex shape (no layer)': async (producer) => {
    await pipeline(
      values(),
      new PassThrough({ objectMode: true, highWaterMark: 4096 }),
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
  const all: Record<string, () => Promise<number>> = { ...CONSUMERS };
  for (const [name, run] of Object.entries(PIPELINES)) {
    all[name] = async () => {
      const producer = new StubProducer();
      await run(producer);
      return producer.records;
    };
  }
  const names = Object.keys(all).filter((name) => ONLY === undefined || ONLY.includes(name));
  const wall = new Map<string, number[]>(names.map((n) => [n, []]));
  const cpu = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let run = 0; run <= RUNS; run++) {
    // Run 0 warms every pipeline up (JIT) and is not counted; later runs rotate the order.
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + run) % names.length]!;
      const startedCpu = process.cpuUsage();
      const started = performance.now();
      const records = await all[name]!();
      const ms = performance.now() - started;
      const used = process.cpuUsage(startedCpu);
      if (records !== RECORDS) throw new Error(`${name} passed ${records} records, not ${RECORDS}`);
      if (run > 0) {
        wall.get(name)!.push((ms * 1e6) / RECORDS);
        cpu.get(name)!.push(((used.user + used.system) * 1e3) / RECORDS);
      }
    }
  }
  console.log(
    `${RECORDS.toLocaleString('en')} records x 100 B through stub clients, ${RUNS} runs: median ns per record`,
  );
  for (const name of names) {
    const w = median(wall.get(name)!);
    const c = median(cpu.get(name)!);
    console.log(`  ${name.padEnd(38)} ${w.toFixed(0).padStart(6)} ns wall  ${c.toFixed(0).padStart(6)} ns CPU`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
