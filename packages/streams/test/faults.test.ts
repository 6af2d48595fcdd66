/**
 * The fault matrix through @vltava/streams (see packages/core/test/faults/fault-matrix.test.ts for the core cases):
 * a misconfiguration destroys the stream with the typed error, promptly, so `pipeline` rejects with it.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  Admin,
  Consumer,
  GroupAuthorizationFailedError,
  InvalidTopicError,
  Producer,
  TopicAuthorizationFailedError,
  unwrapResults,
} from '@vltava/core';
import { kafkaBrokers, kafkaSasl, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommitStream, createReadStream, createWriteStream } from '../src/index.js';

function sasl(username: string) {
  const user = kafkaSasl().users.find((u) => u.username === username)!;
  return {
    brokers: kafkaSasl().brokers,
    sasl: { mechanism: 'SCRAM-SHA-256' as const, username: user.username, password: user.password },
    logLevel: 'silent' as const,
  };
}

async function timed(work: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await work;
    return { error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

let admin: Admin;
let denied: string;
let open: string;
let deniedGroup: string;

beforeAll(async () => {
  admin = new Admin(sasl('admin'));
  denied = uniqueName('streams-fault-denied');
  open = uniqueName('streams-fault-open');
  deniedGroup = uniqueName('streams-fault-group');
  unwrapResults(
    await admin.createTopics(
      [
        { topic: denied, numPartitions: 1 },
        { topic: open, numPartitions: 1 },
      ],
      { waitForMetadata: true },
    ),
  );
  for (const [resourceType, resourceName] of [
    ['topic', denied],
    ['group', deniedGroup],
  ] as const) {
    unwrapResults(
      await admin.createAcls([
        { resourceType, resourceName, principal: 'User:bob', operation: 'all', permission: 'allow' },
      ]),
    );
  }
  const probe = new Producer(sasl('alice'));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const result = await timed(probe.partitionsFor(denied));
    if (result.error instanceof TopicAuthorizationFailedError) break;
    if (Date.now() > deadline) throw new Error('the ACL never applied');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await probe.close();
});

afterAll(async () => {
  await admin.close();
});

describe('createReadStream', () => {
  it.each([
    [
      'a topic the principal may not read',
      () => denied,
      () => uniqueName('streams-fault'),
      TopicAuthorizationFailedError,
    ],
    ['a group the principal may not join', () => open, () => deniedGroup, GroupAuthorizationFailedError],
  ] as const)('makes the pipeline reject for %s', async (_case, topic, group, expected) => {
    const consumer = new Consumer({ ...sasl('alice'), groupId: group(), autoOffsetReset: 'earliest' });
    consumer.subscribe([topic()]);
    const result = await timed(pipeline(createReadStream(consumer), createCommitStream(consumer)));
    expect(result.error).toBeInstanceOf(expected);
    expect(result.ms).toBeLessThan(10_000);
  });
});

describe('createWriteStream', () => {
  it('makes the pipeline reject at once for a denied topic (it waited maxBlockMs, 60 s)', async () => {
    const producer = new Producer<string, string>(sasl('alice'));
    const result = await timed(pipeline(Readable.from(['a', 'b']), createWriteStream(producer, { topic: denied })));
    expect(result.error).toBeInstanceOf(TopicAuthorizationFailedError);
    expect(result.ms).toBeLessThan(5_000);
    await producer.close();
  });

  it('makes the pipeline reject with InvalidTopicError for an invalid name', async () => {
    const producer = new Producer<string, string>({ brokers: kafkaBrokers(), logLevel: 'silent' });
    const result = await timed(pipeline(Readable.from(['a']), createWriteStream(producer, { topic: 'a/b' })));
    expect(result.error).toBeInstanceOf(InvalidTopicError);
    expect(result.ms).toBeLessThan(1_000);
    await producer.close();
  });
});
