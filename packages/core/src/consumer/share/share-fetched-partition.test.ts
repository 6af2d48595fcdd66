import { describe, expect, it } from 'vitest';
import { controlRecordKey } from '../../protocol/records/control-record.js';
import { RecordBatchBuilder } from '../../protocol/records/record-batch-builder.js';
import { readShareFetchedPartition } from './share-fetched-partition.js';

async function batch(baseOffset: bigint, values: string[]): Promise<Buffer> {
  const builder = new RecordBatchBuilder({ baseOffset, compression: 'none', partitionLeaderEpoch: 0 });
  for (const value of values) builder.append(1000, null, value);
  return builder.build();
}

async function marker(offset: bigint): Promise<Buffer> {
  const builder = new RecordBatchBuilder({
    baseOffset: offset,
    partitionLeaderEpoch: 0,
    producerId: 7n,
    producerEpoch: 0,
    baseSequence: -1,
    isTransactional: true,
    isControl: true,
  });
  builder.append(1000, controlRecordKey('COMMIT'), Buffer.from([0, 0, 0, 0, 0, 0]));
  return builder.build();
}

const options = { topic: 't', partition: 0 };
const range = (first: number, last: number, deliveryCount = 1) => ({
  firstOffset: BigInt(first),
  lastOffset: BigInt(last),
  deliveryCount,
});

describe('readShareFetchedPartition', () => {
  it('hands out the acquired records with their delivery counts and skips the others', async () => {
    const data = await batch(0n, ['a', 'b', 'c', 'd', 'e']);
    const read = readShareFetchedPartition(data, [range(1, 2, 1), range(4, 4, 3)], options);
    expect(read.records.map((r) => r.value?.toString())).toEqual(['b', 'c', 'e']);
    expect(read.deliveryCounts).toEqual([1, 1, 3]);
    expect(read.gaps).toEqual([]);
    expect(read.error).toBeUndefined();
    expect(read.bytes).toBeGreaterThan(0);
  });

  it('makes acquired offsets without a data record gaps: markers, and offsets missing from the data', async () => {
    const data = Buffer.concat([await batch(0n, ['a', 'b']), await marker(2n), await batch(3n, ['d'])]);
    const read = readShareFetchedPartition(data, [range(0, 5)], options);
    expect(read.records.map((r) => r.offset)).toEqual([0n, 1n, 3n]);
    expect(read.gaps).toEqual([2n, 4n, 5n]);
  });

  it('acquires nothing from an empty answer', () => {
    expect(readShareFetchedPartition(null, [], options).records).toEqual([]);
    expect(readShareFetchedPartition(Buffer.alloc(0), [range(0, 1)], options).gaps).toEqual([0n, 1n]);
  });

  it('releases the acquired offsets after a corrupt batch and raises its error', async () => {
    const good = await batch(0n, ['a', 'b']);
    const bad = await batch(2n, ['c', 'd']);
    bad.writeUInt8(bad.readUInt8(bad.length - 1) ^ 0xff, bad.length - 1); // the CRC no longer matches
    const read = readShareFetchedPartition(Buffer.concat([good, bad]), [range(0, 3)], {
      ...options,
      verifyCrc: true,
    });
    expect(read.records.map((r) => r.offset)).toEqual([0n, 1n]);
    expect(read.unreadable).toEqual([2n, 3n]);
    expect(read.error?.code).toBe('ERR_CORRUPT_RECORD');
  });
});
