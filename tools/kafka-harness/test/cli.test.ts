// The `vltava-kafka` command for people: `start` leaves a cluster running in the background after the command has
// exited, `status` and `tool` reach it, `stop` ends it and deletes its data.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HARNESS_ROOT } from '../src/harness-paths.js';
import { isProcessAlive } from '../src/process/process-alive.js';
import { uniqueName } from '../src/vitest/index.js';
import { fetchMetadata } from '../src/wire/kafka-wire-client.js';

const BIN = fileURLToPath(new URL('../bin/vltava-kafka.mjs', import.meta.url));
// A name of its own, so that a cluster a person started with the default name is never touched.
const name = uniqueName('cli').replace(/[^A-Za-z0-9_-]/g, '_');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: HARNESS_ROOT, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

afterAll(async () => {
  await cli('stop', '--name', name);
});

describe('vltava-kafka', () => {
  it('starts a cluster that outlives the command, reaches it, and stops it', async () => {
    const started = await cli('start', '--name', name);
    const output = `stdout:\n${started.stdout}\nstderr:\n${started.stderr}`;
    expect(started.code, output).toBe(0);
    expect(started.stdout, output).toMatch(/is running in the background: 1 node/);
    const address = /PLAINTEXT\s+(127\.0\.0\.1:\d+)/.exec(started.stdout)?.[1];
    expect(address, output).toBeDefined();

    // The start command has exited; the broker still answers.
    const [host, port] = address!.split(':');
    const metadata = await fetchMetadata({ host: host!, port: Number(port) }).catch(async (error: unknown) => {
      const logs = await cli('logs', '--name', name, '--lines', '40');
      throw new Error(`${String(error)}\n${output}\nbroker log:\n${logs.stdout}`);
    });
    expect(metadata.brokers).toHaveLength(1);

    const status = await cli('status', '--name', name, '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout, status.stdout).toMatch(/"answering": true/);
    const [state] = JSON.parse(status.stdout) as {
      answering: boolean;
      livePids: number[];
      cluster: { directory: string };
    }[];
    expect(state?.answering).toBe(true);
    expect(state?.livePids).toHaveLength(1);

    const created = await cli('tool', '--name', name, 'kafka-topics', '--create', '--topic', 'from-the-cli');
    expect(created.code, created.stderr).toBe(0);
    const listed = await cli('tool', '--name', name, 'kafka-topics', '--list');
    expect(listed.stdout.split('\n')).toContain('from-the-cli');

    const stopped = await cli('stop', '--name', name);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(/Stopped ".*" \(1 JVM\)/);
    expect(state!.livePids.filter(isProcessAlive)).toEqual([]);
    expect(existsSync(state!.cluster.directory)).toBe(false);
    const after = await cli('status', '--name', name);
    expect(after.stdout).toMatch(/No cluster named/);
  });

  it('prints the resolved classpath with the Kafka client jar on it', async () => {
    const result = await cli('classpath', '--json');
    expect(result.code, result.stderr).toBe(0);
    const { version, classpath } = JSON.parse(result.stdout) as { version: string; classpath: string[] };
    expect(version).toBe('4.4.0');
    expect(classpath.some((jar) => /kafka-clients-4\.4\.0\.jar$/.test(jar))).toBe(true);
  });
});
