import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { vi } from 'vitest';
import { type Admin, Kafka, type KafkaConfig, logLevel } from '../src/index.js';

/** The shared broker's addresses. */
export const brokers = kafkaBrokers();

/** A `Kafka` instance on the shared broker, quiet unless a test asks for logs. */
export function kafka(extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({ brokers, clientId: uniqueName('kjs'), logLevel: logLevel.ERROR, ...extra });
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
