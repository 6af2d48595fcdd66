import { Admin, type ConsumerOptions, deserializers, Producer } from '@vltava/core';
import { vi } from 'vitest';

/** A record to write in tests. */
export interface TestRecord {
  readonly key?: string | null;
  readonly value: string | null;
}

/**
 * Creates topics (admin client) and writes records (producer) for the integration tests, through the public API
 * of `@vltava/core` only.
 */
export class TopicWriter {
  private readonly admin: Admin;
  private readonly producer: Producer<string, string>;

  constructor(brokers: string | readonly string[]) {
    this.admin = new Admin({ brokers, clientId: 'rx-tests', logLevel: 'error' });
    this.producer = new Producer<string, string>({ brokers, clientId: 'rx-tests', logLevel: 'error' });
  }

  /** Creates a topic and waits until every broker sees it. */
  async createTopic(topic: string, partitions: number): Promise<void> {
    const [result] = await this.admin.createTopics([{ topic, numPartitions: partitions }], { waitForMetadata: true });
    if (result?.error !== undefined) throw result.error;
  }

  /** Writes records to one partition, in order; throws the first failure. */
  async send(topic: string, partition: number, records: readonly TestRecord[]): Promise<void> {
    const result = await this.producer.sendBatch(
      records.map((r) => ({ topic, partition, key: r.key ?? null, value: r.value })),
    );
    if (result.firstError !== undefined) throw result.firstError;
  }

  /** Writes `count` records `prefix-<i>` with keys `k-<i>` to a partition, `chunk` at a time. */
  async sendMany(topic: string, partition: number, count: number, prefix = 'v', chunk = 5000): Promise<void> {
    for (let start = 0; start < count; start += chunk) {
      const records: TestRecord[] = [];
      for (let i = start; i < Math.min(count, start + chunk); i++)
        records.push({ key: `k-${i}`, value: `${prefix}-${i}` });
      await this.send(topic, partition, records);
    }
  }

  /** Closes the clients. */
  async close(): Promise<void> {
    await Promise.all([this.producer.close(), this.admin.close()]);
  }
}

/** Waits until `predicate` holds, checking every 20 ms, or fails after `timeoutMs` naming `what`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await predicate())) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    },
    { timeout: timeoutMs, interval: 20 },
  );
}

/**
 * Options of a test consumer in a group: reads from the earliest offset, keys and values as strings, quiet logs;
 * `extra` overrides.
 */
export function groupConsumerOptions(
  brokers: string | readonly string[],
  groupId: string,
  extra: Partial<ConsumerOptions<string | null, string | null>> = {},
): ConsumerOptions<string | null, string | null> {
  return {
    brokers: typeof brokers === 'string' ? brokers : [...brokers],
    groupId,
    autoOffsetReset: 'earliest',
    keyDeserializer: deserializers.string,
    valueDeserializer: deserializers.string,
    logLevel: 'error',
    ...extra,
  };
}
