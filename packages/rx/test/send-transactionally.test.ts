import { Consumer, deserializers, Producer } from '@vltava/core';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { defer, filter, firstValueFrom, retry, scan } from 'rxjs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { fromConsumer, sendTransactionally } from '../src/index.js';
import { TopicWriter } from './support/topic-writer.js';

const brokers = inject('kafkaBootstrap');
const PARTITIONS = 2;
const PER_PARTITION = 5000;

/**
 * Consume-transform-produce in transactions: a batch fails half-way (the mapper throws), its transaction is aborted,
 * `retry()` starts a fresh consumer from the last committed transaction, and a `read_committed` reader of the output
 * sees every result exactly once, in order; the group's offsets end at the end of the input.
 */
describe('sendTransactionally against the broker', () => {
  const writer = new TopicWriter(brokers);
  afterAll(() => writer.close());

  it('produces each result exactly once through an aborted batch and a retry', async ({ annotate }) => {
    const input = uniqueName('rx-tx-in');
    const output = uniqueName('rx-tx-out');
    const groupId = uniqueName('g');
    await writer.createTopic(input, PARTITIONS);
    await writer.createTopic(output, PARTITIONS);
    for (let p = 0; p < PARTITIONS; p++) await writer.sendMany(input, p, PER_PARTITION, `p${p}`);

    const producer = new Producer<string, string>({ brokers, transactionalId: uniqueName('tx'), logLevel: 'error' });
    await producer.initTransactions();
    let failOnce = true;
    let attempts = 0;
    const started = Date.now();
    const total = PARTITIONS * PER_PARTITION;
    await firstValueFrom(
      defer(() => {
        attempts++;
        const consumer = new Consumer({
          brokers,
          groupId,
          autoOffsetReset: 'earliest',
          enableAutoCommit: false,
          isolationLevel: 'read_committed',
          keyDeserializer: deserializers.string,
          valueDeserializer: deserializers.string,
          logLevel: 'error',
        });
        return fromConsumer(consumer, { topics: [input], closeConsumer: true }).pipe(
          sendTransactionally(
            producer,
            consumer,
            (message) => {
              if (failOnce && message.partition === 1 && message.offset === 3210n) {
                failOnce = false;
                throw new Error('transform failed'); // mid-batch: records of the batch were already sent
              }
              return {
                topic: output,
                partition: message.partition,
                key: message.record.key,
                value: message.record.value!.toUpperCase(),
              };
            },
            { maxBatch: 500, maxIntervalMs: 100 },
          ),
        );
      }).pipe(
        retry(1),
        scan((committed, transaction) => committed + transaction.messages, 0),
        filter((committed) => committed >= total),
      ),
      { defaultValue: 0 },
    );
    const elapsedMs = Date.now() - started;
    expect(attempts).toBe(2);

    // The output, as a read_committed consumer sees it: each result once, in order.
    const reader = new Consumer({
      brokers,
      isolationLevel: 'read_committed',
      valueDeserializer: deserializers.string,
      logLevel: 'error',
    });
    const partitions = Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: output, partition }));
    reader.assign(partitions);
    reader.seekToBeginning();
    const seen = new Map<number, string[]>(partitions.map((tp) => [tp.partition, []]));
    let count = 0;
    for await (const record of reader.records({ signal: AbortSignal.timeout(30_000) })) {
      seen.get(record.partition)!.push(record.value!);
      if (++count === total) break;
    }
    for (let p = 0; p < PARTITIONS; p++) {
      expect(seen.get(p)).toEqual(Array.from({ length: PER_PARTITION }, (_, i) => `P${p}-${i}`));
    }
    // Nothing beyond: the aborted batch's records are in the log but never visible to read_committed.
    const lastStable = await reader.endOffsets(partitions);
    const ends = lastStable.map((e) => e.offset);
    await reader.close();

    const check = new Consumer({ brokers, groupId, logLevel: 'error' });
    const committed = await check.committed(partitions.map((tp) => ({ topic: input, partition: tp.partition })));
    expect(committed.map((c) => c.offset)).toEqual(partitions.map(() => BigInt(PER_PARTITION)));
    await check.close();
    await producer.close();
    await annotate(
      `${total} records in ${elapsedMs} ms through one aborted batch and a retry; output log ends at ` +
        `${ends.join(', ')} (results plus the aborted batch and transaction markers)`,
    );
  });
});
