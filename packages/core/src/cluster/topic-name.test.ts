import { describe, expect, it } from 'vitest';
import { InvalidTopicError } from '../errors/broker-errors.generated.js';
import { checkTopicName, topicNameProblem } from './topic-name.js';

describe('topic names', () => {
  it('accepts what Kafka accepts', () => {
    for (const name of ['orders', 'a', 'A.b_c-9', '...', '_', 'x'.repeat(249)]) {
      expect(topicNameProblem(name), name).toBeUndefined();
    }
  });

  it('refuses what Kafka refuses, saying why', () => {
    expect(topicNameProblem('a b')).toContain('" "');
    expect(topicNameProblem('a/b')).toContain('"/"');
    expect(topicNameProblem('.')).toContain('not a legal topic name');
    expect(topicNameProblem('..')).toContain('not a legal topic name');
    expect(topicNameProblem('')).toContain('empty');
    expect(topicNameProblem('x'.repeat(250))).toContain('250 characters');
    expect(topicNameProblem('ünïcode')).toContain('"ü"');
    expect(topicNameProblem(42)).toContain('number');
  });

  it('throws the non-retriable InvalidTopicError with Kafka code and the call in the message', () => {
    let thrown: unknown;
    try {
      checkTopicName('a b', 'send');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidTopicError);
    const error = thrown as InvalidTopicError;
    expect(error.code).toBe('INVALID_TOPIC_EXCEPTION');
    expect(error.retriable).toBe(false);
    expect(error.recovery).toBe('fail-call');
    expect(error.topic).toBe('a b');
    expect(error.message).toMatch(/^send: topic name 'a b' contains " "/);
  });
});
