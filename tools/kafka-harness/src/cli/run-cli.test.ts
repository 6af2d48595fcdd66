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
});
