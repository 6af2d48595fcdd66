import { uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { diagnosticChannels } from '../../../src/diagnostics/channels.js';
import type {
  CommitPayload,
  ConsumerDeliverPayload,
  ConsumerFetchPayload,
  ConsumerProcessPayload,
  RebalancePayload,
} from '../../../src/diagnostics/payloads.js';
import type { TracedChannel } from '../../../src/diagnostics/traced-channel.js';
import { deserializers, ShareConsumer } from '../../../src/index.js';
import { waitFor } from '../support/consumer-helpers.js';
import { TestProducer } from '../support/test-producer.js';
import { setShareGroupConfigs } from './share-support.js';

// The share consumer on the consumer channels against the broker: its ShareFetch rounds (with the acknowledgements
// they carry), its iterator's deliver and process traces, and its assignment changes as rebalance traces, each
// with `groupKind`/`protocol` `share`, as docs/DIAGNOSTICS.md describes them.

const brokers = inject('kafkaBootstrap');
let producer: TestProducer;
const stops: Array<() => void> = [];

beforeAll(() => {
  producer = new TestProducer(brokers);
});
afterAll(() => producer.close());
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** Records what a channel publishes for one client: payloads at start, and once settled (asyncEnd). */
function watch<P extends { clientId: string }>(channel: TracedChannel<P>, clientId: string) {
  const started: P[] = [];
  const settled: P[] = [];
  stops.push(
    channel.subscribe({
      start: (p) => {
        if (p.clientId === clientId) started.push(p);
      },
      asyncEnd: (p) => {
        if (p.clientId === clientId) settled.push(p);
      },
    }),
  );
  return { started, settled };
}

/** A one-partition topic holding `records` records, a share group reading it from the start, and a client id. */
async function shareTopic(name: string, records: number) {
  const topic = uniqueName(name);
  const groupId = uniqueName(`${name}-group`);
  const clientId = uniqueName(`${name}-client`);
  await producer.createTopic(topic, 1);
  await setShareGroupConfigs(brokers, groupId, { 'share.auto.offset.reset': 'earliest' });
  await producer.sendMany(topic, 0, records, 'v');
  return { topic, groupId, clientId };
}

describe('share consumer diagnostics', () => {
  it('traces ShareFetch rounds, iterator steps and assignment changes with groupKind share', async () => {
    const { topic, groupId, clientId } = await shareTopic('share-diag', 3);

    const fetches = watch<ConsumerFetchPayload>(diagnosticChannels.consumerFetch, clientId);
    const delivers = watch<ConsumerDeliverPayload>(diagnosticChannels.consumerDeliver, clientId);
    const processes = watch<ConsumerProcessPayload>(diagnosticChannels.consumerProcess, clientId);
    const rebalances = watch<RebalancePayload>(diagnosticChannels.rebalance, clientId);

    const consumer = new ShareConsumer({
      brokers,
      groupId,
      clientId,
      valueDeserializer: deserializers.string,
      logLevel: 'error',
    });
    try {
      consumer.subscribe(topic);
      const stop = new AbortController();
      const iterator = consumer.records({ signal: AbortSignal.any([stop.signal, AbortSignal.timeout(30_000)]) });
      const offsets: bigint[] = [];
      for (let i = 0; i < 3; i++) {
        const step = await iterator.next();
        expect(step.done).toBe(false);
        if (step.done !== true) offsets.push(step.value.offset);
      }
      expect(offsets).toEqual([0n, 1n, 2n]);
      // Asking for a fourth accepts the third; the acknowledgements ride on the next ShareFetch.
      const fourth = iterator.next();
      await waitFor(
        () => fetches.settled.some((f) => f.acknowledgements.some((a) => a.topic === topic)),
        'a ShareFetch carrying acknowledgements',
      );
      stop.abort();
      expect((await fourth).done).toBe(true);

      // Assignment: the join assigned the partition, at a member epoch > 0.
      const joined = rebalances.settled.find((r) => r.result?.assigned.some((tp) => tp.topic === topic));
      expect(joined).toMatchObject({ groupId, protocol: 'share', memberId: consumer.memberId });
      expect(joined!.result).toMatchObject({ assigned: [{ topic, partition: 0 }], revoked: [], lost: [] });
      expect(joined!.result!.generation).toBeGreaterThan(0);

      // ShareFetch rounds: partitions without offsets (-1), the records acquired, the acknowledgements carried.
      const share = fetches.settled.filter((f) => f.partitions.some((p) => p.topic === topic));
      expect(share.length).toBeGreaterThan(0);
      for (const fetch of share) {
        expect(fetch).toMatchObject({ groupId, groupKind: 'share' });
        expect(fetch.partitions).toContainEqual({ topic, partition: 0, offset: -1n });
      }
      expect(share.reduce((n, f) => n + (f.result?.records ?? 0), 0)).toBeGreaterThanOrEqual(3);
      const acknowledged = fetches.settled
        .flatMap((f) => f.acknowledgements)
        .filter((a) => a.topic === topic)
        .reduce((n, a) => n + a.records, 0);
      expect(acknowledged).toBeGreaterThanOrEqual(1);

      // Iterator steps: one deliver per record (hand-over `record`), one process trace each, ended at the next step.
      const delivered = delivers.settled.filter((d) => (d.result?.length ?? 0) > 0);
      expect(delivered.map((d) => d.result![0]!.offset)).toEqual([0n, 1n, 2n]);
      for (const d of delivered) expect(d).toMatchObject({ groupId, groupKind: 'share', handOver: 'record' });
      expect(processes.started.map((p) => p.records[0]!.offset)).toEqual([0n, 1n, 2n]);
      expect(processes.settled.map((p) => p.records[0]!.offset)).toEqual([0n, 1n, 2n]);
      for (const p of processes.settled) {
        expect(p).toMatchObject({ groupId, groupKind: 'share', abandoned: undefined });
        expect(p.error).toBeUndefined();
      }

      // Leaving the subscription hands the partition back: revoked.
      await consumer.unsubscribe();
      const left = rebalances.settled.at(-1)!;
      expect(left.result).toMatchObject({ assigned: [], revoked: [{ topic, partition: 0 }], lost: [] });
    } finally {
      await consumer.close();
    }
  });

  it('traces a ShareAcknowledge of its own (commitSync) on vltava:commit, kind share, with its acknowledgements', async () => {
    const { topic, groupId, clientId } = await shareTopic('share-ack-diag', 4);
    const commits = watch<CommitPayload>(diagnosticChannels.commit, clientId);

    const consumer = new ShareConsumer({
      brokers,
      groupId,
      clientId,
      valueDeserializer: deserializers.string,
      shareAcknowledgementMode: 'explicit',
      logLevel: 'error',
    });
    try {
      consumer.subscribe(topic);
      const records = [];
      const deadline = Date.now() + 30_000;
      while (records.length < 4 && Date.now() < deadline) records.push(...(await consumer.poll({ timeoutMs: 200 })));
      expect(records.map((r) => r.offset)).toEqual([0n, 1n, 2n, 3n]);
      for (const record of records) consumer.acknowledge(record, record.offset === 1n ? 'release' : 'accept');
      const results = await consumer.commitSync();
      expect(results.flatMap((r) => r.offsets)).toHaveLength(4);

      const traced = commits.settled.filter((c) => c.kind === 'share');
      expect(traced).toHaveLength(1);
      expect(traced[0]).toMatchObject({ groupId, kind: 'share', offsets: [] });
      expect(traced[0]!.error).toBeUndefined();
      expect(traced[0]!.acknowledgements).toEqual([{ topic, partition: 0, records: 4 }]);
      expect(commits.started).toEqual(commits.settled);
    } finally {
      await consumer.close();
    }
  });
});
