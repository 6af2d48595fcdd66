import { describe, expect, it } from 'vitest';
import { createBrokerError, errorName } from './broker-error-factory.js';
import {
  AuthenticationError,
  ConnectionError,
  InternalError,
  InvalidArgumentError,
  TlsError,
  toKafkaError,
  UnsupportedVersionError,
} from './client-errors.js';
import {
  errorRecovery,
  isAuthorizationFailure,
  isCoordinatorMoved,
  isFatalForClient,
  isRejoinNeeded,
  isRetriableCode,
  isStaleMetadata,
} from './error-classification.js';
import { ErrorCodes as E, ERROR_CODES } from './error-codes.generated.js';

const ALL = ERROR_CODES.map((e) => e.code);

describe('errorRecovery', () => {
  it('gives one recovery per code, by the precedence the clients act on', () => {
    expect(errorRecovery(E.NONE)).toBe('none');
    expect(errorRecovery(E.NOT_LEADER_OR_FOLLOWER)).toBe('refresh-metadata');
    expect(errorRecovery(E.UNKNOWN_TOPIC_OR_PARTITION)).toBe('refresh-metadata');
    expect(errorRecovery(E.OFFSET_NOT_AVAILABLE)).toBe('refresh-metadata');
    expect(errorRecovery(E.NOT_COORDINATOR)).toBe('find-coordinator');
    expect(errorRecovery(E.COORDINATOR_LOAD_IN_PROGRESS)).toBe('find-coordinator');
    expect(errorRecovery(E.FENCED_MEMBER_EPOCH)).toBe('rejoin');
    expect(errorRecovery(E.REBALANCE_IN_PROGRESS)).toBe('rejoin');
    expect(errorRecovery(E.NOT_ENOUGH_REPLICAS)).toBe('retry');
    expect(errorRecovery(E.TOPIC_AUTHORIZATION_FAILED)).toBe('fail-call');
    expect(errorRecovery(E.GROUP_AUTHORIZATION_FAILED)).toBe('fail-call');
    expect(errorRecovery(E.INVALID_TOPIC_EXCEPTION)).toBe('fail-call');
    expect(errorRecovery(E.PRODUCER_FENCED)).toBe('fail-client');
    expect(errorRecovery(E.SASL_AUTHENTICATION_FAILED)).toBe('fail-client');
    expect(errorRecovery(E.FENCED_INSTANCE_ID)).toBe('fail-client');
    expect(errorRecovery(30_000)).toBe('fail-call');
  });

  it("covers every code whose Java exception is an InvalidMetadataException, but ElectLeaders' results", () => {
    const electionResults = new Set<number>([
      E.PREFERRED_LEADER_NOT_AVAILABLE,
      E.ELIGIBLE_LEADERS_NOT_AVAILABLE,
      E.ELECTION_NOT_NEEDED,
    ]);
    const invalidMetadata = ERROR_CODES.filter((e) => e.invalidMetadata === true).map((e) => e.code);
    expect(invalidMetadata.length).toBeGreaterThan(8);
    for (const code of invalidMetadata) {
      expect(isStaleMetadata(code) !== electionResults.has(code), errorName(code)).toBe(true);
    }
  });

  it('retries only what Kafka calls retriable, and keeps the sets apart', () => {
    for (const code of ALL) {
      const name = errorName(code);
      const flags = [isStaleMetadata(code), isCoordinatorMoved(code), isRejoinNeeded(code), isFatalForClient(code)];
      expect(flags.filter(Boolean).length, name).toBeLessThanOrEqual(1);
      // BROKER_NOT_AVAILABLE is not retriable in Java, but a refresh finds another broker.
      if ((isStaleMetadata(code) || isCoordinatorMoved(code)) && code !== E.BROKER_NOT_AVAILABLE) {
        expect(isRetriableCode(code), name).toBe(true);
      }
      if (isFatalForClient(code) || isAuthorizationFailure(code)) expect(isRetriableCode(code), name).toBe(false);
    }
  });

  it('knows every authorization failure by name', () => {
    const names = ALL.filter(isAuthorizationFailure).map(errorName);
    expect(names).toEqual(
      expect.arrayContaining([
        'TOPIC_AUTHORIZATION_FAILED',
        'GROUP_AUTHORIZATION_FAILED',
        'CLUSTER_AUTHORIZATION_FAILED',
        'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
        'DELEGATION_TOKEN_AUTHORIZATION_FAILED',
      ]),
    );
    expect(names.every((name) => name.endsWith('_AUTHORIZATION_FAILED'))).toBe(true);
  });
});

describe('the flags of an error', () => {
  it('follow its code', () => {
    expect(createBrokerError(E.NOT_LEADER_OR_FOLLOWER).staleMetadata).toBe(true);
    expect(createBrokerError(E.UNKNOWN_TOPIC_ID).staleMetadata).toBe(true);
    expect(createBrokerError(E.NOT_COORDINATOR).coordinatorMoved).toBe(true);
    expect(createBrokerError(E.NOT_COORDINATOR).staleMetadata).toBe(false);
    expect(createBrokerError(E.FENCED_MEMBER_EPOCH).needsRejoin).toBe(true);
    expect(createBrokerError(E.TOPIC_AUTHORIZATION_FAILED).needsRejoin).toBe(false);
    expect(createBrokerError(E.TOPIC_AUTHORIZATION_FAILED).recovery).toBe('fail-call');
    expect(createBrokerError(E.PRODUCER_FENCED).recovery).toBe('fail-client');
  });

  it('of client errors follow their class', () => {
    expect(new InvalidArgumentError('x').staleMetadata).toBe(false);
    expect(new InvalidArgumentError('x').recovery).toBe('fail-call');
    expect(new ConnectionError('x').recovery).toBe('retry');
    expect(new TlsError('x').recovery).toBe('fail-client');
    expect(new AuthenticationError('x').recovery).toBe('fail-client');
    // Raised by the client before sending: carries the code, but retrying cannot help.
    expect(new UnsupportedVersionError('x').recovery).toBe('fail-call');
  });
});

describe('toKafkaError', () => {
  it('keeps a KafkaError as it is', () => {
    const error = new ConnectionError('down');
    expect(toKafkaError(error)).toBe(error);
  });

  it('turns anything else into a non-retriable InternalError that keeps the cause and says where', () => {
    const thrown = new TypeError('x is not a function');
    const error = toKafkaError(thrown, { during: 'decoding a Fetch response', broker: '1@127.0.0.1:9092' });
    expect(error).toBeInstanceOf(InternalError);
    expect(error.code).toBe('ERR_INTERNAL');
    expect(error.retriable).toBe(false);
    expect(error.cause).toBe(thrown);
    expect(error.broker).toBe('1@127.0.0.1:9092');
    expect(error.message).toContain('while decoding a Fetch response: x is not a function');
    expect(toKafkaError('a string').message).toContain('a string');
  });
});
