import { describe, expect, it } from 'vitest';
import type { DemoFrame } from './demo-stats.js';
import { frameLines, lineSink, progressBar, summaryLines, terminalSink } from './render.js';

const frame: DemoFrame = {
  elapsedMs: 2500,
  target: 1000,
  produced: 800,
  piped: 700,
  consumed: 500,
  producedPerSecond: 400.4,
  pipedPerSecond: 350,
  consumedPerSecond: 250,
  pipelineLag: 100n,
  readerLag: 200n,
  throttle: { responses: 3, seconds: 1.25 },
  latency: { p50: 8, p99: 20, max: 31 },
};

function capture(): { text: () => string; out: NodeJS.WritableStream } {
  let text = '';
  return { text: () => text, out: { write: (s: string) => (text += s) } as unknown as NodeJS.WritableStream };
}

describe('demo rendering', () => {
  it('draws a progress bar', () => {
    expect(progressBar(1, 4, 8)).toBe('██░░░░░░  25%');
    expect(progressBar(9, 4, 4)).toBe('████ 100%');
  });

  it('shows records, rates, lag, latency and progress', () => {
    const text = frameLines(frame, 'demo').join('\n');
    expect(text).toContain('demo · 2.5 s');
    expect(text).toContain('50%  500 / 1,000');
    expect(text).toMatch(/records\s+800\s+700\s+500/);
    expect(text).toMatch(/per second\s+400\s+350\s+250/);
    expect(text).toMatch(/consumer lag\s+100\s+200/);
    expect(text).toContain('p50 8 ms · p99 20 ms · max 31 ms');
  });

  it('redraws in place on a terminal: cursor up over the previous frame, cursor shown again at the end', () => {
    const { text, out } = capture();
    const sink = terminalSink(out, 'demo');
    sink.show(frame);
    const lines = frameLines(frame, 'demo').length;
    expect(text().startsWith('\x1b[?25l')).toBe(true);
    expect(text()).not.toContain(`\x1b[${lines}A`);
    sink.show({ ...frame, consumed: 600 });
    expect(text()).toContain(`\x1b[${lines}A`);
    sink.end();
    expect(text().endsWith('\x1b[?25h')).toBe(true);
  });

  it('prints a plain line at most every interval elsewhere', () => {
    const { text, out } = capture();
    const sink = lineSink(out, 1000);
    sink.show({ ...frame, elapsedMs: 1000 });
    sink.show({ ...frame, elapsedMs: 1500 });
    sink.show({ ...frame, elapsedMs: 2100 });
    expect(text().split('\n').filter(Boolean)).toHaveLength(2);
    expect(text()).not.toContain('\x1b[');
  });

  it('sums up', () => {
    const lines = summaryLines({
      topics: { input: 'in', output: 'out' },
      interrupted: false,
      elapsedMs: 10_000,
      produced: 1000,
      piped: 1000,
      consumed: 1000,
      duplicates: 0,
      latency: { p50: 5, p95: 9, p99: 12, max: 40, mean: 6 },
      pipelineLag: 0n,
      readerLag: 0n,
      committedLag: 0n,
    });
    expect(lines[0]).toBe('Summary');
    expect(lines[1]).toBe('  produced 1,000 · piped 1,000 · consumed 1,000 (0 duplicates) in 10.0 s');
    expect(lines.join('\n')).toContain('100 records/s end to end');
    expect(lines.join('\n')).toContain('uncommitted by the pipeline group 0');
  });
});
