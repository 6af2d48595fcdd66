import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Formats the TypeScript files under `dir` with Biome, using the repository's formatter settings. The repository
 * config leaves generated files out of Biome's reach (they are not linted), so the files are formatted in a
 * scratch directory with a config holding only those settings: the output is what `biome format` would produce.
 */
export async function formatDirectory(repoRoot: string, dir: string): Promise<void> {
  const rootConfig = JSON.parse(readFileSync(join(repoRoot, 'biome.json'), 'utf8')) as {
    formatter?: unknown;
    javascript?: { formatter?: unknown };
  };
  // Outside `dir`: Biome refuses a configuration nested in the tree it formats.
  const configDir = mkdtempSync(join(tmpdir(), 'vltava-codegen-biome-'));
  writeFileSync(
    join(configDir, 'biome.json'),
    JSON.stringify({
      formatter: rootConfig.formatter,
      javascript: { formatter: rootConfig.javascript?.formatter },
      linter: { enabled: false },
      assist: { enabled: false },
    }),
  );
  const require = createRequire(join(repoRoot, 'package.json'));
  const biome = require.resolve('@biomejs/biome/bin/biome');
  try {
    await run(process.execPath, [biome, 'format', '--write', `--config-path=${configDir}`, dir], {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`biome format failed on generated code:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}
