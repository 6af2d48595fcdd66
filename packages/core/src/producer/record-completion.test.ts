import { describe, expect, it } from 'vitest';
import { KafkaTimeoutError } from '../errors/client-errors.js';
import type { KafkaError } from '../errors/kafka-error.js';
import type { Logger } from '../utils/logger.js';
import { CALLBACK, type CompletionGroup, failRecord, settleRecord, type WrittenRecords } from './record-completion.js';
import type { RecordMetadata } from './record-metadata.js';

const written: WrittenRecords = {
  metadataAt: (index, offset) => ({
    topic: 't',
    partition: 0,
    offset,
    timestamp: index,
    serializedKeySize: -1,
    serializedValueSize: 1,
  }),
  metadata: (index) => written.metadataAt(index, BigInt(index)),
};

describe('settleRecord', () => {
  it('resolves or rejects a Promise completion', () => {
    const seen: unknown[] = [];
    const resolve = (metadata: RecordMetadata) => seen.push(metadata.offset);
    const reject = (error: KafkaError) => seen.push(error.message);
    settleRecord(resolve, reject, undefined, written, 2, 42n);
    settleRecord(resolve, reject, new KafkaTimeoutError('late'), undefined, 0, -1n);
    expect(seen).toEqual([42n, 'late']);
  });

  it('calls a callback completion with (error) or (undefined, metadata)', () => {
    const seen: Array<[string | undefined, bigint | undefined]> = [];
    const callback = (error: KafkaError | undefined, metadata: RecordMetadata | undefined) =>
      seen.push([error?.message, metadata?.offset]);
    settleRecord(callback, CALLBACK, undefined, written, 1, 7n);
    settleRecord(callback, CALLBACK, new KafkaTimeoutError('late'), undefined, 0, -1n);
    expect(seen).toEqual([
      [undefined, 7n],
      ['late', undefined],
    ]);
  });

  it('settles a group slot by its index, with the batch only on success', () => {
    const seen: unknown[] = [];
    const group: CompletionGroup = {
      settle: (index, batch, indexInBatch, error) =>
        seen.push([index, batch === undefined ? undefined : batch.metadata(indexInBatch).offset, error?.message]),
    };
    settleRecord(group, 5, undefined, written, 3, 3n);
    settleRecord(group, 6, new KafkaTimeoutError('late'), written, 4, 4n);
    expect(seen).toEqual([
      [5, 3n, undefined],
      [6, undefined, 'late'],
    ]);
  });

  it('failRecord logs what a callback throws instead of throwing it', () => {
    const logged: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn() {}, error: (message) => logged.push(message) };
    const callback = () => {
      throw new Error('user bug');
    };
    failRecord(callback, CALLBACK, new KafkaTimeoutError('late'), logger);
    expect(logged).toEqual(['a send callback threw; the producer carries on']);
  });
});
