import type { DemoSummary } from './demo.js';
import type { DemoFrame } from './demo-stats.js';

const ESC = '\x1b[';
const BAR_WIDTH = 36;

/** `12345` -> `12,345`. */
export function formatCount(n: number | bigint): string {
  return n.toLocaleString('en-US');
}

function ms(value: number | undefined): string {
  return value === undefined ? '-' : `${value} ms`;
}

/** A progress bar of `width` cells for `done` of `total`. */
export function progressBar(done: number, total: number, width = BAR_WIDTH): string {
  const ratio = total <= 0 ? 0 : Math.min(1, done / total);
  const full = Math.round(ratio * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)} ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

/** The lines of one frame of the live view (no escape codes). */
export function frameLines(frame: DemoFrame, title: string): string[] {
  const col = (values: Array<string | number | bigint>) =>
    values.map((v) => (typeof v === 'string' ? v : formatCount(v)).padStart(14)).join('');
  const progress =
    frame.target === undefined
      ? `running until Ctrl-C · ${formatCount(frame.consumed)} records end to end`
      : `${progressBar(frame.consumed, frame.target)}  ${formatCount(frame.consumed)} / ${formatCount(frame.target)}`;
  return [
    `${title} · ${(frame.elapsedMs / 1000).toFixed(1)} s`,
    progress,
    '',
    `${''.padEnd(14)}${col(['produced', 'Rx pipeline', 'for await'])}`,
    `${'records'.padEnd(14)}${col([frame.produced, frame.piped, frame.consumed])}`,
    `${'per second'.padEnd(14)}${col([Math.round(frame.producedPerSecond), Math.round(frame.pipedPerSecond), Math.round(frame.consumedPerSecond)])}`,
    `${'consumer lag'.padEnd(14)}${col(['', frame.pipelineLag, frame.readerLag])}`,
    '',
    `quota throttling     ${formatCount(frame.throttle.responses)} responses · ${formatCount(Math.round(frame.throttle.seconds * 1000))} ms`,
    `end-to-end latency   p50 ${ms(frame.latency.p50)} · p99 ${ms(frame.latency.p99)} · max ${ms(frame.latency.max)}`,
    'Ctrl-C stops it',
  ];
}

/** Where frames go: redrawn in place on a terminal, as a line now and then otherwise. */
export interface FrameSink {
  /** Shows a frame (a terminal redraws; a log prints at most once a second). */
  show(frame: DemoFrame): void;
  /** Leaves the live view (restores the cursor) before the summary. */
  end(): void;
}

/**
 * Redraws the frame in place with plain ANSI escapes (cursor up, clear line), hiding the cursor meanwhile. No
 * dependency: the view is a dozen lines of text.
 */
export function terminalSink(out: NodeJS.WritableStream, title: string): FrameSink {
  let drawn = 0;
  let ended = false;
  out.write(`${ESC}?25l`);
  return {
    show(frame) {
      if (ended) return;
      const lines = frameLines(frame, title);
      let text = drawn > 0 ? `${ESC}${drawn}A` : '';
      for (const line of lines) text += `${ESC}2K${line}\n`;
      out.write(text);
      drawn = lines.length;
    },
    end() {
      if (ended) return;
      ended = true;
      out.write(`${ESC}?25h`);
    },
  };
}

/** For logs and pipes: one plain line at most every `everyMs`. */
export function lineSink(out: NodeJS.WritableStream, everyMs = 1000): FrameSink {
  let last = 0;
  return {
    show(frame) {
      if (frame.elapsedMs - last < everyMs) return;
      last = frame.elapsedMs;
      const target = frame.target === undefined ? '' : ` / ${formatCount(frame.target)}`;
      out.write(
        `[${(frame.elapsedMs / 1000).toFixed(1)} s] produced ${formatCount(frame.produced)} ` +
          `(${formatCount(Math.round(frame.producedPerSecond))}/s) · piped ${formatCount(frame.piped)} · consumed ` +
          `${formatCount(frame.consumed)}${target} (${formatCount(Math.round(frame.consumedPerSecond))}/s) · lag ` +
          `${formatCount(frame.pipelineLag)}/${formatCount(frame.readerLag)} · latency p50 ${ms(frame.latency.p50)} ` +
          `p99 ${ms(frame.latency.p99)}\n`,
      );
    },
    end() {},
  };
}

/** The summary printed at the end, as lines. */
export function summaryLines(summary: DemoSummary): string[] {
  const seconds = summary.elapsedMs / 1000;
  const perSecond = seconds > 0 ? Math.round(summary.consumed / seconds) : 0;
  const l = summary.latency;
  return [
    summary.interrupted ? 'Summary (stopped with Ctrl-C)' : 'Summary',
    `  produced ${formatCount(summary.produced)} · piped ${formatCount(summary.piped)} · consumed ` +
      `${formatCount(summary.consumed)} (${formatCount(summary.duplicates)} duplicates) in ${seconds.toFixed(1)} s`,
    `  ${formatCount(perSecond)} records/s end to end on average`,
    `  end-to-end latency p50 ${ms(l.p50)} · p95 ${ms(l.p95)} · p99 ${ms(l.p99)} · max ${ms(l.max)}`,
    `  consumer lag at the end: pipeline ${formatCount(summary.pipelineLag)}, reader ${formatCount(summary.readerLag)}` +
      (summary.committedLag === undefined
        ? ''
        : `; uncommitted by the pipeline group ${formatCount(summary.committedLag)}`),
  ];
}
