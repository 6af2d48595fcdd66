/**
 * What a vectored (corked) socket write costs per chunk: the same bytes sent over a loopback TCP connection as one
 * buffer per request or as many chunks. Backs the Writer's reference threshold (`DEFAULT_REFERENCE_THRESHOLD`).
 * Run: `npx tsx bench/codec/chunked-socket-write.bench.ts` (prints MB/s; bounded: 200 MB per case, 127.0.0.1 only).
 */
import net from 'node:net';

const TOTAL = 200e6;
const server = net.createServer((socket) => socket.resume());
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as net.AddressInfo;
const client = net.connect(port, '127.0.0.1');
await new Promise<void>((resolve) => client.once('connect', resolve));

const drained = () =>
  new Promise<void>((resolve) => (client.writableLength === 0 ? resolve() : client.once('drain', resolve)));

async function run(chunkSize: number, chunks: number): Promise<number> {
  const parts = Array.from({ length: chunks }, () => Buffer.alloc(chunkSize, 1));
  const start = performance.now();
  for (let sent = 0; sent < TOTAL; sent += chunkSize * chunks) {
    client.cork();
    for (const part of parts) client.write(part);
    client.uncork();
    if (client.writableLength > 8 << 20) await drained();
  }
  await drained();
  return TOTAL / 1e6 / ((performance.now() - start) / 1000);
}

const cases: Array<[number, number]> = [
  [102400, 1],
  [1024, 100],
  [4096, 25],
  [8192, 12],
];
for (let round = 0; round < 3; round++) {
  const cells: string[] = [];
  for (const [size, count] of cases)
    cells.push(`${count} x ${size / 1024} KiB: ${(await run(size, count)).toFixed(0)} MB/s`);
  console.log(`round ${round + 1}   ${cells.join('   ')}`);
}
client.destroy();
server.close();
