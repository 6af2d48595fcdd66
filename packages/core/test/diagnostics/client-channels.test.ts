import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Consumer } from '../../src/consumer/consumer.js';
import { diagnosticChannels } from '../../src/diagnostics/channels.js';
import type {
  CommitPayload,
  ConsumerDeliverPayload,
  ConsumerFetchPayload,
  ConsumerProcessPayload,
  ProducerBatchPayload,
  ProducerSendPayload,
  RebalancePayload,
  TransactionPayload,
} from '../../src/diagnostics/payloads.js';
import type { TracedChannel } from '../../src/diagnostics/traced-channel.js';
import { Producer } from '../../src/producer/producer.js';
import { createTopic } from '../producer/helpers.js';

// The producer, consumer, commit, rebalance and transaction channels as the clients publish them against the real
// broker: each payload as docs/DIAGNOSTICS.md describes it, start and outcome in order.

let brokers: string;
const stops: Array<() => void> = [];
const closers: Array<() => Promise<void>> = [];

beforeAll(() => {
  brokers = kafkaBrokers().join(',');
});
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  for (const close of closers.splice(0).reverse()) await close();
});

/** Records what a channel publishes: the payloads seen at start, and at asyncEnd (settled). */
function watch<P extends object>(channel: TracedChannel<P>, onStart?: (payload: P) => void) {
  const started: P[] = [];
  const settled: P[] = [];
  stops.push(
    channel.subscribe({
      start: (p) => {
        started.push(p);
        onStart?.(p);
      },
      asyncEnd: (p) => settled.push(p),
    }),
  );
  return { started, settled };
}

function producer(options: Record<string, unknown> = {}) {
  const created = new Producer<string, string>({ brokers, logLevel: 'error', clientId: 'diag-producer', ...options });
  closers.push(() => created.close());
  return created;
}

function consumer(options: Record<string, unknown> = {}) {
  const created = new Consumer<string, string>({
    brokers,
    logLevel: 'error',
    clientId: 'diag-consumer',
    autoOffsetReset: 'earliest',
    ...options,
  });
  closers.push(() => created.close());
  return created;
}

async function topic(partitions = 1): Promise<string> {
  const name = uniqueName('diag');
  await createTopic(brokers, name, partitions);
  return name;
}

describe('diagnostics channels of the clients', () => {
  it('producer:send starts in send() with the headers subscribers add written after the record own; producer:batch per attempt', async () => {
    const t = await topic();
    const sends = watch<ProducerSendPayload>(diagnosticChannels.producerSend, (p) => {
      p.addedHeaders.push({ key: 'traceparent', value: `tp-${String(p.key)}` });
    });
    const batches = watch<ProducerBatchPayload>(diagnosticChannels.producerBatch);
    const p = producer();
    const sent = p.send({ topic: t, key: 'a', value: 'one', headers: { own: 'x' } });
    // start is published synchronously inside send()
    expect(sends.started).toHaveLength(1);
    expect(sends.started[0]).toMatchObject({
      clientId: 'diag-producer',
      transactionalId: undefined,
      topic: t,
      partition: undefined,
      key: 'a',
      headers: { own: 'x' },
    });
    const metadata = await sent;
    await p.send({ topic: t, key: 'b', value: 'two', partition: 0 });
    expect(sends.settled.map((s) => s.result?.offset)).toEqual([metadata.offset, metadata.offset + 1n]);
    expect(sends.settled[0]!.result).toMatchObject({ topic: t, partition: 0 });
    expect(sends.settled[0]!.error).toBeUndefined();
    expect(batches.settled.length).toBe(2);
    expect(batches.settled[0]).toMatchObject({
      clientId: 'diag-producer',
      topic: t,
      partition: 0,
      recordCount: 1,
      attempt: 1,
      result: metadata.offset,
    });
    expect(batches.settled[0]!.sizeBytes).toBeGreaterThan(0);
    expect(batches.settled[0]!.nodeId).toBeGreaterThanOrEqual(0);

    // The headers travel: own first, then the added one.
    const c = consumer();
    c.assign([{ topic: t, partition: 0 }]);
    const polled = await c.poll({ timeoutMs: 30_000 });
    const first = [...polled][0]!;
    expect(first.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
      ['own', 'x'],
      ['traceparent', 'tp-a'],
    ]);
  });

  it('a failed send settles its trace with the error', async () => {
    const sends = watch<ProducerSendPayload>(diagnosticChannels.producerSend);
    const p = producer();
    await expect(p.send({ topic: 'diag-bad', partition: -5, value: 'v' })).rejects.toThrow();
    expect(sends.settled).toHaveLength(1);
    expect(sends.settled[0]!.error).toBeDefined();
    expect(sends.settled[0]!.result).toBeUndefined();
  });

  it('consumer:fetch, deliver (record, batch, poll) and process (step to next step), and commits of each kind', async () => {
    const t = await topic();
    const p = producer();
    await Promise.all([0, 1, 2, 3].map((i) => p.send({ topic: t, value: `v${i}` })));
    const fetches = watch<ConsumerFetchPayload>(diagnosticChannels.consumerFetch);
    const delivers = watch<ConsumerDeliverPayload>(diagnosticChannels.consumerDeliver);
    const processes = watch<ConsumerProcessPayload>(diagnosticChannels.consumerProcess);
    const commits = watch<CommitPayload>(diagnosticChannels.commit);
    const groupId = uniqueName('diag-group');
    const c = consumer({ groupId, maxPollRecords: 2 });
    c.subscribe([t]);

    const iterator = c.records({ signal: AbortSignal.timeout(60_000) });
    const step = await iterator.next();
    expect(step.done).toBe(false);
    expect(delivers.settled.at(-1)).toMatchObject({
      clientId: 'diag-consumer',
      groupId,
      groupKind: 'consumer',
      handOver: 'record',
    });
    expect(delivers.settled.at(-1)!.result).toEqual([step.value]);
    // The record is being processed until the loop asks for the next one.
    expect(processes.started.map((s) => s.records)).toEqual([[step.value]]);
    expect(processes.settled).toHaveLength(0);
    await iterator.next();
    expect(processes.settled).toHaveLength(1);
    expect(processes.settled[0]!.error).toBeUndefined();
    await iterator.return?.();
    expect(processes.settled).toHaveLength(2);

    const fetch = fetches.settled.find((f) => (f.result?.records ?? 0) > 0);
    expect(fetch).toMatchObject({
      clientId: 'diag-consumer',
      groupId,
      partitions: [{ topic: t, partition: 0, offset: 0n }],
    });
    expect(fetch!.result!.bytes).toBeGreaterThan(0);

    // commit() and commitAsync() report their kind and offsets.
    await c.commit([{ topic: t, partition: 0, offset: 1n }]);
    await new Promise<void>((resolve, reject) =>
      c.commitAsync([{ topic: t, partition: 0, offset: 2n }], (error) => (error ? reject(error) : resolve())),
    );
    const kinds = commits.settled.map((k) => [k.kind, k.offsets.map((o) => o.offset)]);
    expect(kinds).toContainEqual(['sync', [1n]]);
    expect(kinds).toContainEqual(['async', [2n]]);
    for (const commit of commits.settled) expect(commit).toMatchObject({ clientId: 'diag-consumer', groupId });

    // batches() and poll() hand over as 'batch' and 'poll'.
    for await (const batch of c.batches({ signal: AbortSignal.timeout(60_000) })) {
      expect(batch.count).toBeGreaterThan(0);
      break;
    }
    expect(delivers.settled.at(-1)!.handOver).toBe('batch');
    await c.poll({ timeoutMs: 10_000 });
    expect(delivers.settled.at(-1)!.handOver).toBe('poll');
  });

  it('rebalance: a classic member reports what it was assigned and its generation', async () => {
    const t = await topic(2);
    const rebalances = watch<RebalancePayload>(diagnosticChannels.rebalance);
    const groupId = uniqueName('diag-rebalance');
    const c = consumer({ groupId });
    c.subscribe([t]);
    await c.poll({ timeoutMs: 100 });
    const deadline = Date.now() + 60_000;
    while (c.assignment().length < 2 && Date.now() < deadline) await c.poll({ timeoutMs: 200 });
    const done = rebalances.settled.find((r) => (r.result?.assigned.length ?? 0) > 0);
    expect(done).toMatchObject({ clientId: 'diag-consumer', groupId, protocol: 'classic' });
    expect(done!.result!.assigned).toEqual([
      { topic: t, partition: 0 },
      { topic: t, partition: 1 },
    ]);
    expect(done!.result!.generation).toBeGreaterThanOrEqual(1);
  });

  it.each(['classic', 'consumer'] as const)(
    'rebalance (%s protocol): partitions lost to a poll timeout, and revoked at unsubscribe, are traced outside a rebalance',
    async (groupProtocol) => {
      const t = await topic(1);
      await producer().send({ topic: t, value: 'v' });
      const rebalances = watch<RebalancePayload>(diagnosticChannels.rebalance);
      const groupId = uniqueName('diag-lost');
      const c = consumer({
        groupId,
        groupProtocol,
        maxPollIntervalMs: 1500,
        ...(groupProtocol === 'classic' ? { rebalanceTimeoutMs: 10_000 } : {}),
      });
      c.subscribe([t]);
      const iterator = c.records();
      expect((await iterator.next()).done).toBe(false);
      // The loop body takes longer than maxPollIntervalMs: the member leaves and its partition is lost.
      const deadline = Date.now() + 15_000;
      const lostIn = () => rebalances.settled.find((r) => (r.result?.lost.length ?? 0) > 0);
      while (lostIn() === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(lostIn()).toMatchObject({ clientId: 'diag-consumer', groupId, protocol: groupProtocol });
      expect(lostIn()!.result).toMatchObject({ assigned: [], revoked: [], lost: [{ topic: t, partition: 0 }] });
      await iterator.next().catch(() => undefined); // MaxPollIntervalExceededError
      // Rejoin, then leave: the partition is handed back.
      while (c.assignment().length === 0 && Date.now() < deadline + 30_000) await c.poll({ timeoutMs: 200 });
      await c.unsubscribe();
      const left = rebalances.settled.at(-1)!;
      expect(left.result).toMatchObject({ assigned: [], revoked: [{ topic: t, partition: 0 }], lost: [] });
    },
  );

  it('transaction: init, begin, sendOffsets (also a commit of kind transaction) and commit', async () => {
    const t = await topic();
    const transactions = watch<TransactionPayload>(diagnosticChannels.transaction);
    const commits = watch<CommitPayload>(diagnosticChannels.commit);
    const transactionalId = uniqueName('diag-tx');
    const p = producer({ transactionalId });
    await p.initTransactions();
    p.beginTransaction();
    await p.send({ topic: t, value: 'in-tx' });
    await p.sendOffsetsToTransaction([{ topic: t, partition: 0, offset: 7n }], 'diag-tx-group');
    await p.commitTransaction();
    expect(transactions.settled.map((x) => x.operation)).toEqual(['init', 'begin', 'sendOffsets', 'commit']);
    for (const x of transactions.settled) {
      expect(x).toMatchObject({ clientId: 'diag-producer', transactionalId });
      expect(x.error).toBeUndefined();
    }
    expect(transactions.settled[0]!.producerId).toBe(-1n);
    expect(transactions.settled[1]!.producerId).toBeGreaterThanOrEqual(0n);
    expect(commits.settled).toEqual([
      expect.objectContaining({
        clientId: 'diag-producer',
        groupId: 'diag-tx-group',
        kind: 'transaction',
        offsets: [{ topic: t, partition: 0, offset: 7n }],
      }),
    ]);
  });
});
