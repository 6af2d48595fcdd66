/**
 * An Rx pipeline: consume, transform and produce with `fromConsumer`, `sendTo` and `commitOffsets`.
 *
 * Sensor readings in Celsius become readings in Fahrenheit on another topic; the source offsets are committed once
 * the converted readings are acknowledged (at-least-once). Producing the readings in the first place shows `sendTo`
 * flushing the producer when its source completes.
 *
 *   npx tsx examples/src/rx-pipeline.ts
 *
 * (Uses the cluster in KAFKA_BROKERS, or starts a local broker for the run.)
 */
import { Consumer, deserializers, Producer } from '@vltava/core';
import { commitOffsets, fromConsumer, sendTo } from '@vltava/rx';
import { count, from, lastValueFrom, map, takeWhile } from 'rxjs';
import { createTopics } from './support/create-topics.js';
import { type Log, runExample, uniqueName } from './support/run-example.js';

export interface Reading {
  readonly sensor: string;
  readonly celsius: number;
}

/** Degrees Celsius to Fahrenheit, to a tenth of a degree. */
export function toFahrenheit(celsius: number): number {
  return Math.round(((celsius * 9) / 5 + 32) * 10) / 10;
}

/** The `i`-th reading the example produces. */
export function reading(i: number): Reading {
  return { sensor: `sensor-${i % 12}`, celsius: (((i * 7) % 400) - 100) / 10 };
}

/** What the example did. */
export interface RxPipelineResult {
  readonly input: string;
  readonly output: string;
  readonly groupId: string;
  readonly produced: number;
  readonly converted: number;
}

export async function main(brokers: string, log: Log, total = 3000): Promise<RxPipelineResult> {
  const input = uniqueName('celsius');
  const output = uniqueName('fahrenheit');
  const groupId = uniqueName('converter');
  await createTopics(brokers, [input, output], 3);
  const producer = new Producer<string, string>({ brokers });

  // 1. Produce readings: `from(array)` completes after the last one, so `sendTo` flushes the producer (no waiting
  //    for `lingerMs`) and completes once every record is acknowledged.
  const readings: Reading[] = Array.from({ length: total }, (_, i) => reading(i));
  const produced = await lastValueFrom(
    from(readings).pipe(
      sendTo(producer, (r) => ({ topic: input, key: r.sensor, value: JSON.stringify(r) })),
      count(),
    ),
  );
  log(`produced ${produced} readings to ${input}`);

  // 2. The pipeline. Records are committed once they passed `commitOffsets`, which finds each record in the
  //    `source` of the `sendTo` result; it stops here once the input is committed to its end (a service would run
  //    on; unsubscribing commits what was acknowledged and leaves the group).
  const consumer = new Consumer({
    brokers,
    groupId,
    autoOffsetReset: 'earliest',
    keyDeserializer: deserializers.string,
    valueDeserializer: deserializers.json<Reading>(),
  });
  const partitions = [0, 1, 2].map((partition) => ({ topic: input, partition }));
  const ends = new Map((await consumer.endOffsets(partitions)).map((e) => [e.partition, e.offset]));
  const committed = new Map<number, bigint>();
  let converted = 0;
  await lastValueFrom(
    fromConsumer(consumer, { topics: [input], highWaterMark: 1000 }).pipe(
      map((message) => {
        const value = message.record.value!;
        converted++;
        return { message, fahrenheit: toFahrenheit(value.celsius) };
      }),
      sendTo(producer, ({ message, fahrenheit }) => ({
        topic: output,
        key: message.record.key,
        value: JSON.stringify({ sensor: message.record.key, fahrenheit }),
      })),
      commitOffsets({ maxBatch: 500, maxIntervalMs: 200, message: (result) => result.source.message }),
      takeWhile((commit) => {
        for (const o of commit.offsets) committed.set(o.partition, o.offset);
        log(`committed ${commit.offsets.map((o) => `${o.topic}-${o.partition}@${o.offset}`).join(', ')}`);
        return partitions.some((p) => (committed.get(p.partition) ?? 0n) < (ends.get(p.partition) ?? 0n));
      }, true),
    ),
  );
  log(`converted ${converted} readings into ${output}`);
  await consumer.close();
  await producer.close();
  return { input, output, groupId, produced, converted };
}

await runExample(import.meta.url, main);
