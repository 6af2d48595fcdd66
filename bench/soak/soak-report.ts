/**
 * The soak's figures: from the samples of a soak file, the slope per hour of every memory figure (least squares
 * over the samples after the warm-up, with its standard error, and for each half of that span apart, which tells a
 * line that levels off from one that keeps climbing), and the end-to-end counts; as markdown for RESULTS.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type LinearFit, linearFit } from '../compare/stats.js';
import type { SoakCounts, SoakSample } from './soak-samples.js';

/** The first line of a soak file. */
export interface SoakHeader {
  readonly type: 'soak-header';
  readonly started: string;
  readonly commit: string;
  readonly command: string;
  readonly node: string;
  readonly kafka: string;
  readonly minutes: number;
  readonly warmupMinutes: number;
  readonly rate: number;
  readonly killEveryMinutes: number;
  readonly downSeconds: number;
  readonly sampleSeconds: number;
  /** Environment given to the client that changes its memory (MALLOC_ARENA_MAX, ...). */
  readonly env: Record<string, string>;
  readonly machine: { cpu: string; cores: number; loadBefore: number[] };
}

/** A broker kill or restart. */
export interface SoakEvent {
  readonly type: 'soak-event';
  readonly t: number;
  readonly what: string;
}

/** The last line. */
export interface SoakEnd {
  readonly type: 'soak-end';
  readonly finished: string;
  readonly counts?: SoakCounts;
  /** Per group: whether its committed offsets equal the end offsets of its topic, and the lag where not. */
  readonly committed: Record<string, { equal: boolean; lag: number }>;
  readonly error?: string;
}

/** A soak file. */
export interface SoakRun {
  readonly header: SoakHeader;
  readonly samples: SoakSample[];
  readonly events: SoakEvent[];
  readonly end?: SoakEnd;
}

/** Reads a soak file. */
export function readSoak(path: string): SoakRun {
  let header: SoakHeader | undefined;
  let end: SoakEnd | undefined;
  const samples: SoakSample[] = [];
  const events: SoakEvent[] = [];
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text) as (SoakSample & { type: 'sample' }) | SoakHeader | SoakEvent | SoakEnd;
    if (line.type === 'soak-header') header = line;
    else if (line.type === 'soak-event') events.push(line);
    else if (line.type === 'soak-end') end = line;
    else samples.push(line);
  }
  if (header === undefined) throw new Error(`${path} has no soak header`);
  return end === undefined ? { header, samples, events } : { header, samples, events, end };
}

/** The memory figures whose slopes the report gives, with their names. */
export const SOAK_FIGURES: ReadonlyArray<[keyof SoakSample, string, string]> = [
  ['rssMiB', 'RSS', 'MiB'],
  ['rssAnonMiB', 'RSS, anonymous', 'MiB'],
  ['heapUsedMiB', 'heap used after GC', 'MiB'],
  ['heapTotalMiB', 'heap total after GC', 'MiB'],
  ['heapPhysicalMiB', 'heap resident after GC', 'MiB'],
  ['nativeMiB', 'anonymous RSS outside heap and ArrayBuffers', 'MiB'],
  ['mallocedMiB', "V8's malloced memory", 'MiB'],
  ['externalMiB', 'external memory', 'MiB'],
  ['arrayBuffersMiB', 'ArrayBuffers', 'MiB'],
  ['handles', 'active handles and requests', ''],
  ['eldP99', 'event-loop delay p99', 'ms'],
];

/** Slopes per hour of one figure: the whole span after the warm-up, and each half of it. */
export interface Slope {
  readonly all: LinearFit;
  readonly firstHalf: LinearFit;
  readonly secondHalf: LinearFit;
  /** The figure's first and last value after the warm-up. */
  readonly from: number;
  readonly to: number;
}

/** The slope per hour of `figure` over the samples after `warmupMinutes`. */
export function slopeOf(samples: readonly SoakSample[], figure: keyof SoakSample, warmupMinutes: number): Slope {
  const after = samples.filter((s) => s.t >= warmupMinutes * 60 && Number.isFinite(s[figure] as number));
  const hours = after.map((s) => s.t / 3600);
  const values = after.map((s) => s[figure] as number);
  const mid = Math.floor(after.length / 2);
  return {
    all: linearFit(hours, values),
    firstHalf: linearFit(hours.slice(0, mid + 1), values.slice(0, mid + 1)),
    secondHalf: linearFit(hours.slice(mid), values.slice(mid)),
    from: values[0] ?? Number.NaN,
    to: values.at(-1) ?? Number.NaN,
  };
}

/**
 * Whether a slope is flat within noise: its 95% interval (about two standard errors) holds zero, or it is under
 * 1 unit (MiB, handle, ms) per hour.
 */
export function isFlat(fit: LinearFit): boolean {
  if (!Number.isFinite(fit.slope)) return false;
  return Math.abs(fit.slope) < 1 || Math.abs(fit.slope) <= 2 * fit.slopeError;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const signed = (n: number, digits = 1) => (Number.isFinite(n) ? `${n >= 0 ? '+' : ''}${n.toFixed(digits)}` : '-');

/** The soak's section of RESULTS.md: the newest soak file of `folder` (nothing when there is none). */
export function soakSection(folder: string, relativeTo: string): string[] {
  if (!existsSync(folder)) return [];
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  if (files.length === 0) return [];
  const file = join(folder, files.at(-1)!);
  return soakMarkdown(readSoak(file), relative(relativeTo, file));
}

/** The markdown of a soak run. */
export function soakMarkdown(run: SoakRun, name: string): string[] {
  const { header, samples, events, end } = run;
  const lines: string[] = ['## Soak', ''];
  const kills = events.filter((e) => e.what.startsWith('kill')).length;
  const span = samples.length > 0 ? samples.at(-1)!.t / 60 : 0;
  lines.push(
    `From \`${name}\` (\`${header.command}\`, at ${header.commit}, ${header.started}): ${fmt(span, 0)} of ` +
      `${header.minutes} minutes on ${header.node}, Kafka ${header.kafka} on three nodes (replication 3, ` +
      `min.insync.replicas 2); a producer at ${header.rate.toLocaleString('en')} records/s, an Rx pipeline ` +
      '(`fromConsumer` -> `sendTo` -> `commitOffsets`) and a `for await` group of two consumers in one process; ' +
      `a broker killed (-9) every ${header.killEveryMinutes} min and restarted ${header.downSeconds} s later ` +
      `(${kills} kills). Memory sampled every ${header.sampleSeconds} s after a forced full GC; slopes are least ` +
      `squares per hour over the samples after the first ${fmt(header.warmupMinutes, 0)} minutes, ± one standard error, ` +
      'then for each half of that span (a line that levels off has a flat second half).' +
      (Object.keys(header.env).length > 0
        ? ` Client environment: ${Object.entries(header.env)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}.`
        : ''),
    '',
    '| figure | after warm-up | at the end | slope per hour | first half | second half | flat within noise |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const [figure, label, unit] of SOAK_FIGURES) {
    const slope = slopeOf(samples, figure, header.warmupMinutes);
    const u = unit ? ` ${unit}` : '';
    lines.push(
      `| ${label} | ${fmt(slope.from)}${u} | ${fmt(slope.to)}${u} | ${signed(slope.all.slope)} ± ${fmt(slope.all.slopeError)}${u} | ` +
        `${signed(slope.firstHalf.slope)} | ${signed(slope.secondHalf.slope)} | ${isFlat(slope.all) ? 'yes' : '**no**'} |`,
    );
  }
  lines.push('');
  if (end?.counts) {
    const c = end.counts;
    lines.push(
      `End to end: ${c.sent.toLocaleString('en')} records sent, ${c.acked.toLocaleString('en')} acknowledged, ` +
        `${c.failedSends} sends failed; **${c.lost} lost** (acknowledged, never out of the pipeline), ` +
        `${c.duplicated.toLocaleString('en')} duplicated (extra deliveries at least once allows), ` +
        `${c.unacknowledgedArrived} arrived although their send failed; the Rx pipeline restarted ${c.rxRestarts} ` +
        `times; the drain at the end took ${c.drainSeconds} s.` +
        (c.firstError ? ` First error seen: ${c.firstError.split('\n')[0]}.` : ''),
    );
  }
  if (end) {
    lines.push(
      `Committed == end offsets: ${Object.entries(end.committed)
        .map(([group, r]) => `${group} ${r.equal ? 'yes' : `**no** (lag ${r.lag})`}`)
        .join(', ')}.${end.error ? ` Soak error: ${end.error}` : ''}`,
    );
  } else {
    lines.push('The soak did not finish (no end line).');
  }
  lines.push('');
  return lines;
}
