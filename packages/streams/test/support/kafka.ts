import {
  Admin,
  Consumer,
  type ConsumerOptions,
  type ConsumerRecord,
  deserializers,
  Producer,
  type ProducerRecord,
  type TopicPartition,
} from '@vltava/core';

/** Waits until `predicate` holds, checking every few milliseconds, or fails after `timeoutMs` naming `what`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Checks that `check` keeps passing for `ms` milliseconds (a bounded observation that something does not happen,
 * such as a buffer growing past its bound), checking every few milliseconds.
 */
export async function holdsFor(ms: number, check: () => void): Promise<void> {
  const end = Date.now() + ms;
  do {
    check();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } while (Date.now() < end);
  check();
}

/** Writes test data through the public clients: topics (`Admin`) and records (`Producer`). */
export class TestData {
  private readonly brokers: string;
  private readonly producer: Producer<string, string | Buffer>;

  constructor(brokers: string) {
    this.brokers = brokers;
    this.producer = new Producer<string, string | Buffer>({ brokers, logLevel: 'error', lingerMs: 5 });
  }

  /** Creates a topic and waits until every broker knows it. */
  async createTopic(topic: string, partitions: number, configs: Record<string, string> = {}): Promise<void> {
    const admin = new Admin({ brokers: this.brokers, logLevel: 'error' });
    try {
      const [result] = await admin.createTopics([{ topic, numPartitions: partitions, configs }], {
        waitForMetadata: true,
      });
      if (result?.error !== undefined) throw result.error;
    } finally {
      await admin.close();
    }
  }

  /** Writes `count` records to each partition: values `p<partition>-<i>`, keys `k-<i>`. */
  async fill(topic: string, partitions: number, count: number): Promise<void> {
    for (let p = 0; p < partitions; p++) {
      await this.send(
        Array.from({ length: count }, (_, i) => ({ topic, partition: p, key: `k-${i}`, value: `p${p}-${i}` })),
      );
    }
  }

  /** Writes `count` records with the same value to each partition. */
  async fillValues(topic: string, partitions: number, count: number, value: Buffer): Promise<void> {
    for (let p = 0; p < partitions; p++) {
      await this.send(Array.from({ length: count }, () => ({ topic, partition: p, value })));
    }
  }

  private async send(records: ReadonlyArray<ProducerRecord<string, string | Buffer>>): Promise<void> {
    const result = await this.producer.sendBatch(records);
    if (result.firstError !== undefined) throw result.firstError;
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}

/** The group's committed offset of each partition (`-1n` where none), read by a fresh consumer of the group. */
export async function committedOffsets(
  brokers: string,
  groupId: string,
  partitions: readonly TopicPartition[],
): Promise<bigint[]> {
  const consumer = new Consumer({ brokers, groupId, logLevel: 'error' });
  try {
    const committed = await consumer.committed(partitions);
    return committed.map((c) => c.offset ?? -1n);
  } finally {
    await consumer.close();
  }
}

/**
 * Reads a whole topic from the beginning with a fresh consumer (no group) up to its end offsets at the time of the
 * call; values as strings.
 */
export async function readAll(
  brokers: string,
  topic: string,
): Promise<Array<ConsumerRecord<string | null, string | null>>> {
  const consumer = new Consumer({
    brokers,
    autoOffsetReset: 'earliest',
    logLevel: 'error',
    keyDeserializer: deserializers.string,
    valueDeserializer: deserializers.string,
  });
  try {
    const partitions = (await consumer.partitionsFor(topic)).map((p) => ({ topic, partition: p.partition }));
    consumer.assign(partitions);
    const ends = await consumer.endOffsets(partitions);
    const records: Array<ConsumerRecord<string | null, string | null>> = [];
    const reached = async () => {
      for (const end of ends) if ((await consumer.position(end)) < end.offset) return false;
      return true;
    };
    if (await reached()) return records;
    for await (const batch of consumer.batches({ signal: AbortSignal.timeout(60_000) })) {
      records.push(...batch);
      if (await reached()) break;
    }
    if (!(await reached())) throw new Error(`could not read ${topic} to its end within 60 s`);
    return records;
  } finally {
    await consumer.close();
  }
}

/** Sum of the end offsets of a topic's partitions (records written, on a topic never compacted or truncated). */
export async function endOffsetTotal(brokers: string, topic: string): Promise<bigint> {
  const consumer = new Consumer({ brokers, logLevel: 'error' });
  try {
    const partitions = (await consumer.partitionsFor(topic)).map((p) => ({ topic, partition: p.partition }));
    const ends = await consumer.endOffsets(partitions);
    return ends.reduce((sum, e) => sum + e.offset, 0n);
  } finally {
    await consumer.close();
  }
}

/** A consumer for tests, closed by {@link closeAll}. */
export function testConsumer<K = Buffer | null, V = Buffer | null>(
  opened: Array<Consumer<unknown, unknown>>,
  options: ConsumerOptions<K, V>,
): Consumer<K, V> {
  const consumer = new Consumer<K, V>({ autoOffsetReset: 'earliest', logLevel: 'error', ...options });
  opened.push(consumer as Consumer<unknown, unknown>);
  return consumer;
}

/** Closes every consumer opened for a suite. */
export async function closeAll(opened: Array<Consumer<unknown, unknown>>): Promise<void> {
  await Promise.all(opened.splice(0).map((c) => c.close()));
}
