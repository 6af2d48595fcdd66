import { closeSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type KafkaCluster, startCluster, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Consumer, CorruptRecordError, deserializers } from '../../src/index.js';
import { pollUntil, values } from './support/consumer-helpers.js';
import { TestProducer } from './support/test-producer.js';

/** Compression, transactions and corruption: what the consumer reads is exactly what was written, or an error. */
describe('record integrity', () => {
  let cluster: KafkaCluster | undefined;
  let brokers: string;
  let dataDir: string;
  let producer: TestProducer;
  const consumers: Consumer<unknown, unknown>[] = [];
  const consumer = (options: { isolationLevel?: 'read_committed' | 'read_uncommitted'; checkCrcs?: boolean } = {}) => {
    const c = new Consumer({
      brokers,
      autoOffsetReset: 'earliest',
      logLevel: 'error',
      valueDeserializer: deserializers.string,
      ...options,
    });
    consumers.push(c as Consumer<unknown, unknown>);
    return c;
  };

  beforeAll(async () => {
    const logFile = inject('kafkaLogFile');
    if (logFile === null) {
      // An external cluster: the corruption test needs the broker's files, so use a private broker.
      cluster = await startCluster({ nodes: 1 });
      brokers = cluster.bootstrap;
      dataDir = join(dirname(cluster.nodes[0]!.logFile!), 'data');
    } else {
      brokers = inject('kafkaBootstrap');
      dataDir = join(dirname(logFile), 'data');
    }
    producer = new TestProducer(brokers);
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.close()));
    producer?.close();
    await cluster?.stop();
  });

  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)('reads %s-compressed batches', async (compression) => {
    const topic = uniqueName(`codec-${compression}`);
    await producer.createTopic(topic, 1);
    for (let b = 0; b < 4; b++) {
      await producer.send(
        topic,
        0,
        values('v', b * 50, b * 50 + 50).map((value) => ({ value })),
        { compression },
      );
    }
    const c = consumer();
    c.assign([{ topic, partition: 0 }]);
    const records = await pollUntil(c, 200);
    expect(records.map((r) => r.value)).toEqual(values('v', 0, 200));
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: 200 }, (_, i) => BigInt(i)));
  });

  it('read_committed hides aborted transactions; control records never surface in either isolation level', async () => {
    const topic = uniqueName('txn');
    await producer.createTopic(topic, 1);
    await producer.send(topic, 0, [{ value: 'plain-1' }]);
    await producer.sendTransaction(
      uniqueName('tx'),
      topic,
      0,
      [{ value: 'committed-1' }, { value: 'committed-2' }],
      true,
    );
    await producer.sendTransaction(uniqueName('tx'), topic, 0, [{ value: 'aborted-1' }, { value: 'aborted-2' }], false);
    await producer.send(topic, 0, [{ value: 'plain-2' }]);
    await producer.sendTransaction(uniqueName('tx'), topic, 0, [{ value: 'committed-3' }], true);
    // 1 + (2 + marker) + (2 + marker) + 1 + (1 + marker) = 10 offsets.

    const committed = consumer({ isolationLevel: 'read_committed' });
    committed.assign([{ topic, partition: 0 }]);
    const readCommitted = await pollUntil(committed, 5);
    expect(readCommitted.map((r) => r.value)).toEqual([
      'plain-1',
      'committed-1',
      'committed-2',
      'plain-2',
      'committed-3',
    ]);
    expect(await committed.position({ topic, partition: 0 })).toBe(10n);
    expect((await committed.poll({ timeoutMs: 300 })).count).toBe(0);

    const uncommitted = consumer({ isolationLevel: 'read_uncommitted' });
    uncommitted.assign([{ topic, partition: 0 }]);
    const readUncommitted = await pollUntil(uncommitted, 7);
    expect(readUncommitted.map((r) => r.value)).toEqual([
      'plain-1',
      'committed-1',
      'committed-2',
      'aborted-1',
      'aborted-2',
      'plain-2',
      'committed-3',
    ]);
    expect((await uncommitted.poll({ timeoutMs: 300 })).count).toBe(0);
    expect(await uncommitted.endOffsets([{ topic, partition: 0 }])).toEqual([{ topic, partition: 0, offset: 10n }]);
  });

  it('a batch corrupted on the broker raises CorruptRecordError at its offset, after the records before it', async () => {
    const topic = uniqueName('corrupt');
    await producer.createTopic(topic, 1);
    await producer.send(
      topic,
      0,
      values('a', 0, 10).map((value) => ({ value })),
    );
    await producer.send(
      topic,
      0,
      values('b', 0, 10).map((value) => ({ value })),
    );
    await producer.send(
      topic,
      0,
      values('c', 0, 10).map((value) => ({ value })),
    );
    // Flip a byte in the records of the second batch, in the segment file the broker serves from.
    const partitionDir = join(dataDir, `${topic}-0`);
    const segment = join(partitionDir, readdirSync(partitionDir).find((f) => f.endsWith('.log'))!);
    const fd = openSync(segment, 'r+');
    try {
      const header = Buffer.alloc(12);
      readSync(fd, header, 0, 12, 0);
      const secondBatchAt = 12 + header.readInt32BE(8);
      const target = secondBatchAt + 61 + 7; // inside the value of its first record
      const byte = Buffer.alloc(1);
      readSync(fd, byte, 0, 1, target);
      byte[0] = byte[0]! ^ 0xff;
      writeSync(fd, byte, 0, 1, target);
    } finally {
      closeSync(fd);
    }

    const checked = consumer();
    checked.assign([{ topic, partition: 0 }]);
    const first = await pollUntil(checked, 10);
    expect(first.map((r) => r.value)).toEqual(values('a', 0, 10));
    const error = await checked.poll({ timeoutMs: 10_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CorruptRecordError);
    expect((error as CorruptRecordError).offset).toBe(10n);
    expect((error as CorruptRecordError).partition).toBe(0);
    // It is raised again, never skipped, until the application seeks past the batch.
    await expect(checked.poll({ timeoutMs: 1000 })).rejects.toBeInstanceOf(CorruptRecordError);
    expect(await checked.position({ topic, partition: 0 })).toBe(10n);
    checked.seek({ topic, partition: 0 }, 20n);
    expect((await pollUntil(checked, 10)).map((r) => r.value)).toEqual(values('c', 0, 10));

    // With checkCrcs off the batch decodes (the flipped byte is inside a value).
    const unchecked = consumer({ checkCrcs: false });
    unchecked.assign([{ topic, partition: 0 }]);
    expect(await pollUntil(unchecked, 30)).toHaveLength(30);
  });
});
