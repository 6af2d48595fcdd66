/**
 * The demo behind `npm start`: a load producer writes timestamped records to an input topic; an Rx pipeline
 * (`fromConsumer` -> `sendTo` -> `commitOffsets`) transforms them into an output topic; a `for await` reader reads
 * the output and measures the end-to-end latency. Frames with the figures go to a sink (a terminal redrawn in
 * place, or a log) once every `frameIntervalMs`; the run ends after `count` records end to end, or when `signal`
 * aborts, and returns a summary.
 */
import {
  Admin,
  Consumer,
  type ConsumerRecord,
  deserializers,
  type Logger,
  type MetricFamily,
  metricValue,
  Producer,
  type TopicPartition,
} from '@vltava/core';
import { commitOffsets, fromConsumer, sendTo } from '@vltava/rx';
import { tap } from 'rxjs';
import { DemoStats } from './demo-stats.js';
import type { FrameSink } from './render.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Bootstrap servers, `host:port[,...]`. */
  readonly brokers: string;
  /** Records to move end to end; `undefined` runs until `signal` aborts. */
  readonly count: number | undefined;
  /** Records produced per second; 0 produces as fast as the producer takes them. */
  readonly rate: number;
  /** Partitions of the two topics. Default 3. */
  readonly partitions?: number;
  /** Stops the demo (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Where frames go. Default: nowhere. */
  readonly sink?: FrameSink;
  /** Time between frames. Default 100 (ten per second at most). */
  readonly frameIntervalMs?: number;
  /** How long closing the clients may take after an interruption (the broker may be gone). Default 3000. */
  readonly interruptedCloseTimeoutMs?: number;
}

/** What the demo measured. */
export interface DemoSummary {
  readonly topics: { readonly input: string; readonly output: string };
  /** True when `signal` stopped the demo before `count`. */
  readonly interrupted: boolean;
  readonly elapsedMs: number;
  readonly produced: number;
  readonly piped: number;
  /** Distinct records the reader read. */
  readonly consumed: number;
  /** Records the reader saw more than once (at-least-once after a failure; 0 in a normal run). */
  readonly duplicates: number;
  readonly latency: {
    readonly p50: number | undefined;
    readonly p95: number | undefined;
    readonly p99: number | undefined;
    readonly max: number | undefined;
    readonly mean: number | undefined;
  };
  /** Records not yet handed out, by the pipeline's consumer and the reader, at the end. */
  readonly pipelineLag: bigint;
  readonly readerLag: bigint;
  /** End offsets of the input minus the pipeline group's committed offsets; `undefined` when not measured. */
  readonly committedLag: bigint | undefined;
}

const SENT_AT = 'sent-at';
const SEQ = 'seq';

/** A client logger that prints errors, except while the demo shuts down (an interrupted broker may be gone). */
function demoLogger(quiet: () => boolean): Logger {
  return {
    debug() {},
    info() {},
    warn() {},
    error(message, fields) {
      if (!quiet()) console.error(`vltava: ${message}`, fields ?? '');
    },
  };
}

function headerValue(record: ConsumerRecord<unknown, unknown>, key: string): string | undefined {
  const header = record.headers.find((h) => h.key === key);
  return header?.value?.toString();
}

/** A consumer's lag, summed over its partitions, from its metrics (`vltava_consumer_records_lag`). */
function lagOf(consumer: Consumer<unknown, unknown>): bigint {
  return BigInt(metricValue(consumer.metrics(), 'vltava_consumer_records_lag') ?? 0);
}

/** Quota throttling of some clients, from their connections' metrics (`vltava_connection_throttle*`). */
function throttleOf(clients: ReadonlyArray<{ metrics(): MetricFamily[] }>): { responses: number; seconds: number } {
  let responses = 0;
  let seconds = 0;
  for (const client of clients) {
    const metrics = client.metrics();
    responses += metricValue(metrics, 'vltava_connection_throttled_responses_total') ?? 0;
    seconds += metricValue(metrics, 'vltava_connection_throttle_seconds_total') ?? 0;
  }
  return { responses, seconds };
}

/** The pipeline's transformation: an order becomes an invoice line with VAT. */
function invoice(value: string | null): string {
  const order = JSON.parse(value ?? '{}') as { seq: number; amount: number };
  return JSON.stringify({ seq: order.seq, amount: order.amount, vat: Math.round(order.amount * 21) / 100 });
}

/** Runs the demo; see the module comment. */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const { brokers, count, rate } = options;
  const partitions = options.partitions ?? 3;
  const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const input = `vltava-demo-orders-${id}`;
  const output = `vltava-demo-invoices-${id}`;
  const stats = new DemoStats(count);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let shuttingDown = false;
  const logger = demoLogger(() => shuttingDown);

  const admin = new Admin({ brokers, logger });
  for (const created of await admin.createTopics(
    [input, output].map((topic) => ({ topic, numPartitions: partitions })),
    { waitForMetadata: true },
  )) {
    if (created.error !== undefined) throw created.error;
  }

  const loadProducer = new Producer<string, string>({ brokers, logger });
  const pipelineProducer = new Producer<Buffer | null, string>({ brokers, logger });
  const pipelineConsumer = new Consumer({
    brokers,
    logger,
    groupId: `vltava-demo-pipeline-${id}`,
    autoOffsetReset: 'earliest',
    valueDeserializer: deserializers.string,
  });
  const reader = new Consumer({
    brokers,
    logger,
    groupId: `vltava-demo-reader-${id}`,
    autoOffsetReset: 'earliest',
  });

  // Load the topics' metadata before the load starts (records waiting for metadata are bounded by the buffer).
  await Promise.all([loadProducer.partitionsFor(input), pipelineProducer.partitionsFor(output)]);

  // Distinct records seen by the reader (a bitmap when the count is known).
  const seen = count === undefined ? undefined : new Uint8Array(count);
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  stop.signal.addEventListener('abort', () => finished(), { once: true });
  // The pipeline has had every input record acknowledged as an invoice (with a count). The reader can see an
  // invoice before the pipeline's producer has its acknowledgement: the demo waits for both before it shuts down.
  let pipedAll: () => void = () => undefined;
  const allPiped = new Promise<void>((resolve) => {
    pipedAll = resolve;
  });

  // Both consumers have their partitions before the load starts, so that the latencies do not include the joins.
  let readerAssigned = false;
  let pipelineAssigned = false;
  const assigned = (set: () => void) => ({
    onPartitionsAssigned: (partitions: TopicPartition[]) => {
      if (partitions.length > 0) set();
    },
  });

  // 1. The `for await` reader of the output topic: counts records and measures the end-to-end latency.
  reader.subscribe(
    [output],
    assigned(() => {
      readerAssigned = true;
    }),
  );
  const reading = (async () => {
    for await (const record of reader.records({ signal: stop.signal })) {
      const sentAt = Number(headerValue(record, SENT_AT));
      const seq = Number(headerValue(record, SEQ));
      if (seen !== undefined && seq >= 0 && seq < seen.length) {
        if (seen[seq] === 1) {
          stats.duplicates++;
          continue;
        }
        seen[seq] = 1;
      }
      stats.consumed++;
      stats.latency.record(Date.now() - sentAt);
      if (count !== undefined && stats.consumed >= count) {
        finished();
        break;
      }
    }
  })();

  // 2. The Rx pipeline: orders in, invoices out, offsets committed once the invoices are acknowledged.
  let pipelineError: unknown;
  const pipeline = fromConsumer(pipelineConsumer, {
    topics: [input],
    highWaterMark: 2000,
    listener: assigned(() => {
      pipelineAssigned = true;
    }),
  })
    .pipe(
      sendTo(pipelineProducer, (message) => ({
        topic: output,
        key: message.record.key,
        value: invoice(message.record.value),
        headers: message.record.headers.map((h) => ({ key: h.key, value: h.value })),
      })),
      tap(() => {
        stats.piped++;
        if (count !== undefined && stats.piped >= count) pipedAll();
      }),
      commitOffsets({ maxBatch: 1000, maxIntervalMs: 500 }),
    )
    .subscribe({
      error: (error: unknown) => {
        pipelineError = error;
        finished();
        pipedAll();
      },
    });

  // 3. The load producer: `rate` records per second, each with its sequence number and send time.
  let sendError: unknown;
  const producing = (async () => {
    const joinDeadline = Date.now() + 60_000;
    while (!(readerAssigned && pipelineAssigned) && !stop.signal.aborted && Date.now() < joinDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 20)); // polls the two flags the listeners set
    }
    const started = Date.now();
    stats.started = started;
    let seq = 0;
    while (!stop.signal.aborted && (count === undefined || seq < count)) {
      const due = rate > 0 ? Math.floor(((Date.now() - started) * rate) / 1000) : seq + 1000;
      const until = count === undefined ? due : Math.min(due, count);
      while (seq < until && !stop.signal.aborted) {
        if (loadProducer.bufferAvailable < 64 * 1024) await loadProducer.waitForBuffer();
        const n = seq++;
        loadProducer.send(
          {
            topic: input,
            key: `customer-${n % 97}`,
            value: JSON.stringify({ seq: n, amount: (n % 500) + 0.5 }),
            headers: { [SEQ]: String(n), [SENT_AT]: String(Date.now()) },
          },
          (error) => {
            if (error === undefined) stats.produced++;
            else if (!shuttingDown) {
              sendError ??= error;
              finished();
            }
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10)); // pacing of the load, not synchronisation
    }
  })();

  // Frames: figures and consumer lag, once every frameIntervalMs (plus a closing one).
  const frames = setInterval(() => {
    stats.pipelineLag = lagOf(pipelineConsumer as Consumer<unknown, unknown>);
    stats.readerLag = lagOf(reader as Consumer<unknown, unknown>);
    stats.throttle = throttleOf([loadProducer, pipelineProducer, pipelineConsumer, reader]);
    options.sink?.show(stats.frame());
  }, options.frameIntervalMs ?? 100);

  await done;
  if (count !== undefined && !stop.signal.aborted && pipelineError === undefined && sendError === undefined) {
    // Bounded: an interruption, a pipeline failure or 30 s end the wait too (the summary then shows the gap).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      allPiped,
      new Promise((resolve) => {
        stop.signal.addEventListener('abort', resolve, { once: true });
        timer = setTimeout(resolve, 30_000);
      }),
    ]);
    clearTimeout(timer);
  }
  const interrupted = stop.signal.aborted;
  stop.abort();
  clearInterval(frames);
  stats.pipelineLag = lagOf(pipelineConsumer as Consumer<unknown, unknown>);
  stats.readerLag = lagOf(reader as Consumer<unknown, unknown>);
  stats.throttle = throttleOf([loadProducer, pipelineProducer, pipelineConsumer, reader]);
  options.sink?.show(stats.frame());
  options.sink?.end();
  const elapsedMs = Date.now() - stats.started;

  // Shut down: the pipeline commits what it acknowledged and leaves; every client closes.
  shuttingDown = interrupted;
  const timeoutMs = interrupted ? (options.interruptedCloseTimeoutMs ?? 3000) : 30_000;
  await producing;
  pipeline.unsubscribe();
  await Promise.allSettled([
    reading,
    loadProducer.close({ timeoutMs }),
    pipelineProducer.close({ timeoutMs }),
    pipelineConsumer.close({ timeoutMs }),
    reader.close({ timeoutMs }),
  ]);
  let committedLag: bigint | undefined;
  if (!interrupted) committedLag = await measureCommittedLag(brokers, `vltava-demo-pipeline-${id}`, input, partitions);
  // The demo's topics go (after an interruption within a short bound: a broker the harness started is gone).
  await admin.deleteTopics([input, output], { timeoutMs }).catch(() => undefined);
  await admin.close();
  options.signal?.removeEventListener('abort', onAbort);
  if (pipelineError !== undefined) throw pipelineError;
  if (sendError !== undefined) throw sendError;

  return {
    topics: { input, output },
    interrupted,
    elapsedMs,
    produced: stats.produced,
    piped: stats.piped,
    consumed: stats.consumed,
    duplicates: stats.duplicates,
    latency: {
      p50: stats.latency.percentile(50),
      p95: stats.latency.percentile(95),
      p99: stats.latency.percentile(99),
      max: stats.latency.count === 0 ? undefined : stats.latency.max,
      mean: stats.latency.mean,
    },
    pipelineLag: stats.pipelineLag,
    readerLag: stats.readerLag,
    committedLag,
  };
}

/** End offsets of the input minus the group's committed offsets (0: everything the pipeline read is committed). */
async function measureCommittedLag(
  brokers: string,
  groupId: string,
  topic: string,
  partitions: number,
): Promise<bigint> {
  const probe = new Consumer({ brokers, groupId, logLevel: 'error' });
  try {
    const all: TopicPartition[] = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
    const [ends, committed] = await Promise.all([probe.endOffsets(all), probe.committed(all)]);
    let lag = 0n;
    for (const end of ends) {
      const c = committed.find((o) => o.partition === end.partition)?.offset ?? 0n;
      lag += end.offset - c;
    }
    return lag;
  } finally {
    await probe.close();
  }
}
