import { describe, expect, it } from 'vitest';
import type { AcknowledgeType } from './acknowledge-type.js';
import { type ShareIteratorHost, ShareRecordIterator } from './share-record-iterator.js';

/** A host handing out the given records, recording settlements. */
function host(records: string[]) {
  const settled: Array<[string, AcknowledgeType]> = [];
  const waiters: Array<() => void> = [];
  let ended = 0;
  const h: ShareIteratorHost<string> & { closed: boolean } = {
    closed: false,
    beginRead: () => undefined,
    takeRecord: () => records.shift(),
    wait: (signal) =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    settle: (record, type) => {
      settled.push([record, type]);
    },
    endReader: () => {
      ended++;
    },
  };
  return { h, settled, waiters, records, ended: () => ended };
}

describe('ShareRecordIterator', () => {
  it('accepts a record when the loop asks for the next one', async () => {
    const { h, settled } = host(['a', 'b']);
    const it = new ShareRecordIterator(h);
    expect(await it.next()).toEqual({ done: false, value: 'a' });
    expect(settled).toEqual([]);
    expect(await it.next()).toEqual({ done: false, value: 'b' });
    expect(settled).toEqual([['a', 'accept']]);
  });

  it('releases the record in hand when the body throws (return() is called), or rejects it by option', async () => {
    const a = host(['a', 'b']);
    await expect(
      (async () => {
        for await (const r of new ShareRecordIterator(a.h)) if (r === 'b') throw new Error('boom');
      })(),
    ).rejects.toThrow('boom');
    expect(a.settled).toEqual([
      ['a', 'accept'],
      ['b', 'release'],
    ]);
    expect(a.ended()).toBe(1);
    const b = host(['x']);
    for await (const _ of new ShareRecordIterator(b.h, { onExit: 'reject' })) break;
    expect(b.settled).toEqual([['x', 'reject']]);
  });

  it('ends on abort while waiting, with nothing in hand to settle', async () => {
    const { h, settled, ended } = host([]);
    const controller = new AbortController();
    const it = new ShareRecordIterator(h, { signal: controller.signal });
    const pending = it.next();
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(settled).toEqual([]);
    expect(ended()).toBe(1);
  });

  it('wakes when records arrive, and await using ends it', async () => {
    const { h, settled, waiters, records } = host([]);
    {
      await using it = new ShareRecordIterator(h);
      const pending = it.next();
      records.push('late');
      for (const w of waiters.splice(0)) w();
      expect(await pending).toEqual({ done: false, value: 'late' });
    }
    expect(settled).toEqual([['late', 'release']]);
  });
});
