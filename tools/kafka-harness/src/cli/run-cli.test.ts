import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliOutput, runCli } from './run-cli.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'vltava-cli-'));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

function capture(): CliOutput & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return { out_, err_, out: (line) => out_.push(line), err: (line) => err_.push(line) };
}

const env = { VLTAVA_CACHE_DIR: cacheDir };

describe('runCli', () => {
  it('prints usage for help, and exits 2 without a command', async () => {
    const io = capture();
    expect(await runCli(['help'], io, env)).toBe(0);
    expect(io.out_.join('\n')).toMatch(/^Usage: vltava-kafka <command>/);
    expect(await runCli([], capture(), env)).toBe(2);
  });

  it('rejects unknown commands, options and bad values with exit code 2', async () => {
    const unknown = capture();
    expect(await runCli(['launch'], unknown, env)).toBe(2);
    expect(unknown.err_.join('\n')).toMatch(/Unknown command launch/);
    const option = capture();
    expect(await runCli(['status', '--colour'], option, env)).toBe(2);
    expect(option.err_.join('\n')).toMatch(/--colour/);
    const nodes = capture();
    expect(await runCli(['start', '--nodes', '0'], nodes, env)).toBe(2);
    expect(nodes.err_.join('\n')).toMatch(/nodes must be an integer from 1 to 9/);
    const name = capture();
    expect(await runCli(['stop', '--name', '../x'], name, env)).toBe(2);
  });

  it('reports that nothing runs in an empty cache', async () => {
    const status = capture();
    expect(await runCli(['status'], status, env)).toBe(0);
    expect(status.out_).toEqual(['No cluster started with `vltava-kafka start`.']);
    const stop = capture();
    expect(await runCli(['stop'], stop, env)).toBe(0);
    expect(stop.out_).toEqual(['Nothing to stop.']);
    const tool = capture();
    expect(await runCli(['tool', 'kafka-topics', '--list'], tool, env)).toBe(1);
    expect(tool.err_.join('\n')).toMatch(/No cluster named "default"/);
  });

  it('lists the supported releases, and refuses an unsupported --version before starting anything', async () => {
    const versions = capture();
    expect(await runCli(['versions'], versions, env)).toBe(0);
    const table = versions.out_.join('\n');
    for (const line of ['3.7', '3.8', '3.9', '4.0', '4.1', '4.2', '4.3', '4.4'])
      expect(table).toMatch(new RegExp(`^${line} `, 'm'));
    const json = capture();
    expect(await runCli(['versions', '--json'], json, env)).toBe(0);
    expect((JSON.parse(json.out_.join('\n')) as { line: string }[]).map((r) => r.line)).toHaveLength(8);
    const start = capture();
    expect(await runCli(['start', '--version', '3.6'], start, env)).toBe(1);
    expect(start.err_.join('\n')).toMatch(/Kafka 3\.6 is not a release the harness runs: it supports 3\.7 to 4\.4/);
    const classpath = capture();
    expect(await runCli(['classpath', '--version', '2.8.2'], classpath, env)).toBe(1);
    expect(classpath.err_.join('\n')).toMatch(/ERR_KAFKA_VERSION|not a release the harness runs/);
  });
});
