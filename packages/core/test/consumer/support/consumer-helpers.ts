import type { Consumer, ConsumerRecord } from '../../../src/index.js';

/** Waits until `predicate` holds, checking every few milliseconds, or fails after `timeoutMs` naming `what`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls until `count` records arrived (or fails after `timeoutMs`); returns them in arrival order. */
export async function pollUntil<K, V>(
  consumer: Consumer<K, V>,
  count: number,
  timeoutMs = 30_000,
): Promise<ConsumerRecord<K, V>[]> {
  const records: ConsumerRecord<K, V>[] = [];
  const deadline = Date.now() + timeoutMs;
  while (records.length < count) {
    if (Date.now() > deadline) throw new Error(`Got ${records.length} of ${count} records within ${timeoutMs} ms`);
    for (const record of await consumer.poll({ timeoutMs: 500 })) records.push(record);
  }
  return records;
}

/** Reads `count` records with the iterator, then breaks out of the loop. */
export async function iterateUntil<K, V>(
  consumer: Consumer<K, V>,
  count: number,
  timeoutMs = 30_000,
): Promise<ConsumerRecord<K, V>[]> {
  const records: ConsumerRecord<K, V>[] = [];
  const signal = AbortSignal.timeout(timeoutMs);
  for await (const record of consumer.records({ signal })) {
    records.push(record);
    if (records.length >= count) break;
  }
  if (records.length < count) throw new Error(`Got ${records.length} of ${count} records within ${timeoutMs} ms`);
  return records;
}

/** Groups record values by partition, in arrival order. */
export function byPartition<K, V>(records: readonly ConsumerRecord<K, V>[]): Map<number, V[]> {
  const map = new Map<number, V[]>();
  for (const record of records) {
    const list = map.get(record.partition) ?? [];
    list.push(record.value);
    map.set(record.partition, list);
  }
  return map;
}

/** `prefix-from` .. `prefix-(to-1)`. */
export function values(prefix: string, from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`);
}
