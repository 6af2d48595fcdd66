import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeError, KafkaHarnessError } from './errors.js';
import { KAFKA_VERSION, MIN_JAVA_VERSION } from './kafka-version.js';

/** The Java runtime the harness starts Kafka with. */
export interface JavaRuntime {
  /** Path or command name of the `java` executable. */
  readonly command: string;
  /** Feature release number (17 for `17.0.15`). */
  readonly majorVersion: number;
  /** The full version string as `java -version` prints it, for example `17.0.15`. */
  readonly version: string;
}

/**
 * Reads the Java feature release from the output of `java -version` (`openjdk version "17.0.15"`,
 * `java version "1.8.0_392"`). Returns undefined when the output names no version.
 */
export function parseJavaVersion(output: string): { majorVersion: number; version: string } | undefined {
  const match = /version "([^"]+)"/.exec(output);
  if (match === null) return undefined;
  const version = match[1]!;
  const parts = /^(\d+)(?:\.(\d+))?/.exec(version);
  if (parts === null) return undefined;
  const first = Number(parts[1]);
  const majorVersion = first === 1 && parts[2] !== undefined ? Number(parts[2]) : first;
  return { majorVersion, version };
}

/** The `java` command to use: `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` from PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.JAVA_HOME;
  if (home !== undefined && home !== '') {
    const exe = join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (existsSync(exe)) return exe;
  }
  return 'java';
}

const cache = new Map<string, Promise<JavaRuntime>>();

/**
 * Finds Java 17 or newer (JAVA_HOME first, then PATH) and checks its version. The result is memoised per command.
 * Fails with `ERR_JAVA_NOT_FOUND` or `ERR_JAVA_TOO_OLD` and a message that says how to fix it.
 */
export function findJava(env: NodeJS.ProcessEnv = process.env): Promise<JavaRuntime> {
  const command = javaCommand(env);
  let found = cache.get(command);
  if (found === undefined) {
    found = probeJava(command, env);
    cache.set(command, found);
    found.catch(() => cache.delete(command));
  }
  return found;
}

function probeJava(command: string, env: NodeJS.ProcessEnv): Promise<JavaRuntime> {
  const hint =
    `Apache Kafka ${KAFKA_VERSION} needs Java ${MIN_JAVA_VERSION} or newer: install a JDK ${MIN_JAVA_VERSION}+ ` +
    'and put `java` on PATH or set JAVA_HOME; or set KAFKA_BROKERS=host:port to test against a running cluster; ' +
    'or set VLTAVA_KAFKA_RUNTIME=docker where a Docker engine runs.';
  return new Promise((resolvePromise, reject) => {
    execFile(command, ['-version'], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error !== null && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        const where = env.JAVA_HOME ? `JAVA_HOME=${env.JAVA_HOME} has no bin/java and ` : 'JAVA_HOME is not set and ';
        reject(new KafkaHarnessError('ERR_JAVA_NOT_FOUND', `No Java found: ${where}\`java\` is not on PATH. ${hint}`));
        return;
      }
      const parsed = parseJavaVersion(`${stderr}\n${stdout}`);
      if (error !== null || parsed === undefined) {
        reject(
          new KafkaHarnessError(
            'ERR_JAVA_NOT_FOUND',
            `\`${command} -version\` did not report a version (${error === null ? stderr.trim() : describeError(error)}). ${hint}`,
            { cause: error ?? undefined },
          ),
        );
        return;
      }
      if (parsed.majorVersion < MIN_JAVA_VERSION) {
        reject(new KafkaHarnessError('ERR_JAVA_TOO_OLD', `\`${command}\` is Java ${parsed.version}, too old. ${hint}`));
        return;
      }
      resolvePromise({ command, ...parsed });
    });
  });
}
