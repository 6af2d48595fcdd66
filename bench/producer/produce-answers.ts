/**
 * The answers of an in-memory broker that acknowledges every Produce at once: one topic led by itself, an idempotent
 * producer id, and base offsets that count the records of each partition. Shared by the send-path bench (in process)
 * and `fake-produce-broker.ts` (its own process, for instruction counts).
 */
import type { ProduceRequest } from '../../packages/core/src/protocol/messages/generated/produce.js';
import { type FakeReply, type FakeRequest, metadataResponse } from '../../packages/core/test/support/fake-broker.js';

/** A handler for `FakeBroker.start` serving topic `topic` with `partitions` partitions; `port()` is the broker's. */
export function produceAnswers(topic: string, partitions: number, port: () => number) {
  const offsets = new Array<bigint>(partitions).fill(0n);
  return (request: FakeRequest): FakeReply | undefined => {
    switch (request.apiName) {
      case 'Metadata':
        return { response: metadataResponse(port(), { [topic]: partitions }) };
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
  };
}
