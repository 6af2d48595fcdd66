/**
 * What every example shares: running standalone (against `KAFKA_BROKERS`, or a broker started with the harness and
 * stopped at the end) and unique names, so that runs and tests never share topics or groups.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startKafka } from '@vltava/kafka-harness';

/** Where an example prints what it does. */
export type Log = (line: string) => void;

/** `prefix-<time><random>`: a topic or group name no other run uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 46656).toString(36)}`;
}

/**
 * Runs `main` when the file is the program (`npx tsx examples/src/quickstart.ts`), not when a test imports it:
 * against `KAFKA_BROKERS` when set, otherwise against a single local broker started with the harness, stopped
 * when `main` is done.
 */
export async function runExample(
  moduleUrl: string,
  main: (brokers: string, log: Log) => Promise<unknown>,
): Promise<void> {
  const entry = process.argv[1];
  if (entry === undefined || realpathSync(entry) !== realpathSync(fileURLToPath(moduleUrl))) return;
  const external = process.env.KAFKA_BROKERS;
  const log: Log = (line) => console.log(line);
  try {
    if (external !== undefined && external !== '') {
      await main(external, log);
      return;
    }
    log('KAFKA_BROKERS is not set: starting a local broker with the harness...');
    const cluster = await startKafka({ nodes: 1 });
    try {
      await main(cluster.bootstrap, log);
    } finally {
      await cluster.stop();
    }
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
