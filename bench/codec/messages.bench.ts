/**
 * Codec benchmark: encoding Produce requests and decoding Fetch and Metadata responses with many partitions.
 * Run: `npx tsx bench/codec/messages.bench.ts` (prints ops/s). Each case runs for about a second after a warm-up.
 */
import {
  decodeFetchResponse,
  decodeMetadataResponse,
  encodeFetchResponse,
  encodeMetadataResponse,
  encodeProduceRequest,
  type FetchResponse,
  type MetadataResponse,
  type ProduceRequest,
} from '../../packages/core/src/protocol/messages/generated/index.js';
import { Reader } from '../../packages/core/src/protocol/primitives/reader.js';
import { ZERO_UUID } from '../../packages/core/src/protocol/primitives/uuid.js';
import { Writer } from '../../packages/core/src/protocol/primitives/writer.js';

function bench(name: string, fn: () => number, unit: string): void {
  let sink = 0;
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) sink += fn();
  let ops = 0;
  let units = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 20; i++) {
      units += fn();
      ops++;
    }
    elapsed = performance.now() - start;
  } while (elapsed < 1000);
  const perSecond = (ops * 1000) / elapsed;
  console.log(
    `${name.padEnd(58)} ${perSecond.toFixed(0).padStart(9)} ops/s  ${((units * 1000) / elapsed / 1e6).toFixed(2).padStart(8)} M ${unit}/s  (${(1e6 / perSecond).toFixed(1)} µs/op)`,
  );
  if (sink === -1) console.log(sink);
}

function produceRequest(topics: number, partitions: number, batchBytes: number): ProduceRequest {
  const batch = Buffer.alloc(batchBytes, 7);
  return {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30000,
    topicData: Array.from({ length: topics }, (_, t) => ({
      name: `topic-${t}`,
      partitionData: Array.from({ length: partitions }, (_, p) => ({ index: p, records: batch })),
    })),
  };
}

function fetchResponse(topics: number, partitions: number, batchBytes: number): Buffer {
  const batch = Buffer.alloc(batchBytes, 9);
  const response: FetchResponse = {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 1,
    responses: Array.from({ length: topics }, (_, t) => ({
      topic: '',
      topicId: Buffer.alloc(16, t + 1).toString('base64url'),
      partitions: Array.from({ length: partitions }, (_, p) => ({
        partitionIndex: p,
        errorCode: 0,
        highWatermark: 1_000_000n,
        lastStableOffset: 1_000_000n,
        logStartOffset: 0n,
        divergingEpoch: { epoch: -1, endOffset: -1n },
        currentLeader: { leaderId: -1, leaderEpoch: -1 },
        snapshotId: { endOffset: -1n, epoch: -1 },
        abortedTransactions: null,
        preferredReadReplica: -1,
        records: batch,
      })),
    })),
    nodeEndpoints: [],
  };
  const w = new Writer(1 << 16, Number.POSITIVE_INFINITY);
  encodeFetchResponse(w, 16, response);
  return w.toBuffer();
}

function metadataResponse(topics: number, partitions: number): Buffer {
  const response: MetadataResponse = {
    throttleTimeMs: 0,
    brokers: [1, 2, 3].map((id) => ({ nodeId: id, host: `broker-${id}.example`, port: 9092, rack: null })),
    clusterId: 'cluster',
    controllerId: 1,
    topics: Array.from({ length: topics }, (_, t) => ({
      errorCode: 0,
      name: `topic-${t}`,
      topicId: ZERO_UUID,
      isInternal: false,
      partitions: Array.from({ length: partitions }, (_, p) => ({
        errorCode: 0,
        partitionIndex: p,
        leaderId: (p % 3) + 1,
        leaderEpoch: 5,
        replicaNodes: [1, 2, 3],
        isrNodes: [1, 2, 3],
        offlineReplicas: [],
      })),
      topicAuthorizedOperations: -2147483648,
    })),
    clusterAuthorizedOperations: -2147483648,
    errorCode: 0,
  };
  const w = new Writer(1 << 16);
  encodeMetadataResponse(w, 12, response);
  return w.toBuffer();
}

console.log(`Node ${process.version}, ${process.platform}/${process.arch}`);

for (const [topics, partitions, size] of [
  [1, 1, 1024],
  [10, 10, 1024],
  [10, 10, 16 * 1024],
] as const) {
  const request = produceRequest(topics, partitions, size);
  bench(
    `encode Produce v11: ${topics}x${partitions} partitions, ${size / 1024} KiB batches`,
    () => {
      const w = new Writer(256);
      encodeProduceRequest(w, 11, request);
      return w.toChunks().length > 0 ? topics * partitions : 0;
    },
    'partitions',
  );
}

for (const [topics, partitions, size] of [
  [1, 10, 1024],
  [100, 10, 1024],
] as const) {
  const bytes = fetchResponse(topics, partitions, size);
  bench(
    `decode Fetch v16: ${topics}x${partitions} partitions (${(bytes.length / 1024).toFixed(0)} KiB)`,
    () => decodeFetchResponse(new Reader(bytes), 16).responses.length * partitions,
    'partitions',
  );
}

{
  const bytes = metadataResponse(100, 30);
  bench(
    `decode Metadata v12: 100 topics x 30 partitions (${(bytes.length / 1024).toFixed(0)} KiB)`,
    () => decodeMetadataResponse(new Reader(bytes), 12).topics.length * 30,
    'partitions',
  );
}
