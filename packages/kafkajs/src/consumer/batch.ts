import type { KafkaMessage } from './kafka-message.js';

/**
 * The messages of one partition handed to `eachBatch` (and, one by one, to `eachMessage`), with KafkaJS's helpers.
 * Offsets are strings. `highWatermark` is the partition's high watermark as the last fetch reported it.
 */
export class Batch {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly highWatermark: string,
    readonly messages: KafkaMessage[],
  ) {}

  /** True when the batch has no message. */
  isEmpty(): boolean {
    return this.messages.length === 0;
  }

  /** Offset of the first message, or null for an empty batch. */
  firstOffset(): string | null {
    return this.messages.length === 0 ? null : this.messages[0]!.offset;
  }

  /** Offset of the last message; for an empty batch, the high watermark minus one, as in KafkaJS. */
  lastOffset(): string {
    const last = this.messages[this.messages.length - 1];
    return last === undefined ? (BigInt(this.highWatermark) - 1n).toString() : last.offset;
  }

  /** Messages between the last message of the batch and the end of the partition: `highWatermark - 1 - lastOffset`. */
  offsetLag(): string {
    return (BigInt(this.highWatermark) - 1n - BigInt(this.lastOffset())).toString();
  }

  /** Messages between the first message of the batch and the end of the partition; '0' for an empty batch. */
  offsetLagLow(): string {
    const first = this.firstOffset();
    return first === null ? '0' : (BigInt(this.highWatermark) - 1n - BigInt(first)).toString();
  }
}
