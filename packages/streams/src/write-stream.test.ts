import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FakeProducer, settle, until } from '@vltava/client-fakes';
import { InvalidArgumentError, RecordTooLargeError } from '@vltava/core';
import { describe, expect, it } from 'vitest';
import { createWriteStream } from './write-stream.js';

type Outcome = 'ok' | Error;
const outcome = (list: Outcome[]) => (error: Error | null | undefined) => list.push(error ?? 'ok');

describe('createWriteStream', () => {
  it('calls each writer back once the broker acknowledged its record; several batches are in flight at once', async () => {
    const producer = new FakeProducer<string, string>();
    producer.autoAck = false;
    const stream = createWriteStream(producer, { topic: 'out' });
    const acked: number[] = [];
    for (let i = 0; i < 3; i++) stream.write(`v${i}`, () => acked.push(i));
    await settle();
    expect(producer.batchSizes).toEqual([3]); // one batch for the writes of one tick
    expect(producer.lingered).toEqual([true]); // handed over with { linger: true }: the producer gathers trickles
    for (let i = 3; i < 5; i++) stream.write(`v${i}`, () => acked.push(i));
    await settle();
    expect(producer.batchSizes).toEqual([3, 2]); // handed over without waiting for the first batch's acknowledgement
    expect(acked).toEqual([]);
    producer.ackAll();
    await until(() => acked.length === 5, 'every acknowledgement');
    expect(acked).toEqual([0, 1, 2, 3, 4]);
    expect(producer.written.map((r) => [r.topic, r.value])).toEqual(
      Array.from({ length: 5 }, (_, i) => ['out', `v${i}`]),
    );
    expect(stream.acknowledged).toBe(5);
    expect(producer.flushes).toBe(0); // nothing waited at maxInFlight: the producer's linger was left to work
  });

  it('a trickle of one chunk per tick is handed over as it comes and left to the producer to batch (no flush)', async () => {
    const producer = new FakeProducer<string, string>();
    producer.ack = () => ({ delay: 20 });
    const stream = createWriteStream(producer, { topic: 'out' });
    const acked: Outcome[] = [];
    for (let i = 0; i < 10; i++) {
      stream.write(`v${i}`, outcome(acked));
      await settle();
    }
    expect(producer.batchSizes).toEqual(Array.from({ length: 10 }, () => 1));
    expect(producer.flushes).toBe(0);
    stream.end();
    await new Promise((resolve) => stream.on('finish', resolve));
    expect(producer.flushes).toBe(1); // the end flushes
    expect(acked).toEqual(Array.from({ length: 10 }, () => 'ok'));
  });

  it('bounds the records in flight by maxInFlight: a batch waits (the producer flushed meanwhile), write() returns false', async () => {
    const producer = new FakeProducer<string, string>();
    producer.autoAck = false;
    const stream = createWriteStream(producer, { topic: 'out' }, { maxInFlight: 3, highWaterMark: 2 });
    const writes = ['a', 'b', 'c', 'd', 'e'].map((v) => stream.write(v));
    expect(writes).toEqual([true, false, false, false, false]);
    await until(() => producer.batchSizes.length === 1, 'the first batch');
    expect(producer.batchSizes).toEqual([5]); // a batch larger than maxInFlight goes alone
    stream.write('f');
    await settle();
    expect(producer.batchSizes).toEqual([5]); // waits for room
    expect(producer.flushes).toBe(1); // and flushes: nothing more can join the producer's batches
    producer.ackAll();
    await until(() => producer.batchSizes.length === 2, 'the next batch');
    producer.ackAll();
    await until(() => producer.written.length === 6, 'every record');
  });

  it('loads the metadata of each topic once, before its first batch', async () => {
    const producer = new FakeProducer<string, string>();
    await pipeline(
      Readable.from([1, 2, 3, 4, 5]),
      createWriteStream(producer, (n: number) => ({ topic: n % 2 === 0 ? 'even' : 'odd', value: String(n) })),
    );
    expect(producer.metadataAsked.sort()).toEqual(['even', 'odd']);
    expect(producer.written).toHaveLength(5);
  });

  it('maps a chunk to a record, several, or none', async () => {
    const producer = new FakeProducer<string, string>();
    await pipeline(
      Readable.from([1, 2, 3, 4]),
      createWriteStream(producer, (n: number) =>
        n % 2 === 0
          ? [
              { topic: 'even', value: String(n) },
              { topic: 'copy', value: String(n) },
            ]
          : null,
      ),
    );
    expect(producer.written.map((r) => `${r.topic}:${r.value}`)).toEqual(['even:2', 'copy:2', 'even:4', 'copy:4']);
  });

  it('waits for room in the producer buffer instead of failing: write() returns false meanwhile', async () => {
    const producer = new FakeProducer<string, string>();
    producer.bufferFull = true;
    const stream = createWriteStream(producer, { topic: 'out' }, { highWaterMark: 3 });
    const results = ['1', '2', '3', '4'].map((v) => stream.write(v));
    expect(results).toEqual([true, true, false, false]);
    await settle();
    expect(producer.batchSizes).toEqual([]);
    producer.bufferFull = false;
    await new Promise((resolve) => stream.once('drain', resolve));
    await until(() => producer.written.length === 4, 'every record');
  });

  it('fails the stream with the first typed delivery error; each writer gets its own record outcome', async () => {
    const producer = new FakeProducer<string, string>();
    producer.ack = (r) => (r.value === 'big' ? { error: new RecordTooLargeError('too large', { topic: 'out' }) } : {});
    const outcomes: Outcome[] = [];
    const stream = createWriteStream(producer, { topic: 'out' });
    const failed = new Promise((_, reject) => stream.on('error', reject));
    stream.write('a', outcome(outcomes));
    stream.write('big', outcome(outcomes));
    stream.write('c', outcome(outcomes));
    await expect(failed).rejects.toThrow(RecordTooLargeError);
    await until(() => outcomes.length === 3, 'every outcome');
    expect(outcomes[0]).toBe('ok');
    expect(outcomes[1]).toBeInstanceOf(RecordTooLargeError);
    expect(outcomes[2]).toBe('ok'); // its own record was written
    expect(stream.deliveryError).toBeInstanceOf(RecordTooLargeError);
  });

  it('end() flushes and finishes after every acknowledgement; closeProducer closes it', async () => {
    const producer = new FakeProducer<string, string>();
    producer.ack = () => ({ delay: 10 });
    const stream = createWriteStream(producer, { topic: 'out' }, { closeProducer: true });
    await pipeline(Readable.from(['a', 'b']), stream);
    expect(producer.calls.slice(-2)).toEqual(['flush', 'close']);
    expect(producer.unacknowledged).toBe(0);
    expect(producer.written).toHaveLength(2);
  });

  it('destroy() lets the batches in flight settle: their callbacks get their real outcome', async () => {
    const producer = new FakeProducer<string, string>();
    producer.autoAck = false;
    const stream = createWriteStream(producer, { topic: 'out' }, { maxInFlight: 1 });
    const outcomes: string[] = [];
    const record = (error: Error | null | undefined) =>
      outcomes.push(error ? (error as unknown as { code: string }).code : 'acknowledged');
    stream.write('in flight', record);
    await settle();
    stream.write('waiting', record); // taken by _write, waits for room: maxInFlight is 1
    await settle();
    stream.write('buffered', record); // in the stream's own buffer
    const closed = new Promise((resolve) => stream.on('close', resolve));
    stream.destroy();
    await settle();
    // The chunks never handed over are not sent, and their writers are told with a typed ClientClosedError (the one
    // waiting for room, and the one in the stream's buffer, which Node fails with the same error).
    // The record in flight is not reported as lost: it waits for its real outcome.
    expect(outcomes).toEqual(['ERR_CLOSED', 'ERR_CLOSED']);
    producer.ackAll();
    await closed;
    expect(outcomes).toHaveLength(3);
    expect(outcomes[2]).toBe('acknowledged');
    expect(producer.written.map((r) => r.value)).toEqual(['in flight']);
  });

  it('fails a mapping that throws with InvalidArgumentError, and refuses a bad target', async () => {
    await expect(
      pipeline(
        Readable.from([1]),
        createWriteStream(new FakeProducer(), () => {
          throw new Error('boom');
        }),
      ),
    ).rejects.toThrow(InvalidArgumentError);
    expect(() => createWriteStream(new FakeProducer(), { topic: '' })).toThrow(InvalidArgumentError);
  });
});
