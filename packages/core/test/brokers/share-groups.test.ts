// Broker compatibility: KIP-932 share groups against the shared broker of whatever supported line it is: the share
// group APIs and the `share.version` feature are there exactly on the lines that serve share groups (4.2 on as
// released; 4.1 lists the APIs but leaves the feature off), and the early-access switch turns them on for 4.0 and
// 4.1. Where the broker serves them, the share consumer reads and acknowledges every record; where it does not, it
// fails with ShareGroupsUnavailableError at once.
import { fetchApiVersions } from '@vltava/kafka-harness';
import { type KafkaCluster, kafkaBrokers, startCluster, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Admin, deserializers, Producer, ShareConsumer, ShareGroupsUnavailableError } from '../../src/index.js';
import { ApiKeys } from '../../src/protocol/messages/generated/index.js';
import { brokerLine, describeBroker, lineAtLeast, SINCE, SKIP_REASON } from './broker-line.js';

const version = inject('kafkaVersion');
const line = brokerLine();
const SHARE_APIS = [
  ApiKeys.ShareGroupHeartbeat,
  ApiKeys.ShareGroupDescribe,
  ApiKeys.ShareFetch,
  ApiKeys.ShareAcknowledge,
];

function endpoint(address: string) {
  const [host, port] = address.split(':');
  return { host: host!, port: Number(port) };
}

describeBroker(`share groups with Kafka ${version}${SKIP_REASON}`, () => {
  it(`lists the share group APIs ${lineAtLeast(SINCE.shareGroupApis) ? 'as' : 'not, as'} Kafka ${line} does`, async () => {
    const listed = (await fetchApiVersions(endpoint(kafkaBrokers()[0]!))).apis;
    for (const key of SHARE_APIS) expect(listed.has(key), `API key ${key}`).toBe(lineAtLeast(SINCE.shareGroupApis));
  });

  it(`has share.version ${lineAtLeast(SINCE.shareGroupsOn) ? 'on' : 'off'} (describeFeatures)`, async () => {
    const admin = new Admin({ brokers: kafkaBrokers(), logLevel: 'error' });
    try {
      const features = await admin.describeFeatures();
      const level = features.finalizedFeatures['share.version']?.maxVersionLevel ?? 0;
      if (lineAtLeast(SINCE.shareGroupsOn)) expect(level).toBeGreaterThanOrEqual(1);
      else expect(level).toBe(0);
    } finally {
      await admin.close();
    }
  });

  if (lineAtLeast(SINCE.shareGroupsOn)) {
    it('a share consumer reads, accepts and commits every record', async () => {
      const brokers = kafkaBrokers();
      const topic = uniqueName('compat-share');
      const groupId = uniqueName('compat-share-group');
      const admin = new Admin({ brokers, logLevel: 'error' });
      const producer = new Producer({ brokers, logLevel: 'error' });
      const consumer = new ShareConsumer({
        brokers,
        groupId,
        valueDeserializer: deserializers.string,
        logLevel: 'error',
      });
      try {
        const [created] = await admin.createTopics([{ topic, numPartitions: 2, replicationFactor: 1 }], {
          waitForMetadata: true,
        });
        expect(created?.error).toBeUndefined();
        const [configured] = await admin.incrementalAlterConfigs([
          {
            resource: { type: 'group', name: groupId },
            ops: [{ name: 'share.auto.offset.reset', op: 'set', value: 'earliest' }],
          },
        ]);
        expect(configured?.error).toBeUndefined();
        const values = Array.from({ length: 40 }, (_, i) => `share-${i}`);
        await Promise.all(values.map((value, i) => producer.send({ topic, partition: i % 2, value })));
        consumer.subscribe([topic]);
        const seen: string[] = [];
        const deadline = Date.now() + 60_000;
        while (seen.length < values.length && Date.now() < deadline) {
          for (const record of await consumer.poll({ timeoutMs: 500 })) {
            expect(record.deliveryCount).toBe(1);
            seen.push(record.value!);
          }
        }
        expect(seen.sort()).toEqual([...values].sort());
        const results = await consumer.commitSync();
        expect(results.every((r) => r.error === undefined)).toBe(true);
      } finally {
        await consumer.close();
        await producer.close();
        await admin.close();
      }
    });
  } else {
    it('a share consumer fails at once with ShareGroupsUnavailableError', async () => {
      const consumer = new ShareConsumer({
        brokers: kafkaBrokers(),
        groupId: uniqueName('compat-share'),
        logLevel: 'error',
      });
      consumer.subscribe([uniqueName('compat-share')]);
      const started = Date.now();
      try {
        let error: unknown;
        while (error === undefined && Date.now() - started < 10_000) {
          try {
            await consumer.poll({ timeoutMs: 200 });
          } catch (caught) {
            error = caught;
          }
        }
        expect(error).toBeInstanceOf(ShareGroupsUnavailableError);
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        await consumer.close();
      }
    });
  }

  const earlyAccess = !lineAtLeast(SINCE.shareGroupsOn) && lineAtLeast('4.0');
  if (!earlyAccess) return;
  describe(`with Kafka ${line}'s early-access share groups switched on`, () => {
    let cluster: KafkaCluster | undefined;
    beforeAll(async () => {
      cluster = await startCluster({ version: line, earlyAccess: true });
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('lists the share group APIs', async () => {
      const listed = (await fetchApiVersions(endpoint(cluster!.brokers[0]!))).apis;
      for (const key of SHARE_APIS) expect(listed.has(key), `API key ${key}`).toBe(true);
    });
  });
});
