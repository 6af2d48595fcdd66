/**
 * A KafkaJS program nobody here wrote, on Vltava: the "Usage" example of KafkaJS's own README (read at test time
 * from the kafkajs 2.2.4 package installed for the tests, never copied into this repository), run unchanged but for
 * its broker addresses. Its `require('kafkajs')` stays as it is: in this workspace `kafkajs` resolves to
 * `@vltava/kafkajs` (the dependency alias in examples/package.json), as it would in an application that aliases it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { groupOffsets, readTopic } from './support.js';

const brokers = kafkaBrokers();
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'kafkajs-readme-'));

/** The JavaScript block under "Usage" in kafkajs's README. */
function readmeUsage(): string {
  const require = createRequire(join(ROOT, 'packages/kafkajs/package.json'));
  const readme = readFileSync(join(dirname(require.resolve('kafkajs-upstream/package.json')), 'README.md'), 'utf8');
  const usage = readme.split('<a name="usage"></a> Usage')[1];
  const code = usage?.match(/```javascript\n([\s\S]*?)```/)?.[1];
  if (code === undefined) throw new Error('the Usage example was not found in kafkajs/README.md');
  return code;
}

describe("examples: KafkaJS's README usage example, on Vltava", () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('produces and consumes with the documented program, unchanged but for the broker addresses', async () => {
    const original = readmeUsage();
    expect(original).toContain("require('kafkajs')");
    const documentedBrokers = "brokers: ['kafka1:9092', 'kafka2:9092']";
    expect(original.split(documentedBrokers)).toHaveLength(2);
    const program = original.replace(documentedBrokers, `brokers: ${JSON.stringify(brokers)}`);
    const file = join(work, 'usage.js');
    writeFileSync(file, program);

    const before = (await readTopic(brokers.join(','), 'test-topic').catch(() => [])).length;
    // `require('kafkajs')` from the temporary folder finds the workspace's node_modules through NODE_PATH; tsx
    // and the `source` condition let @vltava/kafkajs run from its TypeScript sources.
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@vltava/source', file], {
      cwd: ROOT,
      env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The program consumes forever (as documented); stop it once it printed the message it produced.
    await expect
      .poll(() => out, { timeout: 60_000, interval: 50 })
      .toMatch(/\{ partition: \d+, offset: '\d+', value: 'Hello KafkaJS user!' \}/);
    const stored = await readTopic(brokers.join(','), 'test-topic');
    expect(stored.length).toBe(before + 1);
    expect(stored.at(-1)?.value).toBe('Hello KafkaJS user!');
    // The consumer commits after the batch it printed: wait for that before stopping the program.
    await expect
      .poll(
        async () => (await groupOffsets(brokers.join(','), 'test-group')).reduce((s, o) => s + (o.offset ?? 0n), 0n),
        {
          timeout: 30_000,
        },
      )
      .toBe(BigInt(stored.length));
    child.kill('SIGTERM');
    await exited;
    expect(err).not.toMatch(/Error/);
    // The program's INFO logs are KafkaJS's JSON lines, through KafkaJS's default log creator.
    expect(out).toMatch(/"logger":"kafkajs"/);
  });
});
