import type { AcknowledgeTypeCode } from './acknowledge-type.js';

/** One AcknowledgementBatch of ShareFetch / ShareAcknowledge: an offset range and its type (one for the range). */
export interface AcknowledgementBatch {
  readonly firstOffset: bigint;
  /** Inclusive. */
  readonly lastOffset: bigint;
  /** One type for every offset of the range. */
  readonly acknowledgeTypes: readonly AcknowledgeTypeCode[];
}

/**
 * Pending acknowledgements of one partition, in the order they were made: parallel arrays of offsets and wire
 * types (no object per acknowledgement). The same offset acknowledged twice keeps its last type.
 */
export class PartitionAcknowledgements {
  readonly offsets: bigint[] = [];
  readonly types: AcknowledgeTypeCode[] = [];

  /** Number of acknowledgements held. */
  get size(): number {
    return this.offsets.length;
  }

  /** Adds the acknowledgement of one offset. */
  add(offset: bigint, type: AcknowledgeTypeCode): void {
    this.offsets.push(offset);
    this.types.push(type);
  }

  /** Adds every acknowledgement of `other`. */
  addAll(other: PartitionAcknowledgements): void {
    for (let i = 0; i < other.offsets.length; i++) this.add(other.offsets[i]!, other.types[i]!);
  }

  /**
   * The acknowledgements as request batches: sorted by offset, consecutive offsets of the same type coalesced
   * into one range. Acknowledgements arrive in offset order almost always, so the sort is skipped when they do.
   */
  toBatches(): AcknowledgementBatch[] {
    const n = this.offsets.length;
    if (n === 0) return [];
    let offsets = this.offsets;
    let types = this.types;
    let sorted = true;
    for (let i = 1; i < n; i++) {
      if (offsets[i]! <= offsets[i - 1]!) {
        sorted = false;
        break;
      }
    }
    if (!sorted) {
      // Last acknowledgement of an offset wins: keep the index of the last occurrence, then sort.
      const last = new Map<bigint, number>();
      for (let i = 0; i < n; i++) last.set(offsets[i]!, i);
      const order = [...last.values()].sort((a, b) => (offsets[a]! < offsets[b]! ? -1 : 1));
      offsets = order.map((i) => this.offsets[i]!);
      types = order.map((i) => this.types[i]!);
    }
    const batches: AcknowledgementBatch[] = [];
    let first = offsets[0]!;
    let last = first;
    let type = types[0]!;
    for (let i = 1; i < offsets.length; i++) {
      const offset = offsets[i]!;
      const t = types[i]!;
      if (offset === last + 1n && t === type) {
        last = offset;
        continue;
      }
      batches.push({ firstOffset: first, lastOffset: last, acknowledgeTypes: [type] });
      first = offset;
      last = offset;
      type = t;
    }
    batches.push({ firstOffset: first, lastOffset: last, acknowledgeTypes: [type] });
    return batches;
  }
}
