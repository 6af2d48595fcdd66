import { describe, expect, it } from 'vitest';
import { isKafkaToolName, KAFKA_TOOLS, placeConnectionArguments, toolMainClass } from './kafka-tool-table.js';

describe('placeConnectionArguments', () => {
  it('puts the bootstrap first for ordinary tools', () => {
    expect(placeConnectionArguments('kafka-topics', ['--list'], '127.0.0.1:1', undefined)).toEqual([
      '--bootstrap-server',
      '127.0.0.1:1',
      '--list',
    ]);
  });

  it('puts it after the subcommand for kafka-cluster, with the command config', () => {
    expect(placeConnectionArguments('kafka-cluster', ['cluster-id'], 'h:1', '/c.properties')).toEqual([
      'cluster-id',
      '--bootstrap-server',
      'h:1',
      '--command-config',
      '/c.properties',
    ]);
  });

  it('leaves an explicit bootstrap alone and never adds one to kafka-storage', () => {
    expect(
      placeConnectionArguments('kafka-features', ['--bootstrap-controller', 'h:2', 'describe'], 'h:1', undefined),
    ).toEqual(['--bootstrap-controller', 'h:2', 'describe']);
    expect(placeConnectionArguments('kafka-storage', ['random-uuid'], 'h:1', undefined)).toEqual(['random-uuid']);
  });
});

describe('KAFKA_TOOLS', () => {
  it('knows the tools interop tests and benchmarks use', () => {
    for (const name of [
      'kafka-topics',
      'kafka-console-producer',
      'kafka-console-consumer',
      'kafka-producer-perf-test',
      'kafka-consumer-perf-test',
      'kafka-consumer-groups',
      'kafka-configs',
    ]) {
      expect(isKafkaToolName(name)).toBe(true);
    }
    expect(isKafkaToolName('toString')).toBe(false);
    expect(KAFKA_TOOLS['kafka-producer-perf-test'].performance).toBe(true);
  });
});

describe('toolMainClass', () => {
  it('gives the class a line has, the one before a tool moved, and none before a tool existed', () => {
    expect(toolMainClass('kafka-console-consumer', '4.4')).toBe('org.apache.kafka.tools.consumer.ConsoleConsumer');
    expect(toolMainClass('kafka-console-consumer', '3.8')).toBe('org.apache.kafka.tools.consumer.ConsoleConsumer');
    expect(toolMainClass('kafka-console-consumer', '3.7')).toBe('kafka.tools.ConsoleConsumer');
    expect(toolMainClass('kafka-configs', '4.0')).toBe('kafka.admin.ConfigCommand');
    expect(toolMainClass('kafka-share-groups', '3.9')).toBeUndefined();
    expect(toolMainClass('kafka-share-groups', '4.0')).toBe(KAFKA_TOOLS['kafka-share-groups'].mainClass);
    expect(toolMainClass('kafka-topics', '3.7')).toBe('org.apache.kafka.tools.TopicCommand');
  });
});
