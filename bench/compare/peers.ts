/**
 * The peer clients, installed from `bench/package-lock.json` on first use: into `bench/node_modules` for the Node
 * running the bench, and into `bench/.node<major>/node_modules` for another Node (native addons are built per Node
 * ABI). On the Node lines where only Vltava runs, the install leaves the optional confluent client out (it needs
 * only the native `lz4` the lock file pins). `@confluentinc/kafka-javascript` has no prebuilt binary that installs without GitHub, so it is built from
 * the librdkafka sources inside its npm package, linked against the system's OpenSSL, zstd, lz4, SASL and curl
 * development packages (`CKJS_LINKING=dynamic`; its default static build downloads those libraries' sources from
 * their sites, which fails here). It is an optional dependency: if it cannot be built, the install goes on and the
 * bench reports it as blocked, with the reason.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The bench folder. */
export const BENCH_DIR = join(import.meta.dirname, '..');

/** A Node runtime the clients run on. */
export interface Runtime {
  readonly major: number;
  readonly node: string;
  readonly version: string;
  /** Where its peers are installed (has `node_modules`). */
  readonly peerDir: string;
}

/** Why a peer could not be installed on a runtime, by package name. */
export type Blocked = Map<string, string>;

const PEERS = [
  'kafkajs',
  '@platformatic/kafka',
  '@platformatic/kafka-1',
  'kafkajs-lz4',
  '@confluentinc/kafka-javascript',
];

/**
 * Installs the peers for `node` (the bench's own Node when `nodedir` is undefined) unless the lock file has not
 * changed since the last install; returns the peers that could not be installed, with the reason.
 */
export async function installPeers(
  node: string,
  major: number,
  nodedir: string | undefined,
  log: (line: string) => void,
  { withOptional = true }: { withOptional?: boolean } = {},
): Promise<{ peerDir: string; blocked: Blocked }> {
  const own = nodedir === undefined;
  const peerDir = own ? BENCH_DIR : join(BENCH_DIR, `.node${major}`);
  const lock = `${withOptional ? '' : 'omit=optional\n'}${readFileSync(join(BENCH_DIR, 'package-lock.json'), 'utf8')}`;
  const stamp = join(peerDir, 'node_modules', '.vltava-bench-lock');
  const installed = existsSync(stamp) && readFileSync(stamp, 'utf8') === lock;
  let output = '';
  if (!installed) {
    log(
      withOptional
        ? `installing the peer clients for Node ${major} into ${peerDir} (npm ci; builds librdkafka: a few minutes)`
        : `installing the peers for Node ${major} into ${peerDir} without the optional confluent client (npm ci)`,
    );
    if (!own) {
      mkdirSync(peerDir, { recursive: true });
      copyFileSync(join(BENCH_DIR, 'package.json'), join(peerDir, 'package.json'));
      copyFileSync(join(BENCH_DIR, 'package-lock.json'), join(peerDir, 'package-lock.json'));
    }
    const env: NodeJS.ProcessEnv = { ...process.env, CKJS_LINKING: 'dynamic' };
    if (!own) {
      env.PATH = `${dirname(node)}:${process.env.PATH ?? ''}`;
      env.npm_config_nodedir = nodedir;
    }
    const omit = withOptional ? [] : ['--omit=optional'];
    const result = await run('npm', ['ci', '--no-audit', '--no-fund', '--foreground-scripts', ...omit], {
      cwd: peerDir,
      env,
      maxBuffer: 256 << 20,
      timeout: 1_800_000,
    });
    output = `${result.stdout}\n${result.stderr}`;
    writeFileSync(join(peerDir, 'node_modules', '.vltava-bench-install.log'), output);
    writeFileSync(stamp, lock);
  } else {
    const logFile = join(peerDir, 'node_modules', '.vltava-bench-install.log');
    output = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  }
  const blocked: Blocked = new Map();
  for (const peer of PEERS) {
    if (!withOptional && peer.startsWith('@confluentinc')) {
      blocked.set(peer, 'not installed on this Node line (only Vltava runs on it)');
      continue;
    }
    const check = `require(${JSON.stringify(join(peerDir, 'node_modules', peer))})`;
    try {
      if (peer.startsWith('@platformatic')) {
        if (!existsSync(join(peerDir, 'node_modules', peer, 'package.json'))) throw new Error('not installed');
      } else {
        await run(node, ['-e', check], { cwd: peerDir });
      }
    } catch (error) {
      const reason = peer.startsWith('@confluentinc')
        ? confluentReason(output)
        : String((error as Error).message).split('\n')[0]!;
      blocked.set(peer, reason);
    }
  }
  return { peerDir, blocked };
}

function confluentReason(log: string): string {
  const missing = [...log.matchAll(/Could not resolve host: ([\w.-]+)/g)].map((m) => m[1]);
  const gyp = log.match(/gyp ERR! [^\n]*/)?.[0];
  return [
    'its prebuilt binary is downloaded from GitHub releases (unreachable here) and the fallback source build failed',
    missing.length > 0 ? `(it tried to download from ${[...new Set(missing)].join(', ')})` : '',
    gyp ? `: ${gyp}` : '',
    '- it needs a C/C++ toolchain and the libssl, libzstd, liblz4, libsasl2 and libcurl development packages',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Version of an installed peer package. */
export function peerVersion(peerDir: string, name: string): string {
  try {
    const file = join(peerDir, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}
