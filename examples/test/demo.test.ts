import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { kafkaBrokers } from '@vltava/kafka-harness/vitest';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/demo.js';
import type { DemoFrame } from '../src/demo/demo-stats.js';
import { lineSink } from '../src/demo/render.js';

const brokers = kafkaBrokers().join(',');
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Run {
  readonly stdout: () => string;
  readonly exited: Promise<number | null>;
  /** Resolves once stdout matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  kill(signal: NodeJS.Signals): void;
}

/** Runs `command` at the repository root without KAFKA_BROKERS, collecting its output. */
function run(command: string, args: readonly string[]): Run {
  const env = { ...process.env };
  delete env.KAFKA_BROKERS;
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const watchers: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...watchers]) w();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    stdout: () => out,
    exited,
    kill: (signal) => child.kill(signal),
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const check = () => {
          const match = out.match(pattern);
          if (match === null) return;
          clearTimeout(timer);
          watchers.splice(watchers.indexOf(check), 1);
          resolve(match);
        };
        watchers.push(check);
        void exited.then(() => {
          check();
          if (out.match(pattern) === null) {
            clearTimeout(timer);
            reject(new Error(`exited without ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
          }
        });
        check();
      });
    },
  };
}

describe('the demo (npm start)', () => {
  it('moves a fixed count end to end and sums it up: produced = consumed, lag 0, latency measured', async () => {
    const frames: DemoFrame[] = [];
    const shownAt: number[] = [];
    let logged = '';
    const sink = lineSink({ write: (text: string) => (logged += text) } as unknown as NodeJS.WritableStream, 0);
    const shown = {
      show: (frame: DemoFrame) => {
        frames.push(frame);
        shownAt.push(performance.now());
        sink.show(frame);
      },
      end: () => sink.end(),
    };
    const count = 5000;
    const summary = await runDemo({ brokers, count, rate: 5000, sink: shown });
    expect(summary.interrupted).toBe(false);
    expect(summary.produced).toBe(count);
    expect(summary.piped).toBe(count);
    expect(summary.consumed).toBe(count);
    expect(summary.duplicates).toBe(0);
    expect(summary.pipelineLag).toBe(0n);
    expect(summary.readerLag).toBe(0n);
    expect(summary.committedLag).toBe(0n);
    const { p50, p95, p99, max } = summary.latency;
    expect(p50).toBeGreaterThanOrEqual(0);
    expect(p50!).toBeLessThanOrEqual(p95!);
    expect(p95!).toBeLessThanOrEqual(p99!);
    expect(p99!).toBeLessThanOrEqual(max!);
    // Live frames, at most ten a second, showing progress.
    expect(frames.length).toBeGreaterThan(2);
    // The frames but the closing one come from one 100 ms interval timer. A single gap can look shorter than
    // 100 ms (Node schedules the next tick from the event loop's cached clock, and a late tick shortens the gap after
    // it), but the ticks never run ahead: n gaps span at least (n - 1) x 100 ms, whatever the first tick's lateness.
    // No burst either: no two frames within half an interval.
    const ticks = shownAt.slice(0, -1);
    const gaps = ticks.slice(1).map((at, i) => at - ticks[i]!);
    expect(ticks.at(-1)! - ticks[0]!).toBeGreaterThanOrEqual((gaps.length - 1) * 100);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
    expect(frames.at(-1)?.consumed).toBe(count);
    expect(frames.some((f) => f.producedPerSecond > 0 && f.consumedPerSecond > 0)).toBe(true);
    expect(logged).toMatch(/consumed 5,000 \/ 5,000/);
  });

  it('npm start starts its own broker when KAFKA_BROKERS is unset, ends with a summary, and stops the broker', async () => {
    const demo = run('npm', ['start', '--silent', '--', '--count', '2000', '--rate', '0']);
    const [, pid] = await demo.waitFor(/broker pid (\d+)/);
    expect(alive(Number(pid))).toBe(true);
    expect(await demo.exited).toBe(0);
    expect(demo.stdout()).toMatch(/Summary\n {2}produced 2,000 · piped 2,000 · consumed 2,000 \(0 duplicates\)/);
    expect(demo.stdout()).toMatch(/consumer lag at the end: pipeline 0, reader 0; uncommitted by the pipeline group 0/);
    expect(demo.stdout()).toMatch(/Broker stopped/);
    expect(alive(Number(pid))).toBe(false);
  });

  it('Ctrl-C stops a --forever run cleanly with a summary, and the broker it started', async () => {
    const demo = run(process.execPath, [
      '--conditions=@vltava/source',
      '--import',
      'tsx',
      'examples/src/demo/main.ts',
      '--forever',
      '--rate',
      '2000',
    ]);
    const [, pid] = await demo.waitFor(/broker pid (\d+)/);
    await demo.waitFor(/consumed [1-9][\d,]*/);
    demo.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    expect(demo.stdout()).toMatch(
      /Summary \(stopped with Ctrl-C\)\n {2}produced [\d,]+ · piped [\d,]+ · consumed [\d,]+/,
    );
    expect(demo.stdout()).toMatch(/end-to-end latency p50 \d+ ms/);
    expect(demo.stdout()).toMatch(/Broker stopped/);
    expect(alive(Number(pid))).toBe(false);
  });
});
