import { describe, expect, it } from 'vitest';
import { BrokerError } from './broker-error.js';
import { createBrokerError, errorCodeInfo, errorName } from './broker-error-factory.js';
import {
  CorruptMessageError,
  MessageTooLargeError,
  NotCoordinatorError,
  NotLeaderOrFollowerError,
  RecordListTooLargeError,
  SaslAuthenticationFailedError,
  UnknownServerError,
} from './broker-errors.generated.js';
import {
  AuthenticationError,
  CorruptRecordError,
  InternalError,
  RecordTooLargeError,
  UnsupportedVersionError,
} from './client-errors.js';
import { ERROR_CODES, ErrorCodes } from './error-codes.generated.js';
import { KafkaError } from './kafka-error.js';

describe('the Kafka error table', () => {
  it("holds Kafka 4.4's codes with their names, retriability and messages", () => {
    expect(ERROR_CODES.length).toBeGreaterThan(130);
    expect(ErrorCodes.NOT_LEADER_OR_FOLLOWER).toBe(6);
    expect(errorCodeInfo(6)).toMatchObject({ name: 'NOT_LEADER_OR_FOLLOWER', retriable: true });
    expect(errorCodeInfo(-1)).toMatchObject({ name: 'UNKNOWN_SERVER_ERROR', retriable: false });
    expect(errorCodeInfo(29)?.message).toBe('Topic authorization failed.');
    expect(errorName(3)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(errorName(30000)).toBe('UNKNOWN_ERROR_30000');
    const codes = ERROR_CODES.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('createBrokerError', () => {
  it('builds the class of the code with context and the broker message', () => {
    const error = createBrokerError(6, {
      topic: 'orders',
      partition: 2,
      broker: '1@127.0.0.1:9092',
      serverMessage: 'leader is 3',
    });
    expect(error).toBeInstanceOf(NotLeaderOrFollowerError);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error).toBeInstanceOf(KafkaError);
    expect(error.name).toBe('NotLeaderOrFollowerError');
    expect(error.code).toBe('NOT_LEADER_OR_FOLLOWER');
    expect(error.kafkaErrorName).toBe('NOT_LEADER_OR_FOLLOWER');
    expect(error.kafkaErrorCode).toBe(6);
    expect(error.retriable).toBe(true);
    expect((error as BrokerError).serverMessage).toBe('leader is 3');
    expect(error.message).toBe(
      `${errorCodeInfo(6)!.message} Broker message: leader is 3 (broker 1@127.0.0.1:9092, topic orders, partition 2)`,
    );
  });

  it('builds an error for every known code, with the table retriability', () => {
    for (const info of ERROR_CODES) {
      if (info.code === 0) continue;
      const error = createBrokerError(info.code);
      expect(error.kafkaErrorCode, info.name).toBe(info.code);
      expect(error.kafkaErrorName, info.name).toBe(info.name);
      expect(error.code, info.name).toBe(info.name);
      expect(error.retriable, info.name).toBe(info.retriable);
      expect(error.message.startsWith(info.message), info.name).toBe(true);
    }
  });

  it('makes some codes instances of the matching client errors', () => {
    expect(createBrokerError(58)).toBeInstanceOf(SaslAuthenticationFailedError);
    expect(createBrokerError(58)).toBeInstanceOf(AuthenticationError);
    expect(createBrokerError(33)).toBeInstanceOf(AuthenticationError);
    expect(createBrokerError(34)).toBeInstanceOf(AuthenticationError);
    expect(createBrokerError(31)).not.toBeInstanceOf(AuthenticationError);
    expect(createBrokerError(35)).toBeInstanceOf(UnsupportedVersionError);
    expect(createBrokerError(35).code).toBe('UNSUPPORTED_VERSION');
    expect(createBrokerError(10)).toBeInstanceOf(MessageTooLargeError);
    expect(createBrokerError(10)).toBeInstanceOf(RecordTooLargeError);
    expect(createBrokerError(18)).toBeInstanceOf(RecordListTooLargeError);
    expect(createBrokerError(18)).toBeInstanceOf(RecordTooLargeError);
    const corrupt = createBrokerError(2, { serverMessage: 'crc' });
    expect(corrupt).toBeInstanceOf(CorruptMessageError);
    expect(corrupt).toBeInstanceOf(CorruptRecordError);
    expect(corrupt.retriable).toBe(true);
    expect((corrupt as CorruptMessageError).serverMessage).toBe('crc');
  });

  it('keeps client errors as they were when raised by the client', () => {
    const error = new UnsupportedVersionError('no common version');
    expect(error.code).toBe('ERR_UNSUPPORTED_VERSION');
    expect(error.kafkaErrorCode).toBe(35);
    expect(new AuthenticationError('bad password').code).toBe('ERR_AUTHENTICATION');
    expect(new CorruptRecordError('crc').retriable).toBe(false);
  });

  it('turns an unknown code into a non-retriable BrokerError and refuses code 0', () => {
    const unknown = createBrokerError(999, { api: 'Fetch' });
    expect(unknown).toBeInstanceOf(BrokerError);
    expect(unknown.code).toBe('UNKNOWN_ERROR_999');
    expect(unknown.retriable).toBe(false);
    expect(unknown.message).toMatch(/error code 999.*\(api Fetch\)$/);
    expect(createBrokerError(0)).toBeInstanceOf(InternalError);
    expect(new UnknownServerError().kafkaErrorCode).toBe(-1);
  });

  it('omits a broker message that repeats the default one', () => {
    const info = errorCodeInfo(16)!;
    expect(new NotCoordinatorError({ serverMessage: info.message }).message).toBe(info.message);
    expect(new NotCoordinatorError({ serverMessage: null }).message).toBe(info.message);
  });
});
