import { isKafkaError, type KafkaError } from '../errors/kafka-error.js';
import type { DecodedRecord } from '../protocol/records/record.js';
import { type BufferedEntry, errorEntry } from './buffered-entry.js';
import type { FetchedPartition } from './fetched-partition.js';
import type { PartitionEvents } from './partition-events.js';
import type { PartitionState } from './partition-state.js';
import { Signal } from './signal.js';

/** Bounds of the prefetch buffer. */
export interface FetchBufferLimits {
  /** Most bytes (after decompression) buffered across partitions. */
  readonly maxBytes: number;
  /** Most records buffered across partitions. */
  readonly maxRecords: number;
  /** A partition holding this many bytes is not fetched until the application drains it below. */
  readonly partitionBytes: number;
}

/** Turns a decoded record into what the application receives; may throw (a deserializer error). */
export type RecordConverter<T> = (record: DecodedRecord, state: PartitionState) => T;

/** The partitions whose records the buffer holds (the consumer's `SubscriptionState`). */
export interface BufferedPartitions {
  /** Announces partitions whose prefetched records must go. */
  readonly events: PartitionEvents;
  /** Whether a partition's records may be handed out now (not paused by the application, not revoked). */
  isDeliverable(state: PartitionState): boolean;
}

/** The records taken from one partition by {@link FetchBuffer.take}. */
export interface TakenRecords<T> {
  readonly state: PartitionState;
  readonly records: T[];
}

class PartitionBuffer {
  readonly state: PartitionState;
  entries: BufferedEntry[] = [];
  head = 0;
  bytes = 0;
  records = 0;
  /** True while listed in the ready ring. */
  ready = false;

  constructor(state: PartitionState) {
    this.state = state;
  }

  get empty(): boolean {
    return this.head >= this.entries.length;
  }
}

/**
 * Records fetched ahead of the application, per partition, with their memory bounded.
 *
 * - **Bounds.** Bytes are counted after decompression (uncompressed batches by their size on the wire, compressed
 *   ones by their decoded records) and records by count. A partition holding `partitionBytes` or more is not
 *   fetched ({@link canFetch} is false) until the application drains it; once the whole buffer holds `maxBytes` or
 *   `maxRecords`, nothing is fetched, and each fetch asks for no more than {@link roomBytes}. A fetch response can
 *   overshoot only by what one fetch may carry, so memory stays bounded however large the topic or slow the
 *   application.
 * - **Fairness.** Partitions with data take turns (a batch at a time), so one busy partition does not starve the
 *   others, and a paused one does not block them.
 * - **Laziness.** Uncompressed batches are decoded when the application reaches them, so decoded records live
 *   briefly and the garbage collector finds them young.
 * - **Errors** sit in line: records before a corrupt batch are delivered first, then the error is raised, and it
 *   is raised again on every call until the application seeks past it.
 * - **Announcements**: {@link arrived} when records (or an error) were added, {@link room} when draining made room
 *   for fetching. It drops a partition's records itself when the partition announces they are invalid.
 */
export class FetchBuffer {
  private readonly limits: FetchBufferLimits;
  private readonly subscriptions: BufferedPartitions;
  private readonly partitions = new Map<string, PartitionBuffer>();
  /** Partitions with entries, in turn order. */
  private ring: PartitionBuffer[] = [];
  private cursor = 0;
  private totalBytes = 0;
  private totalRecords = 0;
  private roomPending = false;
  /** The partition of the record {@link takeRecord} returned last. */
  lastTakenState: PartitionState | undefined;
  /** Records or an error were added: readers may take them. */
  readonly arrived = new Signal();
  /** Draining made room for fetching (at most once per microtask). */
  readonly room = new Signal();

  /**
   * @param limits Memory bounds.
   * @param partitions The partitions' deliverability and announcements.
   */
  constructor(limits: FetchBufferLimits, partitions: BufferedPartitions) {
    this.limits = limits;
    this.subscriptions = partitions;
    partitions.events.invalidated.on((state) => this.discard(state));
  }

  /** Bytes buffered. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Records buffered. */
  get records(): number {
    return this.totalRecords;
  }

  /** Bytes that may still be fetched before the buffer is full (0 when full). */
  roomBytes(): number {
    if (this.totalRecords >= this.limits.maxRecords) return 0;
    return Math.max(0, this.limits.maxBytes - this.totalBytes);
  }

  /** True when nothing more may be fetched until the application drains some records. */
  get full(): boolean {
    return this.totalBytes >= this.limits.maxBytes || this.totalRecords >= this.limits.maxRecords;
  }

  /** True when the partition may be fetched as far as the buffer is concerned. */
  canFetch(state: PartitionState): boolean {
    if (this.full) return false;
    const buffer = this.partitions.get(state.key);
    return buffer === undefined || (buffer.bytes < this.limits.partitionBytes && !this.hasError(buffer));
  }

  /** Bytes buffered for one partition. */
  bufferedBytes(state: PartitionState): number {
    return this.partitions.get(state.key)?.bytes ?? 0;
  }

  /** Adds what a fetch returned for a partition. */
  append(state: PartitionState, fetched: FetchedPartition): void {
    if (fetched.entries.length === 0) return;
    const buffer = this.bufferFor(state);
    for (const entry of fetched.entries) buffer.entries.push(entry);
    buffer.bytes += fetched.bytes;
    buffer.records += fetched.count;
    this.totalBytes += fetched.bytes;
    this.totalRecords += fetched.count;
    this.markReady(buffer);
    this.arrived.emit();
  }

  /** Queues an error for a partition, raised once the records before it are delivered. */
  appendError(state: PartitionState, error: KafkaError): void {
    const buffer = this.bufferFor(state);
    buffer.entries.push(errorEntry(error, state.fetchOffset));
    this.markReady(buffer);
    this.arrived.emit();
  }

  /** Drops everything buffered for a partition (seek, reset, revocation). */
  discard(state: PartitionState): void {
    const buffer = this.partitions.get(state.key);
    if (buffer === undefined) return;
    this.partitions.delete(state.key);
    this.totalBytes -= buffer.bytes;
    this.totalRecords -= buffer.records;
    buffer.entries = [];
    buffer.head = 0;
    buffer.bytes = 0;
    buffer.records = 0;
    if (buffer.ready) {
      const index = this.ring.indexOf(buffer);
      if (index >= 0) {
        this.ring.splice(index, 1);
        if (this.cursor > index) this.cursor--;
      }
      buffer.ready = false;
    }
    this.signalRoom();
  }

  /** Drops everything. */
  clear(): void {
    for (const buffer of [...this.partitions.values()]) this.discard(buffer.state);
  }

  /** True when some partition has a record (or an error) the application may take now. */
  hasDeliverable(): boolean {
    const partitions = this.subscriptions;
    for (const buffer of this.ring) if (partitions.isDeliverable(buffer.state)) return true;
    return false;
  }

  /**
   * Takes the next record in turn, converted by `convert`; `undefined` when nothing is deliverable. Marks the record
   * delivered in its partition's state only after `convert` returned, so a record whose conversion throws stays at
   * the position (and throws again on the next call until the application seeks past it).
   *
   * @throws The error queued for a partition once its records before it are delivered.
   */
  takeRecord<T>(convert: RecordConverter<T>): T | undefined {
    const ring = this.ring;
    const partitions = this.subscriptions;
    for (let tries = ring.length; tries > 0; tries--) {
      if (this.cursor >= ring.length) this.cursor = 0;
      const buffer = ring[this.cursor]!;
      const state = buffer.state;
      if (!partitions.isDeliverable(state)) {
        this.cursor++;
        continue;
      }
      const entry = this.headEntry(buffer);
      if (entry === undefined) continue; // headEntry removed the exhausted buffer from the ring
      if (entry.error !== undefined) throw entry.error;
      const records = entry.records!;
      const record = records[entry.index]!;
      const value = convert(record, state);
      state.delivered(record);
      this.lastTakenState = state;
      if (++entry.index >= records.length) {
        this.finishEntry(buffer, entry);
        this.cursor++; // next partition's turn after each batch
      }
      return value;
    }
    return undefined;
  }

  /**
   * Takes up to `max` records, a batch at a time per partition in turn, grouped by partition. Records of one
   * partition come in offset order.
   *
   * @throws The error queued for a partition, when no record was taken before reaching it (otherwise the records
   *   are returned and the error is raised by the next call).
   */
  take<T>(max: number, convert: RecordConverter<T>): TakenRecords<T>[] {
    const result: TakenRecords<T>[] = [];
    let remaining = max;
    const ring = this.ring;
    const partitions = this.subscriptions;
    let idle = 0;
    while (remaining > 0 && ring.length > 0 && idle < ring.length) {
      if (this.cursor >= ring.length) this.cursor = 0;
      const buffer = ring[this.cursor]!;
      const state = buffer.state;
      if (!partitions.isDeliverable(state)) {
        this.cursor++;
        idle++;
        continue;
      }
      const entry = this.headEntry(buffer);
      if (entry === undefined) continue;
      if (entry.error !== undefined) {
        if (result.length === 0) throw entry.error;
        break;
      }
      let taken = result.find((r) => r.state === state);
      if (taken === undefined) {
        taken = { state, records: [] };
        result.push(taken);
      }
      const records = entry.records!;
      const out = taken.records;
      const start = entry.index;
      const end = Math.min(records.length, start + remaining);
      let index = start;
      let failure: unknown;
      for (; index < end; index++) {
        try {
          out.push(convert(records[index]!, state));
        } catch (error) {
          failure = error;
          break;
        }
      }
      if (index > start) {
        state.delivered(records[index - 1]!);
        remaining -= index - start;
        entry.index = index;
      }
      if (failure !== undefined) {
        // The failing record stays at the position; it fails again on the next call.
        if (max - remaining === 0) throw failure;
        break;
      }
      if (index >= records.length) {
        this.finishEntry(buffer, entry);
        this.cursor++;
        idle = 0;
      }
    }
    return result.filter((r) => r.records.length > 0);
  }

  /**
   * The head entry of a partition with its records decoded and positioned, skipping exhausted entries. Removes the
   * partition from the ring and returns `undefined` when it has nothing left.
   */
  private headEntry(buffer: PartitionBuffer): BufferedEntry | undefined {
    for (;;) {
      const entry = buffer.entries[buffer.head];
      if (entry === undefined) {
        this.unready(buffer);
        return undefined;
      }
      if (entry.error !== undefined) return entry;
      if (entry.records === undefined) {
        if (entry.batch === undefined) {
          // A position-only entry (batches with nothing to deliver).
          this.finishEntry(buffer, entry);
          continue;
        }
        try {
          entry.records = entry.batch.records();
        } catch (error) {
          if (!isKafkaError(error)) throw error;
          entry.error = error;
          return entry;
        }
        entry.batch = undefined;
        const records = entry.records;
        if (records.length > 0 && records[0]!.offset < entry.skipBelow) {
          let i = 0;
          while (i < records.length && records[i]!.offset < entry.skipBelow) i++;
          entry.index = i;
        }
      }
      if (entry.index < entry.records.length) return entry;
      this.finishEntry(buffer, entry);
    }
  }

  private finishEntry(buffer: PartitionBuffer, entry: BufferedEntry): void {
    buffer.entries[buffer.head++] = undefined as unknown as BufferedEntry;
    buffer.state.advancePosition(entry.nextOffset, entry.epoch);
    buffer.bytes -= entry.bytes;
    buffer.records -= entry.count;
    this.totalBytes -= entry.bytes;
    this.totalRecords -= entry.count;
    if (buffer.head >= buffer.entries.length) {
      buffer.entries = [];
      buffer.head = 0;
    }
    this.signalRoom();
  }

  private hasError(buffer: PartitionBuffer): boolean {
    const last = buffer.entries[buffer.entries.length - 1];
    return last !== undefined && last.error !== undefined;
  }

  private bufferFor(state: PartitionState): PartitionBuffer {
    let buffer = this.partitions.get(state.key);
    if (buffer === undefined || buffer.state !== state) {
      if (buffer !== undefined) this.discard(buffer.state);
      buffer = new PartitionBuffer(state);
      this.partitions.set(state.key, buffer);
    }
    return buffer;
  }

  private markReady(buffer: PartitionBuffer): void {
    if (buffer.ready || buffer.empty) return;
    buffer.ready = true;
    this.ring.push(buffer);
  }

  private unready(buffer: PartitionBuffer): void {
    if (!buffer.ready) return;
    buffer.ready = false;
    const index = this.ring.indexOf(buffer);
    if (index >= 0) {
      this.ring.splice(index, 1);
      if (this.cursor > index) this.cursor--;
    }
    if (buffer.bytes === 0 && buffer.records === 0) this.partitions.delete(buffer.state.key);
  }

  private signalRoom(): void {
    if (this.roomPending) return;
    this.roomPending = true;
    queueMicrotask(() => {
      this.roomPending = false;
      this.room.emit();
    });
  }
}
