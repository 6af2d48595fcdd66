/**
 * Sums the self time of V8 CPU profiles (`node --cpu-prof`) by function and prints the heaviest, per group of
 * profiles: `npx tsx bench/adapters/top-functions.ts <dir> [prefix...] [--top 25]`. Each prefix selects the run
 * folders (or profile files) under `dir` whose name starts with it (for example `consume-100-vltava-rx-`); idle
 * time is left out, and the percentages are of the group's busy samples, the milliseconds per run, so that the
 * layers' costs read against the core API's in the same units.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const argv = process.argv.slice(2);
const topAt = argv.indexOf('--top');
const top = topAt >= 0 ? Number(argv[topAt + 1]) : 25;
const rest = argv.filter((_, i) => i !== topAt && i !== topAt + 1);
const [dir, ...prefixes] = rest;
if (dir === undefined) throw new Error('usage: top-functions.ts <dir> [prefix...] [--top N]');

/** Every profile under `dir`, with the name of the folder (or file) directly under `dir` it belongs to. */
function profiles(): Array<{ group: string; path: string }> {
  const found: Array<{ group: string; path: string }> = [];
  for (const entry of readdirSync(dir!, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.cpuprofile'))
      found.push({ group: entry.name, path: join(dir!, entry.name) });
    if (entry.isDirectory()) {
      for (const file of readdirSync(join(dir!, entry.name))) {
        if (file.endsWith('.cpuprofile')) found.push({ group: entry.name, path: join(dir!, entry.name, file) });
      }
    }
  }
  return found;
}

const files = profiles();
for (const prefix of prefixes.length > 0 ? prefixes : ['']) {
  const chosen = files.filter((f) => f.group.startsWith(prefix));
  const runs = new Set(chosen.map((f) => f.group)).size;
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const file of chosen) {
    const profile = JSON.parse(readFileSync(file.path, 'utf8')) as Profile;
    const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    for (let i = 0; i < profile.samples.length; i++) {
      const frame = frames.get(profile.samples[i]!)!;
      const delta = profile.timeDeltas[i] ?? 0;
      if (frame.functionName === '(idle)') continue;
      const where = frame.url.replace(/^.*\/(packages|node_modules|bench)\//, '$1/');
      const name = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
      total += delta;
    }
  }
  console.log(`\n${prefix || 'all'}: ${runs} runs, ${(total / 1e6 / runs).toFixed(2)} busy CPU s sampled per run`);
  const sorted = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, micros] of sorted) {
    console.log(
      `  ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1e3).toFixed(0).padStart(6)} ms  ${name}`,
    );
  }
}
