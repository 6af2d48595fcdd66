import upstream from 'kafkajs-upstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Admin,
  CompressionTypes,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  Partitioners,
  type Producer,
} from '../src/index.js';
import { brokers, createTopic, kafka, readTopic, uniqueName } from './support.js';

describe('producer against the broker', () => {
  const client = kafka();
  let admin: Admin;
  const producers: Producer[] = [];
  const connected = async (config?: Parameters<typeof client.producer>[0]) => {
    const producer = client.producer(config);
    producers.push(producer);
    await producer.connect();
    return producer;
  };

  beforeAll(async () => {
    admin = client.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all(producers.map((p) => p.disconnect()));
    await admin.disconnect();
  });

  it('send resolves with one entry per partition (string base offsets) and writes keys, values, headers, timestamps', async () => {
    const topic = uniqueName('kjs-send');
    await createTopic(admin, topic, 1);
    const producer = await connected();
    const first = await producer.send({
      topic,
      messages: [
        {
          key: 'k1',
          value: 'v1',
          headers: { trace: 'abc', multi: ['x', Buffer.from('y')] },
          timestamp: '1700000000000',
        },
        { key: Buffer.from('k2'), value: Buffer.from('v2') },
        { key: 'k3', value: null },
      ],
    });
    expect(first).toEqual([
      { topicName: topic, partition: 0, errorCode: 0, baseOffset: '0', logAppendTime: '-1', logStartOffset: '-1' },
    ]);
    const second = await producer.send({ topic, messages: [{ value: 'v3' }] });
    expect(second[0]!.baseOffset).toBe('3');
    const stored = await readTopic(topic);
    expect(stored.map((m) => [m.offset, m.key, m.value])).toEqual([
      [0n, 'k1', 'v1'],
      [1n, 'k2', 'v2'],
      [2n, 'k3', null],
      [3n, null, 'v3'],
    ]);
    expect(stored[0]!.timestamp).toBe(1_700_000_000_000);
    expect(stored[0]!.headers).toEqual([
      { key: 'trace', value: 'abc' },
      { key: 'multi', value: 'x' },
      { key: 'multi', value: 'y' },
    ]);
  });

  it('sendBatch writes to several topics at once; acks 1 and acks 0 work, acks 0 reporting nothing', async () => {
    const a = uniqueName('kjs-batch-a');
    const b = uniqueName('kjs-batch-b');
    await createTopic(admin, a, 2);
    await createTopic(admin, b, 1);
    const producer = await connected();
    const result = await producer.sendBatch({
      acks: 1,
      topicMessages: [
        {
          topic: a,
          messages: [
            { key: 'x', value: '1' },
            { key: 'y', value: '2' },
          ],
        },
        { topic: b, messages: [{ value: '3' }] },
        { topic: a, messages: [{ key: 'x', value: '4' }] },
      ],
    });
    expect(new Set(result.map((r) => r.topicName))).toEqual(new Set([a, b]));
    expect(await producer.send({ topic: b, acks: 0, messages: [{ value: '5' }] })).toEqual([]);
    const storedA = await readTopic(a);
    expect(storedA.map((m) => m.value).sort()).toEqual(['1', '2', '4']);
    await expect.poll(async () => (await readTopic(b)).map((m) => m.value)).toEqual(['3', '5']);
  });

  it('places keys where kafkajs 2.2.4 places them, with the default and the legacy partitioner', async () => {
    const topic = uniqueName('kjs-keys');
    await createTopic(admin, topic, 7);
    const keys = Array.from({ length: 60 }, (_, i) => `customer-${i * 7919}`);
    for (const [name, createPartitioner] of [
      ['DefaultPartitioner', Partitioners.DefaultPartitioner],
      ['LegacyPartitioner', Partitioners.LegacyPartitioner],
    ] as const) {
      const producer = await connected({ createPartitioner });
      await producer.send({ topic, messages: keys.map((key) => ({ key, value: name })) });
    }
    const theirs = {
      DefaultPartitioner: upstream.Partitioners.DefaultPartitioner(),
      LegacyPartitioner: upstream.Partitioners.LegacyPartitioner(),
    };
    const partitionMetadata = Array.from({ length: 7 }, (_, partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
    }));
    const stored = await readTopic(topic);
    expect(stored).toHaveLength(120);
    for (const m of stored) {
      const expected = theirs[m.value as keyof typeof theirs]({
        topic,
        partitionMetadata,
        message: { key: m.key, value: m.value },
      });
      expect({ key: m.key, partitioner: m.value, partition: m.partition }).toEqual({
        key: m.key,
        partitioner: m.value,
        partition: expected,
      });
    }
  });

  it('spreads messages without a key over every partition, round robin', async () => {
    const topic = uniqueName('kjs-rr');
    await createTopic(admin, topic, 4);
    const producer = await connected();
    const result = await producer.send({ topic, messages: Array.from({ length: 8 }, (_, i) => ({ value: `${i}` })) });
    expect(result.map((r) => r.partition).sort()).toEqual([0, 1, 2, 3]);
    const counts = new Map<number, number>();
    for (const m of await readTopic(topic)) counts.set(m.partition, (counts.get(m.partition) ?? 0) + 1);
    expect([...counts.values()]).toEqual([2, 2, 2, 2]);
  });

  it('compresses with every codec, no plugin registered', async () => {
    const topic = uniqueName('kjs-codecs');
    await createTopic(admin, topic, 1);
    const producer = await connected();
    const payload = 'compressible '.repeat(200);
    for (const [name, compression] of Object.entries(CompressionTypes)) {
      await producer.send({ topic, compression, messages: [{ key: name, value: payload }] });
    }
    const stored = await readTopic(topic);
    expect(stored.map((m) => m.key)).toEqual(['None', 'GZIP', 'Snappy', 'LZ4', 'ZSTD']);
    expect(stored.every((m) => m.value === payload)).toBe(true);
  });

  it('is idempotent by default for acks -1; idempotent: true refuses other acks as KafkaJS does', async () => {
    const topic = uniqueName('kjs-idem');
    await createTopic(admin, topic, 1);
    const defaults = await connected();
    expect(defaults.isIdempotent()).toBe(true);
    const strict = await connected({ idempotent: true });
    await expect(strict.send({ topic, acks: 1, messages: [{ value: 'x' }] })).rejects.toThrow(
      "Not requiring ack for all messages invalidates the idempotent producer's EoS guarantees",
    );
    await expect(strict.send({ topic, acks: 1, messages: [{ value: 'x' }] })).rejects.toBeInstanceOf(
      KafkaJSNonRetriableError,
    );
    await strict.send({ topic, messages: [{ value: 'ok' }] });
    expect(client.producer({ idempotent: false }).isIdempotent()).toBe(false);
    expect(() => client.producer({ idempotent: true, retry: { retries: 0 } })).toThrow(
      'Idempotent producer must allow retries to protect against transient errors',
    );
  });

  it('refuses sends before connect and after disconnect, messages without a value, and empty messages', async () => {
    const topic = uniqueName('kjs-state');
    const producer = client.producer();
    const before = await producer.send({ topic, messages: [{ value: 'x' }] }).catch((e: unknown) => e);
    expect(before).toBeInstanceOf(KafkaJSError);
    expect((before as Error).message).toBe('The producer is disconnected');
    await producer.connect();
    await expect(producer.send({ topic, messages: [{ key: 'k' } as unknown as { value: string }] })).rejects.toThrow(
      /Invalid message without value/,
    );
    // KafkaJS writes a message with neither key nor value; the engine refuses it (it carries nothing): see the README.
    await expect(producer.send({ topic, messages: [{ key: null, value: null }] })).rejects.toBeInstanceOf(
      KafkaJSNonRetriableError,
    );
    await producer.disconnect();
    await expect(producer.send({ topic, messages: [{ value: 'x' }] })).rejects.toThrow('The producer is disconnected');
  });

  it('gives up on a missing topic after its retries with KafkaJSNumberOfRetriesExceeded', async () => {
    const topic = uniqueName('kjs-missing');
    const producer = await connected({
      allowAutoTopicCreation: false,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 200 },
    });
    const started = Date.now();
    const error = (await producer.send({ topic, messages: [{ value: 'x' }] }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
    expect(error.name).toBe('KafkaJSNumberOfRetriesExceeded');
    expect((error as KafkaJSNumberOfRetriesExceeded).retriable).toBe(false);
    const cause = error.cause as KafkaJSError;
    expect(cause).toBeInstanceOf(KafkaJSError);
    expect(cause.retriable).toBe(true);
    if (cause instanceof KafkaJSProtocolError) expect(cause.type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    // The budget of two retries (100 + 200 ms) is below the engine's 5 s floor for metadata waits.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('emits CONNECT and DISCONNECT; on() returns a remover and refuses unknown events', async () => {
    const producer = client.producer();
    const seen: string[] = [];
    const off = producer.on(producer.events.CONNECT, (e) => seen.push(e.type));
    producer.on(producer.events.DISCONNECT, (e) => seen.push(e.type));
    await producer.connect();
    off();
    await producer.disconnect();
    await producer.connect();
    await producer.disconnect();
    expect(seen).toEqual(['producer.connect', 'producer.disconnect', 'producer.disconnect']);
    expect(() => producer.on('producer.nope' as never, () => {})).toThrow(
      /Event name should be one of producer.events/,
    );
  });

  it('emits network.request for each of its own requests, not for another client with the same clientId', async () => {
    const topic = uniqueName('kjs-network');
    await createTopic(admin, topic, 1);
    const producer = client.producer();
    const other = await connected();
    producers.push(producer);
    const requests: Array<{ type: string; payload: Record<string, unknown> }> = [];
    const off = producer.on(producer.events.REQUEST, (e) =>
      requests.push({ type: e.type, payload: e.payload as Record<string, unknown> }),
    );
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'v' }] });
    await other.send({ topic, messages: [{ value: 'other' }, { value: 'other' }] });
    const produces = requests.filter((r) => r.payload.apiName === 'Produce');
    expect(produces).toHaveLength(1);
    expect(requests.map((r) => r.type)).toEqual(requests.map(() => 'producer.network.request'));
    expect(requests.map((r) => r.payload.apiName)).toEqual(expect.arrayContaining(['ApiVersions', 'Metadata']));
    const [produce] = produces;
    expect(produce!.payload).toMatchObject({
      apiKey: 0,
      apiVersion: expect.any(Number),
      broker: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      clientId: expect.any(String),
      correlationId: expect.any(Number),
      size: expect.any(Number),
    });
    const { createdAt, sentAt, pendingDuration, duration } = produce!.payload as {
      createdAt: number;
      sentAt: number;
      pendingDuration: number;
      duration: number;
    };
    expect(Math.abs(createdAt - Date.now())).toBeLessThan(60_000);
    expect(sentAt - createdAt).toBe(pendingDuration);
    expect(duration).toBeGreaterThanOrEqual(0);
    off();
    const before = requests.length;
    await producer.send({ topic, messages: [{ value: 'after' }] });
    expect(requests).toHaveLength(before);
  });

  it('fails connect with a KafkaJS error when no broker answers', async () => {
    const unreachable = kafka({
      brokers: ['127.0.0.1:1'],
      connectionTimeout: 200,
      retry: { retries: 1, initialRetryTime: 50 },
    });
    const producer = unreachable.producer();
    const error = await producer.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaJSError);
    expect(brokers.length).toBeGreaterThan(0);
  });
});
