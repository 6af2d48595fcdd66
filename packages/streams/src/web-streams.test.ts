import { FakeConsumer, type FakeRecord, fakeRecord } from '@vltava/client-fakes';
import { describe, expect, it } from 'vitest';
import { createWebCommitStream } from './web-commit-stream.js';
import { createWebReadStream } from './web-read-stream.js';

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('Web Streams', () => {
  it('a pull-based ReadableStream fills its queue to the high-water mark, then pauses fetching', async () => {
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 20);
    const stream = createWebReadStream(consumer, { highWaterMark: 5, requireCommitter: false });
    await until(() => consumer.pauseCalls > 0, 'a pause');
    expect(consumer.queued).toBe(15);
    const reader = stream.getReader();
    const first = await reader.read();
    expect(first.value?.offset).toBe(0n);
    await until(() => consumer.resumeCalls > 0, 'a resume');
    await reader.cancel();
    expect(consumer.closed).toBe(true);
    expect(consumer.pausedKeys.size).toBe(0);
  });

  it('pipes through a TransformStream into the committer, commits and closes the consumer at the end', async () => {
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 10);
    consumer.add('t', 1, 10);
    await createWebReadStream(consumer, { stopAfterRecords: 20 })
      .pipeThrough(
        new TransformStream<FakeRecord, FakeRecord>({
          transform: (record, controller) => controller.enqueue({ ...record, value: record.value.toUpperCase() }),
        }),
      )
      .pipeTo(createWebCommitStream(consumer));
    expect(consumer.lastCommitted()).toEqual(
      new Map([
        ['t:0', 10n],
        ['t:1', 10n],
      ]),
    );
    expect(consumer.closed).toBe(true);
  });

  it('an aborted pipeTo cancels the source: what reached the committer is committed, the consumer closes', async () => {
    const consumer = new FakeConsumer();
    consumer.add('t', 0, 100);
    const controller = new AbortController();
    let passed = 0;
    const piping = createWebReadStream(consumer, { highWaterMark: 4 })
      .pipeThrough(
        new TransformStream<FakeRecord, FakeRecord>({
          async transform(record, c) {
            passed++;
            if (passed === 10) controller.abort();
            if (passed > 10) await new Promise(() => undefined); // never passes
            c.enqueue(record);
          },
        }),
      )
      .pipeTo(createWebCommitStream(consumer), { signal: controller.signal });
    await expect(piping).rejects.toMatchObject({ name: 'AbortError' });
    await until(() => consumer.closed, 'the close');
    expect(consumer.lastCommitted().get('t:0')).toBe(consumer.acknowledgedAtClose?.get('t:0'));
    expect(consumer.lastCommitted().get('t:0')).toBeLessThanOrEqual(10n);
  });

  it('a chunk without source coordinates errors the committer and ends the session', async () => {
    const consumer = new FakeConsumer();
    consumer.assign([{ topic: 't', partition: 0 }]);
    const writer = createWebCommitStream(consumer).getWriter();
    await writer.write(fakeRecord('t', 0, 0));
    await expect(writer.write({ topic: 'out' })).rejects.toThrow(/source coordinates/);
    expect(consumer.lastCommitted().get('t:0')).toBe(1n);
  });
});
