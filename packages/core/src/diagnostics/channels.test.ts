import { tracingChannel } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnosticChannels } from './channels.js';
import { EventChannel, TracedChannel } from './traced-channel.js';

const docs = readFileSync(fileURLToPath(new URL('../../../../docs/DIAGNOSTICS.md', import.meta.url)), 'utf8');

describe('diagnosticChannels', () => {
  const all = Object.values(diagnosticChannels);

  it('names every channel once, vltava:<area>[:<operation>] in lower case', () => {
    const names = all.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^vltava:[a-z]+(:[a-z]+)?$/);
  });

  it('is the table of docs/DIAGNOSTICS.md, row for row', () => {
    // Cells trimmed: the formatter pads markdown tables.
    const rows = docs
      .split('\n')
      .filter((line) => line.startsWith('| `vltava:'))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      )
      .filter((cells) => cells[1] === 'tracing' || cells[1] === 'event');
    const declared = all.map((channel) => [
      `\`${channel.name}\``,
      channel instanceof TracedChannel ? 'tracing' : 'event',
      channel.summary,
    ]);
    expect(rows).toEqual(declared);
  });

  it('has no subscribers until one subscribes, to any of the five channels, and none after it leaves', () => {
    const channel = diagnosticChannels.commit;
    expect(channel.hasSubscribers).toBe(false);
    const unsubscribe = channel.subscribe({ asyncEnd: () => undefined });
    expect(channel.hasSubscribers).toBe(true);
    // Node's own tracing channel of the same name sees the same subscribers: names are the contract.
    expect(tracingChannel('vltava:commit').hasSubscribers).toBe(true);
    unsubscribe();
    expect(channel.hasSubscribers).toBe(false);
  });
});

describe('TracedChannel', () => {
  it('publishes start, end, asyncStart, asyncEnd for a promise that resolves, with its result', async () => {
    const channel = new TracedChannel<{ id: number; result?: unknown; error?: unknown }>('vltava:test:resolves', '');
    const events: string[] = [];
    const unsubscribe = channel.subscribe({
      start: (p) => events.push(`start ${p.id}`),
      end: (p) => events.push(`end ${p.id}`),
      asyncStart: (p) => events.push(`asyncStart ${String(p.result)}`),
      asyncEnd: () => events.push('asyncEnd'),
      error: () => events.push('error'),
    });
    const value = await channel.tracePromise(async () => 42, { id: 1 });
    unsubscribe();
    expect(value).toBe(42);
    expect(events).toEqual(['start 1', 'end 1', 'asyncStart 42', 'asyncEnd']);
  });

  it('publishes error before asyncStart for a promise that rejects, and rejects the same way', async () => {
    const channel = new TracedChannel<{ result?: unknown; error?: unknown }>('vltava:test:rejects', '');
    const events: string[] = [];
    const unsubscribe = channel.subscribe({
      start: () => events.push('start'),
      end: () => events.push('end'),
      asyncStart: (p) => events.push(`asyncStart ${(p.error as Error).message}`),
      asyncEnd: () => events.push('asyncEnd'),
      error: (p) => events.push(`error ${(p.error as Error).message}`),
    });
    const failure = new Error('no');
    await expect(channel.tracePromise(() => Promise.reject(failure), {})).rejects.toBe(failure);
    unsubscribe();
    expect(events).toEqual(['start', 'end', 'error no', 'asyncStart no', 'asyncEnd']);
  });

  it('begin and settle bracket an operation whose end comes from another call stack', () => {
    const channel = new TracedChannel<{ result?: unknown; error?: unknown }>('vltava:test:manual', '');
    const events: string[] = [];
    const unsubscribe = channel.subscribe({
      start: () => events.push('start'),
      end: () => events.push('end'),
      asyncStart: (p) => events.push(`asyncStart ${String(p.result)} ${String(p.error)}`),
      asyncEnd: () => events.push('asyncEnd'),
      error: () => events.push('error'),
    });
    const ok = {};
    channel.begin(ok);
    channel.settle(ok, undefined, 'done');
    const failed = {};
    channel.begin(failed);
    channel.settle(failed, 'boom');
    unsubscribe();
    expect(events).toEqual([
      'start',
      'end',
      'asyncStart done undefined',
      'asyncEnd',
      'start',
      'end',
      'error',
      'asyncStart undefined boom',
      'asyncEnd',
    ]);
  });
});

describe('EventChannel', () => {
  it('delivers typed messages to subscribers while they are subscribed', () => {
    const channel = new EventChannel<{ n: number }>('vltava:test:event', '');
    const seen: number[] = [];
    expect(channel.hasSubscribers).toBe(false);
    const unsubscribe = channel.subscribe((m) => seen.push(m.n));
    channel.publish({ n: 1 });
    unsubscribe();
    channel.publish({ n: 2 });
    expect(seen).toEqual([1]);
  });
});
