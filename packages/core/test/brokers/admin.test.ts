// Broker compatibility: the admin calls against the shared broker of whatever supported line it is. The calls
// every supported line serves succeed; the options that need a newer version of an API succeed from the line that
// has it on and, before it, fail at once with UnsupportedVersionError naming what needs the newer broker.
import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { Admin, Producer, SecurityDisabledError, UnsupportedVersionError } from '../../src/index.js';
import { brokerLine, describeBroker, lineAtLeast, SINCE, SKIP_REASON } from './broker-line.js';

const brokers = kafkaBrokers();
const line = brokerLine();
const admin = new Admin({ brokers, logLevel: 'error' });
let topic: string;

beforeAll(async () => {
  topic = uniqueName('compat-admin');
  const [created] = await admin.createTopics([{ topic, numPartitions: 2, replicationFactor: 1 }], {
    waitForMetadata: true,
  });
  expect(created?.error).toBeUndefined();
  const producer = new Producer({ brokers, logLevel: 'error' });
  try {
    await Promise.all(Array.from({ length: 10 }, (_, i) => producer.send({ topic, partition: 0, value: `v${i}` })));
  } finally {
    await producer.close();
  }
});

afterAll(async () => {
  await admin.close();
});

describeBroker(`admin calls every supported line serves, with Kafka ${inject('kafkaVersion')}${SKIP_REASON}`, () => {
  it('topics: createPartitions, describeConfigs, incrementalAlterConfigs, listOffsets, deleteRecords', async () => {
    const [grown] = await admin.createPartitions([{ topic, totalCount: 3 }], { waitForMetadata: true });
    expect(grown?.error).toBeUndefined();

    const [altered] = await admin.incrementalAlterConfigs([
      { resource: { type: 'topic', name: topic }, ops: [{ name: 'retention.ms', op: 'set', value: '3600000' }] },
    ]);
    expect(altered?.error).toBeUndefined();
    const [configs] = await admin.describeConfigs([{ type: 'topic', name: topic, configNames: ['retention.ms'] }]);
    expect(configs?.error).toBeUndefined();
    expect(JSON.stringify(configs)).toContain('3600000');

    const [latest] = await admin.listOffsets([{ topic, partition: 0, spec: 'latest' }]);
    expect(latest !== undefined && latest.error === undefined ? latest.offset : undefined).toBe(10n);
    const [deleted] = await admin.deleteRecords([{ topic, partition: 0, beforeOffset: 4n }]);
    expect(deleted !== undefined && deleted.error === undefined ? deleted.lowWatermark : undefined).toBe(4n);
    const [earliest] = await admin.listOffsets([{ topic, partition: 0, spec: 'earliest' }]);
    expect(earliest !== undefined && earliest.error === undefined ? earliest.offset : undefined).toBe(4n);
  });

  it('cluster: describeCluster, describeFeatures, describeQuorum, describeLogDirs', async () => {
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.length).toBeGreaterThanOrEqual(1);
    const features = await admin.describeFeatures();
    expect(features.finalizedFeatures['metadata.version']?.maxVersionLevel).toBeGreaterThan(0);
    const quorum = await admin.describeQuorum();
    // Combined mode: the quorum leader is one of the brokers.
    expect(cluster.brokers.map((broker) => broker.nodeId)).toContain(quorum.leaderId);
    const dirs = await admin.describeLogDirs();
    expect(JSON.stringify(dirs, (_, value) => (typeof value === 'bigint' ? String(value) : value))).toContain(topic);
  });

  it('groups, transactions, ACLs, SCRAM and quotas: list and describe', async () => {
    expect(Array.isArray(await admin.listGroups())).toBe(true);
    expect(Array.isArray(await admin.listTransactions())).toBe(true);
    const [producers] = await admin.describeProducers([{ topic, partition: 0 }]);
    expect(producers?.error).toBeUndefined();
    // The harness's broker has the StandardAuthorizer; an external cluster may have none.
    const acls = await admin.describeAcls().catch((error: unknown) => error);
    if (inject('kafkaAuthorizer') || !(acls instanceof SecurityDisabledError)) expect(Array.isArray(acls)).toBe(true);
    expect(Array.isArray(await admin.describeUserScramCredentials())).toBe(true);
    expect(Array.isArray(await admin.describeClientQuotas())).toBe(true);
  });
});

describeBroker(`admin options that need a newer broker, with Kafka ${line}${SKIP_REASON}`, () => {
  const gated: Array<[string, string, () => Promise<unknown>]> = [
    ['listGroups({ types })', SINCE.listGroupsByType, () => admin.listGroups({ types: ['classic'] })],
    [
      'listTransactions({ durationMs })',
      SINCE.listTransactionsByDuration,
      () => admin.listTransactions({ durationMs: 1 }),
    ],
    [
      'listTransactions({ transactionalIdPattern })',
      SINCE.listTransactionsByPattern,
      () => admin.listTransactions({ transactionalIdPattern: 'compat-.*' }),
    ],
    [
      'describeCluster({ includeFencedBrokers })',
      SINCE.describeClusterFencedBrokers,
      () => admin.describeCluster({ includeFencedBrokers: true }),
    ],
  ];

  it.each(gated)('%s (from %s on)', async (_what, since, call) => {
    const startedAt = Date.now();
    const outcome = await call().then(
      () => undefined,
      (error: unknown) => error,
    );
    if (lineAtLeast(since)) {
      expect(outcome).toBeUndefined();
      return;
    }
    expect(outcome).toBeInstanceOf(UnsupportedVersionError);
    expect(String((outcome as Error).message)).toMatch(/needs .* or newer/);
    // Refused from the negotiated version, without a request or a retry.
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });
});
