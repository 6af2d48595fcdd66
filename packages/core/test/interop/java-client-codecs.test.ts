// Interop with the Java client through a real broker, for every compression codec: records the Java console
// producer writes are read exactly by Vltava's consumer, and records Vltava's producer writes are read exactly by the
// Java console consumer. (The record-format interop without a broker lives in test/records.)
import { kafkaBrokers, kafkaTool, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { Admin, type CompressionType, Consumer, deserializers, Producer } from '../../src/index.js';
import { consoleConsume } from '../producer/helpers.js';

const CODECS: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const COUNT = 300;
const brokers = kafkaBrokers();
const admin = new Admin({ brokers, logLevel: 'error' });

afterAll(async () => {
  await admin.close();
});

async function createTopic(partitions: number): Promise<string> {
  const topic = uniqueName('interop');
  const [created] = await admin.createTopics([{ topic, numPartitions: partitions, replicationFactor: 1 }], {
    waitForMetadata: true,
  });
  expect(created?.error).toBeUndefined();
  return topic;
}

/** Key `k<i>`, a value with multi-byte characters and a length that varies, so blocks are not uniform. */
function record(codec: string, i: number): { key: string; value: string } {
  return { key: `k${i}`, value: `${codec}-${i}-${'žluťoučký kůň '.repeat(1 + (i % 7))}end` };
}

describe.each(CODECS)('codec %s', (codec) => {
  it('Java console producer -> Vltava consumer: every record, exactly, in order', async () => {
    const topic = await createTopic(1);
    const lines = Array.from({ length: COUNT }, (_, i) => {
      const r = record(codec, i);
      return `${r.key}|${r.value}`;
    });
    const args = ['--topic', topic, '--property', 'parse.key=true', '--property', 'key.separator=|'];
    if (codec !== 'none') args.push('--compression-codec', codec);
    // Batches of several records, so the codec compresses real batches rather than one record each.
    args.push('--producer-property', 'linger.ms=50', '--producer-property', 'batch.size=65536');
    const produced = await kafkaTool('kafka-console-producer', args, {
      input: `${lines.join('\n')}\n`,
      timeoutMs: 90_000,
    });
    expect(produced.exitCode, produced.stderr).toBe(0);

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
      expect(received.map((r) => ({ key: r.key, value: r.value }))).toEqual(
        Array.from({ length: COUNT }, (_, i) => record(codec, i)),
      );
      expect(received.map((r) => r.offset)).toEqual(Array.from({ length: COUNT }, (_, i) => BigInt(i)));
    } finally {
      await consumer.close();
    }
  });

  it('Vltava producer -> Java console consumer: every record, exactly, in order', async () => {
    const topic = await createTopic(1);
    const producer = new Producer({ brokers, compression: codec, lingerMs: 20, logLevel: 'error' });
    try {
      await Promise.all(Array.from({ length: COUNT }, (_, i) => producer.send({ topic, ...record(codec, i) })));
    } finally {
      await producer.close();
    }
    const consumed = await consoleConsume(brokers.join(','), topic, { expected: COUNT });
    expect(consumed.map((r) => ({ key: r.key, value: r.value }))).toEqual(
      Array.from({ length: COUNT }, (_, i) => record(codec, i)),
    );
    expect(consumed.map((r) => r.offset)).toEqual(Array.from({ length: COUNT }, (_, i) => i));
  });
});
