import { Consumer, deserializers, Producer } from '@vltava/core';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { firstValueFrom, map, take } from 'rxjs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { commitOffsets, fromConsumer, sendTo } from '../src/index.js';
import { producerMetric, untilCommitted } from './support/kafka-figures.js';
import { groupConsumerOptions, TopicWriter } from './support/topic-writer.js';

const brokers = inject('kafkaBootstrap');
const PARTITIONS = 4;
const PER_PARTITION = 25_000;

/**
 * fromConsumer -> map -> sendTo -> commitOffsets moves 100,000 records from one topic to another: every record
 * arrives, in order per partition, and the group's offsets end at the end of the source topic.
 */
describe('a consume-transform-produce pipeline', () => {
  const writer = new TopicWriter(brokers);
  afterAll(() => writer.close());

  it('moves 100,000 records: all arrive, in order per partition, offsets end at the end of the source', async ({
    annotate,
  }) => {
    const source = uniqueName('rx-src');
    const target = uniqueName('rx-dst');
    const groupId = uniqueName('g');
    await writer.createTopic(source, PARTITIONS);
    await writer.createTopic(target, PARTITIONS);
    for (let p = 0; p < PARTITIONS; p++) await writer.sendMany(source, p, PER_PARTITION, `p${p}`, 5000);

    const producer = new Producer<string, string>({ brokers, logLevel: 'error' });
    const started = Date.now();
    await firstValueFrom(
      fromConsumer(() => new Consumer(groupConsumerOptions(brokers, groupId)), {
        topics: [source],
        highWaterMark: 5000,
      }).pipe(
        map((message) => ({ message, value: message.record.value!.toUpperCase() })),
        sendTo(producer, ({ message, value }) => ({
          topic: target,
          partition: message.partition,
          key: message.record.key,
          value,
        })),
        commitOffsets({ maxBatch: 2000, maxIntervalMs: 500, message: (result) => result.source.message }),
        untilCommitted(
          Array.from({ length: PARTITIONS }, (_, p) => `${source}:${p}`),
          BigInt(PER_PARTITION),
        ),
        take(1),
      ),
    );
    const elapsedMs = Date.now() - started;
    const requests = producerMetric(producer, 'vltava_producer_requests_total');
    const sent = producerMetric(producer, 'vltava_producer_records_sent_total');
    await producer.close();

    // Every record arrived, in order per partition.
    const reader = new Consumer({
      brokers,
      keyDeserializer: deserializers.string,
      valueDeserializer: deserializers.string,
      logLevel: 'error',
    });
    const partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: target, partition }));
    reader.assign(partitions);
    reader.seekToBeginning();
    const arrived = new Map<number, string[]>(partitions.map((tp) => [tp.partition, []]));
    let count = 0;
    for await (const record of reader.records({ signal: AbortSignal.timeout(60_000) })) {
      arrived.get(record.partition)!.push(record.value!);
      if (++count === PARTITIONS * PER_PARTITION) break;
    }
    expect(count).toBe(PARTITIONS * PER_PARTITION);
    for (let p = 0; p < PARTITIONS; p++) {
      const values = arrived.get(p)!;
      expect(values.length).toBe(PER_PARTITION);
      expect(values.every((v, i) => v === `P${p}-${i}`)).toBe(true);
    }
    const ends = await reader.endOffsets(partitions);
    expect(ends.map((e) => e.offset)).toEqual(partitions.map(() => BigInt(PER_PARTITION))); // nothing extra
    await reader.close();

    // The group's offsets are at the end of the source topic.
    const check = new Consumer({ brokers, groupId, logLevel: 'error' });
    const sourcePartitions = partitions.map((tp) => ({ topic: source, partition: tp.partition }));
    const committed = await check.committed(sourcePartitions);
    const sourceEnds = await check.endOffsets(sourcePartitions);
    expect(committed.map((c) => c.offset)).toEqual(sourceEnds.map((e) => e.offset));
    await check.close();

    await annotate(
      `100,000 records moved in ${elapsedMs} ms (${Math.round(100_000 / (elapsedMs / 1000))} records/s); ` +
        `${sent} records in ${requests} produce requests`,
    );
    expect(sent).toBe(PARTITIONS * PER_PARTITION);
    // Batched: far fewer produce requests than records.
    expect(requests).toBeLessThan(sent / 20);
  });
});
