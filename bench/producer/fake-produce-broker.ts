/**
 * A broker that acknowledges every Produce at once, for instruction counts of the producer's send path
 * (`instructions.ts`): one topic `bench` of 6 partitions led by itself, an idempotent producer id, and base offsets
 * that count the records of each partition, with no Kafka process beside the client.
 *
 *   npx tsx bench/producer/fake-produce-broker.ts
 *
 * Prints `listening 127.0.0.1:<port>` and serves until killed.
 */
import type { ProduceRequest } from '../../packages/core/src/protocol/messages/generated/produce.js';
import { FakeBroker, type FakeRequest, metadataResponse } from '../../packages/core/test/support/fake-broker.js';

const PARTITIONS = 6;
const offsets = new Array<bigint>(PARTITIONS).fill(0n);

function answer(request: FakeRequest, port: number) {
  switch (request.apiName) {
    case 'Metadata':
      return { response: metadataResponse(port, { bench: PARTITIONS }) };
    case 'InitProducerId':
      return {
        response: {
          throttleTimeMs: 0,
          errorCode: 0,
          producerId: 1n,
          producerEpoch: 0,
          ongoingTxnProducerId: -1n,
          ongoingTxnProducerEpoch: -1,
        },
      };
    case 'Produce': {
      const body = request.body as ProduceRequest;
      const responses = body.topicData.map((topic) => ({
        name: topic.name,
        topicId: topic.topicId,
        partitionResponses: topic.partitionData.map((data) => {
          // Record count of a v2 batch: the int32 at byte 57.
          const baseOffset = offsets[data.index]!;
          offsets[data.index] = baseOffset + BigInt(data.records!.readInt32BE(57));
          return {
            index: data.index,
            errorCode: 0,
            baseOffset,
            logAppendTimeMs: -1n,
            logStartOffset: 0n,
            recordErrors: [],
            errorMessage: null,
            currentLeader: { leaderId: -1, leaderEpoch: -1 },
          };
        }),
      }));
      return { response: { throttleTimeMs: 0, nodeEndpoints: [], responses } };
    }
    default:
      return undefined;
  }
}

let port = 0;
const broker = await FakeBroker.start((request) => answer(request, port));
port = broker.port;
console.log(`listening ${broker.address}`);
