import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkaHarnessError } from '../errors.js';
import { kafkaHomeClasspath, resolveKafka } from './resolve-kafka.js';

const scratch = mkdtempSync(join(tmpdir(), 'vltava-kafka-home-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('KAFKA_HOME', () => {
  it('uses every jar of $KAFKA_HOME/libs and reads the version from the broker jar', async () => {
    const home = join(scratch, 'kafka_2.13-4.3.1');
    mkdirSync(join(home, 'libs'), { recursive: true });
    for (const jar of ['kafka_2.13-4.3.1.jar', 'kafka-tools-4.3.1.jar', 'kafka-clients-4.3.1.jar']) {
      writeFileSync(join(home, 'libs', jar), '');
    }
    writeFileSync(join(home, 'libs', 'README.txt'), '');
    const artifacts = await resolveKafka({ env: { KAFKA_HOME: home }, cacheDir: join(scratch, 'cache') });
    expect(artifacts.source).toBe('KAFKA_HOME');
    expect(artifacts.version).toBe('4.3.1');
    expect(artifacts.classpath).toEqual(
      ['kafka-clients-4.3.1.jar', 'kafka-tools-4.3.1.jar', 'kafka_2.13-4.3.1.jar'].map((jar) =>
        join(home, 'libs', jar),
      ),
    );
  });

  it('says what is wrong with a folder that is not a Kafka distribution', () => {
    expect(() => kafkaHomeClasspath(join(scratch, 'missing'))).toThrow(KafkaHarnessError);
    expect(() => kafkaHomeClasspath(join(scratch, 'missing'))).toThrow(/has no libs\/ folder/);
    mkdirSync(join(scratch, 'empty', 'libs'), { recursive: true });
    expect(() => kafkaHomeClasspath(join(scratch, 'empty'))).toThrow(/no kafka_2\.13-\*\.jar/);
  });
});
