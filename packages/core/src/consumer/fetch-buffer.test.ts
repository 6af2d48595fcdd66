import { describe, expect, it } from 'vitest';
import { fakeBatch, fakeFetched } from '../../test/consumer/support/fake-batches.js';
import { CorruptRecordError } from '../errors/client-errors.js';
import type { DecodedRecord } from '../protocol/records/record.js';
import { FetchBuffer } from './fetch-buffer.js';
import { PartitionEvents } from './partition-events.js';
import { PartitionState } from './partition-state.js';

const offsetOf = (r: DecodedRecord) => r.offset;

function setup(limits = { maxBytes: 1_000_000, maxRecords: 1_000_000, partitionBytes: 100_000 }) {
  const paused = new Set<string>();
  let rooms = 0;
  const events = new PartitionEvents();
  const buffer = new FetchBuffer(limits, {
    events,
    isDeliverable: (s: PartitionState) => !paused.has(s.key) && !s.revoking,
  });
  buffer.room.on(() => rooms++);
  const state = (topic: string, partition: number, offset = 0n) => {
    const s = new PartitionState(topic, partition, events);
    s.seek(offset, undefined);
    return s;
  };
  return { buffer, paused, state, rooms: () => rooms };
}

describe('FetchBuffer', () => {
  it('delivers records of one partition in offset order and moves the position past each batch', () => {
    const { buffer, state } = setup();
    const p = state('t', 0);
    buffer.append(p, fakeFetched([fakeBatch(0n, 3), fakeBatch(3n, 2)]));
    const got: bigint[] = [];
    for (let r = buffer.takeRecord(offsetOf); r !== undefined; r = buffer.takeRecord(offsetOf)) got.push(r);
    expect(got).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(p.position).toBe(5n);
    expect(buffer.bytes).toBe(0);
    expect(buffer.records).toBe(0);
  });

  it('skips records below the fetch offset in the first batch', () => {
    const { buffer, state } = setup();
    const p = state('t', 0, 2n);
    const fetched = fakeFetched([fakeBatch(0n, 5)]);
    (fetched.entries[0] as { skipBelow: bigint }).skipBelow = 2n;
    buffer.append(p, fetched);
    expect(buffer.take(10, offsetOf)[0]!.records).toEqual([2n, 3n, 4n]);
  });

  it('takes turns between partitions a batch at a time, and never hands out a paused partition', () => {
    const { buffer, paused, state } = setup();
    const a = state('t', 0);
    const b = state('t', 1);
    buffer.append(a, fakeFetched([fakeBatch(0n, 2, { partition: 0 }), fakeBatch(2n, 2, { partition: 0 })]));
    buffer.append(b, fakeFetched([fakeBatch(0n, 2, { partition: 1 }), fakeBatch(2n, 2, { partition: 1 })]));
    const order: string[] = [];
    const take = () => buffer.takeRecord((r) => `${r.partition}@${r.offset}`);
    for (let i = 0; i < 4; i++) order.push(take()!);
    expect(order).toEqual(['0@0', '0@1', '1@0', '1@1']);
    paused.add(a.key);
    expect(take()).toBe('1@2');
    expect(take()).toBe('1@3');
    expect(take()).toBeUndefined();
    expect(buffer.hasDeliverable()).toBe(false);
    paused.delete(a.key);
    expect(buffer.hasDeliverable()).toBe(true);
    expect(take()).toBe('0@2');
  });

  it('take() groups by partition and honours max', () => {
    const { buffer, state } = setup();
    const a = state('t', 0);
    const b = state('t', 1);
    buffer.append(a, fakeFetched([fakeBatch(0n, 3, { partition: 0 })]));
    buffer.append(b, fakeFetched([fakeBatch(10n, 3, { partition: 1 })]));
    const first = buffer.take(4, offsetOf);
    expect(first.map((t) => [t.state.partition, t.records])).toEqual([
      [0, [0n, 1n, 2n]],
      [1, [10n]],
    ]);
    expect(a.position).toBe(3n);
    expect(b.position).toBe(11n);
    const second = buffer.take(10, offsetOf);
    expect(second.map((t) => [t.state.partition, t.records])).toEqual([[1, [11n, 12n]]]);
  });

  it('stops fetching a partition whose buffer is full and asks for more once it is drained', async () => {
    const { buffer, state, rooms } = setup({ maxBytes: 1_000_000, maxRecords: 1_000_000, partitionBytes: 1000 });
    const p = state('t', 0);
    expect(buffer.canFetch(p)).toBe(true);
    buffer.append(p, fakeFetched([fakeBatch(0n, 20, { valueSize: 20 }), fakeBatch(20n, 20, { valueSize: 20 })]));
    expect(buffer.bufferedBytes(p)).toBeGreaterThanOrEqual(1000);
    expect(buffer.canFetch(p)).toBe(false);
    for (let i = 0; i < 20; i++) buffer.takeRecord(offsetOf);
    await Promise.resolve();
    expect(rooms()).toBeGreaterThan(0);
    expect(buffer.canFetch(p)).toBe(true);
  });

  it('bounds the whole buffer by bytes and records', () => {
    const { buffer, state } = setup({ maxBytes: 10_000, maxRecords: 30, partitionBytes: 1_000_000 });
    const a = state('t', 0);
    const b = state('t', 1);
    buffer.append(a, fakeFetched([fakeBatch(0n, 30)]));
    expect(buffer.full).toBe(true);
    expect(buffer.roomBytes()).toBe(0);
    expect(buffer.canFetch(b)).toBe(false);
    for (let i = 0; i < 30; i++) buffer.takeRecord(offsetOf);
    expect(buffer.full).toBe(false);
    expect(buffer.roomBytes()).toBe(10_000);
  });

  it('raises a corrupt batch after the records before it, and again until the partition is sought', () => {
    const { buffer, state } = setup();
    const p = state('t', 0);
    const corrupt = new CorruptRecordError('bad crc', { offset: 2n });
    buffer.append(p, fakeFetched([fakeBatch(0n, 2), fakeBatch(2n, 2, { corrupt })]));
    expect(buffer.takeRecord(offsetOf)).toBe(0n);
    expect(buffer.takeRecord(offsetOf)).toBe(1n);
    expect(() => buffer.takeRecord(offsetOf)).toThrow(corrupt);
    expect(() => buffer.take(5, offsetOf)).toThrow(corrupt);
    expect(p.position).toBe(2n);
    expect(buffer.canFetch(p)).toBe(false);
    buffer.discard(p);
    expect(buffer.takeRecord(offsetOf)).toBeUndefined();
    expect(buffer.canFetch(p)).toBe(true);
  });

  it('returns records taken before a failing conversion and raises the failure on the next call', () => {
    const { buffer, state } = setup();
    const p = state('t', 0);
    buffer.append(p, fakeFetched([fakeBatch(0n, 4)]));
    const failing = (r: DecodedRecord) => {
      if (r.offset === 2n) throw new Error('cannot deserialize');
      return r.offset;
    };
    expect(buffer.take(10, failing)[0]!.records).toEqual([0n, 1n]);
    expect(p.position).toBe(2n);
    expect(() => buffer.take(10, failing)).toThrow('cannot deserialize');
    expect(() => buffer.takeRecord(failing)).toThrow('cannot deserialize');
    expect(p.position).toBe(2n);
  });

  it('discard releases the accounting of a partition', () => {
    const { buffer, state } = setup();
    const p = state('t', 0);
    buffer.append(p, fakeFetched([fakeBatch(0n, 10)]));
    expect(buffer.records).toBe(10);
    buffer.discard(p);
    expect(buffer.records).toBe(0);
    expect(buffer.bytes).toBe(0);
    expect(buffer.hasDeliverable()).toBe(false);
  });

  it('advances the position past batches with nothing to deliver', () => {
    const { buffer, state } = setup();
    const p = state('t', 0);
    const fetched = fakeFetched([fakeBatch(0n, 2)]);
    fetched.entries[0]!.nextOffset = 3n; // a control record at offset 2 followed
    buffer.append(p, fetched);
    buffer.take(10, offsetOf);
    expect(p.position).toBe(3n);
  });
});
