import { describe, expect, it } from 'vitest';
import { CorruptRecordError } from '../errors/client-errors.js';
import { controlRecordKey } from '../protocol/records/control-record.js';
import { loadRecordCodecs } from '../protocol/records/load-record-codecs.js';
import { RecordBatchBuilder } from '../protocol/records/record-batch-builder.js';
import type { BufferedEntry } from './buffered-entry.js';
import { readFetchedPartition } from './fetched-partition.js';

/** Builds a batch at `baseOffset` holding `values`. */
async function batch(
  baseOffset: bigint,
  values: string[],
  options: { producerId?: bigint; transactional?: boolean; compression?: 'none' | 'lz4' } = {},
): Promise<Buffer> {
  const builder = new RecordBatchBuilder({
    baseOffset,
    compression: options.compression ?? 'none',
    partitionLeaderEpoch: 4,
    producerId: options.producerId ?? -1n,
    producerEpoch: options.producerId === undefined ? -1 : 0,
    baseSequence: options.producerId === undefined ? -1 : 0,
    isTransactional: options.transactional ?? false,
  });
  for (const value of values) builder.append(1000, null, value);
  return builder.build();
}

/** A transaction marker (control batch) of `producerId`. */
async function marker(offset: bigint, producerId: bigint, type: 'COMMIT' | 'ABORT'): Promise<Buffer> {
  const builder = new RecordBatchBuilder({
    baseOffset: offset,
    partitionLeaderEpoch: 4,
    producerId,
    producerEpoch: 0,
    baseSequence: -1,
    isTransactional: true,
    isControl: true,
  });
  builder.append(1000, controlRecordKey(type), Buffer.from([0, 0, 0, 0, 0, 0]));
  return builder.build();
}

const options = { topic: 't', partition: 0, readCommitted: false };

function valuesOf(entries: BufferedEntry[], skipBelow = 0n): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    const records = entry.records ?? entry.batch?.records() ?? [];
    for (const r of records) if (r.offset >= skipBelow) out.push(r.value!.toString());
  }
  return out;
}

describe('readFetchedPartition', () => {
  it('reads batches lazily, counting their bytes and records, and says where to fetch next', async () => {
    const data = Buffer.concat([await batch(0n, ['a', 'b']), await batch(2n, ['c'])]);
    const fetched = readFetchedPartition(data, 0n, null, options);
    expect(fetched.entries.every((e) => e.batch !== undefined && e.records === undefined)).toBe(true);
    expect(valuesOf(fetched.entries)).toEqual(['a', 'b', 'c']);
    expect(fetched.count).toBe(3);
    expect(fetched.bytes).toBe(data.length);
    expect(fetched.nextFetchOffset).toBe(3n);
    expect(fetched.lastEpoch).toBe(4);
  });

  it('decodes compressed batches at once and counts their decompressed size', async () => {
    await loadRecordCodecs();
    const values = Array.from({ length: 50 }, (_, i) => `value-${i}`.padEnd(200, 'x'));
    const data = await batch(0n, values, { compression: 'lz4' });
    const fetched = readFetchedPartition(data, 0n, null, options);
    expect(fetched.entries[0]!.records).toHaveLength(50);
    expect(fetched.bytes).toBeGreaterThan(50 * 200);
    expect(fetched.bytes).toBeGreaterThan(data.length);
  });

  it('skips batches below the fetch offset and marks where the first one straddles it', async () => {
    const data = Buffer.concat([await batch(0n, ['a', 'b']), await batch(2n, ['c', 'd', 'e'])]);
    const fetched = readFetchedPartition(data, 3n, null, options);
    expect(fetched.entries).toHaveLength(1);
    expect(fetched.entries[0]!.skipBelow).toBe(3n);
    expect(valuesOf(fetched.entries, 3n)).toEqual(['d', 'e']);
  });

  it('leaves a partial batch at the end for the next fetch', async () => {
    const whole = await batch(0n, ['a']);
    const next = await batch(1n, ['b', 'c']);
    const fetched = readFetchedPartition(Buffer.concat([whole, next.subarray(0, next.length - 5)]), 0n, null, options);
    expect(valuesOf(fetched.entries)).toEqual(['a']);
    expect(fetched.nextFetchOffset).toBe(1n);
  });

  it('never surfaces control records, and read_committed drops aborted transactions', async () => {
    const data = Buffer.concat([
      await batch(0n, ['plain']),
      await batch(1n, ['t1-a', 't1-b'], { producerId: 7n, transactional: true }),
      await marker(3n, 7n, 'ABORT'),
      await batch(4n, ['t2'], { producerId: 8n, transactional: true }),
      await marker(5n, 8n, 'COMMIT'),
      await batch(6n, ['t3'], { producerId: 7n, transactional: true }), // the same producer's next, committed one
      await marker(7n, 7n, 'COMMIT'),
    ]);
    const aborted = [{ producerId: 7n, firstOffset: 1n }];
    const uncommitted = readFetchedPartition(data, 0n, aborted, options);
    expect(valuesOf(uncommitted.entries)).toEqual(['plain', 't1-a', 't1-b', 't2', 't3']);
    const committed = readFetchedPartition(data, 0n, aborted, { ...options, readCommitted: true });
    expect(valuesOf(committed.entries)).toEqual(['plain', 't2', 't3']);
    // The position moves past the markers and the aborted batch.
    expect(committed.nextFetchOffset).toBe(8n);
    expect(committed.entries.at(-1)!.nextOffset).toBe(8n);
  });

  it('ends with an error entry at a corrupt batch, after the good ones', async () => {
    const bad = await batch(2n, ['c', 'd']);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    const data = Buffer.concat([await batch(0n, ['a', 'b']), bad, await batch(4n, ['e'])]);
    const fetched = readFetchedPartition(data, 0n, null, { ...options, verifyCrc: true });
    expect(fetched.entries).toHaveLength(2);
    expect(fetched.entries[1]!.error).toBeInstanceOf(CorruptRecordError);
    expect((fetched.entries[1]!.error as CorruptRecordError).offset).toBe(2n);
    expect(fetched.nextFetchOffset).toBe(2n);
  });
});
