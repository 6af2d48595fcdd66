/**
 * Kafka's own console producer and consumer, from the jars of the shared broker's release (the Java client of that
 * version): the independent writer and reader of the broker-compatibility suite.
 */
import { kafkaTool } from '@vltava/kafka-harness/vitest';
import { expect } from 'vitest';

/** A record as the console consumer printed it. */
export interface ConsoleRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
}

/**
 * Reads a topic from the beginning with the console consumer of the broker's release: `expected` records, or what
 * arrives until `idleMs` passes without one. (`--property` sets formatter properties on every supported line; 4.2
 * added `--formatter-property` as its new name.)
 */
export async function javaConsume(
  topic: string,
  options: { isolation?: 'read_committed' | 'read_uncommitted'; expected?: number; idleMs?: number } = {},
): Promise<ConsoleRecord[]> {
  const args = ['--topic', topic, '--from-beginning', '--isolation-level', options.isolation ?? 'read_uncommitted'];
  for (const property of ['print.partition=true', 'print.offset=true', 'print.key=true', 'key.separator=|']) {
    args.push('--property', property);
  }
  args.push('--timeout-ms', String(options.idleMs ?? 10_000));
  if (options.expected !== undefined) args.push('--max-messages', String(options.expected));
  const result = await kafkaTool('kafka-console-consumer', args, { timeoutMs: 90_000 });
  const records: ConsoleRecord[] = [];
  for (const line of result.stdout.split('\n')) {
    // Partition:0|Offset:12|key|value
    const match = /^Partition:(\d+)\|Offset:(\d+)\|([^|]*)\|(.*)$/.exec(line.trim());
    if (match !== null) {
      records.push({ partition: Number(match[1]), offset: Number(match[2]), key: match[3]!, value: match[4]! });
    }
  }
  return records;
}

/** Writes `key|value` lines with the console producer of the broker's release, in the given codec. */
export async function javaProduce(
  topic: string,
  records: readonly { key: string; value: string }[],
  compression: string,
): Promise<void> {
  const args = ['--topic', topic, '--property', 'parse.key=true', '--property', 'key.separator=|'];
  if (compression !== 'none') args.push('--compression-codec', compression);
  // Batches of several records, so the codec compresses real batches rather than one record each.
  args.push('--producer-property', 'linger.ms=50', '--producer-property', 'batch.size=65536');
  const produced = await kafkaTool('kafka-console-producer', args, {
    input: `${records.map((r) => `${r.key}|${r.value}`).join('\n')}\n`,
    timeoutMs: 90_000,
  });
  expect(produced.exitCode, produced.stderr).toBe(0);
}
