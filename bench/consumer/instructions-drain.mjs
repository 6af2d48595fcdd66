// One drain for `instructions.ts`, in plain JavaScript so that nothing but the consumer runs under callgrind:
// `node instructions-drain.mjs <core package folder> <broker> <records>` reads exactly `<records>` records of topic
// `bench` from offset 0 with `for await`, with the compiled consumer (`dist/esm`) of that package folder, and exits.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [core, brokers, records] = process.argv.slice(2);
const { Consumer } = await import(pathToFileURL(join(core, 'dist/esm/index.js')).href);
const wanted = Number(records);
const consumer = new Consumer({ brokers, autoOffsetReset: 'earliest', logLevel: 'error' });
consumer.assign(Array.from({ length: 6 }, (_, partition) => ({ topic: 'bench', partition })));
await consumer.connect();
let count = 0;
let bytes = 0;
for await (const record of consumer) {
  bytes += record.serializedValueSize;
  if (++count === wanted) break;
}
await consumer.close();
if (count !== wanted || bytes !== wanted * 100) throw new Error(`read ${count} records (${bytes} bytes)`);
