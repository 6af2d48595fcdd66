#!/usr/bin/env node
// Typechecks every TypeScript code block (```ts) of the READMEs, so that the examples people copy compile:
// the root README, each package's, the examples', the tools' and the benchmarks'. Each block is a module of its
// own, compiled strictly against the packages' built declarations (as a user who installed them would import
// them), with top-level await allowed; a README beside the code it describes (packages/*/src/**) may import that
// code by relative path. Run by `npm test` (`npm run check:types`), after the build.
//
// An HTML comment right before a block (invisible where the README is rendered) may say how to check it:
//
//   <!-- typecheck: continue -->        the block goes on from the previous one in the same README (same module)
//   <!-- typecheck: skip <reason> -->   not compiled: a fragment that cannot stand alone (say why)
//   <!-- typecheck:                     TypeScript placed before the block, for names the prose gives it
//   declare const brokers: string[];
//   -->
//
// Errors are reported at the README's own line numbers.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
// Inside node_modules, so that the packages resolve as installed ones do, and no tool of the repo looks at it.
const outDir = join(repoRoot, 'node_modules/.cache/readme-snippets');

/** README.md files of the repo, outside node_modules and build output. */
function readmes(dir = repoRoot) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return readmes(path);
    return entry.name === 'README.md' ? [path] : [];
  });
}

/**
 * The TypeScript blocks of one README as modules: `{ file, lines }`, where `lines` maps each line of the module to
 * the README line it came from (undefined for generated lines).
 */
function modulesOf(readme) {
  const text = readFileSync(readme, 'utf8').split('\n');
  const modules = [];
  let directive;
  for (let i = 0; i < text.length; i++) {
    const line = text[i];
    const comment = /^<!--\s*typecheck:?\s*(.*)$/.exec(line);
    if (comment) {
      const rest = comment[1] ?? '';
      if (/-->\s*$/.test(rest)) {
        directive = { kind: rest.replace(/-->\s*$/, '').trim(), prelude: [] };
      } else {
        const prelude = [];
        const start = i + 1;
        for (i++; i < text.length && !/^-->\s*$/.test(text[i]); i++) prelude.push(text[i]);
        directive = { kind: rest.trim(), prelude: prelude.map((code, k) => ({ code, from: start + k + 1 })) };
      }
      continue;
    }
    const fence = /^```(ts|typescript)\s*$/.exec(line);
    if (!fence) {
      if (line.trim() !== '' && !line.startsWith('```')) directive = undefined;
      if (line.startsWith('```')) {
        // A block in another language: skip to its end.
        for (i++; i < text.length && !text[i].startsWith('```'); i++);
        directive = undefined;
      }
      continue;
    }
    const body = [];
    const start = i + 1;
    for (i++; i < text.length && !text[i].startsWith('```'); i++)
      body.push({ code: text[i], from: start + 1 + body.length });
    const kind = directive?.kind ?? '';
    const prelude = directive?.prelude ?? [];
    directive = undefined;
    if (kind.startsWith('skip')) {
      if (kind.replace(/^skip/, '').trim() === '') throw new Error(`${readme}:${start}: a skipped block must say why`);
      continue;
    }
    if (kind === 'continue' && modules.length > 0) {
      modules.at(-1).lines.push(...prelude, ...body);
    } else if (kind === 'continue') {
      throw new Error(`${readme}:${start}: nothing to continue`);
    } else {
      modules.push({ readme, lines: [...prelude, ...body] });
    }
  }
  return modules;
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
/** Generated file name -> line map. */
const sources = new Map();
let blockCount = 0;
for (const readme of readmes()) {
  modulesOf(readme).forEach((module, n) => {
    const name = `${relative(repoRoot, readme).replace(/[/.]/g, '_')}_${n + 1}.mts`;
    // Relative imports (in READMEs that sit beside the code they describe) resolve from the README's folder.
    const relativeTo = (code) =>
      code.replace(/(\bfrom\s*|\bimport\s*\(\s*)(['"])(\.\.?\/[^'"]+)\2/g, (_, lead, quote, specifier) => {
        return `${lead}${quote}${join(dirname(module.readme), specifier)}${quote}`;
      });
    const lines = [...module.lines.map((l) => ({ ...l, code: relativeTo(l.code) })), { code: 'export {};' }];
    writeFileSync(join(outDir, name), `${lines.map((l) => l.code).join('\n')}\n`);
    sources.set(name, { readme: module.readme, lines });
    blockCount++;
  });
}
writeFileSync(
  join(outDir, 'tsconfig.json'),
  JSON.stringify({
    // The repo's own strictness (what the sources an internal README imports are written for), but no
    // `@vltava/source` condition: the packages resolve to their published declarations.
    extends: join(repoRoot, 'tsconfig.base.json'),
    compilerOptions: {
      customConditions: [],
      noEmit: true,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
    },
    include: ['*.mts'],
  }),
);

const started = Date.now();
let output = '';
try {
  await run(process.execPath, [tsc, '-p', join(outDir, 'tsconfig.json'), '--pretty', 'false'], { cwd: outDir });
} catch (error) {
  output = `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error);
}
// Map `name.mts(line,col): error ...` back to the README.
const mapped = output
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => {
    const at = /^(?:.*\/)?([^/(]+\.mts)\((\d+),(\d+)\)(.*)$/.exec(l);
    const source = at && sources.get(at[1]);
    if (!source) return l;
    const from = source.lines[Number(at[2]) - 1]?.from;
    return `${relative(repoRoot, source.readme)}:${from ?? '?'}:${at[3]}${at[4]}`;
  });
console.log(
  `README snippets: ${blockCount} modules from ${new Set([...sources.values()].map((s) => s.readme)).size} READMEs, ${Date.now() - started} ms`,
);
if (mapped.length > 0) {
  console.log(mapped.join('\n'));
  process.exit(1);
}
