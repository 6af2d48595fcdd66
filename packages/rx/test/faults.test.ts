/**
 * The fault matrix through @vltava/rx (see packages/core/test/faults/fault-matrix.test.ts for the core cases): a
 * misconfiguration errors the Observable with the typed error, promptly, and leaves nothing unhandled.
 */
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
import { firstValueFrom, lastValueFrom, of, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromConsumer, sendTo } from '../src/index.js';

function sasl(username: string) {
  const user = kafkaSasl().users.find((u) => u.username === username)!;
  return {
    brokers: kafkaSasl().brokers,
    sasl: { mechanism: 'SCRAM-SHA-256' as const, username: user.username, password: user.password },
    logLevel: 'silent' as const,
  };
}

async function timed<T>(work: Promise<T>): Promise<{ error: unknown; ms: number }> {
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
const consumers: Consumer[] = [];

beforeAll(async () => {
  admin = new Admin(sasl('admin'));
  denied = uniqueName('rx-fault-denied');
  open = uniqueName('rx-fault-open');
  deniedGroup = uniqueName('rx-fault-group');
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
  // The broker applies ACLs a moment after the controller commits them: wait until alice is refused.
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
  for (const c of consumers) await c.close({ timeoutMs: 5000 });
  await admin.close();
});

describe('fromConsumer', () => {
  it('errors with TopicAuthorizationFailedError for a topic the principal may not read', async () => {
    const consumer = new Consumer({ ...sasl('alice'), groupId: uniqueName('rx-fault'), autoOffsetReset: 'earliest' });
    consumers.push(consumer);
    const result = await timed(firstValueFrom(fromConsumer(consumer, { topics: [denied] })));
    expect(result.error).toBeInstanceOf(TopicAuthorizationFailedError);
    expect(result.ms).toBeLessThan(10_000);
  });

  it('errors with GroupAuthorizationFailedError for a group the principal may not join', async () => {
    const consumer = new Consumer({ ...sasl('alice'), groupId: deniedGroup, autoOffsetReset: 'earliest' });
    consumers.push(consumer);
    const result = await timed(firstValueFrom(fromConsumer(consumer, { topics: [open] })));
    expect(result.error).toBeInstanceOf(GroupAuthorizationFailedError);
    expect(result.ms).toBeLessThan(10_000);
  });
});

describe('sendTo', () => {
  it('errors with TopicAuthorizationFailedError at once for a denied topic (it waited maxBlockMs, 60 s)', async () => {
    const producer = new Producer<string, string>(sasl('alice'));
    const result = await timed(lastValueFrom(of('a', 'b').pipe(sendTo(producer, { topic: denied }), toArray())));
    expect(result.error).toBeInstanceOf(TopicAuthorizationFailedError);
    expect(result.ms).toBeLessThan(5_000);
    await producer.close();
  });

  it("with errors: 'emit', an invalid topic fails its own records only", async () => {
    const producer = new Producer<string, string>({ brokers: kafkaBrokers(), logLevel: 'silent' });
    const results = await lastValueFrom(
      of('bad', 'good').pipe(
        sendTo(producer, (value: string) => ({ topic: value === 'bad' ? 'a b' : open, value }), { errors: 'emit' }),
        toArray(),
      ),
    );
    expect(results).toHaveLength(2);
    const bad = results.find((r) => r.source === 'bad')!;
    const good = results.find((r) => r.source === 'good')!;
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toBeInstanceOf(InvalidTopicError);
    expect(good.ok).toBe(true);
    await producer.close();
  });
});
