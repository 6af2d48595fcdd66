import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tailFile } from '../cluster/jvm-kafka-cluster.js';
import { withFileLock } from './file-lock.js';
import { isProcessAlive, processCommandLine } from './process-alive.js';
import { pollUntil, withTimeout } from './wait-for.js';

const scratch = mkdtempSync(join(tmpdir(), 'vltava-process-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('isProcessAlive and processCommandLine', () => {
  it('tells a running process from an ended one', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(processCommandLine(process.pid)).toContain('node');
    const ended = spawnSync(process.execPath, ['-e', '0']);
    expect(isProcessAlive(ended.pid!)).toBe(false);
  });
});

describe('withFileLock', () => {
  it('runs holders one at a time', async () => {
    const lock = join(scratch, 'one-at-a-time.lock');
    const events: string[] = [];
    const holder = (name: string) =>
      withFileLock(lock, async () => {
        events.push(`${name} in`);
        await new Promise((resolve) => setImmediate(resolve));
        events.push(`${name} out`);
      });
    await Promise.all([holder('a'), holder('b')]);
    expect(events).toHaveLength(4);
    expect(events[0]!.slice(0, 1)).toBe(events[1]!.slice(0, 1));
    expect(events[2]!.slice(0, 1)).toBe(events[3]!.slice(0, 1));
  });

  it('takes over a lock whose owner is dead', async () => {
    const lock = join(scratch, 'stale.lock');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(lock, String(dead));
    await expect(withFileLock(lock, async () => 'taken', { timeoutMs: 5_000 })).resolves.toBe('taken');
  });
});

describe('pollUntil and withTimeout', () => {
  it('returns the first value, stops on an abort reason, and times out', async () => {
    let calls = 0;
    await expect(
      pollUntil(async () => (++calls >= 3 ? calls : undefined), { timeoutMs: 5_000, intervalMs: 1 }),
    ).resolves.toEqual({
      ok: true,
      value: 3,
    });
    await expect(
      pollUntil(async () => undefined, { timeoutMs: 5_000, abortReason: () => 'gone' }),
    ).resolves.toMatchObject({
      ok: false,
      reason: 'gone',
    });
    const timedOut = await pollUntil(
      async () => {
        throw new Error('not yet');
      },
      { timeoutMs: 30, intervalMs: 5 },
    );
    expect(timedOut).toMatchObject({ ok: false, reason: 'timed out after 30 ms' });
    expect((timedOut as { lastError: Error }).lastError.message).toBe('not yet');
    expect(await withTimeout(new Promise(() => {}), 10)).toBe('timeout');
    expect(await withTimeout(Promise.resolve(7), 1_000)).toBe(7);
  });
});

describe('tailFile', () => {
  it('returns the last lines, and nothing for a missing file', () => {
    const file = join(scratch, 'log.txt');
    writeFileSync(file, 'a\nb\nc\nd\n');
    expect(tailFile(file, 2)).toBe('c\nd');
    expect(tailFile(join(scratch, 'nope.txt'))).toBe('');
  });
});
