/**
 * What `vltava:producer:send` costs a `send()` call with no subscriber: the synchronous part of `send(record,
 * callback)` (checks, serialization, admission), in a producer whose broker never answers (records wait for
 * metadata, so nothing else runs), current core vs the branch point's (`--baseline <ref>`, default 548ae50,
 * exported from git into bench/diagnostics/.baseline/), in rotating order, CPU time per call.
 *
 *   node --max-old-space-size=4096 --import tsx --conditions=@vltava/source bench/diagnostics/send-call.ts \
 *     [--rounds 15] [--records 50000]
 *
 * (Closed producers' records are freed late: keep `--records` at 50,000 or give the heap room.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from '../records/measure.js';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1]! : fallback;
};
const ROUNDS = Number(option('rounds', '15'));
const RECORDS = Number(option('records', '50000'));
const BASELINE_REF = option('baseline', '548ae50');
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
const BASELINE_DIR = join(HERE, '.baseline');

type CoreModule = typeof import('../../packages/core/src/index.js');

rmSync(BASELINE_DIR, { recursive: true, force: true });
mkdirSync(BASELINE_DIR, { recursive: true });
execFileSync('tar', ['-x', '--exclude=*.test.ts', '-C', BASELINE_DIR], {
  input: execFileSync('git', ['archive', BASELINE_REF, 'packages/core/src'], { cwd: REPO, maxBuffer: 1 << 30 }),
});
const variants: Record<string, CoreModule> = {
  baseline: (await import(join(BASELINE_DIR, 'packages/core/src/index.ts'))) as CoreModule,
  current: (await import('../../packages/core/src/index.js')) as CoreModule,
};
const value = Buffer.alloc(100, 7);
const noop = () => undefined;
const samples: Record<string, number[]> = { baseline: [], current: [] };
try {
  for (let round = 0; round < ROUNDS; round++) {
    const names = round % 2 === 0 ? ['baseline', 'current'] : ['current', 'baseline'];
    for (const name of names) {
      const core = variants[name]!;
      const producer = new core.Producer<string, Buffer>({
        brokers: '127.0.0.1:1',
        logLevel: 'error',
        bufferMemory: 1 << 30,
        maxBlockMs: 600_000,
        deliveryTimeoutMs: 600_000,
        requestTimeoutMs: 300_000,
      });
      const before = process.cpuUsage();
      for (let i = 0; i < RECORDS; i++) producer.send({ topic: 'bench', key: `k${i % 1000}`, value }, noop);
      const used = process.cpuUsage(before);
      samples[name]!.push((used.user + used.system) / RECORDS);
      await producer.close({ timeoutMs: 0 }).catch(() => undefined);
    }
  }
} finally {
  rmSync(BASELINE_DIR, { recursive: true, force: true });
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const base = median(samples.baseline!);
printTable(
  `send() call, ${RECORDS} records x ${ROUNDS} rounds (median CPU us per call)`,
  Object.entries(samples).map(([variant, s]) => ({
    variant,
    'CPU us/send': median(s).toFixed(3),
    'rate vs baseline': (base / median(s)).toFixed(3),
    samples: s.map((x) => x.toFixed(2)).join(' '),
  })),
);
