/**
 * The root README's "A first look": its setup block followed by each of its three at-least-once pipelines (`for
 * await`, Rx, `stream.pipeline`), run as written but for the broker addresses, topic and group names (made unique
 * per run). Each program runs in a child process, as a user's would; the test waits until the order's invoice is in
 * its topic and the group committed the order, then stops the program (the pipelines run until stopped).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../src/support/run-example.js';
import { groupOffsets, readTopic } from './support.js';

const brokers = kafkaBrokers();
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'readme-first-look-'));

/** The TypeScript blocks of the README's "A first look" section, in order. */
function firstLookBlocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('## A first look\n')[1]?.split('\n## ')[0];
  if (section === undefined) throw new Error('README.md has no "A first look" section');
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

/** Runs a program with tsx from the repository root (packages resolve to their sources); returns a stopper. */
function run(file: string): { output: () => string; stop: () => Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@vltava/source', file], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe("examples: the README's first look, as written", () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const blocks = firstLookBlocks();

  it('has a setup block and three pipelines', () => {
    expect(blocks).toHaveLength(4);
    expect(blocks[1]).toContain('for await (const record of consumer)');
    expect(blocks[2]).toContain("from '@vltava/rx'");
    expect(blocks[3]).toContain("from '@vltava/streams'");
  });

  it.for([
    ['for await', 1],
    ['Rx', 2],
    ['stream.pipeline', 3],
  ] as const)('%s: the invoice is written and the order committed', async ([, index]) => {
    const orders = uniqueName('orders');
    const invoices = uniqueName('invoices');
    const group = uniqueName('billing');
    const program = [blocks[0]!, blocks[index]!]
      .join('\n')
      .replaceAll("['127.0.0.1:9092']", JSON.stringify(brokers))
      .replaceAll("'orders'", JSON.stringify(orders))
      .replaceAll("'invoices'", JSON.stringify(invoices))
      .replaceAll("'billing'", JSON.stringify(group));
    expect(program).not.toContain('127.0.0.1:9092');
    const file = join(ROOT, 'examples', `.readme-first-look-${index}-${process.pid}.ts`);
    writeFileSync(file, program);
    const child = run(file);
    try {
      await expect
        .poll(async () => (await readTopic(brokers.join(','), invoices).catch(() => [])).map((r) => r.value), {
          timeout: 60_000,
          interval: 250,
        })
        .toEqual(['invoice for order 42']);
      await expect
        .poll(
          async () =>
            (await groupOffsets(brokers.join(','), group).catch(() => []))
              .filter((o) => o.topic === orders)
              .map((o) => o.offset),
          { timeout: 30_000, interval: 250 },
        )
        .toEqual([1n]);
    } finally {
      await child.stop();
      rmSync(file, { force: true });
    }
    // Retriable warnings may show on a fresh broker (a coordinator loading); nothing may fail or escape.
    expect(child.output()).not.toMatch(/\[vltava\] ERROR|Unhandled|Uncaught|^\s+at /m);
  });
});
