const BRAND = Symbol.for('vltava.KafkaHarnessError');

/**
 * Stable codes of {@link KafkaHarnessError}, one per way the harness can fail.
 *
 * - `ERR_JAVA_NOT_FOUND`, `ERR_JAVA_TOO_OLD`: no usable Java 17+ to run Apache Kafka.
 * - `ERR_MAVEN_FAILED`: `mvn dependency:build-classpath` failed.
 * - `ERR_NO_MAVEN_REPOSITORY`: neither Maven nor a repository URL to download the pinned artifacts from.
 * - `ERR_ARTIFACT_DOWNLOAD`, `ERR_ARTIFACT_CHECKSUM`: the fallback download failed or delivered other bytes.
 * - `ERR_KAFKA_HOME`: `KAFKA_HOME` does not point at an unpacked Kafka distribution.
 * - `ERR_KAFKA_VERSION`: a Kafka version the harness does not run was asked for (or a feature that version lacks).
 * - `ERR_KAFKA_START`, `ERR_KAFKA_TIMEOUT`: a broker did not come up (its log tail is in the message).
 * - `ERR_KAFKA_NODE`: a node operation (kill, stop, restart) was asked for a node that cannot do it.
 * - `ERR_PROTOCOL`: the harness's own small Kafka protocol client got an error or an unexpected answer.
 * - `ERR_TOOL`: a Kafka command-line tool could not be run or timed out.
 * - `ERR_OPENSSL`: generating the test certificates with `openssl` failed.
 * - `ERR_DOCKER`: the Docker runtime was asked for and could not be used.
 * - `ERR_USAGE`: bad arguments (CLI, options).
 * - `ERR_STATE`: the CLI state in the cache directory is missing or unreadable.
 */
export type KafkaHarnessErrorCode =
  | 'ERR_JAVA_NOT_FOUND'
  | 'ERR_JAVA_TOO_OLD'
  | 'ERR_MAVEN_FAILED'
  | 'ERR_NO_MAVEN_REPOSITORY'
  | 'ERR_ARTIFACT_DOWNLOAD'
  | 'ERR_ARTIFACT_CHECKSUM'
  | 'ERR_KAFKA_HOME'
  | 'ERR_KAFKA_VERSION'
  | 'ERR_KAFKA_START'
  | 'ERR_KAFKA_TIMEOUT'
  | 'ERR_KAFKA_NODE'
  | 'ERR_PROTOCOL'
  | 'ERR_TOOL'
  | 'ERR_OPENSSL'
  | 'ERR_DOCKER'
  | 'ERR_USAGE'
  | 'ERR_STATE';

/**
 * The one error class of the Kafka test harness.
 *
 * The harness cannot use `KafkaError` from `@vltava/core` (core's own tests depend on the harness), so it mirrors
 * its shape: a stable `code`, the standard `cause`, and a message that says what failed, where, and what to do.
 * `instanceof` works across copies of the package thanks to a `Symbol.for` brand.
 */
export class KafkaHarnessError extends Error {
  /** Stable machine-readable code. */
  readonly code: KafkaHarnessErrorCode;

  constructor(code: KafkaHarnessErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KafkaHarnessError';
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** A short text for any thrown value, for messages that wrap a cause. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
