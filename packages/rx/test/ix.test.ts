import { Consumer, deserializers, metricValue } from '@vltava/core';
import { uniqueName } from '@vltava/kafka-harness/vitest';
import { from } from 'ix/asynciterable';
import { bufferCountOrTime, filter, map } from 'ix/asynciterable/operators';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { TopicWriter, waitFor } from './support/topic-writer.js';

const brokers = inject('kafkaBootstrap');

const RECORDS = 20_000;
const BATCH = 50;

/**
 * The core consumer's async iterator with IxJS operators (`filter`, `map`, `bufferCountOrTime`): ix pulls, so a
 * slow loop body holds back the whole chain (the consumer's own read-ahead stays within its prefetch bounds).
 * The iterator in `manual` mode acknowledges what the loop body finished, so records the operators pulled ahead of
 * the body are not committed.
 */
describe('IxJS operators over the consumer', () => {
  const producer = new TopicWriter(brokers);
  afterAll(() => producer.close());

  it('filter, map and bufferCountOrTime keep order, hold backpressure, and end the consumer loop cleanly', async ({
    annotate,
  }) => {
    const topic = uniqueName('rx-ix');
    const groupId = uniqueName('g');
    await producer.createTopic(topic, 1);
    await producer.sendMany(topic, 0, RECORDS);
    const consumer = new Consumer({
      brokers,
      groupId,
      autoOffsetReset: 'earliest',
      valueDeserializer: deserializers.string,
      // Only the commit made when the iteration ends may commit within this test.
      autoCommitIntervalMs: 600_000,
      logLevel: 'error',
    });
    consumer.subscribe([topic]);

    // bufferCountOrTime (built on ix's merge) does not pass `return()` on to its source when the loop breaks, so the
    // consumer's iterator is ended through its signal instead.
    const stop = new AbortController();
    const batches = from(consumer.records({ mode: 'manual', signal: stop.signal })).pipe(
      filter((record) => record.offset % 2n === 0n),
      map((record) => ({ record, n: Number(record.value!.slice(2)) })),
      bufferCountOrTime(BATCH, 100),
    );
    const seen: number[] = [];
    let maxAhead = 0;
    let lastAcked = -1n;
    try {
      for await (const batch of batches) {
        // The body is slow (2 ms of asynchronous work per batch): the operators must not run ahead of it.
        await new Promise((resolve) => setTimeout(resolve, 2));
        for (const { n } of batch) seen.push(n);
        const last = batch.at(-1)!.record;
        consumer.acknowledge(last);
        lastAcked = last.offset;
        // Records the consumer handed to the operator chain beyond those the body has finished, measured after the
        // body's asynchronous work: anything the chain pulled meanwhile would show here.
        maxAhead = Math.max(
          maxAhead,
          metricValue(consumer.metrics(), 'vltava_consumer_records_consumed_total')! - Number(last.offset + 1n),
        );
        if (seen.length >= RECORDS / 4) break;
      }
    } finally {
      stop.abort();
    }
    await annotate(
      `read ${seen.length} even records in batches of ${BATCH}; the chain ran at most ${maxAhead} records ahead of ` +
        `the body after its work`,
    );
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => 2 * i));
    expect(seen.length).toBeGreaterThanOrEqual(RECORDS / 4);
    // Nothing is pulled while the body works: at most the odd record `filter` skipped and the one `merge` (inside
    // bufferCountOrTime) asked for, never a batch ahead.
    expect(maxAhead).toBeLessThanOrEqual(2);

    // The loop ended the ix chain and, through the signal, the consumer's iterator: the records acknowledged by the
    // body (and only those) were committed on the way out, and a new reader may start.
    let committed: bigint | null = null;
    await waitFor(
      async () => {
        committed = (await consumer.committed([{ topic, partition: 0 }]))[0]!.offset;
        return committed !== null;
      },
      'the commit made when the iteration ended',
      2000,
    );
    expect(committed).toBe(lastAcked + 1n);
    const next = await consumer.records({ mode: 'manual' }).next();
    expect(next.done).toBe(false);
    await consumer.close();
  });
});
