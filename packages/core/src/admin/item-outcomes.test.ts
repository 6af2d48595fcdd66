import { describe, expect, it } from 'vitest';
import {
  NotControllerError,
  NotCoordinatorError,
  NotLeaderOrFollowerError,
  TopicAlreadyExistsError,
} from '../errors/broker-errors.generated.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { retryIfCoordinatorMoved, retryIfRetriable } from './admin-request.js';
import { itemOutcomes, partitionEntries, partitionOutcomes } from './item-outcomes.js';

const connection = { label: '1@127.0.0.1:9092' };

describe('itemOutcomes', () => {
  const results = [
    { name: 'a', errorCode: ErrorCodes.NONE, errorMessage: null },
    { name: 'b', errorCode: ErrorCodes.TOPIC_ALREADY_EXISTS, errorMessage: 'Topic b exists' },
    { name: 'c', errorCode: ErrorCodes.NOT_CONTROLLER, errorMessage: null },
  ];
  const answers = {
    key: (r: (typeof results)[number]) => r.name,
    context: (r: (typeof results)[number]) => ({ topic: r.name, api: 'CreateTopics' }),
    value: (r: (typeof results)[number]) => ({ created: r.name }),
  };

  it('gives the value of an entry without error, and the typed error of the others, by key', () => {
    const outcomes = itemOutcomes(results, connection, answers);
    expect(outcomes.get('a')).toEqual({ value: { created: 'a' } });
    const b = outcomes.get('b');
    expect(b !== undefined && 'error' in b ? b.error : undefined).toBeInstanceOf(TopicAlreadyExistsError);
    expect(b !== undefined && 'error' in b ? b.error : undefined).toMatchObject({
      topic: 'b',
      api: 'CreateTopics',
      broker: '1@127.0.0.1:9092',
      serverMessage: 'Topic b exists',
    });
  });

  it('retries only NOT_CONTROLLER by default (a retried create would find its own topic)', () => {
    const outcomes = itemOutcomes(results, connection, answers);
    expect(outcomes.get('b')).toMatchObject({ final: true });
    const c = outcomes.get('c');
    expect(c).toMatchObject({ final: false });
    expect(c !== undefined && 'error' in c ? c.error : undefined).toBeInstanceOf(NotControllerError);
  });

  it('retries as retryIf says', () => {
    const entries = [{ groupId: 'g', errorCode: ErrorCodes.NOT_COORDINATOR }];
    const outcomes = itemOutcomes(entries, connection, {
      key: (e) => e.groupId,
      context: (e) => ({ groupId: e.groupId, api: 'DeleteGroups' }),
      value: () => null,
      retryIf: retryIfCoordinatorMoved,
    });
    const g = outcomes.get('g');
    expect(g).toMatchObject({ final: false });
    expect(g !== undefined && 'error' in g ? g.error : undefined).toBeInstanceOf(NotCoordinatorError);
  });
});

describe('partitionEntries', () => {
  it('lists the partitions of each topic with the topic name', () => {
    const topics = [
      { topic: 'a', partitionResult: [{ partitionId: 0 }, { partitionId: 1 }] },
      { topic: 'b', partitionResult: [{ partitionId: 0 }] },
    ];
    expect(partitionEntries(topics, (t) => [t.topic, t.partitionResult])).toEqual([
      { topic: 'a', partitionId: 0 },
      { topic: 'a', partitionId: 1 },
      { topic: 'b', partitionId: 0 },
    ]);
  });
});

describe('partitionOutcomes', () => {
  it('keys partitions as topic:partition, with the partition in the error context', () => {
    const topics = [
      {
        name: 't',
        partitions: [
          { partitionIndex: 0, errorCode: ErrorCodes.NONE, lowWatermark: 5n },
          { partitionIndex: 1, errorCode: ErrorCodes.NOT_LEADER_OR_FOLLOWER },
        ],
      },
    ];
    const outcomes = partitionOutcomes(topics, connection, {
      api: 'DeleteRecords',
      value: (p) => ({ lowWatermark: 'lowWatermark' in p ? p.lowWatermark : -1n }),
      retryIf: retryIfRetriable,
    });
    expect(outcomes.get('t:0')).toEqual({ value: { lowWatermark: 5n } });
    const failed = outcomes.get('t:1');
    expect(failed).toMatchObject({ final: false });
    expect(failed !== undefined && 'error' in failed ? failed.error : undefined).toBeInstanceOf(
      NotLeaderOrFollowerError,
    );
    expect(failed !== undefined && 'error' in failed ? failed.error : undefined).toMatchObject({
      topic: 't',
      partition: 1,
      api: 'DeleteRecords',
    });
  });
});
