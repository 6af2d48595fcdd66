import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { harnessCacheDir } from '../cache-dir.js';
import { KafkaHarnessError } from '../errors.js';
import { HARNESS_POM } from '../harness-paths.js';
import { KAFKA_SCALA_VERSION } from '../kafka-version.js';
import { withFileLock } from '../process/file-lock.js';
import { type KafkaRelease, kafkaRelease, releaseLine, requestedKafkaRelease } from '../releases/kafka-releases.js';
import { loadArtifactList } from './artifact-list.js';
import { downloadArtifacts } from './download-artifacts.js';
import { isMavenInstalled, resolveClasspathWithMaven } from './maven-classpath.js';
import { findMavenRepositoryUrl } from './maven-repository-url.js';

/** Where the jars of a resolution came from. */
export type KafkaArtifactSource = 'KAFKA_HOME' | 'cache' | 'maven' | 'download';

/** Kafka's runtime: the jars to put on the classpath of brokers and tools. */
export interface KafkaArtifacts {
  /** The Kafka version of the jars. */
  readonly version: string;
  /** Absolute jar paths in classpath order. */
  readonly classpath: string[];
  /** How they were found this time. */
  readonly source: KafkaArtifactSource;
}

/** Options of {@link resolveKafka}; the defaults read the process environment. */
export interface ResolveKafkaOptions {
  /**
   * The Kafka release: a supported line (`3.9`) or version (`3.9.2`). Default `KAFKA_VERSION` from the environment,
   * else the newest supported release. With `KAFKA_HOME` set, its jars are used; a `version` given here must then be
   * of the same line.
   */
  readonly version?: string;
  /** Environment to read `KAFKA_HOME`, `VLTAVA_CACHE_DIR`, `MAVEN_REPOSITORY_URL` from. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Cache directory. Default {@link harnessCacheDir}. */
  readonly cacheDir?: string;
  /** Home directory whose `.m2/settings.xml` may name a mirror. Default the user's. */
  readonly homeDir?: string;
  /** Use Maven when installed. Default true; false forces the pinned-list download. */
  readonly useMaven?: boolean;
  /** Progress messages for people (downloads can take a while the first time). */
  readonly log?: (message: string) => void;
}

interface CachedClasspath {
  readonly version: string;
  readonly key: string;
  readonly source: 'maven' | 'download';
  readonly classpath: string[];
}

/** The classpath of an unpacked Kafka distribution: every jar in `$KAFKA_HOME/libs`. */
export function kafkaHomeClasspath(kafkaHome: string): KafkaArtifacts {
  const libs = join(resolve(kafkaHome), 'libs');
  let jars: string[];
  try {
    jars = readdirSync(libs)
      .filter((name) => name.endsWith('.jar'))
      .sort();
  } catch (cause) {
    throw new KafkaHarnessError(
      'ERR_KAFKA_HOME',
      `KAFKA_HOME=${kafkaHome} has no libs/ folder; unset it or point it at an unpacked Kafka distribution.`,
      { cause },
    );
  }
  const broker = jars
    .map((name) => new RegExp(`^kafka_${KAFKA_SCALA_VERSION.replace('.', '\\.')}-(.+)\\.jar$`).exec(name))
    .find((m) => m !== null);
  if (broker === undefined || !jars.some((name) => name.startsWith('kafka-tools-'))) {
    throw new KafkaHarnessError(
      'ERR_KAFKA_HOME',
      `KAFKA_HOME=${kafkaHome}: libs/ has no kafka_${KAFKA_SCALA_VERSION}-*.jar or kafka-tools-*.jar; point it at an unpacked Kafka distribution.`,
    );
  }
  return { version: broker[1]!, classpath: jars.map((name) => join(libs, name)), source: 'KAFKA_HOME' };
}

/** The `-Dlog4j.version` the pom gets for a release (none for log4j 1 releases). */
function log4jVersion(release: KafkaRelease): string | undefined {
  return release.logging.api === 'log4j2' ? release.logging.log4jVersion : undefined;
}

function cacheKey(release: KafkaRelease): string {
  return createHash('sha256')
    .update(release.version)
    .update('\0')
    .update(log4jVersion(release) ?? '')
    .update('\0')
    .update(readFileSync(HARNESS_POM))
    .digest('hex')
    .slice(0, 16);
}

async function readCachedClasspath(file: string, version: string, key: string): Promise<string[] | undefined> {
  let cached: CachedClasspath;
  try {
    cached = JSON.parse(await readFile(file, 'utf8')) as CachedClasspath;
  } catch {
    return undefined;
  }
  if (
    cached.version !== version ||
    cached.key !== key ||
    !Array.isArray(cached.classpath) ||
    cached.classpath.length === 0
  ) {
    return undefined;
  }
  return cached.classpath.every((jar) => existsSync(jar)) ? cached.classpath : undefined;
}

async function resolveIntoCache(
  release: KafkaRelease,
  options: ResolveKafkaOptions,
  cacheDir: string,
  file: string,
  key: string,
) {
  const version = release.version;
  const env = options.env ?? process.env;
  const repositoryDir = join(cacheDir, 'm2');
  let source: 'maven' | 'download';
  let classpath: string[];
  if (options.useMaven !== false && (await isMavenInstalled(env))) {
    options.log?.(`Resolving Apache Kafka ${version} with Maven into ${repositoryDir}`);
    const log4j = log4jVersion(release);
    classpath = await resolveClasspathWithMaven({
      kafkaVersion: version,
      ...(log4j === undefined ? {} : { log4jVersion: log4j }),
      repositoryDir,
      env,
    });
    source = 'maven';
  } else {
    const repository = findMavenRepositoryUrl(env, options.homeDir);
    if (repository === undefined) {
      throw new KafkaHarnessError(
        'ERR_NO_MAVEN_REPOSITORY',
        `Cannot fetch Apache Kafka ${version}: Maven (mvn) is not installed and no Maven repository is ` +
          'configured. Install Maven, or set MAVEN_REPOSITORY_URL to the base URL of a Maven repository (a ' +
          'central mirror), or add a <mirror> to ~/.m2/settings.xml, or set KAFKA_HOME to an unpacked Kafka ' +
          'distribution.',
      );
    }
    const list = loadArtifactList(version);
    options.log?.(
      `Downloading ${list.artifacts.length} Apache Kafka ${version} jars from ${repository.url} (${repository.source})`,
    );
    classpath = await downloadArtifacts(list.artifacts, {
      repositoryUrl: repository.url,
      repositoryDir,
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    source = 'download';
  }
  const cached: CachedClasspath = { version: version, key, source, classpath };
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(cached, null, 2)}\n`);
  await rename(temporary, file);
  return { classpath, source };
}

const memo = new Map<string, Promise<KafkaArtifacts>>();

/**
 * Finds Apache Kafka's jars, in this order:
 * 1. `KAFKA_HOME`: the jars of an unpacked distribution (`$KAFKA_HOME/libs/*`).
 * 2. The classpath resolved earlier into the cache directory, when every jar is still there (no Maven run, no
 *    download).
 * 3. Maven, where `mvn` is installed (`maven/pom.xml`, into `<cache>/m2`).
 * 4. The pinned list `artifacts/kafka-<version>.json`, downloaded from `MAVEN_REPOSITORY_URL` or the mirror in
 *    `~/.m2/settings.xml`, each jar checked against its SHA-256.
 *
 * Each supported release has its own cache folder (`<cache>/kafka-<version>`); the jars themselves share one local
 * Maven repository. Concurrent resolutions (two test runs, the CLI) share the cache under a lock file.
 */
export function resolveKafka(options: ResolveKafkaOptions = {}): Promise<KafkaArtifacts> {
  const env = options.env ?? process.env;
  const cacheDir = options.cacheDir ?? harnessCacheDir(env);
  const kafkaHome = env.KAFKA_HOME;
  if (kafkaHome !== undefined && kafkaHome !== '') {
    try {
      return Promise.resolve(kafkaHomeArtifacts(kafkaHome, options.version));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  let release: KafkaRelease;
  try {
    release = options.version === undefined ? requestedKafkaRelease(env) : kafkaRelease(options.version);
  } catch (error) {
    return Promise.reject(error);
  }
  // Calls with the process defaults share one answer per process; explicit settings (tests) resolve afresh.
  const explicit = options.env !== undefined || options.cacheDir !== undefined || options.homeDir !== undefined;
  if (explicit || options.useMaven === false) return resolveUncached(release, options, cacheDir);
  const memoKey = `${cacheDir}\0${release.version}`;
  let result = memo.get(memoKey);
  if (result === undefined) {
    result = resolveUncached(release, options, cacheDir);
    memo.set(memoKey, result);
    result.catch(() => memo.delete(memoKey));
  }
  return result;
}

/** The jars of `KAFKA_HOME`; a version asked for must be of the same line. */
function kafkaHomeArtifacts(kafkaHome: string, requested: string | undefined): KafkaArtifacts {
  const home = kafkaHomeClasspath(kafkaHome);
  if (requested !== undefined && releaseLine(requested) !== releaseLine(home.version)) {
    throw new KafkaHarnessError(
      'ERR_KAFKA_VERSION',
      `Kafka ${requested} was asked for, but KAFKA_HOME=${kafkaHome} holds Kafka ${home.version}; unset ` +
        'KAFKA_HOME or point it at a distribution of that line.',
    );
  }
  return home;
}

async function resolveUncached(
  release: KafkaRelease,
  options: ResolveKafkaOptions,
  cacheDir: string,
): Promise<KafkaArtifacts> {
  const version = release.version;
  const dir = join(cacheDir, `kafka-${version}`);
  const file = join(dir, 'classpath.json');
  const key = cacheKey(release);
  const cached = await readCachedClasspath(file, version, key);
  if (cached !== undefined) return { version: version, classpath: cached, source: 'cache' };
  await mkdir(dir, { recursive: true });
  return withFileLock(
    join(dir, 'resolve.lock'),
    async () => {
      const again = await readCachedClasspath(file, version, key);
      if (again !== undefined) return { version: version, classpath: again, source: 'cache' as const };
      const resolved = await resolveIntoCache(release, options, cacheDir, file, key);
      return { version: version, ...resolved };
    },
    { onWait: () => options.log?.(`Waiting for another process resolving Kafka into ${dir}`) },
  );
}
