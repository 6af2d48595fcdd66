import { describe, expect, it } from 'vitest';
import { errorClassName } from '../errors/error-table.js';
import { apiName, kebabCase } from './names.js';

describe('names', () => {
  it('derives file, API and error class names', () => {
    expect(kebabCase('DescribeUserScramCredentials')).toBe('describe-user-scram-credentials');
    expect(kebabCase('ApiVersions')).toBe('api-versions');
    expect(kebabCase('OffsetForLeaderEpoch')).toBe('offset-for-leader-epoch');
    expect(apiName('MetadataRequest')).toBe('Metadata');
    expect(errorClassName('NOT_LEADER_OR_FOLLOWER')).toBe('NotLeaderOrFollowerError');
    expect(errorClassName('UNKNOWN_SERVER_ERROR')).toBe('UnknownServerError');
    expect(errorClassName('KAFKA_STORAGE_ERROR')).toBe('KafkaStorageError');
    expect(errorClassName('INVALID_TOPIC_EXCEPTION')).toBe('InvalidTopicError');
    expect(errorClassName('UNSUPPORTED_VERSION')).toBe('UnsupportedVersionError');
  });
});
