/**
 * A broker that serves one topic from memory, for instruction counts of the consumer's fetch path
 * (`instructions.ts`): the same bytes, in the same responses, every run, with no Kafka process beside the client.
 *
 *   npx tsx bench/consumer/fake-fetch-broker.ts [--records 1000000] [--size 100] [--partitions 6] [--batch 500]
 *
 * Prints `listening 127.0.0.1:<port>` and serves until killed. The topic `bench` holds `--records` records of
 * `--size` bytes spread evenly over `--partitions` partitions, in uncompressed batches of `--batch` records. A Fetch
 * gets, for each partition it names, whole batches from its fetch offset up to its `partitionMaxBytes` (and the
 * request's `maxBytes`), with no fetch session; a Fetch that would return nothing waits `maxWaitMs` first, as a
 * broker does. ListOffsets answers 0 (earliest) or the partition's end.
 */

import type { FetchRequest } from '../../packages/core/src/protocol/messages/generated/fetch.js';
import type { ListOffsetsRequest } from '../../packages/core/src/protocol/messages/generated/list-offsets.js';
import { RecordBatchBuilder } from '../../packages/core/src/protocol/records/record-batch-builder.js';
import { FakeBroker, type FakeRequest } from '../../packages/core/test/support/fake-broker.js';

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const RECORDS = arg('records', 1_000_000);
const SIZE = arg('size', 100);
const PARTITIONS = arg('partitions', 6);
const BATCH = arg('batch', 500);
const TOPIC = 'bench';
const TOPIC_ID = 'YmVuY2gtdG9waWMtaWQtMQ';

/** Every partition's log: its batches, each with its base offset. */
const logs: Array<Array<{ base: bigint; bytes: Buffer }>> = [];
for (let p = 0; p < PARTITIONS; p++) {
  const count = Math.floor(RECORDS / PARTITIONS) + (p < RECORDS % PARTITIONS ? 1 : 0);
  const batches: Array<{ base: bigint; bytes: Buffer }> = [];
  for (let base = 0; base < count; base += BATCH) {
    const builder = new RecordBatchBuilder({ baseOffset: BigInt(base), partitionLeaderEpoch: 0 });
    const value = Buffer.alloc(SIZE, 0x61);
    for (let i = base; i < Math.min(count, base + BATCH); i++) builder.append(1_700_000_000_000 + i, null, value);
    const bytes = builder.build();
    if (bytes instanceof Promise) throw new Error('uncompressed batches build synchronously');
    batches.push({ base: BigInt(base), bytes });
  }
  logs.push(batches);
}
const endOffset = (p: number) => BigInt(Math.floor(RECORDS / PARTITIONS) + (p < RECORDS % PARTITIONS ? 1 : 0));

function slice(partition: number, fetchOffset: bigint, maxBytes: number): Buffer | null {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for (const batch of logs[partition] ?? []) {
    if (batch.base + BigInt(BATCH) <= fetchOffset) continue;
    if (bytes > 0 && bytes + batch.bytes.length > maxBytes) break;
    chunks.push(batch.bytes);
    bytes += batch.bytes.length;
  }
  return chunks.length === 0 ? null : Buffer.concat(chunks);
}

function fetch(request: FetchRequest): { response: unknown } | Promise<{ response: unknown }> {
  let room = request.maxBytes;
  let any = false;
  const responses = request.topics.map((topic) => ({
    topic: topic.topic ?? TOPIC,
    topicId: topic.topicId ?? TOPIC_ID,
    partitions: topic.partitions.map((p) => {
      const records = room > 0 ? slice(p.partition, p.fetchOffset, Math.min(room, p.partitionMaxBytes)) : null;
      if (records !== null) {
        room -= records.length;
        any = true;
      }
      return {
        partitionIndex: p.partition,
        errorCode: 0,
        highWatermark: endOffset(p.partition),
        lastStableOffset: endOffset(p.partition),
        logStartOffset: 0n,
        divergingEpoch: { epoch: -1, endOffset: -1n },
        currentLeader: { leaderId: -1, leaderEpoch: -1 },
        snapshotId: { endOffset: -1n, epoch: -1 },
        abortedTransactions: null,
        preferredReadReplica: -1,
        records,
      };
    }),
  }));
  const response = { response: { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses, nodeEndpoints: [] } };
  if (any) return response;
  return new Promise((resolve) => setTimeout(() => resolve(response), request.maxWaitMs));
}

function listOffsets(request: ListOffsetsRequest): { response: unknown } {
  return {
    response: {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: 0,
          timestamp: -1n,
          offset: p.timestamp === -2n ? 0n : endOffset(p.partitionIndex),
          leaderEpoch: 0,
        })),
      })),
    },
  };
}

function metadata(port: number): { response: unknown } {
  return {
    response: {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 0, host: '127.0.0.1', port, rack: null }],
      clusterId: 'fake-fetch-broker',
      controllerId: 0,
      topics: [
        {
          errorCode: 0,
          name: TOPIC,
          topicId: TOPIC_ID,
          isInternal: false,
          partitions: Array.from({ length: PARTITIONS }, (_, partitionIndex) => ({
            errorCode: 0,
            partitionIndex,
            leaderId: 0,
            leaderEpoch: 0,
            replicaNodes: [0],
            isrNodes: [0],
            offlineReplicas: [],
          })),
          topicAuthorizedOperations: -2147483648,
        },
      ],
      clusterAuthorizedOperations: -2147483648,
      errorCode: 0,
    },
  };
}

let port = 0;
const broker = await FakeBroker.start((request: FakeRequest) => {
  switch (request.apiName) {
    case 'Metadata':
      return metadata(port);
    case 'Fetch':
      return fetch(request.body as FetchRequest);
    case 'ListOffsets':
      return listOffsets(request.body as ListOffsetsRequest);
    default:
      return undefined;
  }
});
port = broker.port;
console.log(`listening ${broker.address}`);
