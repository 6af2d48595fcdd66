import { randomBytes } from 'node:crypto';
import type { PartitionMetadata } from '../consumer/assigners.js';
import { murmur2 } from '../core.js';
import type { Message } from './message.js';

/** What a partitioner gets for each message. */
export interface PartitionerArgs {
  topic: string;
  partitionMetadata: PartitionMetadata[];
  message: Message;
}

/** A partitioner factory: called once per producer, it returns the function that picks each message's partition. */
export type ICustomPartitioner = () => (args: PartitionerArgs) => number;
/** KafkaJS's default partitioner (Java-compatible murmur2 for keys). */
export type DefaultPartitioner = ICustomPartitioner;
/** KafkaJS 1.x's partitioner (its own murmur2 variant for keys). */
export type LegacyPartitioner = ICustomPartitioner;

function keyBytes(key: Buffer | string): Buffer {
  return Buffer.isBuffer(key) ? key : Buffer.from(String(key));
}

/**
 * The murmur2 of KafkaJS 1.x's partitioner. It computes in floating point where Java computes in 32-bit integers,
 * so for most keys it gives another hash than Java (and than the default partitioner); producers that must keep
 * placing keys where KafkaJS 1.x did use it. Written here from the arithmetic it performs, which is JavaScript's
 * and so reproducible exactly.
 */
export function legacyMurmur2(data: Buffer): number {
  const seed = 0x9747b28c;
  const m = 0x5bd1e995;
  const length = data.length;
  let h = seed ^ length;
  // The loop bound is length / 4 unrounded: a trailing partial block is read too (missing bytes count as 0).
  const blocks = length / 4;
  for (let i = 0; i < blocks; i++) {
    const at = i * 4;
    let k =
      ((data[at] ?? 0) & 0xff) +
      (((data[at + 1] ?? 0) & 0xff) << 8) +
      (((data[at + 2] ?? 0) & 0xff) << 16) +
      (((data[at + 3] ?? 0) & 0xff) << 24);
    k *= m;
    k ^= k >>> 24;
    k *= m;
    h *= m;
    h ^= k;
  }
  const tail = length & ~3;
  // The tail bytes fold in from the last one down, as murmur2's fall-through switch does.
  const rest = length % 4;
  if (rest >= 3) h ^= ((data[tail + 2] ?? 0) & 0xff) << 16;
  if (rest >= 2) h ^= ((data[tail + 1] ?? 0) & 0xff) << 8;
  if (rest >= 1) {
    h ^= (data[tail] ?? 0) & 0xff;
    h *= m;
  }
  h ^= h >>> 13;
  h *= m;
  h ^= h >>> 15;
  return h;
}

/**
 * KafkaJS's partitioning rule, given a hash of keys: a message's own `partition` wins; a keyed message goes to
 * `hash(key) & 0x7fffffff` modulo the partition count; a message without a key goes round robin over the
 * partitions that have a leader (all of them when none has), from a random start per topic.
 */
function createPartitioner(hash: (key: Buffer) => number): ICustomPartitioner {
  return () => {
    const counters = new Map<string, number>();
    // The partitions with a leader, computed once per metadata array (KafkaJS filters them for every message).
    const available = new WeakMap<PartitionMetadata[], PartitionMetadata[]>();
    const availableOf = (partitionMetadata: PartitionMetadata[]) => {
      let list = available.get(partitionMetadata);
      if (list === undefined) {
        list = partitionMetadata.filter((p) => p.leader >= 0);
        available.set(partitionMetadata, list);
      }
      return list;
    };
    return ({ topic, partitionMetadata, message }) => {
      let counter = counters.get(topic);
      if (counter === undefined) counter = randomBytes(4).readUInt32BE(0);
      if (message.partition !== null && message.partition !== undefined) {
        counters.set(topic, counter);
        return message.partition;
      }
      const count = partitionMetadata.length;
      if (message.key !== null && message.key !== undefined) {
        counters.set(topic, counter);
        return (hash(keyBytes(message.key)) & 0x7fffffff) % count;
      }
      counter++;
      counters.set(topic, counter);
      const withLeader = availableOf(partitionMetadata);
      if (withLeader.length > 0) return withLeader[(counter & 0x7fffffff) % withLeader.length]!.partitionId;
      return (counter & 0x7fffffff) % count;
    };
  };
}

const defaultPartitioner = createPartitioner((key) => murmur2(key));
const legacyPartitioner = createPartitioner(legacyMurmur2);

/** KafkaJS's partitioners. `DefaultPartitioner` places keys as the Java client does. */
export const Partitioners: {
  DefaultPartitioner: DefaultPartitioner;
  LegacyPartitioner: LegacyPartitioner;
  /** @deprecated KafkaJS renamed it `DefaultPartitioner` in 2.0.0. */
  JavaCompatiblePartitioner: DefaultPartitioner;
} = {
  DefaultPartitioner: defaultPartitioner,
  LegacyPartitioner: legacyPartitioner,
  JavaCompatiblePartitioner: defaultPartitioner,
};
