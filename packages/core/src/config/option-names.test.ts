import { describe, expect, it } from 'vitest';
import { normalizeOptionName, suggestOption } from './option-names.js';

const producer = [
  'brokers',
  'clientId',
  'ssl',
  'sasl',
  'requestTimeoutMs',
  'connectionTimeoutMs',
  'retryBackoffMs',
  'retryBackoffMaxMs',
  'maxInFlightRequestsPerConnection',
  'acks',
  'enableIdempotence',
  'transactionTimeoutMs',
  'lingerMs',
  'compression',
  'compressionLevel',
  'retries',
  'deliveryTimeoutMs',
  'partitioner',
  'allowAutoCreateTopics',
];
const consumer = ['brokers', 'groupId', 'maxPollRecords', 'autoOffsetReset', 'enableAutoCommit', 'isolationLevel'];

describe('normalizeOptionName', () => {
  it('makes the Java, kafka-python and camelCase spellings meet', () => {
    expect(normalizeOptionName('max.poll.records')).toBe('maxpollrecords');
    expect(normalizeOptionName('max_poll_records')).toBe('maxpollrecords');
    expect(normalizeOptionName('maxPollRecords')).toBe('maxpollrecords');
  });
});

describe('suggestOption', () => {
  it.each([
    // Misspellings: the closest name by edit distance.
    ['ackss', producer, "; did you mean 'acks'?"],
    ['lingrMs', producer, "; did you mean 'lingerMs'?"],
    ['compresion', producer, "; did you mean 'compression'?"],
    ['partioner', producer, "; did you mean 'partitioner'?"],
    // Case: groupID is groupId.
    ['groupID', consumer, "; did you mean 'groupId'?"],
    // Java and kafka-python names of ours.
    ['max.poll.records', consumer, ': that is the Java name; use maxPollRecords'],
    ['max_poll_records', consumer, ": that is kafka-python's name; use maxPollRecords"],
    ['enable.idempotence', producer, ': that is the Java name; use enableIdempotence'],
    ['linger.ms', producer, ': that is the Java name; use lingerMs'],
    // Settings whose name differs here.
    ['bootstrap.servers', producer, ': that is the Java name; use brokers'],
    ['bootstrap_servers', producer, ": that is kafka-python's name; use brokers"],
    ['bootstrapServers', producer, "; did you mean 'brokers'?"],
    ['compression.type', producer, ': that is the Java name; use compression'],
    ['compression.gzip.level', producer, ': that is the Java name; use compressionLevel'],
    ['ssl.truststore.location', producer, expect.stringMatching(/^: that is the Java name; use ssl \(Node.js's tls/)],
    ['sasl.jaas.config', producer, ': that is the Java name; use sasl (see SaslOptions)'],
    ['security.protocol', producer, expect.stringMatching(/use ssl or sasl \(ssl: true/)],
    // Other clients' names (kafkajs).
    ['idempotent', producer, "; did you mean 'enableIdempotence'?"],
    ['retry', producer, "; did you mean 'retries', 'retryBackoffMs' or 'retryBackoffMaxMs'?"],
    ['connectionTimeout', producer, "; did you mean 'connectionTimeoutMs'?"],
    ['tls', producer, "; did you mean 'ssl'?"],
    ['fromBeginning', consumer, expect.stringMatching(/did you mean 'autoOffsetReset'\?.*'earliest'/)],
    ['api_version', consumer, ': the client negotiates API versions with each broker; remove it'],
    // A name contained in several: every one.
    [
      'timeout',
      producer,
      "; did you mean 'requestTimeoutMs', 'connectionTimeoutMs', 'transactionTimeoutMs' or 'deliveryTimeoutMs'?",
    ],
    ['timeout', ['timeoutMs', 'signal'], "; did you mean 'timeoutMs'?"],
  ])('%s', (key, known, hint) => {
    expect(suggestOption(key, known)).toEqual(hint);
  });

  it('suggests only options the object has', () => {
    // retry: the consumer has no `retries`.
    expect(suggestOption('retry', ['retryBackoffMs', 'retryBackoffMaxMs'])).toBe(
      "; did you mean 'retryBackoffMs' or 'retryBackoffMaxMs'?",
    );
    // A producer setting given to a consumer gets no producer name.
    expect(suggestOption('enable.idempotence', consumer)).toBeUndefined();
  });

  it('prefixes the names inside a nested option', () => {
    expect(suggestOption('usrname', ['mechanism', 'username', 'password'], 'sasl.')).toBe(
      "; did you mean 'sasl.username'?",
    );
  });

  it('says nothing when no name is close', () => {
    expect(suggestOption('zzzz', producer)).toBeUndefined();
    expect(suggestOption('x', ['timeoutMs'])).toBeUndefined();
  });
});
