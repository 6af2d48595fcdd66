import { execFile } from 'node:child_process';
import { delimiter } from 'node:path';
import { KafkaHarnessError } from '../errors.js';
import { toolJvmOptions } from './jvm-options.js';
import { SCRAM_MECHANISMS, TEST_USERS } from './test-users.js';

/** Options of {@link formatStorage}. */
export interface FormatStorageOptions {
  /** The `java` command. */
  readonly java: string;
  /** Kafka's classpath. */
  readonly classpath: readonly string[];
  /** The node's `server.properties`. */
  readonly propertiesFile: string;
  /** The cluster id (22-character base64url UUID), the same for every node. */
  readonly clusterId: string;
  /** Create the SCRAM credentials of the test users. */
  readonly scramUsers?: boolean;
  /** Feature levels (`--feature name=level`), for example `{ 'share.version': 1 }`. */
  readonly features?: Readonly<Record<string, number>>;
  /** Metadata release version (`--release-version`), for example `3.9-IV0`. Default: the latest. */
  readonly releaseVersion?: string;
  /** The release's logging API (log4j 1 for Kafka 3.x). Default log4j2. */
  readonly logging?: 'log4j1' | 'log4j2';
}

/** A random cluster id as Kafka prints UUIDs: 16 random bytes in URL-safe base64 without padding. */
export function randomClusterId(random: () => Uint8Array = () => crypto.getRandomValues(new Uint8Array(16))): string {
  // Like Kafka's own Uuid.randomUuid: an id starting with '-' reads as an option on a command line
  // (`kafka-storage format --cluster-id -x...` fails), so draw again.
  for (;;) {
    const id = Buffer.from(random()).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The `kafka-storage format` arguments for the options (exported for tests). */
export function formatArguments(options: FormatStorageOptions): string[] {
  const args = ['format', '--config', options.propertiesFile, '--cluster-id', options.clusterId];
  if (options.scramUsers === true) {
    for (const mechanism of SCRAM_MECHANISMS) {
      for (const user of TEST_USERS) {
        args.push('--add-scram', `${mechanism}=[name=${user.username},password=${user.password}]`);
      }
    }
  }
  for (const [name, level] of Object.entries(options.features ?? {})) args.push('--feature', `${name}=${level}`);
  if (options.releaseVersion !== undefined) args.push('--release-version', options.releaseVersion);
  return args;
}

/**
 * Formats one node's log directory for KRaft (`kafka-storage format`), with the SCRAM credentials of the test users
 * when asked: SCRAM users must exist in the metadata log before the first broker starts.
 */
export function formatStorage(options: FormatStorageOptions): Promise<void> {
  const args = [
    ...toolJvmOptions(false, options.logging),
    '-cp',
    options.classpath.join(delimiter),
    'kafka.tools.StorageTool',
    ...formatArguments(options),
  ];
  return new Promise((resolve, reject) => {
    execFile(options.java, args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) {
        resolve();
        return;
      }
      // The command line holds the test users' passwords: report the exit status and output, not the command.
      const status = error.killed ? 'timed out' : `exit code ${String(error.code)}`;
      const output = `${stdout}\n${stderr}`.trim().split('\n').slice(-20).join('\n');
      reject(
        new KafkaHarnessError(
          'ERR_KAFKA_START',
          `kafka-storage format of ${options.propertiesFile} failed (${status}):\n${output}`,
        ),
      );
    });
  });
}
