#!/usr/bin/env node
// Builds the workspace package in the current directory for both module systems, with one set of type
// declarations:
//
//   dist/cjs/   CommonJS JavaScript and the package's type declarations (`.d.ts`, with their doc comments), with a
//               package.json of its own (`"type": "commonjs"`) so that Node and TypeScript read both as CommonJS
//               while the package itself stays `"type": "module"`.
//   dist/esm/   The ES module entry, `index.js`, which imports the CommonJS build and exports each of its names,
//               and one declaration file, `index.d.ts`, that re-exports the declarations of dist/cjs (an ES module
//               may import CommonJS; the reverse is what TypeScript's node16 rejects).
//
// So `import` resolves to ESM types for ESM code and `require` to CommonJS types for CommonJS code, as
// are-the-types-wrong checks, and every type exists once: a class seen through both entries is the same type.
// Every module exists once too: an application that imports the package and a dependency that requires it (the
// KafkaJS facade under NestJS) share one copy, so `instanceof KafkaError` holds across them, and the package ships
// its JavaScript once (core: 505.8 kB packed with an ES module copy of every module, under 500 kB without).
//
// Steps: `tsc -p tsconfig.cjs.json --emitDeclarationOnly` type-checks the sources and writes the declarations;
// then every source file is transpiled on its own (`ts.transpileModule`; the sources are `isolatedModules`) to
// ES module and CommonJS JavaScript, without comments: the doc comments live in the declarations, where editors
// show them, and the JavaScript stays tsc's line-for-line output at ES2022 (no bundling, no minification, names
// kept).
//
// No source maps: with the JavaScript that close to the TypeScript, a stack trace reads as well without them;
// maps would double the package (issue 17 measured 4 MB of maps in a 12.6 MB core) and point at sources the
// package does not ship.
//
// A package may have a second entry, `src/internal.ts` (core: `@vltava/core/internal`, what the other Vltava packages
// take beyond the public surface); it is built and kept the same way as `index`.
//
// Last, the modules and declarations the entries do not reach are deleted (the generated codecs of APIs the client
// never speaks, type-only modules no declaration names).
//
// A source module that cannot compile to CommonJS (it reads `import.meta`) has a hand-written twin `<name>.cjs`
// beside it, which replaces its output in dist/cjs.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const tsc = require.resolve('typescript/bin/tsc');
const cwd = process.cwd();
const src = join(cwd, 'src');
/** The entry modules: `index`, and `internal` where the package has one. */
const entries = ['index', ...(existsSync(join(src, 'internal.ts')) ? ['internal'] : [])];

rmSync(join(cwd, 'dist'), { recursive: true, force: true });
execFileSync(
  process.execPath,
  [tsc, '-p', 'tsconfig.cjs.json', '--emitDeclarationOnly', '--declaration', '--declarationMap', 'false'],
  { cwd, stdio: 'inherit' },
);

/** A tsconfig of this package, parsed with its `extends` chain. */
function parsedConfig(name) {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(cwd, name),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (parsed.errors.length > 0) {
    throw new Error(parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  }
  return parsed;
}

// transpileModule sees one file, not the package.json that makes it an ES module under NodeNext: name the module
// system outright. Only CommonJS: the ES module entry is written from it (writeEsmEntry).
for (const [config, outDir, module] of [['tsconfig.cjs.json', 'dist/cjs', ts.ModuleKind.CommonJS]]) {
  const { options, fileNames } = parsedConfig(config);
  const compilerOptions = { ...options, module, removeComments: true, sourceMap: false, declaration: false };
  for (const file of fileNames) {
    if (file.endsWith('.d.ts')) continue;
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
    const target = join(cwd, outDir, relative(src, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
}

pruneDeclarations(join(cwd, 'dist/cjs'));
mkdirSync(join(cwd, 'dist/esm'), { recursive: true });
writeFileSync(join(cwd, 'dist/cjs/package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
for (const entry of entries) {
  writeFileSync(
    join(cwd, `dist/esm/${entry}.d.ts`),
    '// The type declarations of this package live once, in ../cjs (see tools/scripts/build-package.mjs).\n' +
      `export * from '../cjs/${entry}.js';\n`,
  );
}

/**
 * Deletes the declaration files that `index.d.ts` does not reach through relative imports (`from './x.js'`,
 * `import('./x.js')`): the exports map offers only the package's entry, so a type no public declaration refers to
 * cannot be named by a user (core: 142 of 236 files, 445 KB).
 */
function pruneDeclarations(dir) {
  const reached = new Set();
  const pending = entries.map((entry) => join(dir, `${entry}.d.ts`));
  while (pending.length > 0) {
    const file = pending.pop();
    if (reached.has(file)) continue;
    reached.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.\.?\/[^'"]+)['"]/g)) {
      const target = join(dirname(file), specifier).replace(/\.js$/, '.d.ts');
      if (!existsSync(target)) throw new Error(`${relative(cwd, file)} imports ${specifier}, which has no declaration`);
      pending.push(target);
    }
  }
  for (const file of ts.sys.readDirectory(dir, ['.d.ts'])) {
    if (!reached.has(file)) rmSync(file);
  }
}

/**
 * Deletes the JavaScript modules that `index.js` does not reach through relative imports and requires: the
 * protocol's generated codecs cover every API of Kafka, and the client speaks fewer (core: the codecs of broker-side
 * and Streams-group APIs, 140 KB per module format). The package loads nothing by a computed path (its worker runs
 * from source text), so what the entry does not import is never loaded.
 */
function pruneModules(dir) {
  const reached = new Set();
  const pending = entries.map((entry) => join(dir, `${entry}.js`));
  while (pending.length > 0) {
    const file = pending.pop();
    if (reached.has(file)) continue;
    reached.add(file);
    const text = readFileSync(file, 'utf8');
    const imports = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.\.?\/[^'"]+)['"]/gm;
    for (const [, specifier] of text.matchAll(imports)) {
      const target = join(dirname(file), specifier);
      if (!existsSync(target)) throw new Error(`${relative(cwd, file)} imports ${specifier}, which was not built`);
      pending.push(target);
    }
  }
  for (const file of ts.sys.readDirectory(dir, ['.js'])) {
    if (!reached.has(file)) rmSync(file);
  }
}

/** Source files ending in `.cjs` under `dir`. */
function cjsTwins(dir) {
  return ts.sys.readDirectory(dir, ['.cjs']);
}

for (const twin of existsSync(src) ? cjsTwins(src) : []) {
  const target = join(cwd, 'dist/cjs', relative(src, twin)).replace(/\.cjs$/, '.js');
  if (!existsSync(target)) throw new Error(`${relative(cwd, twin)} has no compiled module to replace at ${target}`);
  copyFileSync(twin, target);
}

pruneModules(join(cwd, 'dist/cjs'));
for (const entry of entries) writeEsmEntry(entry);
pruneModules(join(cwd, 'dist/esm'));

/**
 * Writes `dist/esm/<entry>.js` as the ES module face of the CommonJS build: it imports `../cjs/<entry>.js` (Node
 * gives an ES module a CommonJS module's `module.exports` as its default import) and exports each of its names.
 * Every name the CommonJS entry exports, read by loading it here; the result is checked by importing it back.
 */
function writeEsmEntry(entry) {
  const cjsEntry = join(cwd, `dist/cjs/${entry}.js`);
  const names = Object.keys(createRequire(cjsEntry)(cjsEntry)).filter((name) => name !== '__esModule');
  const target = join(cwd, `dist/esm/${entry}.js`);
  writeFileSync(
    target,
    '// The ES module entry of this package: its CommonJS build, exported by name, so that `import` and `require`\n' +
      '// load one copy (see tools/scripts/build-package.mjs).\n' +
      `import cjs from '../cjs/${entry}.js';\n\n` +
      `export const {\n${names.map((name) => `  ${name},\n`).join('')}} = cjs;\n`,
  );
  const check = `import(${JSON.stringify(pathToFileURL(target).href)}).then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`;
  const imported = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', check], { encoding: 'utf8' }),
  );
  if (JSON.stringify(imported) !== JSON.stringify([...names].sort())) {
    throw new Error(`dist/esm/${entry}.js does not export what dist/cjs/${entry}.js does`);
  }
}
