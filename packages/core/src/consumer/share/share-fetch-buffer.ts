import type { KafkaError } from '../../errors/kafka-error.js';
import type { DecodedRecord } from '../../protocol/records/record.js';
import { Signal } from '../signal.js';
import type { SharePartitionRef } from './share-session.js';

/** The acquired records of one partition of one ShareFetch response, waiting to be handed out. */
export interface ShareChunk {
  readonly ref: SharePartitionRef;
  readonly records: readonly DecodedRecord[];
  readonly deliveryCounts: readonly number[];
  /** Next record to hand out. */
  index: number;
  /** Bytes counted against the bound. */
  readonly bytes: number;
  /** Raised once the records before it are handed out (a batch that could not be read). */
  error: KafkaError | undefined;
}

/** The records taken from one partition by {@link ShareFetchBuffer.take}. */
export interface TakenShareRecords<T> {
  readonly ref: SharePartitionRef;
  readonly records: T[];
}

/**
 * Turns a buffered record into what the application receives. Throwing fails that record alone (the consumer
 * releases it and raises the error).
 */
export type ShareRecordConverter<T> = (record: DecodedRecord, deliveryCount: number, ref: SharePartitionRef) => T;

/**
 * Records a share consumer fetched ahead of the application, in arrival order, bounded in bytes and records. Every
 * record here is already acquired (its lock is running), so the bounds also bound what the consumer holds.
 */
export class ShareFetchBuffer {
  private chunks: ShareChunk[] = [];
  private head = 0;
  private totalBytes = 0;
  private totalRecords = 0;
  private readonly maxBytes: number;
  private readonly maxRecords: number;
  /** Records were taken or dropped: a fetch may bring more. */
  readonly room = new Signal();

  constructor(maxBytes: number, maxRecords: number) {
    this.maxBytes = maxBytes;
    this.maxRecords = maxRecords;
  }

  /** Bytes buffered. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Records buffered. */
  get records(): number {
    return this.totalRecords;
  }

  /** True when something (a record or an error) can be taken. */
  get hasDeliverable(): boolean {
    return this.head < this.chunks.length;
  }

  /** True while the buffer may take another fetch. */
  get hasRoom(): boolean {
    return this.totalBytes < this.maxBytes && this.totalRecords < this.maxRecords;
  }

  /** Bytes a fetch may still bring. */
  roomBytes(): number {
    return Math.max(0, this.maxBytes - this.totalBytes);
  }

  /** Adds a chunk (skipped when it holds neither records nor an error). */
  append(chunk: ShareChunk): void {
    if (chunk.records.length === 0 && chunk.error === undefined) return;
    this.chunks.push(chunk);
    this.totalBytes += chunk.bytes;
    this.totalRecords += chunk.records.length;
  }

  /**
   * Takes up to `max` records, grouped by partition in offset order. An error chunk is raised when reached with
   * nothing taken yet (otherwise by the next call). A record whose conversion throws is passed to `failed` and
   * skipped; the error is raised after the records taken before it (or at once when none was).
   */
  take<T>(
    max: number,
    convert: ShareRecordConverter<T>,
    failed: (ref: SharePartitionRef, offset: bigint) => void,
  ): TakenShareRecords<T>[] {
    const result: TakenShareRecords<T>[] = [];
    let remaining = max;
    if (this.head < this.chunks.length) this.room.emit();
    while (remaining > 0 && this.head < this.chunks.length) {
      const chunk = this.chunks[this.head]!;
      if (chunk.index >= chunk.records.length) {
        if (chunk.error !== undefined) {
          if (result.length > 0) break;
          const error = chunk.error;
          chunk.error = undefined;
          this.finish(chunk);
          throw error;
        }
        this.finish(chunk);
        continue;
      }
      let taken =
        result.length > 0 && result[result.length - 1]!.ref.key === chunk.ref.key
          ? result[result.length - 1]
          : undefined;
      if (taken === undefined) {
        taken = { ref: chunk.ref, records: [] };
        result.push(taken);
      }
      const end = Math.min(chunk.records.length, chunk.index + remaining);
      for (; chunk.index < end; ) {
        const i = chunk.index++;
        this.totalRecords--;
        let value: T;
        try {
          value = convert(chunk.records[i]!, chunk.deliveryCounts[i]!, chunk.ref);
        } catch (error) {
          failed(chunk.ref, chunk.records[i]!.offset);
          if (chunk.index >= chunk.records.length) this.finish(chunk);
          if (result.every((r) => r.records.length === 0)) throw error;
          // Raised by the next call.
          this.chunks.splice(this.head, 0, {
            ref: chunk.ref,
            records: [],
            deliveryCounts: [],
            index: 0,
            bytes: 0,
            error: error as KafkaError,
          });
          return result.filter((r) => r.records.length > 0);
        }
        taken.records.push(value);
        remaining--;
      }
      if (chunk.index >= chunk.records.length && chunk.error === undefined) this.finish(chunk);
    }
    return result.filter((r) => r.records.length > 0);
  }

  /** Drops the buffered records of a partition (or of all), calling `each` with every offset not handed out. */
  discard(each: (ref: SharePartitionRef, offset: bigint) => void, key?: string): void {
    const kept: ShareChunk[] = [];
    for (let i = this.head; i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!;
      if (key !== undefined && chunk.ref.key !== key) {
        kept.push(chunk);
        continue;
      }
      for (let r = chunk.index; r < chunk.records.length; r++) each(chunk.ref, chunk.records[r]!.offset);
      this.totalRecords -= chunk.records.length - chunk.index;
      this.totalBytes -= chunk.bytes;
    }
    this.chunks = kept;
    this.head = 0;
    this.room.emit();
  }

  private finish(chunk: ShareChunk): void {
    this.totalBytes -= chunk.bytes;
    this.chunks[this.head++] = undefined as unknown as ShareChunk;
    if (this.head >= this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
