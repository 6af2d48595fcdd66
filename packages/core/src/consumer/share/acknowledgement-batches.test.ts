import { describe, expect, it } from 'vitest';
import { AcknowledgeTypeCode as T } from './acknowledge-type.js';
import { PartitionAcknowledgements } from './acknowledgement-batches.js';

function acks(entries: Array<[number, number]>): PartitionAcknowledgements {
  const a = new PartitionAcknowledgements();
  for (const [offset, type] of entries) a.add(BigInt(offset), type as T);
  return a;
}

describe('PartitionAcknowledgements.toBatches', () => {
  it('coalesces consecutive offsets of one type into one range', () => {
    expect(
      acks([
        [5, T.accept],
        [6, T.accept],
        [7, T.accept],
      ]).toBatches(),
    ).toEqual([{ firstOffset: 5n, lastOffset: 7n, acknowledgeTypes: [T.accept] }]);
  });

  it('starts a new range at a type change or a hole', () => {
    expect(
      acks([
        [1, T.accept],
        [2, T.release],
        [3, T.release],
        [5, T.release],
        [6, T.gap],
      ]).toBatches(),
    ).toEqual([
      { firstOffset: 1n, lastOffset: 1n, acknowledgeTypes: [T.accept] },
      { firstOffset: 2n, lastOffset: 3n, acknowledgeTypes: [T.release] },
      { firstOffset: 5n, lastOffset: 5n, acknowledgeTypes: [T.release] },
      { firstOffset: 6n, lastOffset: 6n, acknowledgeTypes: [T.gap] },
    ]);
  });

  it('sorts acknowledgements made out of order, the last one of an offset winning', () => {
    expect(
      acks([
        [9, T.accept],
        [7, T.reject],
        [8, T.accept],
        [7, T.accept],
      ]).toBatches(),
    ).toEqual([{ firstOffset: 7n, lastOffset: 9n, acknowledgeTypes: [T.accept] }]);
  });

  it('is empty without acknowledgements', () => {
    expect(new PartitionAcknowledgements().toBatches()).toEqual([]);
  });
});
