#!/usr/bin/env node
// Compiles a strict user's code (tools/consumer-types: an ES module and a CommonJS module importing @vltava/core,
// rx and streams) against the packages' built declarations, the way a project that installed them would: no
// `@vltava/source` condition, `skipLibCheck: false`, under each `lib` and module resolution a user may pick.
// Run by `npm test` after the build (`npm run check:types`). The repo's own configs keep `skipLibCheck: true`;
// this is where the declarations we publish are checked in full.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');
const sources = ['tools/consumer-types/esm.mts', 'tools/consumer-types/cjs.cts'];

const LIBS = ['ES2023', 'ESNext'];
/** Each resolution with the module system it goes with. */
const RESOLUTIONS = [
  { moduleResolution: 'node16', module: 'node16' },
  { moduleResolution: 'nodenext', module: 'nodenext' },
  { moduleResolution: 'bundler', module: 'preserve' },
];

const cases = LIBS.flatMap((lib) => RESOLUTIONS.map((resolution) => ({ lib, ...resolution })));

/** Typechecks the consumer under one case; resolves to the compiler's output, empty when clean. */
async function check({ lib, module, moduleResolution }) {
  const args = [
    tsc,
    '--noEmit',
    '--strict',
    '--skipLibCheck',
    'false',
    '--target',
    'ES2022',
    '--lib',
    lib,
    '--module',
    module,
    '--moduleResolution',
    moduleResolution,
    '--types',
    'node',
    ...sources,
  ];
  try {
    await run(process.execPath, args, { cwd: repoRoot });
    return '';
  } catch (error) {
    return `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error);
  }
}

const started = Date.now();
const failures = [];
// Two at a time: the machines this runs on have two cores.
for (let i = 0; i < cases.length; i += 2) {
  const batch = cases.slice(i, i + 2);
  const outputs = await Promise.all(batch.map(check));
  batch.forEach((c, j) => {
    const label = `lib ${c.lib}, moduleResolution ${c.moduleResolution}`;
    if (outputs[j] === '') {
      console.log(`ok   ${label}`);
    } else {
      console.log(`FAIL ${label}\n${outputs[j]}`);
      failures.push(label);
    }
  });
}
console.log(`consumer types: ${cases.length - failures.length} of ${cases.length} clean in ${Date.now() - started} ms`);
if (failures.length > 0) process.exit(1);
