import { KafkaHarnessError } from '../errors.js';

/**
 * A Kafka release line the harness supports, and what the harness needs to know to run it. Every fact here was
 * read from that release's own jars (its broker `ConfigDef`, its `kafka-storage format --help`, its feature enum,
 * the classes of its tools, its Maven POMs), not assumed from the newest release.
 */
export interface KafkaRelease {
  /** The release the harness runs for this line: the newest patch release on Maven Central. */
  readonly version: string;
  /** `major.minor`, for example `3.7`. */
  readonly line: string;
  /**
   * How the broker and the tools log. Kafka 3.x logs through log4j 1 (reload4j, which `kafka-tools` brings with its
   * SLF4J binding); Kafka 4.x through log4j2, whose SLF4J 1.7 binding the harness adds at the version of the
   * log4j-core that release ships (`-Dlog4j.version` for the pom).
   */
  readonly logging: { readonly api: 'log4j1' } | { readonly api: 'log4j2'; readonly log4jVersion: string };
  /** `kafka-storage format --feature name=level` exists (KIP-1022, from 3.8 on). */
  readonly formatFeatures: boolean;
  /**
   * KIP-848 consumer groups (`ConsumerGroupHeartbeat`): `ga` when a freshly formatted broker serves them by default,
   * `early-access` when they sit behind broker settings (see {@link earlyAccessProperties}).
   */
  readonly consumerGroups: 'ga' | 'early-access';
  /**
   * KIP-932 share groups: `absent` when the release has no share coordinator, `early-access` when it is behind
   * broker settings, `ga` when a freshly formatted broker serves them (`share.version` set by format).
   */
  readonly shareGroups: 'absent' | 'early-access' | 'ga';
  /**
   * Broker properties that switch on what the release ships as early access or preview (KIP-848 consumer groups in
   * 3.7 to 3.9, KIP-932 share groups in 4.0 and 4.1), applied with `startKafka({ earlyAccess: true })`.
   */
  readonly earlyAccessProperties: Readonly<Record<string, string>>;
  /** Feature levels `kafka-storage format` needs for the early-access groups above. */
  readonly earlyAccessFeatures: Readonly<Record<string, number>>;
}

/**
 * Every release line the harness supports, oldest first. The broker properties that only some lines know are
 * declared with the line they appeared in, in `cluster/broker-properties.ts`; the tools' main classes per line in
 * `tools/kafka-tool-table.ts`.
 */
export const KAFKA_RELEASES: readonly KafkaRelease[] = [
  {
    version: '3.7.2',
    line: '3.7',
    logging: { api: 'log4j1' },
    formatFeatures: false,
    consumerGroups: 'early-access',
    shareGroups: 'absent',
    // KIP-848 early access: the new group coordinator and the consumer rebalance protocol.
    earlyAccessProperties: {
      'group.coordinator.new.enable': 'true',
      'group.coordinator.rebalance.protocols': 'classic,consumer',
    },
    earlyAccessFeatures: {},
  },
  {
    version: '3.8.1',
    line: '3.8',
    logging: { api: 'log4j1' },
    formatFeatures: true,
    consumerGroups: 'early-access',
    shareGroups: 'absent',
    earlyAccessProperties: {
      'group.coordinator.new.enable': 'true',
      'group.coordinator.rebalance.protocols': 'classic,consumer',
    },
    earlyAccessFeatures: {},
  },
  {
    version: '3.9.2',
    line: '3.9',
    logging: { api: 'log4j1' },
    formatFeatures: true,
    consumerGroups: 'early-access',
    // 3.9 knows group.share.* settings but has no share group APIs.
    shareGroups: 'absent',
    earlyAccessProperties: {
      'group.coordinator.new.enable': 'true',
      'group.coordinator.rebalance.protocols': 'classic,consumer',
    },
    earlyAccessFeatures: {},
  },
  {
    version: '4.0.2',
    line: '4.0',
    // 4.0's POMs name no log4j artifact; 2.24.3 is the log4j the 4.0 distribution ships.
    logging: { api: 'log4j2', log4jVersion: '2.24.3' },
    formatFeatures: true,
    consumerGroups: 'ga',
    shareGroups: 'early-access',
    // KIP-932 early access in 4.0: the share coordinator behind group.share.enable and the unstable APIs.
    earlyAccessProperties: {
      'group.share.enable': 'true',
      'group.coordinator.rebalance.protocols': 'classic,consumer,share',
      'unstable.api.versions.enable': 'true',
    },
    earlyAccessFeatures: {},
  },
  {
    version: '4.1.2',
    line: '4.1',
    logging: { api: 'log4j2', log4jVersion: '2.25.3' },
    formatFeatures: true,
    consumerGroups: 'ga',
    shareGroups: 'early-access',
    // KIP-932 preview in 4.1: share.version=1 at format time switches it on.
    earlyAccessProperties: {},
    earlyAccessFeatures: { 'share.version': 1 },
  },
  {
    version: '4.2.2',
    line: '4.2',
    logging: { api: 'log4j2', log4jVersion: '2.25.5' },
    formatFeatures: true,
    consumerGroups: 'ga',
    shareGroups: 'ga',
    earlyAccessProperties: {},
    earlyAccessFeatures: {},
  },
  {
    version: '4.3.2',
    line: '4.3',
    logging: { api: 'log4j2', log4jVersion: '2.25.5' },
    formatFeatures: true,
    consumerGroups: 'ga',
    shareGroups: 'ga',
    earlyAccessProperties: {},
    earlyAccessFeatures: {},
  },
  {
    version: '4.4.0',
    line: '4.4',
    logging: { api: 'log4j2', log4jVersion: '2.25.5' },
    formatFeatures: true,
    consumerGroups: 'ga',
    shareGroups: 'ga',
    earlyAccessProperties: {},
    earlyAccessFeatures: {},
  },
];

/** The versions the harness runs, oldest first (`3.7.2`, ..., `4.4.0`). */
export const SUPPORTED_KAFKA_VERSIONS: readonly string[] = KAFKA_RELEASES.map((release) => release.version);

/** The oldest supported release. */
export const OLDEST_KAFKA_RELEASE: KafkaRelease = KAFKA_RELEASES[0]!;

/** The newest supported release, the harness's default. */
export const NEWEST_KAFKA_RELEASE: KafkaRelease = KAFKA_RELEASES[KAFKA_RELEASES.length - 1]!;

/** `major.minor` of a version string (`3.7.2` -> `3.7`); undefined when it is not a version. */
export function releaseLine(version: string): string | undefined {
  const match = /^(\d+)\.(\d+)(?:\.\d+)?(?:[-.][0-9A-Za-z.-]+)?$/.exec(version.trim());
  return match === null ? undefined : `${Number(match[1])}.${Number(match[2])}`;
}

/** Orders two `major.minor` lines: negative when `a` is older than `b`. */
export function compareLines(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** True when `line` is `since` or newer. */
export function lineAtLeast(line: string, since: string): boolean {
  return compareLines(line, since) >= 0;
}

function supportedRange(): string {
  return `${OLDEST_KAFKA_RELEASE.line} to ${NEWEST_KAFKA_RELEASE.line} (${SUPPORTED_KAFKA_VERSIONS.join(', ')})`;
}

/**
 * The supported release for a requested version: a line (`3.7`) or the exact version of that line (`3.7.2`).
 * Throws `ERR_KAFKA_VERSION` naming the supported range otherwise (the harness pins one checksummed jar list per
 * line, so other patch releases of a line are not run by version; point `KAFKA_HOME` at a distribution instead).
 */
export function kafkaRelease(requested: string): KafkaRelease {
  const wanted = requested.trim();
  const byLine = KAFKA_RELEASES.find((release) => release.line === wanted || release.version === wanted);
  if (byLine !== undefined) return byLine;
  const line = releaseLine(wanted);
  const sameLine = line === undefined ? undefined : KAFKA_RELEASES.find((release) => release.line === line);
  const hint =
    sameLine === undefined
      ? ''
      : ` The harness runs ${sameLine.version} for the ${sameLine.line} line; ask for ${sameLine.line} or ${sameLine.version}, or set KAFKA_HOME to an unpacked ${wanted} distribution.`;
  throw new KafkaHarnessError(
    'ERR_KAFKA_VERSION',
    `Kafka ${wanted} is not a release the harness runs: it supports ${supportedRange()}.${hint}`,
  );
}

/**
 * The facts to run some version with, for jars that come from elsewhere (`KAFKA_HOME`): the facts of its line; a
 * release newer than the newest supported line gets the newest line's facts (the closest guess); an older one is
 * refused with `ERR_KAFKA_VERSION`.
 */
export function releaseFacts(version: string): KafkaRelease {
  const line = releaseLine(version);
  if (line === undefined) {
    throw new KafkaHarnessError(
      'ERR_KAFKA_VERSION',
      `"${version}" is not a Kafka version (expected major.minor.patch).`,
    );
  }
  const known = KAFKA_RELEASES.find((release) => release.line === line);
  if (known !== undefined) return known;
  if (compareLines(line, NEWEST_KAFKA_RELEASE.line) > 0) return NEWEST_KAFKA_RELEASE;
  throw new KafkaHarnessError(
    'ERR_KAFKA_VERSION',
    `Kafka ${version} is older than the harness supports: ${supportedRange()}. KRaft without ZooKeeper, as the ` +
      'harness runs it, needs 3.7 or newer here.',
  );
}

/**
 * The release a process asks for: `KAFKA_VERSION` from the environment (a line such as `3.9` or a version such as
 * `3.9.2`), else the newest supported release.
 */
export function requestedKafkaRelease(env: NodeJS.ProcessEnv = process.env): KafkaRelease {
  const requested = env.KAFKA_VERSION?.trim();
  return requested === undefined || requested === '' ? NEWEST_KAFKA_RELEASE : kafkaRelease(requested);
}
