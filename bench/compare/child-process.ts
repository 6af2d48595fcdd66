/** Runs one client job in its own Node process (`child.ts`) and reads its result line. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Client } from './clients.js';
import { type Job, type JobResult, RESULT_PREFIX } from './job.js';
import { BENCH_DIR, type Runtime } from './peers.js';

const REPO = join(BENCH_DIR, '..');
const CHILD = join(BENCH_DIR, 'compare', 'child.ts');

/** Runs `job` with `client`'s driver on `runtime`; rejects with the child's output when it fails or takes 15 min. */
export function runChild(
  runtime: Runtime,
  client: Pick<Client, 'id' | 'driver' | 'variant'>,
  job: Job,
): Promise<JobResult> {
  const args = [
    '--conditions=@vltava/source',
    '--import',
    'tsx',
    CHILD,
    client.driver,
    client.variant ?? '-',
    runtime.peerDir,
    JSON.stringify(job),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(runtime.node, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 900_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line !== undefined) resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as JobResult);
      else reject(new Error(`${client.id} exited with ${code}: ${(err || out).trim().slice(-4000)}`));
    });
  });
}
