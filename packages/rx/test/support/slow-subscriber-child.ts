/**
 * A `fromConsumer` pipeline with a slow subscriber, in a child process started with `--expose-gc` so that heap use
 * can be measured after forced garbage collections. Started by `slow-subscriber.test.ts`; reports one message
 * `{ type: 'result', ... }` over IPC and exits.
 *
 * The subscriber takes `delayMs` per record (`concatMap` over a timer, so the records emitted queue up inside
 * `concatMap`: exactly the pile-up backpressure has to bound). Every `sampleMs` it samples the records emitted and
 * not acknowledged, whether fetching is paused, the consumer's buffer, and the heap after a forced GC.
 */
import { Consumer, type ConsumerOptions, metricValue } from '@vltava/core';
import { concatMap, Subscription, tap, timer } from 'rxjs';
import { fromConsumer } from '../../src/index.js';

interface ChildConfig {
  readonly brokers: string;
  readonly topic: string;
  readonly groupId: string;
  readonly highWaterMark: number;
  readonly delayMs: number;
  readonly sampleMs: number;
  readonly windowMs: number;
  readonly consumer: Partial<ConsumerOptions>;
}

/** One sample. */
export interface Sample {
  readonly atMs: number;
  readonly heapUsed: number;
  /** Memory of Buffers (the fetched record batches live there), after the same GC. */
  readonly arrayBuffers: number;
  readonly inFlight: number;
  readonly fetchPaused: boolean;
  readonly bufferedRecords: number;
  readonly processed: number;
}

const config = JSON.parse(process.argv[2]!) as ChildConfig;
const send = (message: unknown) =>
  new Promise<void>((resolve) => process.send!(message, undefined, {}, () => resolve()));

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const consumer = new Consumer({
    brokers: config.brokers,
    groupId: config.groupId,
    autoOffsetReset: 'earliest',
    logLevel: 'error',
    ...config.consumer,
  });
  let inFlight = 0;
  let maxInFlight = 0;
  let processed = 0;
  let pauses = 0;
  let resumes = 0;
  const samples: Sample[] = [];
  const started = Date.now();
  const subscription = new Subscription();
  subscription.add(
    fromConsumer(consumer, {
      topics: [config.topic],
      highWaterMark: config.highWaterMark,
      onBackpressure: (event) => {
        if (event.type === 'pause') pauses++;
        else resumes++;
      },
    })
      .pipe(
        tap(() => {
          inFlight++;
          if (inFlight > maxInFlight) maxInFlight = inFlight;
        }),
        concatMap((message) =>
          timer(config.delayMs).pipe(
            tap(() => {
              inFlight--;
              processed++;
              message.ack();
            }),
          ),
        ),
      )
      .subscribe({ error: (error) => void send({ type: 'error', message: String(error) }) }),
  );
  await new Promise<void>((resolve) => {
    const sampler = setInterval(() => {
      gc();
      const atMs = Date.now() - started;
      const memory = process.memoryUsage();
      samples.push({
        atMs,
        heapUsed: memory.heapUsed,
        arrayBuffers: memory.arrayBuffers,
        inFlight,
        fetchPaused: consumer.backpressure.paused().length > 0,
        bufferedRecords: metricValue(consumer.metrics(), 'vltava_consumer_buffered_records') ?? 0,
        processed,
      });
      if (atMs >= config.windowMs) {
        clearInterval(sampler);
        resolve();
      }
    }, config.sampleMs);
  });
  subscription.unsubscribe();
  await send({ type: 'result', samples, maxInFlight, processed, pauses, resumes });
  await consumer.close();
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    await send({ type: 'error', message: String((error as Error)?.stack ?? error) });
    process.exit(1);
  },
);
