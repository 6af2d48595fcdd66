#!/usr/bin/env node
// Packs each published package as `npm publish` would (after `npm run build`) and checks the tarball a user gets:
//
// - its size, against a budget (core at most 500 kB packed);
// - its files: the build output, README.md, LICENSE (the root's Apache-2.0 text) and package.json, nothing else:
//   no sources, tests, fixtures, source maps or test-only generated code (generated/schemas.ts, generated/index.ts,
//   the broker side of the codecs: generated/server/, server-api-definition.ts);
// - its modules: every relative import or require in its JavaScript names a file that is in the tarball (a module
//   left out of the build, or excluded as test-only, would fail the user's first import);
// - its metadata: licence, repository, homepage, bugs, keywords, publishConfig.access=public;
// - publint (the exports map and the files it names, module formats), strict: warnings fail too;
// - are-the-types-wrong (each entry resolves to types of the right module format under node10, node16 from CJS
//   and from ESM, and bundler), without looking anything up on the registry.
//
// Run by `npm test` (`npm run check:packages`). Prints one line per package with its size.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const attw = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist/index.js');

/** Packed-size budgets in bytes (kB as npm prints them: 1000 bytes). */
export const PACKAGES = [
  { dir: 'packages/core', maxPackedBytes: 500_000 },
  { dir: 'packages/rx', maxPackedBytes: 60_000 },
  { dir: 'packages/streams', maxPackedBytes: 60_000 },
  { dir: 'packages/kafkajs', maxPackedBytes: 80_000 },
  { dir: 'packages/otel', maxPackedBytes: 60_000 },
];

/** What a tarball may hold besides dist/: npm adds package.json, README and LICENSE itself. */
// internal/package.json: core's second entry (`@vltava/core/internal`) for resolvers that read no exports map (node10).
const ALLOWED_TOP_LEVEL = new Set(['package.json', 'README.md', 'LICENSE', 'internal/package.json']);
/** Files that never belong in a published package, whatever `files` says. */
const FORBIDDEN = [
  { pattern: /\.map$/, why: 'source map' },
  { pattern: /(^|\/)src\//, why: 'TypeScript source' },
  { pattern: /\.test\.|(^|\/)test\//, why: 'test' },
  { pattern: /fixture/, why: 'test fixture' },
  // The message declarations as data, the registry of every API and message codec, and the broker side of the
  // codecs (request decoders, response encoders): only tests use them.
  { pattern: /(^|\/)generated\/(schemas|index)\./, why: 'test-only generated code' },
  { pattern: /(^|\/)generated\/server\/|(^|\/)server-api-definition\./, why: 'test-only generated code' },
  { pattern: /(?<!\.d)\.ts$/, why: 'TypeScript source' },
];

const rootLicense = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');

/** Every file path an exports map names, except the development condition (sources are not published). */
function exportTargets(value, condition = '') {
  if (typeof value === 'string') return condition === '@vltava/source' ? [] : [value.replace(/^\.\//, '')];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => exportTargets(inner, key));
}

/** Relative module specifiers of a JavaScript file: static and dynamic imports, re-exports and requires. */
function relativeSpecifiers(code) {
  const found = [];
  for (const match of code.matchAll(
    /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm,
  )) {
    found.push(match[2]);
  }
  return found;
}

/** Imports in the packed JavaScript that name a file the tarball does not have. */
function unresolvedImports(dir, files) {
  const problems = [];
  for (const path of files.keys()) {
    if (!/\.(c|m)?js$/.test(path)) continue;
    const code = readFileSync(join(repoRoot, dir, path), 'utf8');
    for (const specifier of relativeSpecifiers(code)) {
      const target = posix.normalize(posix.join(posix.dirname(path), specifier));
      const candidates = [target, `${target}.js`, `${target}/index.js`];
      if (!candidates.some((candidate) => files.has(candidate))) {
        problems.push(`${path} imports ${specifier}, which is not in the tarball`);
      }
    }
  }
  return problems;
}

/** Problems of one packed package; empty when it is fine. */
async function checkPackage({ dir, maxPackedBytes }, destination) {
  const problems = [];
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: join(repoRoot, dir),
    maxBuffer: 64 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout);
  const tarball = join(destination, packed.filename);
  const files = new Map(packed.files.map((file) => [file.path, file]));
  const pkg = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8'));

  if (packed.size > maxPackedBytes) {
    problems.push(`packed size ${packed.size} bytes is over the budget of ${maxPackedBytes}`);
  }
  for (const path of files.keys()) {
    if (!path.startsWith('dist/') && !ALLOWED_TOP_LEVEL.has(path)) problems.push(`${path}: not part of the build`);
    for (const { pattern, why } of FORBIDDEN) {
      if (pattern.test(path)) problems.push(`${path}: ${why} in the tarball`);
    }
  }
  problems.push(...unresolvedImports(dir, files));
  if (!files.has('LICENSE')) problems.push('no LICENSE');
  else if (readFileSync(join(repoRoot, dir, 'LICENSE'), 'utf8') !== rootLicense) {
    problems.push('LICENSE differs from the root LICENSE');
  }
  for (const target of exportTargets(pkg.exports)) {
    if (!files.has(target)) problems.push(`exports names ${target}, which is not in the tarball`);
  }
  if (pkg.license !== 'Apache-2.0') problems.push(`license is ${pkg.license}, not Apache-2.0`);
  for (const field of ['repository', 'homepage', 'bugs', 'keywords', 'description', 'engines']) {
    if (pkg[field] === undefined) problems.push(`package.json has no ${field}`);
  }
  if (pkg.publishConfig?.access !== 'public') problems.push('publishConfig.access is not public');

  const tarballBytes = readFileSync(tarball);
  const lint = await publint({
    pack: {
      tarball: tarballBytes.buffer.slice(tarballBytes.byteOffset, tarballBytes.byteOffset + tarballBytes.length),
    },
    strict: true,
  });
  for (const message of lint.messages) {
    if (message.type === 'suggestion') continue;
    problems.push(`publint: ${formatMessage(message, lint.pkg, { color: false })}`);
  }

  try {
    await run(process.execPath, [attw, tarball, '--no-definitely-typed', '--format', 'ascii', '--no-color'], {
      cwd: repoRoot,
    });
  } catch (error) {
    problems.push(`are-the-types-wrong:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
  return { name: pkg.name, packed, problems };
}

const destination = mkdtempSync(join(tmpdir(), 'vltava-pack-'));
let failed = false;
try {
  for (const spec of PACKAGES) {
    const { name, packed, problems } = await checkPackage(spec, destination);
    const size = `${packed.size} bytes packed (budget ${spec.maxPackedBytes}), ${packed.unpackedSize} unpacked, ${packed.entryCount} files`;
    console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name}: ${size}`);
    for (const problem of problems) console.log(`     ${problem}`);
    failed ||= problems.length > 0;
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}
if (failed) process.exit(1);
