import { connect, type Socket } from 'node:net';
import { kafkaBrokers, kafkaTool, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClientClosedError, InvalidArgumentError, RecordTooLargeError } from '../../src/errors/client-errors.js';
import type { KafkaError } from '../../src/errors/kafka-error.js';
import { metricPoints, metricValue } from '../../src/metrics/metric-value.js';
import { toPrometheusText } from '../../src/metrics/prometheus-text.js';
import { partitionForKey } from '../../src/producer/murmur2.js';
import { Producer } from '../../src/producer/producer.js';
import type { ProducerOptions } from '../../src/producer/producer-options.js';
import type { RecordMetadata } from '../../src/producer/record-metadata.js';
import { jsonSerializer, stringSerializer } from '../../src/producer/serializers.js';
import { CompressionWorkers } from '../../src/protocol/records/compression/compression-workers.js';
import { consoleConsume, createTopic, readTopic } from './helpers.js';

const producers: Array<Producer<unknown, unknown>> = [];
let brokers: string;

function producer<K = string | Uint8Array, V = string | Uint8Array>(
  options: Omit<ProducerOptions<K, V>, 'brokers'> = {},
) {
  const created = new Producer<K, V>({ brokers, logLevel: 'error', ...options });
  producers.push(created as unknown as Producer<unknown, unknown>);
  return created;
}

beforeAll(() => {
  brokers = kafkaBrokers().join(',');
});

afterEach(async () => {
  await Promise.all(producers.splice(0).map((p) => p.close()));
});

async function topic(partitions = 3, configs?: Record<string, string>): Promise<string> {
  const name = uniqueName('producer');
  await createTopic(brokers, name, partitions, configs === undefined ? {} : { configs });
  return name;
}

describe('Producer: sending', () => {
  it.each([
    ['all', -1],
    ['1', 1],
  ] as const)('acks=%s: each send resolves with the offset the record was written at', async (_name, acks) => {
    const name = await topic(2);
    const p = producer({ acks });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => p.send({ topic: name, key: `k${i % 5}`, value: `v${i}` })),
    );
    const stored = await readTopic(brokers, name);
    for (const [i, meta] of results.entries()) {
      expect(meta.topic).toBe(name);
      const record = stored[meta.partition]![Number(meta.offset)]!;
      expect(record.value).toBe(`v${i}`);
      expect(record.key).toBe(`k${i % 5}`);
      expect(meta.serializedKeySize).toBe(2);
      expect(meta.serializedValueSize).toBe(Buffer.byteLength(`v${i}`));
      expect(meta.timestamp).toBe(record.timestamp);
    }
    expect(stored.flat()).toHaveLength(50);
  });

  it('acks=0: sends resolve once written, offsets unknown, and the records arrive', async () => {
    const name = await topic(1);
    const p = producer({ acks: 0 });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => p.send({ topic: name, value: `z${i}` })));
    expect(results.every((r) => r.offset === -1n && r.partition === 0)).toBe(true);
    const stored = await (async () => {
      for (let i = 0; i < 100; i++) {
        const records = (await readTopic(brokers, name))[0]!;
        if (records.length >= 20) return records;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('acks=0 records did not arrive');
    })();
    expect(stored.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => `z${i}`));
    expect(stored[0]!.producerId).toBe(-1n); // no idempotence with acks=0
  });

  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const)(
    'compression %s: records read back equal, in batches of that codec',
    async (compression) => {
      const name = await topic(1);
      const p = producer({ compression, lingerMs: 20 });
      const values = Array.from({ length: 300 }, (_, i) => `value ${i} ${'abc'.repeat(i % 40)}`);
      await Promise.all(values.map((value, i) => p.send({ topic: name, key: `key-${i}`, value, partition: 0 })));
      const stored = (await readTopic(brokers, name))[0]!;
      expect(stored.map((r) => r.value)).toEqual(values);
      expect(stored.map((r) => r.key)).toEqual(values.map((_, i) => `key-${i}`));
      expect(new Set(stored.map((r) => r.compression))).toEqual(new Set([compression]));
    },
  );

  it('zstd with batches past 32 KiB: compressed on the worker threads, every record read back in order', async () => {
    const compress = vi.spyOn(CompressionWorkers.prototype, 'compress');
    try {
      const name = await topic(3);
      const p = producer({ compression: 'zstd', batchSize: 256 * 1024, lingerMs: 50, compressionWorkers: 2 });
      const values = Array.from({ length: 3000 }, (_, i) => `{"order":${i},"note":"${'shipped '.repeat(70)}"}`);
      const metas = await Promise.all(values.map((value, i) => p.send({ topic: name, value, partition: i % 3 })));
      const stored = await readTopic(brokers, name);
      for (let partition = 0; partition < 3; partition++) {
        expect(stored[partition]!.map((r) => r.value)).toEqual(values.filter((_, i) => i % 3 === partition));
        expect(new Set(stored[partition]!.map((r) => r.compression))).toEqual(new Set(['zstd']));
      }
      expect(metas.map((meta) => stored[meta.partition]![Number(meta.offset)]!.value)).toEqual(values);
      expect(compress.mock.calls.length).toBeGreaterThanOrEqual(3);
    } finally {
      compress.mockRestore();
    }
  });

  it('LZ4 compresses on the event loop, and zstd too with compressionWorkers 0', async () => {
    const compress = vi.spyOn(CompressionWorkers.prototype, 'compress');
    try {
      const values = Array.from({ length: 500 }, (_, i) => `${i}:${'abcdefgh'.repeat(40)}`);
      for (const options of [
        { compression: 'zstd', compressionWorkers: 0 },
        { compression: 'lz4', compressionWorkers: 2 },
      ] as const) {
        const name = await topic(1);
        const p = producer({ ...options, batchSize: 256 * 1024, lingerMs: 50 });
        await Promise.all(values.map((value) => p.send({ topic: name, value })));
        const stored = (await readTopic(brokers, name))[0]!;
        expect(stored.map((r) => r.value)).toEqual(values);
        expect(stored[0]!.compression).toBe(options.compression);
      }
      expect(compress).not.toHaveBeenCalled();
    } finally {
      compress.mockRestore();
    }
  });

  it('writes tombstones, headers (object and ordered list with repeats) and explicit timestamps', async () => {
    const name = await topic(1);
    const p = producer();
    await p.send({ topic: name, key: 'gone' });
    await p.send({
      topic: name,
      key: 'k',
      value: 'v',
      headers: { trace: 'abc', bin: Buffer.from([1, 2]), none: null },
    });
    await p.send({
      topic: name,
      value: 'repeats',
      headers: [
        { key: 'h', value: '1' },
        { key: 'h', value: '2' },
      ],
      timestamp: new Date(1_600_000_000_000),
    });
    const [tombstone, withHeaders, repeated] = (await readTopic(brokers, name))[0]!;
    expect(tombstone).toMatchObject({ key: 'gone', value: null });
    expect(withHeaders!.headers).toEqual([
      { key: 'trace', value: 'abc' },
      { key: 'bin', value: '\u0001\u0002' },
      { key: 'none', value: null },
    ]);
    expect(repeated!.headers).toEqual([
      { key: 'h', value: '1' },
      { key: 'h', value: '2' },
    ]);
    expect(repeated!.timestamp).toBe(1_600_000_000_000);
  });

  it('creates a missing topic on first send where the broker allows it, unless allowAutoCreateTopics is false', async () => {
    const created = uniqueName('auto');
    const p = producer();
    const meta = await p.send({ topic: created, value: 'first' });
    expect(meta.offset).toBe(0n);
    expect((await readTopic(brokers, created)).flat().map((r) => r.value)).toEqual(['first']);

    const absent = uniqueName('absent');
    const strict = producer({ allowAutoCreateTopics: false, maxBlockMs: 1500 });
    const error = (await strict.send({ topic: absent, value: 'x' }).catch((e: KafkaError) => e)) as KafkaError;
    expect(error.code).toBe('ERR_TIMEOUT');
    expect(error.message).toMatch(/not present in metadata within maxBlockMs/);
  });

  it('reports the broker append time on LogAppendTime topics', async () => {
    const name = await topic(1, { 'message.timestamp.type': 'LogAppendTime' });
    const p = producer();
    const meta = await p.send({ topic: name, value: 'stamped', timestamp: 1_000_000_000_000 });
    const [stored] = (await readTopic(brokers, name))[0]!;
    expect(meta.timestamp).not.toBe(1_000_000_000_000);
    expect(meta.timestamp).toBe(stored!.timestamp);
    expect(Math.abs(meta.timestamp - Date.now())).toBeLessThan(60_000);
  });

  it('honours an explicit partition, and fails an unknown partition or an empty record alone', async () => {
    const name = await topic(3);
    const p = producer();
    const good = p.send({ topic: name, value: 'to-2', partition: 2 });
    const unknown = p.send({ topic: name, value: 'to-9', partition: 9 }).catch((e: KafkaError) => e);
    const empty = p.send({ topic: name } as never).catch((e: KafkaError) => e);
    const neighbour = p.send({ topic: name, value: 'fine', partition: 1 });
    expect((await good).partition).toBe(2);
    expect((await neighbour).partition).toBe(1);
    const unknownError = (await unknown) as KafkaError;
    expect(unknownError).toBeInstanceOf(InvalidArgumentError);
    expect(unknownError.message).toMatch(/Partition 9 does not exist.*3 partition/);
    expect(await empty).toBeInstanceOf(InvalidArgumentError);
    const stored = await readTopic(brokers, name);
    expect(stored.map((records) => records.map((r) => r.value))).toEqual([[], ['fine'], ['to-2']]);
  });

  it('sends a record with headers alone (no key, no value), as KafkaJS and NestJS error replies do', async () => {
    const name = await topic(1);
    const p = producer();
    const meta = await p.send({ topic: name, headers: { error: 'boom' } });
    expect(meta.serializedKeySize).toBe(-1);
    expect(meta.serializedValueSize).toBe(-1);
    const [stored] = (await readTopic(brokers, name))[0]!;
    expect(stored!.key).toBeNull();
    expect(stored!.value).toBeNull();
    expect(stored!.headers).toEqual([{ key: 'error', value: 'boom' }]);
    await expect(p.send({ topic: name, headers: {} } as never)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('fails a record that can never fit with RecordTooLargeError before anything is sent', async () => {
    const name = await topic(1);
    const p = producer({ maxRequestSize: 10_000 });
    await p.send({ topic: name, value: 'small' });
    const requestsBefore = metricValue(p.metrics(), 'vltava_producer_requests_total');
    const error = (await p.send({ topic: name, value: 'x'.repeat(20_000) }).catch((e: KafkaError) => e)) as KafkaError;
    expect(error).toBeInstanceOf(RecordTooLargeError);
    expect(error.message).toMatch(/maxRequestSize \(10000\)/);
    expect(metricValue(p.metrics(), 'vltava_producer_requests_total')).toBe(requestsBefore);
    await p.send({ topic: name, value: 'after' });
    expect((await readTopic(brokers, name))[0]!.map((r) => r.value)).toEqual(['small', 'after']);
  });

  it('bounds memory by bufferMemory: overflow fails with BufferExhaustedError (maxBlockMs 0, or too many waiting); sendBatch waits', async () => {
    const name = await topic(1);
    const strict = producer({ bufferMemory: 64 * 1024, batchSize: 16 * 1024, maxBlockMs: 0 });
    await strict.send({ topic: name, value: 'warm-up' });
    const value = 'm'.repeat(4000);
    // Synchronous sends: no I/O can free memory meanwhile. 64 KiB hold 4 batches of 16 KiB (~4 records each).
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, () =>
        strict.send({ topic: name, value }).then(
          () => 'ok',
          (e: KafkaError) => e.code,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(12);
    expect(outcomes.filter((o) => o === 'ERR_BUFFER_EXHAUSTED').length).toBeGreaterThan(10);
    expect(outcomes.every((o) => o === 'ok' || o === 'ERR_BUFFER_EXHAUSTED')).toBe(true);

    // Sends waiting for memory are bounded too (their bytes at most bufferMemory): past that, send fails at once.
    const patient = producer({ bufferMemory: 64 * 1024, batchSize: 16 * 1024, maxBlockMs: 30_000 });
    await patient.send({ topic: name, value: 'warm-up' });
    const flood = await Promise.all(
      Array.from({ length: 60 }, () =>
        patient.send({ topic: name, value }).then(
          () => 'ok',
          (e: KafkaError) => e,
        ),
      ),
    );
    const refused = flood.filter((o) => o !== 'ok') as KafkaError[];
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.message).toMatch(/Too many sends are waiting/);
    expect(flood.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(16 + 12);

    // sendBatch waits for space between records instead: everything passes, memory stays within the bound.
    let peak = 0;
    const sampler = setInterval(() => {
      const inUse = metricValue(patient.metrics(), 'vltava_producer_buffer_bytes_in_use')!;
      peak = Math.max(peak, inUse);
    }, 1);
    const result = await patient.sendBatch(Array.from({ length: 200 }, () => ({ topic: name, value })));
    clearInterval(sampler);
    expect(result).toMatchObject({ succeeded: 200, failed: 0 });
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(64 * 1024);
  });

  it('sendBatch larger than bufferMemory to a topic whose metadata is not loaded yet waits instead of failing (regression)', async () => {
    const name = await topic(2);
    const cold = producer({ bufferMemory: 256 * 1024, batchSize: 16 * 1024, maxBlockMs: 30_000 });
    // 2 MiB in one call, and the producer has never seen the topic: records wait for metadata first.
    const value = 'c'.repeat(8 * 1024);
    const result = await cold.sendBatch(Array.from({ length: 256 }, (_, i) => ({ topic: name, key: `${i}`, value })));
    expect(result).toMatchObject({ succeeded: 256, failed: 0 });
    const stored = (await readTopic(brokers, name)).flat();
    expect(stored).toHaveLength(256);
  });

  it('exposes backpressure: bufferAvailable drops as batches fill, waitForBuffer resolves once they are acknowledged', async () => {
    const name = await topic(3);
    const p = producer({ bufferMemory: 64 * 1024, batchSize: 16 * 1024, lingerMs: 60_000 });
    await p.partitionsFor(name);
    expect(p.bufferAvailable).toBe(64 * 1024);
    const sends = [0, 1, 2].map((partition) => p.send({ topic: name, partition, value: 'w'.repeat(10_000) }));
    expect(p.bufferAvailable).toBe(64 * 1024 - 3 * 16 * 1024);
    let resolved = false;
    const waiting = p.waitForBuffer(40 * 1024).then(() => {
      resolved = true;
    });
    // Nothing is sent before lingerMs (a minute) or a flush: the wait cannot end yet.
    await new Promise((resolve) => setImmediate(resolve));
    expect(resolved).toBe(false);
    await p.flush();
    await Promise.all(sends);
    await waiting;
    expect(resolved).toBe(true);
    expect(p.bufferAvailable).toBe(64 * 1024);
  });

  it('sendBatch sends its last batches at once (no lingerMs wait); with { linger: true } they linger as sends do', async () => {
    const name = await topic(3);
    const p = producer({ lingerMs: 60_000 });
    await p.partitionsFor(name);
    // A minute of linger: only waiving it lets the call settle within the test's timeout.
    const records = Array.from({ length: 30 }, (_, i) => ({ topic: name, key: `k${i}`, value: `v${i}` }));
    const result = await p.sendBatch(records);
    expect(result).toMatchObject({ count: 30, succeeded: 30, failed: 0 });

    let settled = false;
    const lingering = p.sendBatch(records, { linger: true }).then((r) => {
      settled = true;
      return r;
    });
    // Its records reached the accumulator (the producer's buffer holds them) but nothing may send them yet.
    await new Promise((resolve) => setImmediate(resolve));
    expect(p.bufferAvailable).toBeLessThan(32 * 1024 * 1024);
    const acknowledged = metricValue(p.metrics(), 'vltava_producer_records_sent_total');
    expect(settled).toBe(false);
    await p.flush();
    expect(await lingering).toMatchObject({ succeeded: 30, failed: 0 });
    expect(metricValue(p.metrics(), 'vltava_producer_records_sent_total')).toBe((acknowledged ?? 0) + 30);
    expect((await readTopic(brokers, name)).flat()).toHaveLength(60);
  });

  it('splits batches larger than the topic accepts (max.message.bytes) instead of failing their records', async () => {
    const name = await topic(1, { 'max.message.bytes': '2000' });
    const p = producer({ lingerMs: 50 });
    const values = Array.from({ length: 100 }, (_, i) => `${i}:${'s'.repeat(300)}`);
    const results = await Promise.all(values.map((value) => p.send({ topic: name, value })));
    const stored = (await readTopic(brokers, name))[0]!;
    expect(stored.map((r) => r.value)).toEqual(values);
    expect(results.map((r) => r.offset)).toEqual(values.map((_, i) => BigInt(i)));
    const splits = metricValue(p.metrics(), 'vltava_producer_batch_splits_total');
    expect(splits).toBeGreaterThan(0);
  });

  it('flush sends everything at once, ignoring lingerMs, and waits for each outcome', async () => {
    const name = await topic(2);
    const p = producer({ lingerMs: 60_000 });
    await p.connect();
    const settled: RecordMetadata[] = [];
    for (let i = 0; i < 30; i++) void p.send({ topic: name, value: `f${i}` }).then((m) => settled.push(m));
    const started = Date.now();
    await p.flush({ timeoutMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(settled).toHaveLength(30);
    expect((await readTopic(brokers, name)).flat()).toHaveLength(30);
  });

  it('close completes pending sends, releases connections, and fails later sends with ClientClosedError', async () => {
    const name = await topic(1);
    const p = producer({ lingerMs: 60_000 });
    const pending = Array.from({ length: 10 }, (_, i) => p.send({ topic: name, value: `c${i}` }));
    await p.close();
    expect((await Promise.all(pending)).every((m) => m.offset >= 0n)).toBe(true);
    await expect(p.send({ topic: name, value: 'late' })).rejects.toBeInstanceOf(ClientClosedError);
    await expect(p.partitionsFor(name)).rejects.toBeInstanceOf(ClientClosedError);
    await p.close(); // twice is fine
    expect((await readTopic(brokers, name))[0]!).toHaveLength(10);
  });

  it('sendBatch and the callback form report per-record outcomes without a Promise each', async () => {
    const name = await topic(3);
    const p = producer();
    const records = Array.from({ length: 1000 }, (_, i) => ({ topic: name, key: `k${i}`, value: `b${i}` }));
    records[500] = { topic: name } as never; // one bad record fails alone
    const result = await p.sendBatch(records);
    expect(result).toMatchObject({ count: 1000, succeeded: 999, failed: 1 });
    expect(result.error(500)).toBeInstanceOf(InvalidArgumentError);
    expect(result.firstError).toBe(result.error(500));
    expect(result.metadata(500)).toBeUndefined();
    const meta = result.metadata(7)!;
    expect(meta.partition).toBe(partitionForKey('k7', 3));

    const outcomes = await new Promise<Array<[KafkaError | undefined, RecordMetadata | undefined]>>((resolve) => {
      const seen: Array<[KafkaError | undefined, RecordMetadata | undefined]> = [];
      for (let i = 0; i < 3; i++) {
        p.send({ topic: name, value: `cb${i}`, partition: 0 }, (error, metadata) => {
          seen.push([error, metadata]);
          if (seen.length === 3) resolve(seen);
        });
      }
    });
    expect(outcomes.map(([e, m]) => [e, m?.partition])).toEqual([
      [undefined, 0],
      [undefined, 0],
      [undefined, 0],
    ]);
    expect(outcomes[1]![1]!.offset).toBe(outcomes[0]![1]!.offset + 1n);
    const stored = await readTopic(brokers, name);
    const k7 = stored[meta.partition]![Number(meta.offset)]!;
    expect(k7.value).toBe('b7');
  });

  it('types keys and values through serializers', async () => {
    const name = await topic(1);
    interface Order {
      id: number;
      items: string[];
    }
    const p = producer<string, Order>({ keySerializer: stringSerializer, valueSerializer: jsonSerializer<Order>() });
    await p.send({ topic: name, key: 'o-1', value: { id: 1, items: ['a', 'b'] } });
    expect((await readTopic(brokers, name))[0]![0]!.value).toBe('{"id":1,"items":["a","b"]}');
  });

  it('partitionsFor and metrics describe the producer', async () => {
    const name = await topic(4);
    const p = producer();
    const partitions = await p.partitionsFor(name);
    expect(partitions.map((x) => x.partition)).toEqual([0, 1, 2, 3]);
    expect(partitions.every((x) => x.leader >= 0)).toBe(true);
    await Promise.all(Array.from({ length: 100 }, (_, i) => p.send({ topic: name, value: `m${i}` })));
    const metrics = p.metrics();
    const point = (n: string) => metricPoints(metrics, n)[0]!;
    expect(point('vltava_producer_records_sent_total').value).toBe(100);
    expect(point('vltava_producer_records_sent_total').labels).toMatchObject({ client_type: 'producer' });
    expect(point('vltava_producer_request_latency_seconds').count).toBeGreaterThan(0);
    expect(point('vltava_producer_batch_size_bytes').count).toBeGreaterThan(0);
    expect(point('vltava_producer_buffer_limit_bytes').value).toBe(33_554_432);
    expect(toPrometheusText(metrics)).toMatch(
      /^vltava_producer_records_sent_total\{[^}]*client_type="producer"[^}]*\} 100$/m,
    );
  });
});

describe('Producer: idempotence', () => {
  it('retries through connections cut mid-request and still has every record once and in order', async () => {
    const name = await topic(3);
    // Every connection the producer opens is cut after a while: requests in flight are lost, some after the
    // broker appended them. Retries must not duplicate or reorder anything.
    const sockets = new Set<Socket>();
    const p = producer({
      retryBackoffMs: 10,
      retryBackoffMaxMs: 100,
      reconnectBackoffMs: 10,
      reconnectBackoffMaxMs: 50,
      lingerMs: 2,
      batchSize: 2048,
      socketFactory: ({ host, port }) => {
        const socket = connect({ host, port });
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        return socket;
      },
    });
    await p.connect();
    let cuts = 0;
    const cutter = setInterval(() => {
      for (const socket of sockets) {
        if (socket.bytesRead > 1000) {
          socket.destroy();
          cuts++;
        }
      }
    }, 20);
    const sends: Array<Promise<RecordMetadata>> = [];
    for (let i = 0; i < 20_000; i++) {
      sends.push(p.send({ topic: name, key: `k${i % 30}`, value: `r${i}` }));
      if (i % 200 === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const results = await Promise.all(sends);
    clearInterval(cutter);
    expect(cuts).toBeGreaterThan(3);
    const stored = await readTopic(brokers, name);
    const expected: string[][] = [[], [], []];
    for (let i = 0; i < results.length; i++) expected[results[i]!.partition]!.push(`r${i}`);
    expect(stored.map((records) => records.map((r) => r.value))).toEqual(expected);
    expect(metricValue(p.metrics(), 'vltava_producer_batch_retries_total')).toBeGreaterThan(0);
    expect(stored.flat().every((r) => r.producerId >= 0n)).toBe(true);
    // Reported offsets (known unless a resend was recognised without one) point at the right records.
    for (let i = 0; i < results.length; i++) {
      const meta = results[i]!;
      if (meta.offset >= 0n) expect(stored[meta.partition]![Number(meta.offset)]!.value).toBe(`r${i}`);
    }
  });
});

describe('Producer: partitioning', () => {
  it('puts a key on the same partition as the Java client (console producer with parse.key)', async () => {
    const javaTopic = await topic(6);
    const ourTopic = await topic(6);
    const keys = Array.from({ length: 60 }, (_, i) => `user-${i * 7919}`);
    const input = keys.map((key) => `${key}\t${key}-java\n`).join('');
    const produced = await kafkaTool(
      'kafka-console-producer',
      ['--topic', javaTopic, '--reader-property', 'parse.key=true', '--reader-property', 'key.separator=\t'],
      { input },
    );
    expect(produced.exitCode).toBe(0);
    const p = producer();
    const ours = await Promise.all(keys.map((key) => p.send({ topic: ourTopic, key, value: `${key}-vltava` })));
    const java = await consoleConsume(brokers, javaTopic, { expected: keys.length });
    expect(java).toHaveLength(keys.length);
    const javaPartition = new Map(java.map((r) => [r.key, r.partition]));
    for (const [i, key] of keys.entries()) {
      expect(ours[i]!.partition).toBe(javaPartition.get(key));
      expect(ours[i]!.partition).toBe(partitionForKey(key, 6));
    }
    // The keys really spread over partitions (the check is not vacuous).
    expect(new Set(javaPartition.values()).size).toBe(6);
  });

  it('spreads keyless records over partitions with the sticky partitioner, and round-robin when asked', async () => {
    const name = await topic(4);
    const sticky = producer({ batchSize: 1024 });
    const stickyResults = await Promise.all(
      Array.from({ length: 400 }, (_, i) => sticky.send({ topic: name, value: `s${i}`.padEnd(100, '.') })),
    );
    // Runs of the same partition (sticky), yet every partition used.
    expect(new Set(stickyResults.map((r) => r.partition)).size).toBe(4);
    let switches = 0;
    for (let i = 1; i < stickyResults.length; i++) {
      if (stickyResults[i]!.partition !== stickyResults[i - 1]!.partition) switches++;
    }
    expect(switches).toBeLessThan(100);
    const rr = producer({ partitioner: 'round-robin' });
    const rrResults = await Promise.all(
      Array.from({ length: 8 }, (_, i) => rr.send({ topic: name, key: 'same', value: `r${i}` })),
    );
    expect(rrResults.map((r) => r.partition)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    const custom = producer({ partitioner: ({ partitionCount }) => partitionCount - 1 });
    expect((await custom.send({ topic: name, value: 'x' })).partition).toBe(3);
  });
});
