import type { FetchedPartition } from '../../../src/consumer/fetched-partition.js';
import type { CompressionType } from '../../../src/protocol/records/compression/compression-type.js';
import type { ControlRecordType, DecodedRecord } from '../../../src/protocol/records/record.js';
import type { RecordBatch } from '../../../src/protocol/records/record-batch.js';

/** Options of {@link fakeBatch}. */
export interface FakeBatchOptions {
  readonly topic?: string;
  readonly partition?: number;
  readonly epoch?: number;
  readonly compression?: CompressionType;
  readonly valueSize?: number;
  readonly control?: ControlRecordType;
  readonly producerId?: bigint;
  readonly transactional?: boolean;
  /** Make `records()` throw this error. */
  readonly corrupt?: Error;
}

/**
 * A record batch built in memory for unit tests of the consumer's buffering: `count` records from `baseOffset`,
 * values of `valueSize` bytes holding the offset as text.
 */
export function fakeBatch(baseOffset: bigint, count: number, options: FakeBatchOptions = {}): RecordBatch {
  const topic = options.topic ?? 't';
  const partition = options.partition ?? 0;
  const epoch = options.epoch ?? 0;
  const valueSize = options.valueSize ?? 10;
  const decode = (): DecodedRecord[] => {
    if (options.corrupt !== undefined) throw options.corrupt;
    const out: DecodedRecord[] = [];
    for (let i = 0; i < count; i++) {
      const offset = baseOffset + BigInt(i);
      const value = Buffer.alloc(valueSize, 32);
      value.write(String(offset));
      out.push({
        topic,
        partition,
        offset,
        timestamp: 1000 + i,
        timestampType: 'CreateTime',
        key: null,
        value,
        headers: [],
        leaderEpoch: epoch,
      });
    }
    return out;
  };
  const lastOffset = baseOffset + BigInt(count - 1);
  return {
    magic: 2,
    baseOffset,
    lastOffset,
    nextOffset: lastOffset + 1n,
    sizeInBytes: 61 + count * (valueSize + 8),
    partitionLeaderEpoch: epoch,
    compression: options.compression ?? 'none',
    timestampType: 'CreateTime',
    isTransactional: options.transactional ?? options.control !== undefined,
    isControl: options.control !== undefined,
    deleteHorizonMs: undefined,
    baseTimestamp: 1000,
    maxTimestamp: 1000 + count - 1,
    producerId: options.producerId ?? -1n,
    producerEpoch: 0,
    baseSequence: 0,
    recordCount: count,
    crc: 0,
    records: decode,
    controlType: () => options.control,
  };
}

/** A fetched partition made of lazily decoded fake batches, for buffer tests. */
export function fakeFetched(batches: RecordBatch[]): FetchedPartition {
  let bytes = 0;
  let count = 0;
  const entries = batches.map((batch) => {
    bytes += batch.sizeInBytes;
    count += batch.recordCount;
    return {
      batch,
      records: undefined,
      index: 0,
      skipBelow: batches[0]!.baseOffset,
      nextOffset: batch.nextOffset,
      epoch: batch.partitionLeaderEpoch,
      bytes: batch.sizeInBytes,
      count: batch.recordCount,
      error: undefined,
    };
  });
  const last = batches[batches.length - 1]!;
  return { entries, nextFetchOffset: last.nextOffset, lastEpoch: last.partitionLeaderEpoch, bytes, count };
}
