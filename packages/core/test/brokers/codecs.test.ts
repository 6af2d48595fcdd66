// Broker compatibility: every compression codec against the shared broker of whatever supported line it is.
// Records Vltava's producer writes are read exactly by Vltava's consumer and by the Java console consumer of that
// Kafka version; records that console producer writes are read exactly by Vltava's consumer.
import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, expect, inject, it } from 'vitest';
import { Admin, type CompressionType, Consumer, deserializers, Producer } from '../../src/index.js';
import { describeBroker, SKIP_REASON } from './broker-line.js';
import { javaConsume, javaProduce } from './java-console.js';

const CODECS: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const COUNT = 120;
const brokers = kafkaBrokers();
const admin = new Admin({ brokers, logLevel: 'error' });

afterAll(async () => {
  await admin.close();
});

async function createTopic(): Promise<string> {
  const topic = uniqueName('compat-codec');
  const [created] = await admin.createTopics([{ topic, numPartitions: 1, replicationFactor: 1 }], {
    waitForMetadata: true,
  });
  expect(created?.error).toBeUndefined();
  return topic;
}

/** Key `k<i>`, a value with multi-byte characters and a length that varies, so blocks are not uniform. */
function record(codec: string, i: number): { key: string; value: string } {
  return { key: `k${i}`, value: `${codec}-${i}-${'žluťoučký kůň '.repeat(1 + (i % 7))}end` };
}

const expected = (codec: string) => Array.from({ length: COUNT }, (_, i) => record(codec, i));

async function vltavaRead(topic: string): Promise<Array<{ key: string | null; value: string | null; offset: bigint }>> {
  const consumer = new Consumer({
    brokers,
    autoOffsetReset: 'earliest',
    keyDeserializer: deserializers.string,
    valueDeserializer: deserializers.string,
    logLevel: 'error',
  });
  try {
    consumer.assign([{ topic, partition: 0 }]);
    const received: Array<{ key: string | null; value: string | null; offset: bigint }> = [];
    for await (const r of consumer.records({ signal: AbortSignal.timeout(60_000) })) {
      received.push({ key: r.key, value: r.value, offset: r.offset });
      if (received.length === COUNT) break;
    }
    return received;
  } finally {
    await consumer.close();
  }
}

describeBroker.each(CODECS)(`codec %s with Kafka ${inject('kafkaVersion')}${SKIP_REASON}`, (codec) => {
  it("Vltava producer -> Vltava consumer and the Java client's console consumer: every record, exactly, in order", async () => {
    const topic = await createTopic();
    const producer = new Producer({ brokers, compression: codec, lingerMs: 20, logLevel: 'error' });
    try {
      await Promise.all(expected(codec).map((r) => producer.send({ topic, ...r })));
    } finally {
      await producer.close();
    }
    const ours = await vltavaRead(topic);
    expect(ours.map((r) => ({ key: r.key, value: r.value }))).toEqual(expected(codec));
    expect(ours.map((r) => r.offset)).toEqual(Array.from({ length: COUNT }, (_, i) => BigInt(i)));

    const java = await javaConsume(topic, { expected: COUNT });
    expect(java.map((r) => ({ key: r.key, value: r.value }))).toEqual(expected(codec));
    expect(java.map((r) => r.offset)).toEqual(Array.from({ length: COUNT }, (_, i) => i));
  });

  it("the Java client's console producer -> Vltava consumer: every record, exactly, in order", async () => {
    const topic = await createTopic();
    await javaProduce(topic, expected(codec), codec);
    const ours = await vltavaRead(topic);
    expect(ours.map((r) => ({ key: r.key, value: r.value }))).toEqual(expected(codec));
    expect(ours.map((r) => r.offset)).toEqual(Array.from({ length: COUNT }, (_, i) => BigInt(i)));
  });
});
