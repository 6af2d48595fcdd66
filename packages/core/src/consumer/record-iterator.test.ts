import { from, toArray } from 'ix/asynciterable';
import { filter, take } from 'ix/asynciterable/operators';
import { describe, expect, it } from 'vitest';
import { fakeBatch, fakeFetched } from '../../test/consumer/support/fake-batches.js';
import { InvalidArgumentError } from '../errors/client-errors.js';
import type { KafkaError } from '../errors/kafka-error.js';
import { silentLogger } from '../utils/logger.js';
import { MaxPollIntervalExceededError } from './consumer-errors.js';
import type { ConsumerRecord } from './consumer-record.js';
import { bufferDeserializer } from './deserializers.js';
import { FetchBuffer } from './fetch-buffer.js';
import { PartitionEvents } from './partition-events.js';
import { PartitionState } from './partition-state.js';
import { createRecordConverter } from './record-converter.js';
import { RecordDelivery } from './record-delivery.js';
import { BatchIterator, type IteratorHost, RecordIterator } from './record-iterator.js';

type Rec = ConsumerRecord<Buffer | null, Buffer | null>;

function setup(options: { commitFails?: KafkaError } = {}) {
  const partitionEvents = new PartitionEvents();
  const buffer = new FetchBuffer(
    { maxBytes: 1e9, maxRecords: 1e9, partitionBytes: 1e9 },
    { events: partitionEvents, isDeliverable: (s: PartitionState) => !s.revoking },
  );
  const events: string[] = [];
  const delivery = new RecordDelivery<Rec>(
    buffer,
    partitionEvents,
    createRecordConverter(bufferDeserializer, bufferDeserializer),
    { onRead: () => events.push('read'), onIdle: () => events.push('idle') },
  );
  const state = new PartitionState('t', 0, partitionEvents);
  state.seek(0n, undefined);
  const commits: Array<bigint | undefined> = [];
  const host: IteratorHost<Rec> = {
    delivery,
    maxPollRecords: 3,
    logger: silentLogger,
    commitOnExit: async () => {
      commits.push(state.ackedOffset);
      events.push('commit-on-exit');
    },
    commitAcknowledged: async () => {
      if (options.commitFails) throw options.commitFails;
      commits.push(state.ackedOffset);
      events.push('commit');
    },
  };
  let next = 0n;
  const produce = (count: number) => {
    buffer.append(state, fakeFetched([fakeBatch(next, count)]));
    next += BigInt(count);
  };
  return { buffer, delivery, state, host, commits, events, produce };
}

describe('RecordIterator', () => {
  it('yields buffered records from already-resolved promises, in order', async () => {
    const { host, produce } = setup();
    produce(3);
    const iterator = new RecordIterator(host, {});
    let seen: IteratorResult<Rec> | undefined;
    void iterator.next().then((r) => {
      seen = r;
    });
    await Promise.resolve();
    expect(seen?.done).toBe(false);
    expect(seen?.value.offset).toBe(0n);
    expect((await iterator.next()).value?.offset).toBe(1n);
    await iterator.return();
  });

  it('break: stops reading, commits up to the last completed record, not the one in hand', async () => {
    const { host, produce, commits, events, state } = setup();
    produce(5);
    const seen: bigint[] = [];
    for await (const record of new RecordIterator(host, {})) {
      seen.push(record.offset);
      if (record.offset === 2n) break;
    }
    expect(seen).toEqual([0n, 1n, 2n]);
    // Record 2 was in the loop body when it exited: offsets 0 and 1 are processed, so 2 is committed as the next.
    expect(commits).toEqual([2n]);
    expect(events.filter((e) => e !== 'read')).toEqual(['idle', 'commit-on-exit']);
    expect(state.position).toBe(3n);
  });

  it('an exception in the loop body ends the loop the same way and does not commit the failing record', async () => {
    const { host, produce, commits } = setup();
    produce(5);
    await expect(async () => {
      for await (const record of new RecordIterator(host, {})) {
        if (record.offset === 1n) throw new Error('processing failed');
      }
    }).rejects.toThrow('processing failed');
    expect(commits).toEqual([1n]);
  });

  it('an AbortSignal ends a loop that is waiting for records', async () => {
    const { host, produce, commits, events } = setup();
    produce(1);
    const controller = new AbortController();
    const seen: bigint[] = [];
    const loop = (async () => {
      for await (const record of new RecordIterator(host, { signal: controller.signal })) seen.push(record.offset);
    })();
    await waitFor(() => seen.length === 1 && events.at(-1) === 'read');
    controller.abort();
    await loop;
    expect(seen).toEqual([0n]);
    // Record 0 was completed (the loop came back for the next one), so it is committed.
    expect(commits).toEqual([1n]);
  });

  it('an AbortSignal ends the iteration even when no next() is pending (an operator that stopped pulling)', async () => {
    const { host, produce, commits, events, state } = setup();
    produce(3);
    const controller = new AbortController();
    const iterator = new RecordIterator(host, { signal: controller.signal, mode: 'manual' });
    const first = await iterator.next();
    state.acknowledgeOffset(first.value!.offset + 1n, first.value!.leaderEpoch);
    await iterator.next(); // in hand, not acknowledged
    controller.abort();
    await waitFor(() => events.includes('commit-on-exit'));
    expect(commits).toEqual([1n]);
    expect(events).toContain('idle'); // the reader was released: fetching ahead stops, another reader may start
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('return() while next() waits resolves the pending next() as done', async () => {
    const { host } = setup();
    const iterator = new RecordIterator(host, {});
    const pending = iterator.next();
    await iterator.return();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('Symbol.asyncDispose ends the iteration', async () => {
    const { host, produce, commits } = setup();
    produce(2);
    {
      await using iterator = new RecordIterator(host, {});
      await iterator.next();
      await iterator.next();
    }
    expect(commits).toEqual([1n]);
  });

  it('closing the consumer ends a waiting loop', async () => {
    const { host, delivery } = setup();
    const iterator = new RecordIterator(host, {});
    const pending = iterator.next();
    delivery.close();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });

  it('an error raised by the consumer rejects next() once and ends the iteration', async () => {
    const { host, delivery, commits } = setup();
    const iterator = new RecordIterator(host, {});
    const pending = iterator.next();
    const error = new MaxPollIntervalExceededError('too slow');
    delivery.raise(error);
    await expect(pending).rejects.toBe(error);
    expect(commits).toHaveLength(1);
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('allows one reader at a time', async () => {
    const { host, produce } = setup();
    produce(2);
    const first = new RecordIterator(host, {});
    await first.next();
    const second = new RecordIterator(host, {});
    await expect(second.next()).rejects.toBeInstanceOf(InvalidArgumentError);
    await first.return();
    const third = new RecordIterator(host, {});
    expect((await third.next()).value?.offset).toBe(1n);
    await third.return();
  });

  it('at-most-once commits each chunk before handing out its first record', async () => {
    const { host, produce, commits, events } = setup();
    produce(5);
    const iterator = new RecordIterator(host, { mode: 'at-most-once' });
    expect((await iterator.next()).value?.offset).toBe(0n);
    // maxPollRecords is 3: records 0..2 were committed before record 0 was yielded.
    expect(commits).toEqual([3n]);
    await iterator.next();
    await iterator.next();
    expect(events.filter((e) => e === 'commit')).toHaveLength(1);
    expect((await iterator.next()).value?.offset).toBe(3n);
    expect(commits).toEqual([3n, 5n]);
    await iterator.return();
  });

  it('at-most-once ends the iteration when the commit fails', async () => {
    const failure = new MaxPollIntervalExceededError('fenced');
    const { host, produce } = setup({ commitFails: failure });
    produce(2);
    const iterator = new RecordIterator(host, { mode: 'at-most-once' });
    await expect(iterator.next()).rejects.toBe(failure);
  });

  it('manual mode acknowledges only what the application acknowledges', async () => {
    const { host, produce, commits, state } = setup();
    produce(4);
    const iterator = new RecordIterator(host, { mode: 'manual' });
    const a = (await iterator.next()).value!;
    await iterator.next();
    await iterator.next();
    state.acknowledgeOffset(a.offset + 1n, a.leaderEpoch);
    await iterator.return();
    expect(commits).toEqual([1n]);
  });

  it('works with ix operators, which end it through return()', async () => {
    const { host, produce, commits } = setup();
    produce(10);
    const odd = await toArray(
      from(new RecordIterator(host, {})).pipe(
        filter((r) => r.offset % 2n === 1n),
        take(2),
      ),
    );
    expect(odd.map((r) => r.offset)).toEqual([1n, 3n]);
    expect(commits).toHaveLength(1);
  });
});

describe('BatchIterator', () => {
  it('yields batches of up to maxRecords, acknowledging the previous batch on next()', async () => {
    const { host, produce, state } = setup();
    produce(5);
    const iterator = new BatchIterator(host, { maxRecords: 2 });
    const first = (await iterator.next()).value!;
    expect([...first].map((r) => r.offset)).toEqual([0n, 1n]);
    expect(state.ackedOffset).toBe(0n);
    const second = (await iterator.next()).value!;
    expect([...second].map((r) => r.offset)).toEqual([2n, 3n]);
    expect(state.ackedOffset).toBe(2n);
    await iterator.return();
  });

  it('waits up to maxWaitMs to fill a batch, and never yields an empty one', async () => {
    const { host, produce } = setup();
    const iterator = new BatchIterator(host, { maxRecords: 4, maxWaitMs: 50 });
    const pending = iterator.next();
    produce(1);
    setTimeout(() => produce(3), 5);
    const batch = (await pending).value!;
    expect(batch.count).toBe(4);
    const started = Date.now();
    produce(1);
    const small = (await iterator.next()).value!;
    expect(small.count).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    await iterator.return();
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
