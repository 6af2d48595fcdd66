import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { formatDirectory } from './format.js';
import { generate, REPO_ROOT } from './generate.js';

/**
 * `npm run codegen`: regenerates the protocol codecs and the error table.
 * `npm run codegen:check`: regenerates into a scratch directory and fails, listing the files, when anything
 * differs from what is committed.
 * `--specs <dir>` reads the JSON message definitions from a directory instead of the kafka-clients jar.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const specsAt = args.indexOf('--specs');
  const specsDir = specsAt >= 0 ? args[specsAt + 1] : undefined;
  if (specsAt >= 0 && specsDir === undefined) throw new Error('--specs needs a directory');
  const log = (m: string) => console.error(`codegen: ${m}`);
  const generated = await generate({ specsDir, log });
  const scratch = mkdtempSync(join(tmpdir(), 'vltava-codegen-'));
  try {
    for (const file of generated.files) {
      const path = join(scratch, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.contents);
    }
    await formatDirectory(REPO_ROOT, scratch);
    const expected = new Map<string, string>();
    for (const file of generated.files) expected.set(file.path, readFileSync(join(scratch, file.path), 'utf8'));
    const present = new Set<string>(generated.ownedFiles.filter((p) => existsSync(join(REPO_ROOT, p))));
    for (const dir of generated.ownedDirectories) {
      const abs = join(REPO_ROOT, dir);
      if (!existsSync(abs)) continue;
      for (const entry of readdirSync(abs, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) present.add(`${dir}/${relative(abs, join(entry.parentPath, entry.name))}`);
      }
    }
    const changed: string[] = [];
    const added: string[] = [];
    const stale = [...present].filter((p) => !expected.has(p)).sort();
    for (const [path, contents] of expected) {
      const abs = join(REPO_ROOT, path);
      if (!existsSync(abs)) added.push(path);
      else if (readFileSync(abs, 'utf8') !== contents) changed.push(path);
    }
    if (check) {
      if (changed.length + added.length + stale.length === 0) {
        log(`${expected.size} generated files are up to date`);
        return 0;
      }
      for (const p of changed) console.error(`  differs: ${p}`);
      for (const p of added) console.error(`  missing: ${p}`);
      for (const p of stale) console.error(`  not generated any more: ${p}`);
      console.error('codegen: generated files are out of date; run `npm run codegen` and commit the result');
      return 1;
    }
    for (const path of [...changed, ...added]) {
      const abs = join(REPO_ROOT, path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, expected.get(path)!);
    }
    for (const path of stale) rmSync(join(REPO_ROOT, path));
    log(`${changed.length} updated, ${added.length} added, ${stale.length} removed, ${expected.size} in all`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`codegen: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
