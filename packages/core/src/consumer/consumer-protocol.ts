import {
  type ConsumerProtocolAssignment,
  decodeConsumerProtocolAssignment,
  encodeConsumerProtocolAssignment,
} from '../protocol/messages/generated/consumer-protocol-assignment.js';
import {
  type ConsumerProtocolSubscription,
  decodeConsumerProtocolSubscription,
  encodeConsumerProtocolSubscription,
} from '../protocol/messages/generated/consumer-protocol-subscription.js';
import { Reader } from '../protocol/primitives/reader.js';
import { Writer } from '../protocol/primitives/writer.js';
import { groupByTopic, type TopicPartition } from '../vocabulary/topic-partition.js';

/** Protocol type of consumer groups in JoinGroup/SyncGroup. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** Highest version of the embedded consumer protocol payloads this client writes (and fully reads). */
export const CONSUMER_PROTOCOL_VERSION = 3;

/** A member's subscription as the classic protocol carries it in JoinGroup (`ConsumerProtocolSubscription`). */
export interface Subscription {
  readonly topics: readonly string[];
  readonly userData: Buffer | null;
  readonly ownedPartitions: readonly TopicPartition[];
  readonly generationId: number;
  readonly rackId: string | null;
}

/** A member's assignment as SyncGroup carries it (`ConsumerProtocolAssignment`). */
export interface Assignment {
  readonly partitions: readonly TopicPartition[];
  readonly userData: Buffer | null;
}

/**
 * Encodes a subscription as the `metadata` of a JoinGroup protocol: an int16 version, then the
 * `ConsumerProtocolSubscription` of that version (always the latest, 3, as the Java client writes).
 */
export function encodeSubscription(subscription: Subscription): Buffer {
  const writer = new Writer(64);
  writer.writeInt16(CONSUMER_PROTOCOL_VERSION);
  const message: ConsumerProtocolSubscription = {
    topics: subscription.topics,
    userData: subscription.userData,
    ownedPartitions: [...groupByTopic(subscription.ownedPartitions)].map(([topic, partitions]) => ({
      topic,
      partitions,
    })),
    generationId: subscription.generationId,
    rackId: subscription.rackId,
  };
  encodeConsumerProtocolSubscription(writer, CONSUMER_PROTOCOL_VERSION, message);
  return writer.toBuffer();
}

/**
 * Decodes a member's JoinGroup metadata. Versions above 3 (a newer client in the group) are read as version 3:
 * the protocol only ever appends fields, so the known ones come first.
 */
export function decodeSubscription(bytes: Buffer): Subscription {
  const reader = new Reader(bytes);
  const version = Math.min(reader.readInt16('version'), CONSUMER_PROTOCOL_VERSION);
  const message = decodeConsumerProtocolSubscription(reader, Math.max(0, version));
  const ownedPartitions: TopicPartition[] = [];
  for (const owned of message.ownedPartitions ?? []) {
    for (const partition of owned.partitions) ownedPartitions.push({ topic: owned.topic, partition });
  }
  return {
    topics: message.topics,
    userData: message.userData ?? null,
    ownedPartitions,
    generationId: message.generationId ?? -1,
    rackId: message.rackId ?? null,
  };
}

/** Encodes an assignment for SyncGroup (version 3 of `ConsumerProtocolAssignment`, with its int16 prefix). */
export function encodeAssignment(assignment: Assignment): Buffer {
  const writer = new Writer(64);
  writer.writeInt16(CONSUMER_PROTOCOL_VERSION);
  const message: ConsumerProtocolAssignment = {
    assignedPartitions: [...groupByTopic(assignment.partitions)].map(([topic, partitions]) => ({
      topic,
      partitions,
    })),
    userData: assignment.userData,
  };
  encodeConsumerProtocolAssignment(writer, CONSUMER_PROTOCOL_VERSION, message);
  return writer.toBuffer();
}

/** Decodes the assignment SyncGroup returned. An empty buffer (no assignment) is an empty assignment. */
export function decodeAssignment(bytes: Buffer): Assignment {
  if (bytes.length === 0) return { partitions: [], userData: null };
  const reader = new Reader(bytes);
  const version = Math.min(reader.readInt16('version'), CONSUMER_PROTOCOL_VERSION);
  const message = decodeConsumerProtocolAssignment(reader, Math.max(0, version));
  const partitions: TopicPartition[] = [];
  for (const assigned of message.assignedPartitions) {
    for (const partition of assigned.partitions) partitions.push({ topic: assigned.topic, partition });
  }
  return { partitions, userData: message.userData ?? null };
}
