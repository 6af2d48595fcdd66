import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, join, sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The kafka-clients jar the generator reads, and a Java classpath to run Kafka's classes with. */
export interface KafkaClientsJar {
  /** Absolute path of `kafka-clients-<version>.jar`. */
  readonly jar: string;
  /** Classpath entries for `java -cp` (the jar plus what it needs to load, such as slf4j-api), when known. */
  readonly classpath: readonly string[];
  /** How the jar was found, for logs. */
  readonly source: string;
}

/** Options of {@link locateKafkaClientsJar}, mainly for tests. */
export interface LocateOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Runs the harness CLI and returns what it printed; default `npx --no-install vltava-kafka classpath`. */
  readonly harnessClasspath?: () => Promise<string>;
  /** Repository root, where `npx` runs. */
  readonly cwd?: string;
}

const CLIENTS_JAR = /^kafka-clients-(\d+\.\d+\.\d+[^/\\]*)\.jar$/;

/**
 * Finds the kafka-clients jar, trying in order:
 * 1. the `KAFKA_CLIENTS_JAR` environment variable (plus `KAFKA_CLASSPATH` for Java, if set);
 * 2. the harness CLI, `npx vltava-kafka classpath`, which prints the resolved Kafka classpath;
 * and fails with a message saying how to provide it.
 */
export async function locateKafkaClientsJar(options: LocateOptions = {}): Promise<KafkaClientsJar> {
  const env = options.env ?? process.env;
  const fromEnv = env.KAFKA_CLIENTS_JAR;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`KAFKA_CLIENTS_JAR points at ${fromEnv}, which does not exist`);
    const extra = (env.KAFKA_CLASSPATH ?? '').split(delimiter).filter((p) => p !== '');
    const classpath = extra.length > 0 ? [fromEnv, ...extra] : [fromEnv, ...siblingDependencies(fromEnv)];
    return { jar: fromEnv, classpath, source: 'KAFKA_CLIENTS_JAR' };
  }
  const harness = options.harnessClasspath ?? (() => runHarness(options.cwd ?? process.cwd()));
  let printed: string | undefined;
  let harnessError: unknown;
  try {
    printed = await harness();
  } catch (error) {
    harnessError = error;
  }
  if (printed !== undefined) {
    const found = pickClientsJar(printed);
    if (found !== undefined) return { ...found, source: 'npx vltava-kafka classpath' };
  }
  const why =
    harnessError !== undefined
      ? `the harness CLI failed (${firstLine(harnessError)})`
      : 'the harness CLI printed no kafka-clients jar';
  throw new Error(
    `Cannot find the kafka-clients jar: KAFKA_CLIENTS_JAR is not set and ${why}. ` +
      'Set KAFKA_CLIENTS_JAR=/path/to/kafka-clients-4.4.0.jar (and KAFKA_CLASSPATH for the Java helpers if ' +
      'slf4j-api is not next to it in a Maven repository), or make `npx vltava-kafka classpath` work.',
  );
}

/** Picks `kafka-clients-<version>.jar` out of classpath text (entries separated by the path delimiter or lines). */
export function pickClientsJar(printed: string): { jar: string; classpath: string[] } | undefined {
  const entries = printed
    .split(/\r?\n/)
    .flatMap((line) => line.split(delimiter))
    .map((e) => e.trim())
    .filter((e) => e.endsWith('.jar'));
  const jar = entries.find((e) => CLIENTS_JAR.test(basename(e)));
  return jar === undefined ? undefined : { jar, classpath: entries };
}

/** The Kafka version in a kafka-clients jar's file name, if it follows Maven's naming. */
export function versionFromJarName(jar: string): string | undefined {
  return CLIENTS_JAR.exec(basename(jar))?.[1];
}

async function runHarness(cwd: string): Promise<string> {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  // The codecs come from the harness's default (newest) release, whatever KAFKA_VERSION a test run asks brokers of.
  const env = { ...process.env };
  delete env.KAFKA_VERSION;
  const { stdout } = await run(npx, ['--no-install', 'vltava-kafka', 'classpath'], {
    cwd,
    env,
    timeout: 15 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/**
 * Dependencies kafka-clients needs to load its classes in a Java helper (slf4j-api), found next to the jar when
 * it sits in a Maven repository layout, else in `~/.m2/repository`.
 */
function siblingDependencies(jar: string): string[] {
  const marker = `${sep}org${sep}apache${sep}kafka${sep}kafka-clients${sep}`;
  const roots: string[] = [];
  const at = jar.lastIndexOf(marker);
  if (at >= 0) roots.push(jar.slice(0, at));
  roots.push(join(homedir(), '.m2', 'repository'));
  for (const root of roots) {
    const dir = join(root, 'org', 'slf4j', 'slf4j-api');
    if (!existsSync(dir)) continue;
    const versions = readdirSync(dir).sort(compareVersions).reverse();
    for (const version of versions) {
      const candidate = join(dir, version, `slf4j-api-${version}.jar`);
      if (existsSync(candidate)) return [candidate];
    }
  }
  return [];
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
