/**
 * How the Writer's reference threshold changes the cost of encoding a Produce request (10 topics x 10 partitions):
 * batches at or above the threshold are kept by reference, smaller ones copied.
 * Run: `npx tsx bench/codec/produce-threshold.bench.ts` (medians of 7 runs of 300 ms, in µs per request).
 */
import { encodeProduceRequest } from '../../packages/core/src/protocol/messages/generated/produce.js';
import { Writer } from '../../packages/core/src/protocol/primitives/writer.js';

const THRESHOLDS = [512, 4096, 8192, Number.POSITIVE_INFINITY];

function time(request: Parameters<typeof encodeProduceRequest>[2], threshold: number): number {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 300) {
    const w = new Writer(256, threshold);
    encodeProduceRequest(w, 11, request);
    w.toChunks();
    n++;
  }
  return ((performance.now() - start) * 1000) / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

for (const size of [256, 1024, 4096, 16384]) {
  const batch = Buffer.alloc(size, 7);
  const request = {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30000,
    topicData: Array.from({ length: 10 }, (_, t) => ({
      name: `topic-${t}`,
      partitionData: Array.from({ length: 10 }, (_, p) => ({ index: p, records: batch })),
    })),
  };
  for (const threshold of THRESHOLDS) time(request, threshold);
  const runs = new Map<number, number[]>(THRESHOLDS.map((t) => [t, []]));
  for (let i = 0; i < 7; i++) for (const t of THRESHOLDS) runs.get(t)!.push(time(request, t));
  const cells = THRESHOLDS.map(
    (t) => `${t === Number.POSITIVE_INFINITY ? 'copy all' : t}: ${median(runs.get(t)!).toFixed(1)} µs`,
  );
  console.log(`batches of ${String(size).padStart(5)} B x 100   ${cells.join('   ')}`);
}
