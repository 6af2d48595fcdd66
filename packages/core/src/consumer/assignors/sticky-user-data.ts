import { groupByTopic, type TopicPartition } from '../../vocabulary/topic-partition.js';
import { compareStrings } from './assignment-order.js';

/**
 * User data of the eager `sticky` assignor, in the Java client's `StickyAssignor` format so that Vltava and Java
 * members can share a group: version 1 of the struct
 *
 * ```
 * previous_assignment: [{ topic: STRING (int16 length + UTF-8), partitions: [INT32] }]   (int32 counts)
 * generation: INT32
 * ```
 *
 * Version 0 is the same without `generation`.
 */
export interface StickyUserData {
  /** The member's assignment in its last generation. */
  readonly partitions: TopicPartition[];
  /** That generation; `null` in version 0 data, which does not carry it. */
  readonly generation: number | null;
}

/** Encodes a member's last assignment and its generation (version 1). */
export function encodeStickyUserData(partitions: readonly TopicPartition[], generation: number): Buffer {
  const byTopic = groupByTopic(partitions);
  const topics = [...byTopic.keys()].sort(compareStrings);
  const names = topics.map((topic) => Buffer.from(topic, 'utf8'));
  let size = 4 + 4;
  topics.forEach((topic, i) => {
    size += 2 + names[i]!.length + 4 + 4 * byTopic.get(topic)!.length;
  });
  const buffer = Buffer.allocUnsafe(size);
  let offset = buffer.writeInt32BE(topics.length, 0);
  topics.forEach((topic, i) => {
    const name = names[i]!;
    offset = buffer.writeInt16BE(name.length, offset);
    offset += name.copy(buffer, offset);
    const list = byTopic.get(topic)!.sort((a, b) => a - b);
    offset = buffer.writeInt32BE(list.length, offset);
    for (const partition of list) offset = buffer.writeInt32BE(partition, offset);
  });
  buffer.writeInt32BE(generation, offset);
  return buffer;
}

/**
 * Decodes `sticky` user data of version 1 or 0, as the Java client does: a buffer that ends before `generation`
 * is version 0. Returns `null` for bytes that are neither (Java then ignores the member's previous assignment).
 */
export function decodeStickyUserData(data: Buffer): StickyUserData | null {
  let offset = 0;
  const need = (bytes: number): boolean => bytes >= 0 && offset + bytes <= data.length;
  if (!need(4)) return null;
  const topicCount = data.readInt32BE(offset);
  offset += 4;
  if (topicCount < 0) return null;
  const partitions: TopicPartition[] = [];
  for (let i = 0; i < topicCount; i++) {
    if (!need(2)) return null;
    const nameLength = data.readInt16BE(offset);
    offset += 2;
    if (!need(nameLength)) return null;
    const topic = data.toString('utf8', offset, offset + nameLength);
    offset += nameLength;
    if (!need(4)) return null;
    const count = data.readInt32BE(offset);
    offset += 4;
    if (count < 0 || !need(4 * count)) return null;
    for (let j = 0; j < count; j++) {
      partitions.push({ topic, partition: data.readInt32BE(offset) });
      offset += 4;
    }
  }
  const generation = need(4) ? data.readInt32BE(offset) : null;
  return { partitions, generation };
}

/**
 * User data of the `cooperative-sticky` assignor, as the Java client's `CooperativeStickyAssignor` writes it: the
 * member's generation as one INT32. Leaders read it only from members whose subscription (v0, v1) has no
 * generation field.
 */
export function encodeCooperativeStickyUserData(generation: number): Buffer {
  const buffer = Buffer.allocUnsafe(4);
  buffer.writeInt32BE(generation, 0);
  return buffer;
}

/** Reads the generation from `cooperative-sticky` user data; `-1` (unknown) when absent or unreadable. */
export function decodeCooperativeStickyUserData(data: Buffer | null): number {
  return data !== null && data.length >= 4 ? data.readInt32BE(0) : -1;
}
