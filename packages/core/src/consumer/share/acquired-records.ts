import type { AcknowledgeTypeCode } from './acknowledge-type.js';

/** State of an offset inside an {@link AcquiredRange}. */
const UNSETTLED = 0;
const SETTLED = 1;
/** An offset of the span that this consumer did not acquire (another member holds it, or it was not offered). */
const NOT_OURS = 2;

/**
 * The records of one partition that one ShareFetch response acquired for this consumer, from the first acquired
 * offset to the last, with what happened to each: still unsettled (buffered, or in the application's hands), or
 * settled (acknowledged in any way, or a gap). One byte per offset, no object per record.
 */
export class AcquiredRange {
  /** The broker the records were acquired from (the partition leader then): acknowledgements go there. */
  readonly node: number;
  readonly first: bigint;
  readonly span: number;
  private readonly state: Uint8Array;
  /** Offsets acquired and not settled yet. */
  unsettled = 0;

  /**
   * @param ranges The acquired ranges of the response (inclusive), in offset order.
   */
  constructor(node: number, ranges: ReadonlyArray<{ readonly firstOffset: bigint; readonly lastOffset: bigint }>) {
    this.node = node;
    const first = ranges[0]!.firstOffset;
    const last = ranges[ranges.length - 1]!.lastOffset;
    this.first = first;
    this.span = Number(last - first) + 1;
    this.state = new Uint8Array(this.span).fill(NOT_OURS);
    for (const range of ranges) {
      const from = Number(range.firstOffset - first);
      const to = Number(range.lastOffset - first);
      for (let i = from; i <= to; i++) this.state[i] = UNSETTLED;
      this.unsettled += to - from + 1;
    }
  }

  /** True when `offset` lies in the span. */
  covers(offset: bigint): boolean {
    return offset >= this.first && offset < this.first + BigInt(this.span);
  }

  /** True when `offset` was acquired here and is not settled yet. */
  isUnsettled(offset: bigint): boolean {
    return this.covers(offset) && this.state[Number(offset - this.first)] === UNSETTLED;
  }

  /** Marks an unsettled offset settled. Returns false when it was not acquired here or is settled already. */
  settle(offset: bigint): boolean {
    if (!this.covers(offset)) return false;
    const index = Number(offset - this.first);
    if (this.state[index] !== UNSETTLED) return false;
    this.state[index] = SETTLED;
    this.unsettled--;
    return true;
  }

  /** Settles every unsettled offset and calls `each` with it (close, revocation: they are released). */
  settleAll(each: (offset: bigint) => void): void {
    if (this.unsettled === 0) return;
    for (let i = 0; i < this.span; i++) {
      if (this.state[i] !== UNSETTLED) continue;
      this.state[i] = SETTLED;
      each(this.first + BigInt(i));
    }
    this.unsettled = 0;
  }
}

/** An acknowledgement to send: where, what, which type. */
export interface Settlement {
  readonly node: number;
  readonly offset: bigint;
  readonly type: AcknowledgeTypeCode;
}

/**
 * Every record a share consumer holds under an acquisition lock, per partition: what was fetched and not yet
 * settled. It answers whether a record may be acknowledged (it must be acquired by this consumer and unsettled)
 * and which broker the acknowledgement goes to, and lists what is left to release on close.
 */
export class AcquiredRecords {
  private readonly partitions = new Map<string, AcquiredRange[]>();
  private count = 0;

  /** Records acquired and not settled, across partitions. */
  get unsettled(): number {
    return this.count;
  }

  /** Adds the acquired ranges of one response for a partition. */
  add(key: string, range: AcquiredRange): void {
    if (range.unsettled === 0) return;
    let list = this.partitions.get(key);
    if (list === undefined) {
      list = [];
      this.partitions.set(key, list);
    }
    list.push(range);
    this.count += range.unsettled;
  }

  /** The range holding an unsettled `offset` of a partition, or undefined. */
  find(key: string, offset: bigint): AcquiredRange | undefined {
    const list = this.partitions.get(key);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) if (list[i]!.isUnsettled(offset)) return list[i];
    return undefined;
  }

  /**
   * Settles an offset. Returns the broker to send its acknowledgement to, or undefined when the offset is not
   * acquired by this consumer or was settled before.
   */
  settle(key: string, offset: bigint): number | undefined {
    const list = this.partitions.get(key);
    if (list === undefined) return undefined;
    for (let i = 0; i < list.length; i++) {
      const range = list[i]!;
      if (!range.settle(offset)) continue;
      this.count--;
      if (range.unsettled === 0) {
        list.splice(i, 1);
        if (list.length === 0) this.partitions.delete(key);
      }
      return range.node;
    }
    return undefined;
  }

  /** Settles every unsettled offset of a partition (or of all, without `key`), calling `each` for each. */
  settleAll(each: (key: string, node: number, offset: bigint) => void, key?: string): void {
    const keys = key === undefined ? [...this.partitions.keys()] : [key];
    for (const k of keys) {
      const list = this.partitions.get(k);
      if (list === undefined) continue;
      for (const range of list) {
        this.count -= range.unsettled;
        range.settleAll((offset) => each(k, range.node, offset));
      }
      this.partitions.delete(k);
    }
  }
}
