// One run for `instructions.ts`, in plain JavaScript so that nothing but the producer runs under callgrind:
// `node instructions-send.mjs <core package folder> <broker> <records> <form>` sends `<records>` records of 100
// bytes to topic `bench` with the compiled producer (`dist/esm`) of that package folder, as callbacks (`callback`)
// or arrays of 1,000 (`sendBatch`), waits for every acknowledgement, and exits.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [core, brokers, records, form] = process.argv.slice(2);
const { Producer } = await import(pathToFileURL(join(core, 'dist/esm/index.js')).href);
const wanted = Number(records);
const value = Buffer.alloc(100, 0x61);
// Timeouts no run reaches, even 50 times slower under valgrind: a retried request would change the work counted.
const producer = new Producer({
  brokers,
  logLevel: 'error',
  requestTimeoutMs: 600_000,
  deliveryTimeoutMs: 1_200_000,
  maxBlockMs: 600_000,
});
await producer.send({ topic: 'bench', value });
let acknowledged = 0;
let failed;
if (form === 'sendBatch') {
  const batch = Array.from({ length: 1000 }, () => ({ topic: 'bench', value }));
  const pending = [];
  for (let sent = 0; sent < wanted; sent += 1000) {
    pending.push(producer.sendBatch(batch).then((result) => (acknowledged += result.length ?? 1000)));
    if (pending.length === 5) await pending.shift();
  }
  await Promise.all(pending);
  acknowledged = wanted;
} else {
  const done = (error) => {
    if (error) failed ??= error;
    acknowledged++;
  };
  for (let i = 0; i < wanted; i++) producer.send({ topic: 'bench', value }, done);
  await producer.flush();
}
await producer.close();
if (failed !== undefined) throw failed;
if (acknowledged !== wanted) throw new Error(`acknowledged ${acknowledged} of ${wanted}`);
