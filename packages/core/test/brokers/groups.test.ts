// Broker compatibility: consumer groups against the shared broker of whatever supported line it is. Classic groups
// with each built-in assignor share a topic's partitions between two members and read every record once; the
// KIP-848 consumer protocol works where the line serves it by default (4.0 on), fails fast with a typed error where
// it does not (3.7 to 3.9 as released), and works on 3.7 to 3.9 with the early-access settings switched on.
import { type KafkaCluster, kafkaBrokers, startCluster, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  Admin,
  BUILT_IN_ASSIGNORS,
  type BuiltInAssignorName,
  Consumer,
  type ConsumerOptions,
  deserializers,
  type GroupProtocol,
  Producer,
} from '../../src/index.js';
import { brokerLine, describeBroker, isUnsupportedVersion, lineAtLeast, SINCE, SKIP_REASON } from './broker-line.js';

const version = inject('kafkaVersion');
const line = brokerLine();
const PARTITIONS = 4;
const RECORDS = 40;

type StringConsumer = Consumer<string | null, string | null>;

async function topicWithRecords(bootstrap: string[]): Promise<string> {
  const admin = new Admin({ brokers: bootstrap, logLevel: 'error' });
  const producer = new Producer({ brokers: bootstrap, logLevel: 'error' });
  const topic = uniqueName('compat-group');
  try {
    const [created] = await admin.createTopics([{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], {
      waitForMetadata: true,
    });
    expect(created?.error).toBeUndefined();
    await Promise.all(
      Array.from({ length: RECORDS }, (_, i) => producer.send({ topic, partition: i % PARTITIONS, value: `r${i}` })),
    );
  } finally {
    await producer.close();
    await admin.close();
  }
  return topic;
}

/**
 * Two members of one group read the topic until every record arrived; their assignments must then be disjoint and
 * cover every partition, and every record must have been read exactly once.
 */
async function shareTopicBetweenTwo(
  bootstrap: string[],
  options: Partial<ConsumerOptions<string | null, string | null>> & { groupProtocol: GroupProtocol },
): Promise<void> {
  const topic = await topicWithRecords(bootstrap);
  const groupId = uniqueName('compat-group');
  const members: StringConsumer[] = [0, 1].map(
    () =>
      new Consumer({
        brokers: bootstrap,
        groupId,
        autoOffsetReset: 'earliest',
        keyDeserializer: deserializers.string,
        valueDeserializer: deserializers.string,
        logLevel: 'error',
        ...options,
      }),
  );
  try {
    for (const member of members) member.subscribe([topic]);
    const read: string[] = [];
    const deadline = Date.now() + 60_000;
    const balanced = () => {
      const [a, b] = members.map((member) => member.assignment().map((tp) => tp.partition));
      return a!.length > 0 && b!.length > 0 && a!.length + b!.length === PARTITIONS;
    };
    // Poll both (a member that stops polling holds up a classic rebalance) until both have partitions and every
    // record arrived.
    while ((read.length < RECORDS || !balanced()) && Date.now() < deadline) {
      const batches = await Promise.all(members.map((member) => member.poll({ timeoutMs: 200 })));
      for (const records of batches) for (const r of records) read.push(r.value ?? '');
    }
    const [a, b] = members.map((member) =>
      member
        .assignment()
        .map((tp) => tp.partition)
        .sort(),
    );
    expect(a!.length, 'first member has partitions').toBeGreaterThan(0);
    expect(b!.length, 'second member has partitions').toBeGreaterThan(0);
    expect([...a!, ...b!].sort()).toEqual(Array.from({ length: PARTITIONS }, (_, p) => p));
    expect(read.sort()).toEqual(Array.from({ length: RECORDS }, (_, i) => `r${i}`).sort());
  } finally {
    await Promise.all(members.map((member) => member.close()));
  }
}

describeBroker(`classic consumer groups with Kafka ${version}${SKIP_REASON}`, () => {
  it.each(BUILT_IN_ASSIGNORS)(
    '%s assignor: two members split the partitions and read every record once',
    async (assignor: BuiltInAssignorName) => {
      await shareTopicBetweenTwo(kafkaBrokers(), { groupProtocol: 'classic', partitionAssignors: [assignor] });
    },
  );
});

describeBroker(`KIP-848 consumer protocol with Kafka ${version}${SKIP_REASON}`, () => {
  if (lineAtLeast(SINCE.consumerProtocol)) {
    it('groupProtocol consumer: two members split the partitions and read every record once', async () => {
      await shareTopicBetweenTwo(kafkaBrokers(), { groupProtocol: 'consumer' });
    });
    return;
  }

  it(`groupProtocol consumer on ${line} as released (consumer protocol off) fails fast with a typed error`, async () => {
    const topic = await topicWithRecords(kafkaBrokers());
    const consumer: StringConsumer = new Consumer({
      brokers: kafkaBrokers(),
      groupId: uniqueName('compat-kip848-off'),
      groupProtocol: 'consumer',
      autoOffsetReset: 'earliest',
      keyDeserializer: deserializers.string,
      valueDeserializer: deserializers.string,
      logLevel: 'error',
    });
    const startedAt = Date.now();
    let failure: unknown;
    try {
      consumer.subscribe([topic]);
      // The broker lists ConsumerGroupHeartbeat but answers it with UNSUPPORTED_VERSION: the first poll that joins
      // must fail with that, not wait forever.
      while (failure === undefined && Date.now() - startedAt < 20_000) {
        try {
          await consumer.poll({ timeoutMs: 500 });
        } catch (error) {
          failure = error;
        }
      }
    } finally {
      await consumer.close().catch(() => undefined);
    }
    expect(failure, 'no error within 20 s: the consumer waited instead of failing').toBeDefined();
    expect(isUnsupportedVersion(failure), String(failure)).toBe(true);
    expect(Date.now() - startedAt).toBeLessThan(20_000);
  });

  describe(`with Kafka ${line}'s early-access consumer protocol switched on`, () => {
    let cluster: KafkaCluster | undefined;
    beforeAll(async () => {
      cluster = await startCluster({ version: line, earlyAccess: true });
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('groupProtocol consumer: two members split the partitions and read every record once', async () => {
      await shareTopicBetweenTwo(cluster!.brokers.slice(), { groupProtocol: 'consumer' });
    });
  });
});
