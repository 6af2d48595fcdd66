import { Consumer, Admin as CoreAdmin } from '@vltava/core';
import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { vi } from 'vitest';
import { type Admin, Kafka, type KafkaConfig, logLevel } from '../src/index.js';

/** The shared broker's addresses. */
export const brokers = kafkaBrokers();

/** A `Kafka` instance on the shared broker, quiet unless a test asks for logs. */
export function kafka(extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({ brokers, clientId: uniqueName('kjs'), logLevel: logLevel.NOTHING, ...extra });
}

/** Creates topics (waiting for their leaders) with the facade's own admin client. */
export async function createTopic(admin: Admin, topic: string, numPartitions = 1): Promise<void> {
  const created = await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  if (!created) throw new Error(`topic ${topic} existed already`);
}

/** Waits until `predicate` holds, checking every 20 ms, or fails after `timeoutMs` naming `what`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await predicate())) throw new Error(`still waiting for ${what}`);
    },
    { timeout: timeoutMs, interval: 20 },
  );
}

/** A promise with its resolver, for events a test waits for. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export { uniqueName };

/** A message as read back by the engine's consumer, for checking what the facade wrote. */
export interface StoredMessage {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null;
  readonly value: string | null;
  readonly timestamp: number;
  readonly headers: ReadonlyArray<{ key: string; value: string | null }>;
}

/**
 * Reads a whole topic up to its end offsets (last stable offsets under `read_committed`) with the engine's consumer
 * (no group): an oracle independent of the facade's consumer.
 */
export async function readTopic(
  topic: string,
  isolationLevel: 'read_committed' | 'read_uncommitted' = 'read_uncommitted',
): Promise<StoredMessage[]> {
  const consumer = new Consumer({ brokers, isolationLevel, autoOffsetReset: 'earliest', logLevel: 'error' });
  try {
    const partitions = (await consumer.partitionsFor(topic)).map((p) => ({ topic, partition: p.partition }));
    consumer.assign(partitions);
    const ends = await consumer.endOffsets(partitions);
    const out: StoredMessage[] = [];
    const reached = async () => {
      for (const end of ends) if ((await consumer.position(end)) < end.offset) return false;
      return true;
    };
    const signal = AbortSignal.timeout(60_000);
    if (!(await reached())) {
      for await (const batch of consumer.batches({ signal })) {
        for (const r of batch) {
          out.push({
            partition: r.partition,
            offset: r.offset,
            key: r.key?.toString() ?? null,
            value: r.value?.toString() ?? null,
            timestamp: r.timestamp,
            headers: r.headers.map((h) => ({ key: h.key, value: h.value?.toString() ?? null })),
          });
        }
        if (await reached()) break;
      }
    }
    return out;
  } finally {
    await consumer.close();
  }
}

/** A group's committed offsets of a topic, by partition (`null` where none), read with the engine's admin. */
export async function committedOffsets(groupId: string, topic: string): Promise<Map<number, bigint | null>> {
  const admin = new CoreAdmin({ brokers, logLevel: 'error' });
  try {
    const [result] = await admin.listGroupOffsets([groupId]);
    if (result === undefined || result.error !== undefined) throw result?.error ?? new Error('no result');
    const map = new Map<number, bigint | null>();
    for (const o of result.offsets) if (o.topic === topic && o.error === undefined) map.set(o.partition, o.offset);
    return map;
  } finally {
    await admin.close();
  }
}
