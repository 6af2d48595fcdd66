import { Admin, Consumer, type ConsumerRecord, deserializers, type IsolationLevel } from '@vltava/core';

/** Collects an example's log lines. */
export function logLines(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

/**
 * Reads a whole topic from the beginning with a fresh consumer (no group) up to its end offsets at the time of the
 * call (last stable offsets under `read_committed`); keys and values as strings.
 */
export async function readTopic(
  brokers: string,
  topic: string,
  isolationLevel: IsolationLevel = 'read_uncommitted',
): Promise<Array<ConsumerRecord<string | null, string | null>>> {
  const consumer = new Consumer({
    brokers,
    isolationLevel,
    autoOffsetReset: 'earliest',
    logLevel: 'error',
    keyDeserializer: deserializers.string,
    valueDeserializer: deserializers.string,
  });
  try {
    const partitions = (await consumer.partitionsFor(topic)).map((p) => ({ topic, partition: p.partition }));
    consumer.assign(partitions);
    const ends = await consumer.endOffsets(partitions);
    const records: Array<ConsumerRecord<string | null, string | null>> = [];
    const reached = async () => {
      for (const end of ends) if ((await consumer.position(end)) < end.offset) return false;
      return true;
    };
    if (await reached()) return records;
    const signal = AbortSignal.timeout(60_000);
    for await (const batch of consumer.batches({ signal })) {
      records.push(...batch);
      if (await reached()) break;
    }
    if (!(await reached())) throw new Error(`could not read ${topic} to its end within 60 s`);
    return records;
  } finally {
    await consumer.close();
  }
}

/** A group's committed offsets and lag per partition of a topic (`includeLag`). */
export async function groupOffsets(
  brokers: string,
  groupId: string,
  isolationLevel: IsolationLevel = 'read_uncommitted',
): Promise<Array<{ topic: string; partition: number; offset: bigint | null; lag: bigint | null }>> {
  const admin = new Admin({ brokers, logLevel: 'error' });
  try {
    const [result] = await admin.listGroupOffsets([groupId], { includeLag: true, isolationLevel });
    if (result === undefined || result.error !== undefined) throw result?.error ?? new Error('no result');
    return result.offsets.map((o) => {
      if (o.error !== undefined) throw o.error;
      return { topic: o.topic, partition: o.partition, offset: o.offset, lag: o.lag ?? null };
    });
  } finally {
    await admin.close();
  }
}
