import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, type LogEntry, logLevel, toCoreLogger } from './logger.js';

describe('logger', () => {
  afterEach(() => {
    delete process.env.KAFKAJS_LOG_LEVEL;
  });

  const collect = (level?: logLevel) => {
    const entries: LogEntry[] = [];
    let created: logLevel | undefined;
    const logger = createLogger({
      ...(level === undefined ? {} : { level }),
      logCreator: (l) => {
        created = l;
        return (entry) => entries.push(entry);
      },
    });
    return { logger, entries, created: () => created };
  };

  it('writes KafkaJS entries at or below the level, with namespace, label and fields', () => {
    const { logger, entries, created } = collect(logLevel.WARN);
    expect(created()).toBe(logLevel.WARN);
    const consumer = logger.namespace('Consumer');
    consumer.info('hidden');
    consumer.warn('shown', { groupId: 'g' });
    consumer.error('also shown');
    expect(entries.map((e) => [e.namespace, e.label, e.log.message])).toEqual([
      ['Consumer', 'WARN', 'shown'],
      ['Consumer', 'ERROR', 'also shown'],
    ]);
    expect(entries[0]!.log).toMatchObject({ logger: 'kafkajs', groupId: 'g' });
    expect(Date.parse(entries[0]!.log.timestamp)).not.toBeNaN();
  });

  it('defaults to INFO, follows setLogLevel, and lets a namespace have its own level', () => {
    const { logger, entries } = collect();
    logger.debug('no');
    logger.info('yes');
    logger.setLogLevel(logLevel.DEBUG);
    logger.debug('now yes');
    logger.namespace('Quiet', logLevel.NOTHING).error('never');
    expect(entries.map((e) => e.log.message)).toEqual(['yes', 'now yes']);
  });

  it('KAFKAJS_LOG_LEVEL overrides the configured level', () => {
    process.env.KAFKAJS_LOG_LEVEL = 'debug';
    const { logger, entries } = collect(logLevel.ERROR);
    logger.debug('visible');
    expect(entries).toHaveLength(1);
  });

  it('the default creator writes one JSON object per line with the namespace in the message', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    createLogger({}).namespace('Producer').error('boom', { topic: 't' });
    expect(JSON.parse(spy.mock.calls[0]![0] as string)).toMatchObject({
      level: 'ERROR',
      logger: 'kafkajs',
      message: '[Producer] boom',
      topic: 't',
    });
    spy.mockRestore();
  });

  it('the engine logs through it, with 64-bit numbers and errors made printable', () => {
    const { logger, entries } = collect(logLevel.DEBUG);
    toCoreLogger(logger).info('joined group', { generationId: 3n, error: new Error('x'), list: [1n] });
    expect(entries[0]!.log).toMatchObject({ message: 'joined group', generationId: '3', error: 'x', list: ['1'] });
  });
});
