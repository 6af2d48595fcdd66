/**
 * Instruction counts under valgrind's callgrind, for comparing two versions of a client path on a shared machine
 * (its load does not move them): a fake broker in its own process (not counted), and one counted Node process per
 * measurement. Used by `bench/consumer/instructions.ts` and `bench/producer/instructions.ts`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A numeric `--name value` argument of this process, or `fallback`. */
export function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

/** The `--tree name=path/to/packages/core` arguments, or `[this, fallback]`. */
export function treeArgs(fallback: string): Array<[string, string]> {
  const trees: Array<[string, string]> = [];
  for (let i = 0; i < process.argv.length; i++) {
    if (process.argv[i] !== '--tree') continue;
    const [name, path] = process.argv[i + 1]!.split('=');
    trees.push([name!, resolve(path!)]);
  }
  return trees.length > 0 ? trees : [['this', resolve(fallback)]];
}

/** Starts a fake broker script (TypeScript, through tsx) that prints `listening <host:port>`. */
export async function startFakeBroker(
  script: string,
  args: string[],
): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const address = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)/.exec(out);
      if (match !== null) done(match[1]!);
    });
    child.on('exit', (code) => fail(new Error(`fake broker exited with ${code}`)));
  });
  return { child, address };
}

/**
 * Instructions (Ir) of one run of a plain JavaScript `script` with `args` under callgrind. Node runs
 * `--single-threaded` (compilation and GC on the counted thread, in the same order run after run) with `nodeFlags`
 * added (a fixed young generation, for a path whose garbage depends on timing).
 */
export function countInstructions(script: string, args: string[], nodeFlags: string[] = []): number {
  const dir = mkdtempSync(join(tmpdir(), 'vltava-callgrind-'));
  try {
    const out = join(dir, 'callgrind.out');
    execFileSync(
      'valgrind',
      [
        '--tool=callgrind',
        `--callgrind-out-file=${out}`,
        process.execPath,
        '--single-threaded',
        ...nodeFlags,
        script,
        ...args,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
    );
    const summary = /^summary: (\d+)/m.exec(readFileSync(out, 'utf8'));
    if (summary === null) throw new Error('no summary in the callgrind output');
    return Number(summary[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}
