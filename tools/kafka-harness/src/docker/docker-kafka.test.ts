import { describe, expect, it } from 'vitest';
import { dockerEnvName, kafkaDockerImage } from './docker-kafka.js';

describe('dockerEnvName', () => {
  it('follows the apache/kafka image convention', () => {
    expect(dockerEnvName('offsets.topic.replication.factor')).toBe('KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR');
    expect(dockerEnvName('listener.name.sasl_plaintext.x')).toBe('KAFKA_LISTENER_NAME_SASL__PLAINTEXT_X');
    expect(dockerEnvName('scram-sha-256.y')).toBe('KAFKA_SCRAM___SHA___256_Y');
  });

  it('uses the pinned version', () => {
    expect(kafkaDockerImage('4.4.0')).toBe('apache/kafka:4.4.0');
  });
});
