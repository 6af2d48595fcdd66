// No JVM outlives the Node process that started it: not when that process is killed with SIGKILL (the detached
// watchdog acts), not when it gets SIGTERM (the signal handler acts). And a broker that fails to start is reported
// with its log and cleaned up.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startKafka } from '../src/cluster/start-kafka.js';
import { KafkaHarnessError } from '../src/errors.js';
import { HARNESS_ROOT } from '../src/harness-paths.js';
import { isProcessAlive } from '../src/process/process-alive.js';
import { pollUntil } from '../src/process/wait-for.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/start-cluster-child.ts', import.meta.url));

interface ChildCluster {
  readonly child: ChildProcess;
  readonly pids: number[];
  readonly directory: string;
  readonly exited: Promise<NodeJS.Signals | number | null>;
}

/** Starts the fixture and resolves once it reports its running cluster. */
function startChild(): Promise<ChildCluster> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: HARNESS_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) {
        const parsed = JSON.parse(line) as { pids: number[]; directory: string };
        resolve({ child, exited, ...parsed });
      }
    });
    void exited.then((how) => reject(new Error(`fixture exited (${String(how)}) before reporting:\n${stderr}`)));
  });
}

async function expectGone(pids: number[], directory: string): Promise<void> {
  const gone = await pollUntil(async () => (pids.some(isProcessAlive) ? undefined : true), {
    timeoutMs: 20_000,
    intervalMs: 100,
  });
  expect(gone.ok, `JVMs ${pids.filter(isProcessAlive).join(', ')} still alive`).toBe(true);
  const removed = await pollUntil(async () => (existsSync(directory) ? undefined : true), {
    timeoutMs: 20_000,
    intervalMs: 100,
  });
  expect(removed.ok, `${directory} still exists`).toBe(true);
}

describe('no JVM is left behind', () => {
  it('when the Node process that started the broker is killed with SIGKILL', async () => {
    const { child, pids, directory, exited } = await startChild();
    expect(pids.length).toBe(1);
    expect(pids.every(isProcessAlive)).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await expectGone(pids, directory);
  });

  it('when the Node process that started the broker gets SIGTERM', async () => {
    const { child, pids, directory, exited } = await startChild();
    expect(pids.every(isProcessAlive)).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    await expectGone(pids, directory);
  });

  it('when a broker fails to start: the error carries its log, and nothing remains', async () => {
    const error = await startKafka({
      brokerProperties: { 'authorizer.class.name': 'org.example.NoSuchAuthorizer' },
      startTimeoutMs: 60_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KafkaHarnessError);
    expect((error as KafkaHarnessError).code).toBe('ERR_KAFKA_START');
    expect((error as Error).message).toContain('org.example.NoSuchAuthorizer');
    expect((error as Error).message).toMatch(/--- node 1 \(.*broker\.log\), last lines ---/);
    const directory = /\((\/[^)]*)\/node-1\/broker\.log\)/.exec((error as Error).message)?.[1];
    expect(directory).toBeDefined();
    expect(existsSync(directory!)).toBe(false);
  });
});
