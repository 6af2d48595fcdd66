/**
 * What every client driver implements, and the loops they share: arrays of records with a few sends in flight
 * (every client that takes arrays, at the run's array length and depth), the keys of keyed scenarios, the
 * producer's steady-state clock, the consumer's drain counter, and the fixed-rate latency loop (probe until the
 * consumer sees a record, send at a fixed rate, record send-to-receive times in a histogram).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Histogram } from '../histogram.js';
import {
  type ConsumeJob,
  type JobResult,
  type LatencyJob,
  type ProduceJob,
  type ShareConsumeJob,
  STEADY_STATE_FROM,
  type SteadyState,
} from '../job.js';

/** A measured run without the process figures, which the child adds. */
export type Measured = Omit<JobResult, 'cpuSeconds' | 'peakRssMiB'>;

/** One client's ways to run each kind of job (a client may lack some). */
export interface ClientDriver {
  produce?(job: ProduceJob): Promise<Measured>;
  consume?(job: ConsumeJob): Promise<Measured>;
  share?(job: ShareConsumeJob): Promise<Measured>;
  latency?(job: LatencyJob): Promise<Measured>;
}

/** Loads a driver: imports its modules (not counted in the client's CPU time). */
export type DriverLoader = (peerDir: string, variant?: string) => Promise<ClientDriver>;

/** Imports a peer package installed in `peerDir/node_modules` (the bench's own install for this Node). */
export async function importPeer<T>(peerDir: string, name: string): Promise<T> {
  const require = createRequire(join(peerDir, 'package.json'));
  const module = (await import(pathToFileURL(require.resolve(name)).href)) as T & { default?: T };
  return module;
}

/** `require` of a CommonJS peer package from `peerDir/node_modules`. */
export function requirePeer<T>(peerDir: string, name: string): T {
  return createRequire(join(peerDir, 'package.json'))(name) as T;
}

/**
 * The keys of a producer scenario: `keys` distinct keys, record `i` taking `String(i % keys)` in UTF-8 (the keys
 * `kafka-producer-perf-test --key-distribution range` sends); none for a keyless scenario.
 */
export function keyPool(keys: number): Buffer[] | undefined {
  if (keys <= 0) return undefined;
  return Array.from({ length: keys }, (_, i) => Buffer.from(String(i), 'utf8'));
}

/** How long a producer run took, and its steady state (see {@link SteadyClock}). */
export interface Timed {
  readonly ms: number;
  readonly steady: SteadyState;
}

/**
 * Times a producer run and its steady state: the run from its start, the steady state from the moment the
 * acknowledged records first reach {@link STEADY_STATE_FROM} of the total (what the Java tool's `--warmup-records`
 * leaves out of its steady-state line) to the end.
 */
export class SteadyClock {
  private readonly started = performance.now();
  private acknowledged = 0;
  private steadyAt = Number.NaN;
  private steadyFrom = 0;

  constructor(private readonly total: number) {}

  /** Counts `records` more acknowledged records. */
  acknowledge(records: number): void {
    this.acknowledged += records;
    if (Number.isNaN(this.steadyAt) && this.acknowledged >= this.total * STEADY_STATE_FROM) {
      this.steadyAt = performance.now();
      this.steadyFrom = this.acknowledged;
    }
  }

  /** The run so far. */
  stop(): Timed {
    const now = performance.now();
    return {
      ms: now - this.started,
      steady: {
        records: this.total - this.steadyFrom,
        ms: now - (Number.isNaN(this.steadyAt) ? this.started : this.steadyAt),
      },
    };
  }
}

/**
 * Sends `records` records as arrays of `arrayLength`, `inFlight` calls at a time; resolves with the elapsed
 * milliseconds and the steady state once every call resolved. `sendArray(start, count)` sends records
 * start..start+count-1 and resolves when they are acknowledged.
 */
export async function driveArrays(
  records: number,
  arrayLength: number,
  inFlight: number,
  sendArray: (start: number, count: number) => Promise<unknown>,
): Promise<Timed> {
  const clock = new SteadyClock(records);
  let next = 0;
  const worker = async () => {
    while (next < records) {
      const start = next;
      const count = Math.min(arrayLength, records - next);
      next += count;
      await sendArray(start, count);
      clock.acknowledge(count);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return clock.stop();
}

/** Resolves when `condition()` holds, checking every `everyMs`; rejects after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 60_000, everyMs = 5) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * A consumer drain: counts records until the total, timed from its creation to the last record. The clock rule
 * of every consumer: each driver creates it right before the client's first call that touches the network
 * (`connect()`, `subscribe()` or `consume()`, whichever comes first), so the group join is inside the time.
 */
export class DrainCounter {
  count = 0;
  bytes = 0;
  readonly started = performance.now();
  firstAt = 0;
  lastAt = 0;
  private resolveDone!: () => void;
  private rejectDone!: (error: Error) => void;
  /** The count at the watchdog's last look, and when it last saw it move. */
  private seenCount = 0;
  private progressAt = performance.now();
  private readonly watchdog: NodeJS.Timeout;
  /**
   * Resolves when `total` records were counted; rejects when no record came for `stallMs` (a client that stopped
   * fetching, or that cannot decode the records, fails its run instead of hanging it).
   */
  readonly done = new Promise<void>((resolve, reject) => {
    this.resolveDone = resolve;
    this.rejectDone = reject;
  });

  constructor(
    readonly total: number,
    stallMs = 60_000,
  ) {
    // The watchdog, not `add`, reads the clock: a driver that counts record by record (the Rx and stream layers)
    // pays no clock read per record that a driver counting whole batches (the core's) does not.
    this.watchdog = setInterval(() => {
      const now = performance.now();
      if (this.count !== this.seenCount) {
        this.seenCount = this.count;
        this.progressAt = now;
        return;
      }
      if (now - this.progressAt < stallMs) return;
      clearInterval(this.watchdog);
      this.rejectDone(
        new Error(`the consumer stalled: ${this.count} of ${this.total} records, none for ${stallMs / 1000} s`),
      );
    }, 1000);
    this.watchdog.unref();
    this.done.catch(() => undefined); // a stall nobody waits for any more is no unhandled rejection
  }

  /** Counts `records` records of `bytes` value bytes. */
  add(records: number, bytes: number): void {
    if (this.count === 0 && records > 0) this.firstAt = performance.now();
    this.count += records;
    this.bytes += bytes;
    if (this.count >= this.total && this.lastAt === 0) {
      this.lastAt = performance.now();
      clearInterval(this.watchdog);
      this.resolveDone();
    }
  }

  /** The measured run (call after `done`). */
  result(note?: string): Measured {
    clearInterval(this.watchdog);
    return {
      records: this.count,
      bytes: this.bytes,
      ms: this.lastAt - this.started,
      note: `first record after ${Math.round(this.firstAt - this.started)} ms${note ? `; ${note}` : ''}`,
    };
  }
}

/**
 * Runs a `for await` drain loop until it ends, failing as soon as the counter says the consumer stalled (the loop
 * itself would wait for the next record forever).
 */
export async function drained(counter: DrainCounter, loop: () => Promise<void>): Promise<void> {
  await Promise.race([loop(), counter.done]);
  if (counter.count < counter.total)
    throw new Error(`the loop ended after ${counter.count} of ${counter.total} records`);
}

/** Kinds of latency records (first byte of the value). */
const PROBE = 0;
const WARMUP = 1;
const MEASURED = 2;

/** What the latency loop needs from a client: a consumer started on the topic, and a way to send values. */
export interface LatencyClient {
  /** Starts consuming the job's topic from the earliest offset in its group; calls `onValue` per record value. */
  startConsumer(onValue: (value: Buffer) => void): Promise<void>;
  /** Sends the values (the records of one tick), without waiting for their acknowledgement. */
  send(values: Buffer[]): void;
  /** Stops both (after every record was received or the wait gave up). */
  close(): Promise<void>;
  /** First failure of a send, if any (checked at the end). */
  failure(): unknown;
}

/**
 * Runs the latency loop: probes once every 50 ms until the consumer received one (its group joined and it
 * fetches), then sends `rate` records/s for `warmupSeconds + seconds` on a 1 ms timer (each tick sends the records
 * due by then), each value carrying its send time; the histogram holds the send-to-receive time of the records
 * sent after the warm-up, in microseconds. Waits up to 30 s for every record to arrive.
 */
export async function runLatency(job: LatencyJob, client: LatencyClient): Promise<Measured> {
  const histogram = new Histogram();
  let probesSeen = 0;
  let received = 0;
  await client.startConsumer((value) => {
    const kind = value[0];
    if (kind === PROBE) {
      probesSeen++;
      return;
    }
    received++;
    if (kind === MEASURED) histogram.record((performance.now() - value.readDoubleLE(1)) * 1000);
  });
  const make = (kind: number) => {
    const value = Buffer.alloc(job.size, 0x78);
    value[0] = kind;
    value.writeDoubleLE(performance.now(), 1);
    return value;
  };
  const probeDeadline = performance.now() + 60_000;
  while (probesSeen === 0) {
    if (performance.now() > probeDeadline) throw new Error('the consumer received no probe within 60 s');
    client.send([make(PROBE)]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const total = Math.round(job.rate * (job.warmupSeconds + job.seconds));
  const warmup = Math.round(job.rate * job.warmupSeconds);
  const started = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * job.rate));
      if (due > sent) {
        const values: Buffer[] = new Array(due - sent);
        for (let i = 0; i < values.length; i++) values[i] = make(sent + i < warmup ? WARMUP : MEASURED);
        sent = due;
        client.send(values);
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const sendMs = performance.now() - started;
  const deadline = performance.now() + 30_000;
  while (received < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await client.close();
  const failure = client.failure();
  if (failure !== undefined) throw failure;
  const measured = total - warmup;
  const ms = (x: number) => Math.round(x) / 1000;
  return {
    records: histogram.count,
    bytes: histogram.count * job.size,
    ms: sendMs,
    latency: {
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      p999: ms(histogram.percentile(99.9)),
      max: ms(histogram.max),
      count: histogram.count,
      lost: measured - histogram.count,
    },
  };
}
