/** Runs Vltava's producer through one of its three API forms for a fixed number of records. */
import { Producer } from '../../packages/core/src/producer/producer.js';
import type { ProducerOptions } from '../../packages/core/src/producer/producer-options.js';
import type { ProducerRecord } from '../../packages/core/src/producer/producer-record.js';
import type { BenchResult } from './bench-support.js';

/** How records are handed to the producer. */
export type ApiForm = 'promise' | 'callback' | 'sendBatch';

/**
 * Sends `records` records of `size` bytes (no key) to `topic` and waits for every acknowledgement.
 * - `promise`: one `send()` Promise per record, all awaited at the end (`waitForBuffer` paces the loop);
 * - `callback`: `send(record, callback)`;
 * - `sendBatch`: `sendBatch()` chunks of 10,000 records, several in flight.
 */
export async function runVltava(
  name: string,
  bootstrap: string,
  topic: string,
  form: ApiForm,
  records: number,
  size: number,
  options: Omit<ProducerOptions, 'brokers'>,
): Promise<BenchResult> {
  const producer = new Producer({ brokers: bootstrap, logLevel: 'error', ...options });
  const value = Buffer.alloc(size, 0x61);
  await producer.connect();
  await producer.send({ topic, value }); // metadata and producer id before the clock starts
  const started = performance.now();
  let failed = 0;
  if (form === 'promise') {
    const sends: Array<Promise<unknown>> = new Array(records);
    for (let i = 0; i < records; i++) {
      sends[i] = producer.send({ topic, value });
      if ((i & 4095) === 4095 && producer.bufferAvailable < 8 << 20) await producer.waitForBuffer(8 << 20);
    }
    for (const outcome of await Promise.allSettled(sends)) if (outcome.status === 'rejected') failed++;
  } else if (form === 'callback') {
    await new Promise<void>((resolve) => {
      let settled = 0;
      const done = (error: unknown) => {
        if (error !== undefined) failed++;
        if (++settled === records) resolve();
      };
      const loop = async () => {
        for (let i = 0; i < records; i++) {
          producer.send({ topic, value }, done);
          if ((i & 4095) === 4095 && producer.bufferAvailable < 8 << 20) await producer.waitForBuffer(8 << 20);
        }
      };
      void loop();
    });
  } else {
    const chunk = Array.from({ length: 10_000 }, () => ({ topic, value }));
    const inFlight: Array<Promise<{ failed: number }>> = [];
    for (let sent = 0; sent < records; sent += chunk.length) {
      inFlight.push(producer.sendBatch(chunk.slice(0, Math.min(chunk.length, records - sent))));
      if (inFlight.length >= 4) failed += (await inFlight.shift()!).failed;
    }
    for (const result of await Promise.all(inFlight)) failed += result.failed;
  }
  const ms = performance.now() - started;
  await producer.close();
  if (failed > 0) throw new Error(`${name}: ${failed} sends failed`);
  return { name, records, bytes: records * size, ms };
}

/**
 * Hands every record to `producer` in one API form, without pausing for buffer space (the caller times this part),
 * and returns a Promise that resolves once every record has its outcome, or rejects with the first failure.
 */
export function handOff(
  producer: Producer,
  records: ReadonlyArray<ProducerRecord<string | Uint8Array, string | Uint8Array>>,
  form: ApiForm,
): Promise<void> {
  if (form === 'promise') {
    const sends = new Array<Promise<unknown>>(records.length);
    for (let i = 0; i < records.length; i++) sends[i] = producer.send(records[i]!);
    return Promise.all(sends).then(() => undefined);
  }
  if (form === 'callback') {
    return new Promise<void>((resolve, reject) => {
      let settled = 0;
      const done = (error: unknown) => {
        if (error !== undefined) reject(error);
        else if (++settled === records.length) resolve();
      };
      for (let i = 0; i < records.length; i++) producer.send(records[i]!, done);
    });
  }
  return producer.sendBatch(records).then((result) => {
    if (result.failed > 0) throw result.firstError;
  });
}
