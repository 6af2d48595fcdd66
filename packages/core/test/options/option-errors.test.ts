import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Admin,
  ConfigError,
  Consumer,
  type ConsumerOptions,
  InvalidArgumentError,
  Producer,
  type ProducerOptions,
  stringDeserializer,
} from '../../src/index.js';

// Options as a JavaScript caller, or a configuration read at run time, would pass them: TypeScript would reject
// these typos in an object literal, but not in an object built elsewhere.
const asProducerOptions = (options: Record<string, unknown>) => options as unknown as ProducerOptions;
const asConsumerOptions = (options: Record<string, unknown>) => options as unknown as ConsumerOptions;

let brokers: string[];
let admin: Admin;
let topic: string;

beforeAll(async () => {
  brokers = kafkaBrokers();
  admin = new Admin({ brokers, clientId: 'option-errors', logLevel: 'silent' });
  topic = uniqueName('option-errors');
  const [created] = await admin.createTopics([{ topic, numPartitions: 1 }], { waitForMetadata: true });
  if (created?.error) throw created.error;
  // One record for the consumer test to read.
  const producer = new Producer({ brokers, logLevel: 'error' });
  try {
    await producer.send({ topic, value: 'written' });
  } finally {
    await producer.close();
  }
});

afterAll(async () => {
  await admin?.close();
});

/** The error `create` throws, and how long it took. */
function thrown(create: () => unknown): { error: unknown; ms: number } {
  const started = performance.now();
  try {
    create();
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('expected the call to throw');
}

describe('options with a mistake fail at once, against a real broker', () => {
  it('a producer with a typo fails at construction with ConfigError; with the right name it sends', async () => {
    const { error, ms } = thrown(() => new Producer(asProducerOptions({ brokers, ackss: 'all', logLevel: 'error' })));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('ERR_CONFIG');
    expect((error as Error).message).toBe("Unknown producer option 'ackss'; did you mean 'acks'?");
    expect(ms).toBeLessThan(100);

    expect(() => new Producer(asProducerOptions({ brokers, 'linger.ms': 5 }))).toThrow(
      "Unknown producer option 'linger.ms': that is the Java name; use lingerMs",
    );
    expect(() => new Producer(asProducerOptions({ brokers, timeout: 5000 }))).toThrow(
      /Unknown producer option 'timeout'; did you mean 'requestTimeoutMs'/,
    );

    const producer = new Producer({ brokers, acks: 'all', lingerMs: 5, logLevel: 'error' });
    try {
      const metadata = await producer.send({ topic, value: 'checked' });
      expect(metadata.offset).toBeGreaterThanOrEqual(0n);
      await expect(producer.flush({ timeout: 1000 } as never)).rejects.toThrow(InvalidArgumentError);
      await expect(producer.flush({ timeoutMs: 10_000 })).resolves.toBeUndefined();
    } finally {
      await producer.close();
    }
  });

  it('a consumer with a typo fails at construction with ConfigError; with the right name it reads', async () => {
    const groupId = uniqueName('option-errors-group');
    const { error } = thrown(() => new Consumer(asConsumerOptions({ brokers, groupID: groupId })));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe("Unknown consumer option 'groupID'; did you mean 'groupId'?");
    expect(() => new Consumer(asConsumerOptions({ brokers, groupId, 'auto.offset.reset': 'earliest' }))).toThrow(
      "Unknown consumer option 'auto.offset.reset': that is the Java name; use autoOffsetReset",
    );

    const consumer = new Consumer({
      brokers,
      groupId,
      autoOffsetReset: 'earliest',
      valueDeserializer: stringDeserializer,
      logLevel: 'error',
    });
    try {
      consumer.subscribe([topic]);
      await expect(consumer.poll({ timeout: 100 } as never)).rejects.toThrow(
        "Unknown consumer.poll() option 'timeout'; did you mean 'timeoutMs'?",
      );
      const values: Array<string | null> = [];
      const deadline = Date.now() + 30_000;
      while (values.length === 0 && Date.now() < deadline) {
        const records = await consumer.poll({ timeoutMs: 1000 });
        for (const record of records) values.push(record.value);
      }
      expect(values).toContain('written');
    } finally {
      await consumer.close();
    }
  });

  it('an admin client with a typo fails at construction; a call with a typo fails that call, before any request', async () => {
    expect(() => new Admin(asProducerOptions({ brokers, defaultApiTimeout: 5000 }))).toThrow(ConfigError);
    expect(() => new Admin(asProducerOptions({ brokers, defaultApiTimeout: 5000 }))).toThrow(
      "Unknown admin option 'defaultApiTimeout'; did you mean 'defaultApiTimeoutMs'?",
    );
    const started = performance.now();
    await expect(admin.describeTopics([topic], { timeout: 5000 } as never)).rejects.toThrow(InvalidArgumentError);
    expect(performance.now() - started).toBeLessThan(100);
    const [described] = await admin.describeTopics([topic], { timeoutMs: 10_000 });
    expect(described?.error).toBeUndefined();
  });

  it('a wrong type is a ConfigError, never a TypeError, and broker addresses must be host:port', async () => {
    for (const bad of [123, [9092], null, { host: '127.0.0.1' }]) {
      const { error } = thrown(() => new Producer(asProducerOptions({ brokers: bad })));
      expect(error, String(bad)).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/brokers/);
    }
    expect(() => new Consumer({ brokers: 'nohostport' })).toThrow(
      "Invalid broker address 'nohostport' in brokers: the port is missing; write host:port, for example nohostport:9092",
    );
    expect(() => new Admin({ brokers: ['127.0.0.1:0'] })).toThrow(ConfigError);
    expect(() => new Producer(asProducerOptions({ brokers, lingerMs: '5' }))).toThrow(
      "Invalid producer option: lingerMs must be a non-negative integer up to 2147483647, got '5'",
    );
  });

  it('a brokers function is checked when it resolves: a bad answer fails connect() at once with ConfigError', async () => {
    const producer = new Producer({ brokers: async () => 'nohostport', logLevel: 'silent' });
    try {
      const started = performance.now();
      const error = await producer.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/'nohostport' in brokers: the port is missing/);
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      await producer.close();
    }

    // The same function giving good addresses connects.
    const good = new Admin({ brokers: async () => brokers, logLevel: 'silent' });
    try {
      await good.connect({ timeoutMs: 15_000 });
    } finally {
      await good.close();
    }
  });
});
