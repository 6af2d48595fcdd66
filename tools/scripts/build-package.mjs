#!/usr/bin/env node
// Builds the workspace package in the current directory twice: ESM (dist/esm) and CommonJS (dist/cjs), each with
// type declarations. The CommonJS folder gets its own package.json so that Node and TypeScript read its `.js`
// files as CommonJS while the package itself stays `"type": "module"`. A source module that cannot compile to
// CommonJS (it reads `import.meta`) has a hand-written twin `<name>.cjs` beside it, which replaces its output there.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const cwd = process.cwd();

rmSync(join(cwd, 'dist'), { recursive: true, force: true });
for (const config of ['tsconfig.build.json', 'tsconfig.cjs.json']) {
  execFileSync(process.execPath, [tsc, '-p', config], { cwd, stdio: 'inherit' });
}
mkdirSync(join(cwd, 'dist/cjs'), { recursive: true });
writeFileSync(join(cwd, 'dist/cjs/package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

/** Source files ending in `.cjs` under `dir`. */
function cjsTwins(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return cjsTwins(path);
    return entry.name.endsWith('.cjs') ? [path] : [];
  });
}

const src = join(cwd, 'src');
for (const twin of existsSync(src) ? cjsTwins(src) : []) {
  const target = join(cwd, 'dist/cjs', relative(src, twin)).replace(/\.cjs$/, '.js');
  if (!existsSync(target)) throw new Error(`${relative(cwd, twin)} has no compiled module to replace at ${target}`);
  copyFileSync(twin, target);
}
