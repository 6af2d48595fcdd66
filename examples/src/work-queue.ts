/**
 * A work queue on Kafka with a share group (KIP-932): four workers serve ONE partition together, each processing
 * several jobs at a time with `fromShareConsumer` and `mergeMap`, and poison jobs are rejected after 3 attempts.
 *
 * With a consumer group, a 1-partition topic has exactly one active reader. With a share group every worker gets
 * records of the same partition (each under its own lock), so throughput grows with the workers, not the
 * partitions. The example runs the same batch of jobs with 1 worker, then with 4, and prints both rates.
 *
 *   npx tsx --conditions=@vltava/source examples/src/work-queue.ts
 *
 * (Uses the cluster in KAFKA_BROKERS, or starts a local broker for the run.)
 */
import { Admin, deserializers, Producer, ShareConsumer, type ShareMessage } from '@vltava/core';
import { fromShareConsumer } from '@vltava/rx';
import { mergeMap, type Subscription } from 'rxjs';
import { createTopics } from './support/create-topics.js';
import { type Log, runExample, uniqueName } from './support/run-example.js';

/** Deliveries a job gets before the worker rejects it as poison. */
export const MAX_ATTEMPTS = 3;
/** Jobs one worker processes at once. */
export const CONCURRENCY = 4;
/** How long a job takes (an I/O-bound call: an HTTP request, a thumbnail upload). */
export const JOB_MS = 25;

/** What one phase of the example measured. */
export interface PhaseResult {
  readonly workers: number;
  readonly jobs: number;
  readonly seconds: number;
  readonly jobsPerSecond: number;
  /** Jobs done by each worker. */
  readonly perWorker: readonly number[];
  /** Good jobs accepted, by id, with how many times each was accepted (1 when nothing failed). */
  readonly accepted: ReadonlyMap<string, number>;
  /** Delivery counts each poison job was seen with. */
  readonly poison: ReadonlyMap<string, readonly number[]>;
}

/** The result of the whole example. */
export interface WorkQueueResult {
  readonly single: PhaseResult;
  readonly four: PhaseResult;
}

/** Processes one job: poison jobs always fail. */
async function process(job: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, JOB_MS));
  if (job.startsWith('poison')) throw new Error(`cannot process ${job}`);
}

/** A worker's share consumer: a member of the group. */
function workerConsumer(brokers: string, groupId: string): ShareConsumer<Buffer | null, string | null> {
  return new ShareConsumer({
    brokers,
    groupId,
    shareAcknowledgementMode: 'explicit',
    valueDeserializer: deserializers.string,
    // A few jobs at a time: by default the broker hands out whole record batches (a producer batch can hold
    // hundreds of jobs), which would let one worker take them all while the others wait.
    shareAcquireMode: 'record_limit',
    maxPollRecords: 8,
    logLevel: 'error',
  });
}

/** A worker: up to CONCURRENCY jobs at once; the subscription closes its consumer at the end. */
function startWorker(
  consumer: ShareConsumer<Buffer | null, string | null>,
  topic: string,
  onDone: (job: string, outcome: 'accepted' | 'released' | 'rejected', deliveryCount: number) => void,
): Subscription {
  return fromShareConsumer(consumer, { topics: topic, highWaterMark: CONCURRENCY * 2, closeConsumer: true })
    .pipe(
      mergeMap(async (message: ShareMessage<Buffer | null, string | null>) => {
        const job = message.record.value ?? '';
        try {
          await process(job);
          message.accept();
          onDone(job, 'accepted', message.deliveryCount);
        } catch {
          // Try again (on any worker) until MAX_ATTEMPTS, then give up on it for good.
          if (message.deliveryCount >= MAX_ATTEMPTS) {
            message.reject();
            onDone(job, 'rejected', message.deliveryCount);
          } else {
            message.release();
            onDone(job, 'released', message.deliveryCount);
          }
        }
      }, CONCURRENCY),
    )
    .subscribe();
}

/** Runs `jobs` jobs (and `poison` poison jobs) on a fresh 1-partition topic with `workers` workers. */
async function runPhase(
  brokers: string,
  log: Log,
  workers: number,
  jobs: number,
  poison: number,
): Promise<PhaseResult> {
  const topic = uniqueName('jobs');
  const groupId = uniqueName('workers');
  await createTopics(brokers, [topic], 1);
  await using admin = new Admin({ brokers, logLevel: 'error' });
  const [configured] = await admin.incrementalAlterConfigs([
    {
      resource: { type: 'group', name: groupId },
      ops: [
        { name: 'share.auto.offset.reset', op: 'set', value: 'earliest' },
        { name: 'share.delivery.count.limit', op: 'set', value: String(MAX_ATTEMPTS + 2) },
      ],
    },
  ]);
  if (configured?.error !== undefined) throw configured.error;

  const accepted = new Map<string, number>();
  const poisonSeen = new Map<string, number[]>();
  const perWorker = Array.from({ length: workers }, () => 0);
  let settled = 0;
  let goodDone = 0;
  let lastGoodAt = 0;
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const consumers = perWorker.map(() => workerConsumer(brokers, groupId));
  const subscriptions = consumers.map((consumer, w) =>
    startWorker(consumer, topic, (job, outcome, deliveryCount) => {
      perWorker[w]!++;
      if (job.startsWith('poison')) poisonSeen.set(job, [...(poisonSeen.get(job) ?? []), deliveryCount]);
      else if (outcome === 'accepted') {
        accepted.set(job, (accepted.get(job) ?? 0) + 1);
        if (++goodDone === jobs) lastGoodAt = Date.now();
      }
      if (outcome !== 'released' && ++settled === jobs + poison) allDone();
    }),
  );
  try {
    // Wait until every worker has its assignment (the partition, shared), so that all start together.
    for (const deadline = Date.now() + 30_000; !consumers.every((c) => c.assignment().length > 0); ) {
      if (Date.now() > deadline) throw new Error(`not every one of ${workers} workers was assigned within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await using producer = new Producer<string, string>({ brokers, logLevel: 'error' });
    const startedAt = Date.now();
    // Jobs arrive a few at a time, as submissions do (each send is its own small record batch).
    const all = [
      ...Array.from({ length: jobs }, (_, i) => `job-${i}`),
      ...Array.from({ length: poison }, (_, i) => `poison-${i}`),
    ];
    const sends = [];
    for (let i = 0; i < all.length; i += 8) {
      sends.push(producer.sendBatch(all.slice(i, i + 8).map((value) => ({ topic, partition: 0, key: null, value }))));
    }
    for (const sent of await Promise.all(sends)) if (sent.firstError !== undefined) throw sent.firstError;
    await finished;
    // The rate of the good jobs; the poison jobs' retries go on a little after them.
    const seconds = (lastGoodAt - startedAt) / 1000;
    const result: PhaseResult = {
      workers,
      jobs,
      seconds,
      jobsPerSecond: Math.round(jobs / seconds),
      perWorker,
      accepted,
      poison: poisonSeen,
    };
    log(
      `${workers} worker(s) on 1 partition: ${jobs} jobs in ${seconds.toFixed(2)} s = ${result.jobsPerSecond} jobs/s ` +
        `(per worker: ${perWorker.join(', ')}); poison: ${[...poisonSeen].map(([j, c]) => `${j} tried ${c.length}x, rejected`).join('; ') || 'none'}`,
    );
    return result;
  } finally {
    for (const subscription of subscriptions) subscription.unsubscribe();
  }
}

export async function main(brokers: string, log: Log, jobs = 240): Promise<WorkQueueResult> {
  const single = await runPhase(brokers, log, 1, jobs, 0);
  const four = await runPhase(brokers, log, 4, jobs, 2);
  log(`4 workers on one partition: ${(four.jobsPerSecond / single.jobsPerSecond).toFixed(1)}x the rate of 1`);
  return { single, four };
}

await runExample(import.meta.url, main);
