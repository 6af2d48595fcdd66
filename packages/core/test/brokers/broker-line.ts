/**
 * The broker-compatibility suite (`test/brokers/`) runs against the shared broker of the `integration` project,
 * whatever release it is: `KAFKA_VERSION=3.7 npx vitest run --project integration packages/core/test/brokers` runs
 * it against Kafka 3.7, `npm run test:brokers` against every supported line. This file says what a client sees on
 * each line, so that every test states its expectation for the line it runs on.
 *
 * The facts come from each release's own ApiVersions answer (a broker of each line, formatted with its defaults,
 * as the harness starts it), not from the harness's configuration; the suite checks the two agree.
 */
import { NEWEST_KAFKA_RELEASE } from '@vltava/kafka-harness';
import { describe, inject } from 'vitest';
import { type KafkaError, UnsupportedVersionError } from '../../src/index.js';

/** The line of the shared broker; undefined for an external cluster (KAFKA_BROKERS) without KAFKA_VERSION. */
function knownLine(): string | undefined {
  const version = inject('kafkaVersion');
  // An external cluster has no known version: KAFKA_VERSION says which line to expect.
  const known = version === 'unknown' ? process.env.KAFKA_VERSION?.trim() : version;
  const match = known === undefined ? null : /^(\d+)\.(\d+)/.exec(known);
  return match === null ? undefined : `${match[1]}.${match[2]}`;
}

const KNOWN_LINE = knownLine();

/**
 * vitest's `describe` for the suite's blocks; `describe.skip` (reported as skipped, with the reason in the name)
 * when the broker's line is unknown: an external cluster named by KAFKA_BROKERS without KAFKA_VERSION.
 */
export const describeBroker: typeof describe.skip = KNOWN_LINE === undefined ? describe.skip : describe;

/** Why the suite is skipped, for block names; empty when it runs. */
export const SKIP_REASON =
  KNOWN_LINE === undefined ? ' (skipped: external cluster of unknown version; set KAFKA_VERSION to its line)' : '';

/** The line (`3.7`, ..., `4.4`) of the shared broker (the newest for an unknown one, whose blocks are skipped). */
export function brokerLine(): string {
  return KNOWN_LINE ?? NEWEST_KAFKA_RELEASE.line;
}

/** True when the shared broker's line is `since` or newer. */
export function lineAtLeast(since: string, line: string = brokerLine()): boolean {
  const [aMajor = 0, aMinor = 0] = line.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = since.split('.').map(Number);
  return aMajor - bMajor > 0 || (aMajor === bMajor && aMinor >= bMinor);
}

/**
 * The first line whose freshly formatted broker has each client-visible capability (read from each release's
 * ApiVersions and feature levels with the harness defaults).
 */
export const SINCE = {
  /** ConsumerGroupHeartbeat (68) is listed by every supported line, even where the consumer protocol is off. */
  consumerGroupHeartbeatListed: '3.7',
  /** KIP-848 consumer groups served by default (the new group coordinator, `group.version=1`). */
  consumerProtocol: '4.0',
  /** ConsumerGroupDescribe (69). */
  consumerGroupDescribe: '3.8',
  /** DescribeTopicPartitions (75, KIP-966). */
  describeTopicPartitions: '3.8',
  /** AddRaftVoter / RemoveRaftVoter (80, 81, KIP-853). */
  raftVoterApis: '3.9',
  /** ShareGroupHeartbeat, ShareGroupDescribe, ShareFetch, ShareAcknowledge (76-79) listed (KIP-932). */
  shareGroupApis: '4.1',
  /** `share.version` finalized by `kafka-storage format` by default: share groups on. */
  shareGroupsOn: '4.2',
  /** StreamsGroupHeartbeat and StreamsGroupDescribe (88, 89, KIP-1071). */
  streamsGroupApis: '4.2',
  /** ListGroups v5: listing groups by type (`listGroups({ types })`). */
  listGroupsByType: '3.8',
  /** ListTransactions v1: `listTransactions({ durationMs })` (KIP-994). */
  listTransactionsByDuration: '3.8',
  /** ListTransactions v2: `listTransactions({ transactionalIdPattern })` (KIP-1152). */
  listTransactionsByPattern: '4.1',
  /** DescribeCluster v2: `describeCluster({ includeFencedBrokers })` (KIP-1073). */
  describeClusterFencedBrokers: '4.0',
} as const;

/**
 * True for the typed error a client gets when the broker lacks what a call needs: `UnsupportedVersionError`, or
 * any KafkaError that carries Kafka's UNSUPPORTED_VERSION code.
 */
export function isUnsupportedVersion(error: unknown): error is KafkaError {
  return (
    error instanceof UnsupportedVersionError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { kafkaErrorName?: unknown }).kafkaErrorName === 'UNSUPPORTED_VERSION')
  );
}
