import { describe, expect, it } from 'vitest';
import type { DecodedRecord } from '../../protocol/records/record.js';
import { type ShareChunk, ShareFetchBuffer } from './share-fetch-buffer.js';
import type { SharePartitionRef } from './share-session.js';

const ref = (partition: number): SharePartitionRef => ({ key: `t:${partition}`, topic: 't', topicId: 'id', partition });
const record = (partition: number, offset: number): DecodedRecord => ({
  topic: 't',
  partition,
  offset: BigInt(offset),
  timestamp: 0,
  timestampType: 'CreateTime',
  key: null,
  value: Buffer.from(`v${offset}`),
  headers: [],
  leaderEpoch: undefined,
});
const chunk = (partition: number, offsets: number[], bytes = 10): ShareChunk => ({
  ref: ref(partition),
  records: offsets.map((o) => record(partition, o)),
  deliveryCounts: offsets.map(() => 1),
  index: 0,
  bytes,
  error: undefined,
});
const convert = (r: DecodedRecord, deliveryCount: number) => `${r.partition}:${r.offset}/${deliveryCount}`;

describe('ShareFetchBuffer', () => {
  it('hands out records in arrival order, grouped by partition, up to max', () => {
    const buffer = new ShareFetchBuffer(1000, 100);
    buffer.append(chunk(0, [1, 2]));
    buffer.append(chunk(1, [5]));
    const taken = buffer.take(2, convert, () => undefined);
    expect(taken.map((t) => t.records)).toEqual([['0:1/1', '0:2/1']]);
    expect(buffer.take(10, convert, () => undefined).map((t) => t.records)).toEqual([['1:5/1']]);
    expect(buffer.records).toBe(0);
    expect(buffer.bytes).toBe(0);
  });

  it('bounds what it holds in bytes and records', () => {
    const buffer = new ShareFetchBuffer(15, 100);
    buffer.append(chunk(0, [1], 10));
    expect(buffer.hasRoom).toBe(true);
    expect(buffer.roomBytes()).toBe(5);
    buffer.append(chunk(0, [2], 10));
    expect(buffer.hasRoom).toBe(false);
    const byRecords = new ShareFetchBuffer(1000, 2);
    byRecords.append(chunk(0, [1, 2]));
    expect(byRecords.hasRoom).toBe(false);
  });

  it('passes a record whose conversion throws to `failed` and raises the error after the records before it', () => {
    const buffer = new ShareFetchBuffer(1000, 100);
    buffer.append(chunk(0, [1, 2, 3]));
    const failed: bigint[] = [];
    const throwing = (r: DecodedRecord, d: number) => {
      if (r.offset === 2n) throw new Error('bad record');
      return convert(r, d);
    };
    expect(buffer.take(10, throwing, (_, offset) => failed.push(offset)).map((t) => t.records)).toEqual([['0:1/1']]);
    expect(failed).toEqual([2n]);
    expect(() => buffer.take(10, throwing, () => undefined)).toThrow('bad record');
    expect(buffer.take(10, throwing, () => undefined).map((t) => t.records)).toEqual([['0:3/1']]);
  });

  it('discards a partition (or all), reporting every offset not handed out', () => {
    const buffer = new ShareFetchBuffer(1000, 100);
    buffer.append(chunk(0, [1, 2]));
    buffer.append(chunk(1, [7]));
    buffer.take(1, convert, () => undefined);
    const dropped: string[] = [];
    buffer.discard((r, offset) => dropped.push(`${r.key}@${offset}`), 't:0');
    expect(dropped).toEqual(['t:0@2']);
    buffer.discard((r, offset) => dropped.push(`${r.key}@${offset}`));
    expect(dropped).toEqual(['t:0@2', 't:1@7']);
    expect(buffer.hasDeliverable).toBe(false);
    expect(buffer.records).toBe(0);
  });
});
