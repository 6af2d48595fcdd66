import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KafkaCluster, startCluster, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Consumer, type ConsumerRecord, deserializers } from '../../src/index.js';
import { metricValue } from '../../src/metrics/metric-value.js';
import { waitFor } from './support/consumer-helpers.js';
import { TestProducer } from './support/test-producer.js';

type Rec = ConsumerRecord<Buffer | null, string | null>;

/**
 * On a 3-node cluster: a broker that dies under the consumer (leaders move, maybe the group coordinator too) costs no
 * record and repeats none beyond what the group protocol implies; a consumer with `clientRack` reads from the
 * replica in its rack (KIP-392).
 */
describe('a 3-node cluster', () => {
  let cluster: KafkaCluster;
  let producer: TestProducer;
  const open: Consumer<unknown, unknown>[] = [];

  beforeAll(async () => {
    cluster = await startCluster({
      nodes: 3,
      brokerProperties: { 'replica.selector.class': 'org.apache.kafka.common.replica.RackAwareReplicaSelector' },
    });
    producer = new TestProducer(cluster.bootstrap);
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close({ timeoutMs: 5000 })));
    producer?.close();
    await cluster?.stop();
  });

  const consumer = (options: Record<string, unknown>) => {
    const c = new Consumer({
      brokers: cluster.bootstrap,
      autoOffsetReset: 'earliest',
      logLevel: 'error',
      valueDeserializer: deserializers.string,
      metadataMaxAgeMs: 2000,
      ...options,
    });
    open.push(c as Consumer<unknown, unknown>);
    return c;
  };

  /** Reads in the background, pacing itself, until told to stop. */
  const read = (c: Consumer<Buffer | null, string | null>) => {
    const records: Rec[] = [];
    let stop = false;
    let failure: unknown;
    const done = (async () => {
      try {
        while (!stop) {
          for (const r of await c.poll({ timeoutMs: 200, maxRecords: 100 })) records.push(r);
          await new Promise((resolve) => setTimeout(resolve, 10)); // processing time
        }
      } catch (error) {
        failure = error;
      }
    })();
    return {
      records,
      get failure() {
        return failure;
      },
      stop: async () => {
        stop = true;
        await done;
      },
    };
  };

  it('survives the death of a partition leader: no record skipped, none repeated beyond the group protocol', async () => {
    const topic = uniqueName('failover');
    await producer.createTopic(topic, 3, { replicationFactor: 3 });
    for (let p = 0; p < 3; p++) await producer.sendMany(topic, p, 3000, `p${p}`, 500);
    const lost: string[] = [];
    const manual = consumer({});
    manual.assign([0, 1, 2].map((partition) => ({ topic, partition })));
    const grouped = consumer({ groupId: uniqueName('g'), sessionTimeoutMs: 10_000, heartbeatIntervalMs: 500 });
    grouped.subscribe([topic], { onPartitionsLost: (p) => void lost.push(...p.map((x) => `${x.partition}`)) });
    const manualReader = read(manual);
    const groupReader = read(grouped);
    await waitFor(() => manualReader.records.length > 1500 && groupReader.records.length > 1500, 'reading under way');

    const leader = (await manual.partitionsFor(topic))[0]!.leader;
    await cluster.killNode(leader);
    // Produced after the leader died: written to the new leaders.
    for (let p = 0; p < 3; p++) await producer.sendMany(topic, p, 1000, `after${p}`, 500);
    const expected = 3 * 4000;
    await waitFor(() => manualReader.records.length >= expected, 'every record read after the failover', 90_000);
    await waitFor(
      () => new Set(groupReader.records.map((r) => `${r.partition}:${r.offset}`)).size >= expected,
      'every record read by the group member',
      90_000,
    );
    await manualReader.stop();
    await groupReader.stop();
    expect(manualReader.failure).toBeUndefined();
    expect(groupReader.failure).toBeUndefined();

    for (let p = 0; p < 3; p++) {
      const values = manualReader.records.filter((r) => r.partition === p).map((r) => r.value);
      const want = [
        ...Array.from({ length: 3000 }, (_, i) => `p${p}-${i}`),
        ...Array.from({ length: 1000 }, (_, i) => `after${p}-${i}`),
      ];
      expect(values).toEqual(want); // exactly once, in order
    }
    const seen = new Map<string, number>();
    for (const r of groupReader.records)
      seen.set(`${r.partition}:${r.offset}`, (seen.get(`${r.partition}:${r.offset}`) ?? 0) + 1);
    const repeated = [...seen].filter(([, n]) => n > 1).map(([k]) => k.split(':')[0]!);
    // A group member repeats records only for partitions it lost (no orderly handover, nothing committed).
    for (const partition of new Set(repeated)) expect(lost).toContain(partition);
    await cluster.startNode(leader);
  });

  it('fetches from the replica in its rack (KIP-392)', async () => {
    // Give node 2 a rack: stop it, add broker.rack to its configuration, start it again.
    const directory = cluster.describe().directory!;
    await cluster.stopNode(2);
    appendFileSync(join(directory, 'node-2', 'server.properties'), '\nbroker.rack=rack-b\n');
    await cluster.startNode(2);
    const topic = uniqueName('rack');
    await producer.createTopic(topic, 1, { assignments: [[1, 2, 3]] }); // leader on node 1
    await producer.sendMany(topic, 0, 500, 'r', 250);

    const inRack = consumer({ clientRack: 'rack-b', metadataMaxAgeMs: 300_000 });
    inRack.assign([{ topic, partition: 0 }]);
    const records: Rec[] = [];
    await waitFor(
      async () => {
        for (const r of await inRack.poll({ timeoutMs: 200 })) records.push(r);
        return records.length >= 500;
      },
      '500 records read through the rack replica',
      60_000,
    );
    expect(records.map((r) => r.value)).toEqual(Array.from({ length: 500 }, (_, i) => `r-${i}`));
    const metrics = inRack.metrics();
    // Every record came from node 2, the follower in the consumer's rack; none from the leader.
    const fetchedFrom = (families: typeof metrics, broker: string) =>
      metricValue(families, 'vltava_consumer_broker_records_fetched_total', { broker }) ?? 0;
    expect(fetchedFrom(metrics, '2')).toBe(500);
    expect(fetchedFrom(metrics, '1')).toBe(0);

    // Without a rack the leader serves.
    const noRack = consumer({});
    noRack.assign([{ topic, partition: 0 }]);
    await waitFor(async () => (await noRack.poll({ timeoutMs: 200 })).count > 0, 'records from the leader');
    expect(fetchedFrom(noRack.metrics(), '1')).toBeGreaterThan(0);
    expect(fetchedFrom(noRack.metrics(), '2')).toBe(0);
  });
});
