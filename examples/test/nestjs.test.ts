import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Admin as CoreAdmin } from '@vltava/core';
import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { describe, expect, it } from 'vitest';
import { groupOffsets, readTopic } from './support.js';

const brokers = kafkaBrokers().join(',');
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a program with tsx at the repository root (workspace packages from their sources), to its exit. */
function runProgram(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}node_modules/tsx/dist/cli.mjs`, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
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
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('examples/nestjs: NestJS microservices over Kafka with kafkajs resolved to @vltava/kafkajs', () => {
  it('answers requests (and an error), delivers events, and leaves replies and commits in Kafka', async () => {
    const prefix = uniqueName('nest');
    const { code, out, err } = await runProgram(
      ['--tsconfig', 'examples/tsconfig.json', '--conditions=@vltava/source', 'examples/src/nestjs/main.ts'],
      { KAFKA_BROKERS: brokers, NEST_EXAMPLE_PREFIX: prefix },
    );
    expect({ code, err: code === 0 ? '' : err }).toEqual({ code: 0, err: '' });
    // What the program saw: the replies of @MessagePattern handlers, the error of one, the events it handled.
    expect(out).toContain('sums: 6, 42');
    expect(out).toContain('quotient: 42');
    expect(out).toContain('division by zero: division by zero');
    const events = [...out.matchAll(/audit event (\w+) (\w+) \(([^)]+)\)/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(events.sort()).toEqual(['ada login', 'ada logout', 'alan login']);

    // What Kafka holds. Requests: two sums, two divisions; events: three, keyed by user (same user, same partition).
    const requests = await readTopic(brokers, `${prefix}.math.sum`);
    expect(requests.map((r) => JSON.parse(r.value!)).sort()).toEqual([
      [1, 2, 3],
      [40, 2],
    ]);
    const audit = await readTopic(brokers, `${prefix}.audit`);
    expect(audit).toHaveLength(3);
    const ada = audit.filter((r) => r.key === 'ada');
    expect(new Set(ada.map((r) => r.partition)).size).toBe(1);
    // Replies carry NestJS's correlation header; the error reply has no key and no value, only headers.
    const replies = await readTopic(brokers, `${prefix}.math.divide.reply`);
    expect(replies).toHaveLength(2);
    for (const reply of replies) {
      expect(reply.headers.map((h) => h.key)).toContain('kafka_correlationId');
    }
    const errorReply = replies.find((r) => r.headers.some((h) => h.key === 'kafka_nest-err'))!;
    expect(errorReply.value).toBeNull();
    const nestError = JSON.parse(errorReply.headers.find((h) => h.key === 'kafka_nest-err')!.value!.toString());
    expect(nestError).toMatchObject({ status: 'error', message: 'division by zero' });
    // Both consumer groups committed what they handled (NestJS appends -server and -client to the group id).
    const server = await groupOffsets(brokers, `${prefix}-math-server`);
    const handled = (topic: string) =>
      server.filter((o) => o.topic === topic).reduce((sum, o) => sum + (o.offset ?? 0n), 0n);
    expect([handled(`${prefix}.math.sum`), handled(`${prefix}.math.divide`), handled(`${prefix}.audit`)]).toEqual([
      2n,
      2n,
      3n,
    ]);
    const client = await groupOffsets(brokers, `${prefix}-math-client`);
    expect(
      client.filter((o) => o.topic === `${prefix}.math.sum.reply`).reduce((s, o) => s + (o.offset ?? 0n), 0n),
    ).toBe(2n);
    const admin = new CoreAdmin({ brokers, logLevel: 'error' });
    try {
      await admin.deleteTopics([
        `${prefix}.math.sum`,
        `${prefix}.math.sum.reply`,
        `${prefix}.math.divide`,
        `${prefix}.math.divide.reply`,
        `${prefix}.audit`,
      ]);
    } finally {
      await admin.close();
    }
  });
});
