import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Admin,
  AssignerProtocol,
  type Consumer,
  type ConsumerConfig,
  type EachBatchPayload,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  type KafkaMessage,
  type Producer,
} from '../src/index.js';
import { committedOffsets, createTopic, deferred, kafka, uniqueName, waitFor } from './support.js';

describe('consumer against the broker', () => {
  const client = kafka();
  let admin: Admin;
  let producer: Producer;
  const consumers: Consumer[] = [];
  const consumer = (config: Partial<ConsumerConfig> = {}) => {
    const c = client.consumer({ groupId: uniqueName('g'), maxWaitTimeInMs: 100, ...config });
    consumers.push(c);
    return c;
  };
  const produce = async (topic: string, count: number, partition = 0, prefix = 'm') => {
    await producer.send({
      topic,
      messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `${prefix}-${i}`, partition })),
    });
  };
  const values = (messages: KafkaMessage[]) => messages.map((m) => m.value?.toString());

  beforeAll(async () => {
    admin = client.admin();
    await admin.connect();
    producer = client.producer();
    await producer.connect();
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.disconnect()));
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
  });

  it('eachMessage gets every message in partition order with KafkaJS shapes, then commits the offsets', async () => {
    const topic = uniqueName('kjs-each');
    await createTopic(admin, topic, 2);
    await producer.send({
      topic,
      messages: [
        { key: 'a', value: '0', partition: 0, headers: { h: 'one', r: ['x', 'y'] }, timestamp: '1600000000000' },
        { key: 'b', value: '1', partition: 0 },
        { key: 'c', value: '2', partition: 1 },
      ],
    });
    const groupId = uniqueName('g');
    const c = consumer({ groupId });
    const joined: Array<Record<string, number[]>> = [];
    c.on(c.events.GROUP_JOIN, (e) => joined.push(e.payload.memberAssignment));
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    const seen: Array<{ topic: string; partition: number; message: KafkaMessage }> = [];
    await c.run({
      eachMessage: async ({ topic: t, partition, message }) => {
        seen.push({ topic: t, partition, message });
      },
    });
    // run() resolves once the member joined its group, with its assignment announced.
    expect(joined).toEqual([{ [topic]: [0, 1] }]);
    await waitFor(() => seen.length === 3, 'three messages');
    const first = seen.find((s) => s.message.offset === '0' && s.partition === 0)!.message;
    expect(first.key).toEqual(Buffer.from('a'));
    expect(first.value).toEqual(Buffer.from('0'));
    expect(first.timestamp).toBe('1600000000000');
    expect(first.headers).toEqual({ h: Buffer.from('one'), r: [Buffer.from('x'), Buffer.from('y')] });
    expect(seen.filter((s) => s.partition === 0).map((s) => s.message.offset)).toEqual(['0', '1']);
    await waitFor(async () => {
      const committed = await committedOffsets(groupId, topic);
      return committed.get(0) === 2n && committed.get(1) === 1n;
    }, 'offsets committed after the batches');
  });

  it('fromBeginning false reads only what is produced after run() resolves', async () => {
    const topic = uniqueName('kjs-latest');
    await createTopic(admin, topic, 1);
    await produce(topic, 3, 0, 'old');
    const c = consumer();
    await c.subscribe({ topic });
    const seen: KafkaMessage[] = [];
    await c.run({ eachMessage: async ({ message }) => void seen.push(message) });
    await produce(topic, 2, 0, 'new');
    await waitFor(() => seen.length === 2, 'the two new messages');
    expect(values(seen)).toEqual(['new-0', 'new-1']);
  });

  it('eachBatch: resolveOffset commits what was resolved; unresolved messages come again', async () => {
    const topic = uniqueName('kjs-batch');
    await createTopic(admin, topic, 1);
    await produce(topic, 10);
    const groupId = uniqueName('g');
    const c = consumer({ groupId });
    await c.subscribe({ topics: [topic], fromBeginning: true });
    const batches: Array<{ first: string | null; last: string; size: number; hw: string }> = [];
    const processed: string[] = [];
    const done = deferred();
    await c.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, isRunning, isStale }: EachBatchPayload) => {
        batches.push({
          first: batch.firstOffset(),
          last: batch.lastOffset(),
          size: batch.messages.length,
          hw: batch.highWatermark,
        });
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) break;
          processed.push(message.offset);
          resolveOffset(message.offset);
          // Leave the rest of the first batch unresolved.
          if (batches.length === 1 && message.offset === '3') break;
        }
        if (processed.length >= 10 && processed.at(-1) === '9') done.resolve();
      },
    });
    await done.promise;
    expect(batches[0]).toMatchObject({ first: '0', hw: '10' });
    // The messages after offset 3 were not resolved, so they were delivered again, from offset 4.
    expect(batches[1]!.first).toBe('4');
    expect(processed).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    await waitFor(async () => (await committedOffsets(groupId, topic)).get(0) === 10n, 'offset 10 committed');
  });

  it('autoCommitThreshold commits every N resolved messages within a batch', async () => {
    const topic = uniqueName('kjs-threshold');
    await createTopic(admin, topic, 1);
    await produce(topic, 25);
    const c = consumer();
    const commits: string[] = [];
    c.on(c.events.COMMIT_OFFSETS, (e) => {
      for (const t of e.payload.topics) for (const p of t.partitions) commits.push(p.offset);
    });
    await c.subscribe({ topics: [topic], fromBeginning: true });
    let count = 0;
    await c.run({ autoCommitThreshold: 10, eachMessage: async () => void count++ });
    await waitFor(() => count === 25 && commits.includes('25'), 'all messages and the final commit');
    expect(commits.slice(0, 2)).toEqual(['10', '20']);
  });

  it('eachBatch helpers: uncommittedOffsets, commitOffsetsIfNecessary by threshold, and explicit offsets', async () => {
    const topic = uniqueName('kjs-helpers');
    await createTopic(admin, topic, 1);
    await produce(topic, 6);
    const groupId = uniqueName('g');
    const c = consumer({ groupId });
    await c.subscribe({ topics: [topic], fromBeginning: true });
    const pending: string[][] = [];
    const done = deferred();
    await c.run({
      autoCommit: false,
      autoCommitThreshold: 4,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, uncommittedOffsets }) => {
        for (const message of batch.messages) {
          resolveOffset(message.offset);
          pending.push(uncommittedOffsets().topics.flatMap((t) => t.partitions.map((p) => p.offset)));
          // With autoCommit false, commitOffsetsIfNecessary() still commits when the threshold is reached.
          await commitOffsetsIfNecessary();
        }
        if (batch.lastOffset() === '5') {
          await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition: 0, offset: '5' }] }] });
          done.resolve();
        }
      },
    });
    await done.promise;
    expect(pending[0]).toEqual(['1']);
    expect(pending[3]).toEqual(['4']);
    // After the threshold commit at 4, offset 5 was pending again.
    expect(pending[4]).toEqual(['5']);
    expect((await committedOffsets(groupId, topic)).get(0)).toBe(5n);
  });

  it('autoCommitInterval commits within a batch once the interval passed', async () => {
    const topic = uniqueName('kjs-interval');
    await createTopic(admin, topic, 1);
    await produce(topic, 4);
    const c = consumer();
    const commits: string[] = [];
    c.on(c.events.COMMIT_OFFSETS, (e) => commits.push(e.payload.topics[0]!.partitions[0]!.offset));
    await c.subscribe({ topics: [topic], fromBeginning: true });
    let count = 0;
    await c.run({
      autoCommitInterval: 50,
      eachMessage: async ({ message }) => {
        count++;
        // The second message takes longer than the interval, so a commit follows it before the batch ends.
        if (message.offset === '1') await new Promise((resolve) => setTimeout(resolve, 120));
      },
    });
    await waitFor(() => count === 4 && commits.includes('4'), 'all messages and the end-of-batch commit');
    // The four messages came in one batch, whose own commit is '4': '2' was committed by the interval, mid-batch.
    expect(commits).toContain('2');
  });

  it('emits batch, fetch and heartbeat events with KafkaJS payloads', async () => {
    const topic = uniqueName('kjs-events');
    await createTopic(admin, topic, 1);
    await produce(topic, 3);
    const c = consumer({ heartbeatInterval: 200 });
    const starts: Array<{ firstOffset: string; lastOffset: string; batchSize: number; highWatermark: string }> = [];
    const ends: number[] = [];
    const seen = new Set<string>();
    c.on(c.events.START_BATCH_PROCESS, (e) => starts.push(e.payload));
    c.on(c.events.END_BATCH_PROCESS, (e) => ends.push(e.payload.duration));
    c.on(c.events.FETCH_START, () => seen.add('fetch_start'));
    c.on(c.events.FETCH, () => seen.add('fetch'));
    c.on(c.events.HEARTBEAT, (e) => {
      if (e.payload.memberId !== '' && e.payload.groupGenerationId >= 0) seen.add('heartbeat');
    });
    c.on(c.events.CONNECT, () => seen.add('connect'));
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await c.run({ eachBatch: async () => {} });
    await waitFor(() => seen.has('heartbeat') && starts.length > 0 && ends.length > 0, 'events');
    expect(starts[0]).toMatchObject({ firstOffset: '0', lastOffset: '2', batchSize: 3, highWatermark: '3' });
    expect([...seen].sort()).toEqual(['connect', 'fetch', 'fetch_start', 'heartbeat']);
  });

  it('autoCommit false commits nothing until commitOffsets, which commits exactly what it is given', async () => {
    const topic = uniqueName('kjs-manual');
    await createTopic(admin, topic, 1);
    await produce(topic, 5);
    const groupId = uniqueName('g');
    const c = consumer({ groupId });
    await c.subscribe({ topics: [topic], fromBeginning: true });
    let count = 0;
    await c.run({ autoCommit: false, eachMessage: async () => void count++ });
    await waitFor(() => count === 5, 'five messages');
    expect((await committedOffsets(groupId, topic)).get(0) ?? null).toBeNull();
    await c.commitOffsets([{ topic, partition: 0, offset: '3', metadata: 'checkpoint' }]);
    expect((await committedOffsets(groupId, topic)).get(0)).toBe(3n);
    await expect(c.commitOffsets([{ topic, partition: 0, offset: '-3' }])).rejects.toThrow(
      'Offset must not be a negative number',
    );
  });

  it('pause() from inside eachMessage stops the partition after that message; resume() delivers the rest once', async () => {
    const topic = uniqueName('kjs-pause');
    await createTopic(admin, topic, 2);
    await produce(topic, 6, 0, 'p0');
    await produce(topic, 6, 1, 'p1');
    const c = consumer();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    const seen: string[] = [];
    let resumePartition: (() => void) | undefined;
    await c.run({
      eachMessage: async ({ partition, message, pause }) => {
        seen.push(message.value!.toString());
        if (partition === 0 && message.offset === '2' && resumePartition === undefined) resumePartition = pause();
      },
    });
    await waitFor(() => seen.filter((v) => v.startsWith('p1')).length === 6, 'partition 1 fully read');
    expect(seen.filter((v) => v.startsWith('p0'))).toEqual(['p0-0', 'p0-1', 'p0-2']);
    expect(c.paused()).toEqual([{ topic, partitions: [0] }]);
    resumePartition!();
    await waitFor(() => seen.filter((v) => v.startsWith('p0')).length === 6, 'partition 0 resumed');
    expect(seen.filter((v) => v.startsWith('p0'))).toEqual(['p0-0', 'p0-1', 'p0-2', 'p0-3', 'p0-4', 'p0-5']);
    expect(c.paused()).toEqual([]);
  });

  it('consumer.pause() and resume() by topic', async () => {
    const topic = uniqueName('kjs-pause-topic');
    await createTopic(admin, topic, 1);
    const c = consumer();
    await c.subscribe({ topics: [topic] });
    const seen: string[] = [];
    await c.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
    c.pause([{ topic }]);
    await produce(topic, 3);
    expect(c.paused()).toEqual([{ topic, partitions: [0] }]);
    // Nothing arrives while paused: prove it with a marker consumed by a second, unpaused group.
    const probe = consumer();
    await probe.subscribe({ topics: [topic], fromBeginning: true });
    let probed = 0;
    await probe.run({ eachMessage: async () => void probed++ });
    await waitFor(() => probed === 3, 'the probe group read the three messages');
    expect(seen).toEqual([]);
    c.resume([{ topic }]);
    await waitFor(() => seen.length === 3, 'three messages after resume');
    expect(() => c.pause([{ topic: '' }])).toThrow(KafkaJSNonRetriableError);
  });

  it('seek() during run moves the partition: the batch in hand goes stale and reading restarts at the offset', async () => {
    const topic = uniqueName('kjs-seek');
    await createTopic(admin, topic, 1);
    await produce(topic, 10);
    const groupId = uniqueName('g');
    const c = consumer({ groupId });
    await c.subscribe({ topics: [topic], fromBeginning: true });
    const offsets: string[] = [];
    let sought = false;
    const staleAfterSeek: boolean[] = [];
    await c.run({
      eachBatch: async ({ batch, resolveOffset, isStale }) => {
        for (const message of batch.messages) {
          if (isStale()) {
            staleAfterSeek.push(true);
            break;
          }
          offsets.push(message.offset);
          resolveOffset(message.offset);
          if (!sought && message.offset === '6') {
            sought = true;
            c.seek({ topic, partition: 0, offset: '2' });
          }
        }
      },
    });
    await waitFor(() => offsets.length >= 15 && offsets.at(-1) === '9', 'reading past the seek to the end');
    expect(offsets).toEqual(['0', '1', '2', '3', '4', '5', '6', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(staleAfterSeek).toEqual([true]);
    await waitFor(async () => (await committedOffsets(groupId, topic)).get(0) === 10n, 'offset 10 committed');
  });

  it('seek() right after run() (not awaited) starts there, and commits the offset sought', async () => {
    const topic = uniqueName('kjs-seek-start');
    await createTopic(admin, topic, 1);
    await produce(topic, 8);
    const groupId = uniqueName('g');
    const c = consumer({ groupId });
    await c.subscribe({ topics: [topic], fromBeginning: true });
    const offsets: string[] = [];
    const running = c.run({ eachMessage: async ({ message }) => void offsets.push(message.offset) });
    c.seek({ topic, partition: 0, offset: '5' });
    await running;
    await waitFor(() => offsets.length === 3, 'three messages from offset 5');
    expect(offsets).toEqual(['5', '6', '7']);
    expect(() => c.seek({ topic, partition: 0, offset: '-5' })).toThrow('Offset must not be a negative number');
  });

  it('a failing eachMessage is retried from the failed message, then the consumer crashes and restarts', async () => {
    const topic = uniqueName('kjs-crash');
    await createTopic(admin, topic, 1);
    await produce(topic, 4);
    const c = consumer({ retry: { retries: 2, initialRetryTime: 50, maxRetryTime: 100 } });
    await c.subscribe({ topics: [topic], fromBeginning: true });
    const attempts = new Map<string, number>();
    const crashes: Array<{ error: Error; restart: boolean }> = [];
    const events: string[] = [];
    c.on(c.events.CRASH, (e) => {
      crashes.push(e.payload);
      events.push('crash');
    });
    c.on(c.events.STOP, () => events.push('stop'));
    c.on(c.events.GROUP_JOIN, () => events.push('join'));
    await c.run({
      eachMessage: async ({ message }) => {
        const n = (attempts.get(message.offset) ?? 0) + 1;
        attempts.set(message.offset, n);
        // Offset 2 fails its first four attempts: three in the first run (one try, two retries), one after the restart.
        if (message.offset === '2' && n <= 4) throw new Error(`boom ${n}`);
      },
    });
    await waitFor(() => attempts.get('3') === 1, 'offset 3 processed after the restart');
    expect(crashes).toHaveLength(1);
    expect(crashes[0]!.restart).toBe(true);
    expect(crashes[0]!.error).toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
    expect((crashes[0]!.error as KafkaJSNumberOfRetriesExceeded).retryCount).toBe(2);
    expect((crashes[0]!.error.cause as Error).message).toBe('boom 3');
    expect([attempts.get('0'), attempts.get('1'), attempts.get('2'), attempts.get('3')]).toEqual([1, 1, 5, 1]);
    expect(events).toEqual(['join', 'stop', 'crash', 'join']);
  });

  it('restartOnFailure false leaves the consumer stopped after the crash', async () => {
    const topic = uniqueName('kjs-no-restart');
    await createTopic(admin, topic, 1);
    await produce(topic, 1);
    const decided = deferred<Error>();
    const c = consumer({
      retry: {
        retries: 1,
        initialRetryTime: 20,
        restartOnFailure: async (error) => {
          decided.resolve(error);
          return false;
        },
      },
    });
    await c.subscribe({ topics: [topic], fromBeginning: true });
    const crashed = deferred<boolean>();
    c.on(c.events.CRASH, (e) => crashed.resolve(e.payload.restart));
    await c.run({
      eachMessage: async () => {
        throw new Error('always');
      },
    });
    expect(await crashed.promise).toBe(false);
    expect((await decided.promise).name).toBe('KafkaJSNumberOfRetriesExceeded');
    expect(() => c.pause([{ topic }])).toThrow('Consumer group was not initialized, consumer#run must be called first');
  });

  it('a programming error in the handler is not retried and does not restart the consumer', async () => {
    const topic = uniqueName('kjs-type-error');
    await createTopic(admin, topic, 1);
    await produce(topic, 1);
    const c = consumer({ retry: { retries: 5, initialRetryTime: 20 } });
    await c.subscribe({ topics: [topic], fromBeginning: true });
    const crash = deferred<{ error: Error; restart: boolean }>();
    c.on(c.events.CRASH, (e) => crash.resolve(e.payload));
    let calls = 0;
    await c.run({
      eachMessage: async () => {
        calls++;
        throw new TypeError('undefined is not a function');
      },
    });
    const { error, restart } = await crash.promise;
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(KafkaJSNonRetriableError);
    expect(restart).toBe(false);
  });

  it('partitionsConsumedConcurrently processes partitions at once, each in order', async () => {
    const topic = uniqueName('kjs-concurrent');
    await createTopic(admin, topic, 3);
    for (let p = 0; p < 3; p++) await produce(topic, 20, p, `p${p}`);
    const c = consumer();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    let active = 0;
    let maxActive = 0;
    const byPartition = new Map<number, string[]>();
    await c.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ partition, message }) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setImmediate(resolve));
        const list = byPartition.get(partition) ?? [];
        list.push(message.offset);
        byPartition.set(partition, list);
        active--;
      },
    });
    await waitFor(() => [0, 1, 2].every((p) => byPartition.get(p)?.length === 20), 'all 60 messages');
    expect(maxActive).toBeGreaterThan(1);
    for (let p = 0; p < 3; p++) expect(byPartition.get(p)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it('describeGroup reports the stable group with its members and their encoded assignments', async () => {
    const topic = uniqueName('kjs-describe');
    await createTopic(admin, topic, 2);
    const groupId = uniqueName('g');
    const c = consumer({ groupId });
    await c.connect();
    await c.subscribe({ topics: [topic] });
    await c.run({ eachMessage: async () => {} });
    const description = await c.describeGroup();
    expect(description).toMatchObject({
      groupId,
      state: 'Stable',
      protocolType: 'consumer',
      protocol: 'RoundRobinAssigner',
    });
    expect(description.members).toHaveLength(1);
    const assignment = AssignerProtocol.MemberAssignment.decode(description.members[0]!.memberAssignment);
    expect(assignment?.assignment).toEqual({ [topic]: [0, 1] });
    expect(AssignerProtocol.MemberMetadata.decode(description.members[0]!.memberMetadata)?.topics).toEqual([topic]);
  });

  it('two members split the partitions; the first sees REBALANCING; both keep consuming', async () => {
    const topic = uniqueName('kjs-two');
    await createTopic(admin, topic, 4);
    const groupId = uniqueName('g');
    const a = consumer({ groupId });
    const b = consumer({ groupId });
    const rebalancing: string[] = [];
    a.on(a.events.REBALANCING, (e) => rebalancing.push(e.payload.groupId));
    const assignments = new Map<string, number[]>();
    for (const [name, c] of [
      ['a', a],
      ['b', b],
    ] as const) {
      c.on(c.events.GROUP_JOIN, (e) => assignments.set(name, e.payload.memberAssignment[topic] ?? []));
      await c.subscribe({ topics: [topic] });
    }
    const seen = new Set<string>();
    await a.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
    await b.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
    await waitFor(
      () =>
        (assignments.get('a')?.length ?? 0) + (assignments.get('b')?.length ?? 0) === 4 &&
        assignments.get('a')?.length === 2,
      'two partitions each',
    );
    expect(rebalancing).toContain(groupId);
    for (let p = 0; p < 4; p++) await produce(topic, 5, p, `p${p}`);
    await waitFor(() => seen.size === 20, 'all twenty messages');
  });

  it('runs on the KIP-848 consumer group protocol, and with cooperative-sticky', async () => {
    for (const extra of [
      { groupProtocol: 'consumer' as const },
      { partitionAssigners: ['cooperative-sticky' as const] },
    ]) {
      const topic = uniqueName('kjs-proto');
      await createTopic(admin, topic, 2);
      const c = consumer(extra);
      await c.subscribe({ topics: [topic], fromBeginning: true });
      const seen: string[] = [];
      await c.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
      await produce(topic, 3, 1);
      await waitFor(() => seen.length === 3, `three messages (${JSON.stringify(extra)})`);
      await c.disconnect();
    }
  });

  it('stop() and disconnect() called from inside eachMessage return without waiting for the handler itself', async () => {
    const topic = uniqueName('kjs-stop-inside');
    await createTopic(admin, topic, 1);
    await produce(topic, 5);
    const groupId = uniqueName('g');
    const c = consumer({ groupId });
    await c.subscribe({ topics: [topic], fromBeginning: true });
    const stopped = deferred();
    const events: string[] = [];
    c.on(c.events.STOP, () => events.push('stop'));
    c.on(c.events.DISCONNECT, () => {
      events.push('disconnect');
      stopped.resolve();
    });
    let count = 0;
    await c.run({
      eachMessage: async () => {
        count++;
        if (count === 2) await c.disconnect();
      },
    });
    await stopped.promise;
    expect(count).toBe(2);
    expect(events).toEqual(['stop', 'disconnect']);
    await waitFor(async () => (await committedOffsets(groupId, topic)).get(0) === 2n, 'the two messages committed');
  });

  it('refuses bad configuration and calls as KafkaJS does', async () => {
    expect(() => client.consumer({ groupId: '' })).toThrow('Consumer groupId must be a non-empty string.');
    expect(() => client.consumer({ groupId: 'g', sessionTimeout: 1000, heartbeatInterval: 1000 })).toThrow(
      /must be lower than sessionTimeout/,
    );
    const c = consumer();
    expect(() => c.seek({ topic: 't', partition: 0, offset: '1' })).toThrow(
      'Consumer group was not initialized, consumer#run must be called first',
    );
    await expect(c.subscribe({} as never)).rejects.toThrow('Missing required argument "topics"');
    await expect(c.subscribe({ topics: [42 as never] })).rejects.toThrow(/Invalid topic 42/);
    expect(c.paused()).toEqual([]);
  });

  it('subscribes by RegExp to the topics that exist', async () => {
    const prefix = uniqueName('kjs-re');
    await createTopic(admin, `${prefix}-a`, 1);
    await createTopic(admin, `${prefix}-b`, 1);
    const c = consumer();
    await c.subscribe({ topics: [new RegExp(`^${prefix}-`)], fromBeginning: true });
    const topics = new Set<string>();
    await c.run({ eachMessage: async ({ topic }) => void topics.add(topic) });
    await producer.send({ topic: `${prefix}-a`, messages: [{ value: '1' }] });
    await producer.send({ topic: `${prefix}-b`, messages: [{ value: '2' }] });
    await waitFor(() => topics.size === 2, 'both topics');
  });
});
