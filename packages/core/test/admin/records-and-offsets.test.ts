import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Admin, unwrapResults } from '../../src/admin/index.js';
import type { Cluster } from '../../src/cluster/cluster.js';
import { InvalidArgumentError, OffsetOutOfRangeError, UnknownTopicOrPartitionError } from '../../src/errors/index.js';
import { closeFixtureClusters, fixtureCluster, produce } from './support/wire-fixtures.js';

let admin: Admin;
let cluster: Cluster;
let topic: string;
const base = Date.now() - 3_600_000;

beforeAll(async () => {
  admin = new Admin({ brokers: kafkaBrokers(), clientId: 'admin-records-test', logLevel: 'silent' });
  cluster = fixtureCluster(kafkaBrokers());
  topic = uniqueName('admin-records');
  unwrapResults(await admin.createTopics([{ topic, numPartitions: 2 }], { waitForMetadata: true }));
  // Partition 0: ten records; timestamps rise by 1 s, except offset 6 which carries the largest timestamp.
  await produce(
    cluster,
    topic,
    0,
    Array.from({ length: 10 }, (_, i) => ({ value: `r${i}`, timestamp: base + (i === 6 ? 60_000 : i * 1000) })),
  );
  await produce(cluster, topic, 1, [{ value: 'only', timestamp: base }]);
});
afterAll(async () => {
  await admin?.close();
  closeFixtureClusters();
});

describe('Admin records and offsets against the real broker', () => {
  it('lists earliest, latest, by-timestamp and max-timestamp offsets, failing unknown partitions alone', async () => {
    const missingTopic = uniqueName('admin-records-missing');
    const results = await admin.listOffsets([
      { topic, partition: 0, spec: 'earliest' },
      { topic, partition: 1, spec: 'latest' },
      { topic, partition: 7, spec: 'latest' },
      { topic: missingTopic, partition: 0, spec: 'earliest' },
    ]);
    expect(results[0]).toMatchObject({ topic, partition: 0, offset: 0n, timestamp: null });
    expect(results[1]).toMatchObject({ topic, partition: 1, offset: 1n, timestamp: null });
    expect(results[2]?.error).toBeInstanceOf(UnknownTopicOrPartitionError);
    expect(results[3]?.error).toBeInstanceOf(UnknownTopicOrPartitionError);
    expect(results[3]?.error?.topic).toBe(missingTopic);

    const [byTime] = await admin.listOffsets([{ topic, partition: 0, spec: { timestamp: base + 2500 } }]);
    expect(byTime).toMatchObject({ offset: 3n, timestamp: base + 3000 });
    if (byTime?.error) throw byTime.error;
    expect(byTime?.leaderEpoch).toBeGreaterThanOrEqual(0);
    const [pastTheEnd] = await admin.listOffsets([{ topic, partition: 0, spec: { timestamp: base + 3_600_000 } }]);
    expect(pastTheEnd).toMatchObject({ offset: null, timestamp: null });
    const [max] = await admin.listOffsets([{ topic, partition: 0, spec: 'maxTimestamp' }]);
    expect(max).toMatchObject({ offset: 6n, timestamp: base + 60_000 });
    const [local] = await admin.listOffsets([{ topic, partition: 0, spec: 'earliestLocal' }]);
    expect(local).toMatchObject({ offset: 0n });

    await expect(
      admin.listOffsets([
        { topic, partition: 0, spec: 'earliest' },
        { topic, partition: 0, spec: 'latest' },
      ]),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('deletes records below an offset, failing an offset past the end and an unknown topic alone', async () => {
    const deletable = uniqueName('admin-records-del');
    unwrapResults(await admin.createTopics([{ topic: deletable, numPartitions: 2 }], { waitForMetadata: true }));
    await produce(
      cluster,
      deletable,
      0,
      Array.from({ length: 8 }, (_, i) => ({ value: `d${i}` })),
    );
    await produce(
      cluster,
      deletable,
      1,
      Array.from({ length: 3 }, (_, i) => ({ value: `e${i}` })),
    );
    const missing = uniqueName('admin-records-del-missing');
    const results = await admin.deleteRecords([
      { topic: deletable, partition: 0, beforeOffset: 5n },
      { topic: deletable, partition: 1, beforeOffset: 50n },
      { topic: missing, partition: 0, beforeOffset: 1n },
    ]);
    expect(results[0]).toEqual({ topic: deletable, partition: 0, lowWatermark: 5n });
    expect(results[1]?.error).toBeInstanceOf(OffsetOutOfRangeError);
    expect(results[2]?.error).toBeInstanceOf(UnknownTopicOrPartitionError);

    const [earliest] = await admin.listOffsets([{ topic: deletable, partition: 0, spec: 'earliest' }]);
    expect(earliest).toMatchObject({ offset: 5n });
    const [toEnd] = await admin.deleteRecords([{ topic: deletable, partition: 1, beforeOffset: -1n }]);
    expect(toEnd).toEqual({ topic: deletable, partition: 1, lowWatermark: 3n });
  });
});
