import { type ExecFileException, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describeError, KafkaHarnessError } from '../errors.js';
import { HARNESS_POM } from '../harness-paths.js';

/** The dependency plugin goal, pinned so that every Maven version resolves the same way. */
const BUILD_CLASSPATH_GOAL = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath';

const MVN = process.platform === 'win32' ? 'mvn.cmd' : 'mvn';

function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string; error?: ExecFileException }> {
  return new Promise((resolvePromise) => {
    execFile(
      command,
      args,
      { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolvePromise({ code, stdout, stderr, ...(error === null ? {} : { error }) });
      },
    );
  });
}

/** True when `mvn` is on PATH and runs. */
export async function isMavenInstalled(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const result = await run(MVN, ['-v'], env, 60_000);
  return result.code === 0;
}

/** Options of {@link resolveClasspathWithMaven}. */
export interface MavenClasspathOptions {
  /** Kafka version, passed to the pom as `-Dkafka.version`. */
  readonly kafkaVersion: string;
  /**
   * The log4j-core version of a Kafka 4.x release, passed as `-Dlog4j.version`; it switches on the pom's log4j2
   * SLF4J binding. Absent for Kafka 3.x, which logs through log4j 1 (reload4j).
   */
  readonly log4jVersion?: string;
  /** Local repository Maven downloads into (`-Dmaven.repo.local`). */
  readonly repositoryDir: string;
  /** The pom to resolve. Default: the harness's `maven/pom.xml`. */
  readonly pom?: string;
  /** Environment of the `mvn` process. */
  readonly env?: NodeJS.ProcessEnv;
  /** Time allowed. Default 10 minutes. */
  readonly timeoutMs?: number;
}

/**
 * Resolves Kafka's runtime classpath with Maven (`dependency:build-classpath`, strict checksums) into a local
 * repository. Maven reads the user's `~/.m2/settings.xml`, so mirrors and proxies configured there apply.
 * Returns the jar paths in classpath order.
 */
export async function resolveClasspathWithMaven(options: MavenClasspathOptions): Promise<string[]> {
  const scratch = await mkdtemp(join(tmpdir(), 'vltava-mvn-'));
  const outputFile = join(scratch, 'classpath.txt');
  try {
    const args = [
      '-B',
      '-q',
      '-C',
      '-f',
      options.pom ?? HARNESS_POM,
      `-Dmaven.repo.local=${options.repositoryDir}`,
      `-Dkafka.version=${options.kafkaVersion}`,
      ...(options.log4jVersion === undefined ? [] : [`-Dlog4j.version=${options.log4jVersion}`]),
      `-Dmdep.outputFile=${outputFile}`,
      `-Dmdep.pathSeparator=${delimiter}`,
      BUILD_CLASSPATH_GOAL,
    ];
    const result = await run(MVN, args, options.env ?? process.env, options.timeoutMs ?? 10 * 60_000);
    if (result.code !== 0) {
      const output = stripVTControlCharacters(`${result.stdout}\n${result.stderr}`).trim();
      const reason = result.error?.code === 'ENOENT' ? 'mvn is not installed' : describeError(result.error);
      throw new KafkaHarnessError(
        'ERR_MAVEN_FAILED',
        `Maven could not resolve Kafka ${options.kafkaVersion} (${reason}). Check network access to your Maven ` +
          `repository or the mirror in ~/.m2/settings.xml.\n${output.split('\n').slice(-30).join('\n')}`,
        { cause: result.error },
      );
    }
    const text = (await readFile(outputFile, 'utf8')).trim();
    return text === '' ? [] : text.split(delimiter);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
