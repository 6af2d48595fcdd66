import { describe, expect, it } from 'vitest';
import type { MetadataSnapshot } from '../cluster/metadata.js';
import { ConnectionError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import type { KafkaError } from '../errors/kafka-error.js';
import type { ApiDefinition } from '../protocol/messages/api-definition.js';
import type {
  ProduceRequest,
  ProduceResponse,
  ProduceResponsePartitionProduceResponse,
} from '../protocol/messages/generated/produce.js';
import { BrokerSink, type SinkEvents } from './broker-sink.js';
import { handAccumulator, oneRecordBatch, topicInfo } from './fixtures/test-records.js';
import type { ProducerBatch } from './producer-batch.js';
import type { ProducerConnection, SinkCluster } from './producer-cluster.js';
import { ProducerMetrics } from './producer-metrics.js';

const ZERO = 'AAAAAAAAAAAAAAAAAAAAAA';

/** A connection whose requests the test answers by hand, in any order. */
class ScriptedConnection implements ProducerConnection {
  readonly label = '1@scripted:9092';
  readonly finalizedFeatures: ReadonlyMap<string, number> = new Map();
  ready = true;
  readonly requests: Array<{
    request: ProduceRequest;
    version: number;
    answer: (response: ProduceResponse) => void;
    fail: (error: KafkaError) => void;
  }> = [];
  private readonly closeListeners: Array<(error: KafkaError | undefined) => void> = [];

  constructor(private readonly maxProduceVersion: number) {}

  onClose(listener: (error: KafkaError | undefined) => void): void {
    this.closeListeners.push(listener);
  }

  versionFor(_api: unknown, maxVersion?: number): number {
    return Math.min(this.maxProduceVersion, maxVersion ?? this.maxProduceVersion);
  }

  send<Req, Res>(_api: ApiDefinition<Req, Res>, request: Req, options: { version?: number } = {}): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.requests.push({
        request: request as ProduceRequest,
        version: options.version ?? this.maxProduceVersion,
        answer: (response) => resolve(response as Res),
        fail: reject,
      });
    });
  }

  close(): void {
    this.ready = false;
    for (const listener of this.closeListeners) listener(undefined);
  }
}

function clusterWith(connection: ScriptedConnection, topicIds: Record<string, string>): SinkCluster {
  const metadata: MetadataSnapshot = {
    clusterId: 'c',
    controllerId: 1,
    brokers: new Map(),
    topics: new Map(Object.entries(topicIds).map(([name, id]) => [name, topicInfo(name, [], id)])),
    topicNamesById: new Map(),
    updatedAt: 0,
  };
  return { metadata, connection: () => Promise.resolve(connection) };
}

/** Records what the sink reports. */
function recorder() {
  const log: string[] = [];
  const label = (batch: ProducerBatch) => `${batch.topic}-${batch.partition}`;
  const events: SinkEvents = {
    connectionChanged: (closed) => log.push(closed ? 'closed' : 'connected'),
    connectFailed: () => log.push('connect failed'),
    partitionResult: (batch, result) => log.push(`result ${label(batch)} code ${result.errorCode}`),
    batchUnanswered: (batch, error) => log.push(`unanswered ${label(batch)} ${error.kafkaErrorName}`),
    requestFailed: (batches, error) => log.push(`failed ${batches.map(label).join(',')} ${error.code}`),
    written: (batch) => log.push(`written ${label(batch)}`),
    requestDone: () => log.push('done'),
  };
  return { log, events };
}

/** Built batches, one per `topic-partition` given, each with one record, ready to go out. */
function batches(...partitions: Array<[string, number]>): ProducerBatch[] {
  const accumulator = handAccumulator();
  return partitions.map(([topic, partition]) => {
    const batch = oneRecordBatch(accumulator, accumulator.partitionState(topic, partition));
    batch.markSent(Date.now());
    batch.close();
    return batch;
  });
}

function result(index: number, errorCode = 0): ProduceResponsePartitionProduceResponse {
  return {
    index,
    errorCode,
    baseOffset: 0n,
    logAppendTimeMs: -1n,
    logStartOffset: 0n,
    recordErrors: [],
    errorMessage: null,
    currentLeader: { leaderId: -1, leaderEpoch: -1 },
  };
}

async function connectedSink(
  connection: ScriptedConnection,
  topicIds: Record<string, string>,
  options: { acks?: 0 | 1 | -1; maxInFlight?: number } = {},
) {
  const { log, events } = recorder();
  const sink = new BrokerSink(
    1,
    clusterWith(connection, topicIds),
    events,
    { acks: options.acks ?? -1, maxInFlight: options.maxInFlight ?? 5, requestTimeoutMs: 1000, transactionalId: null },
    new ProducerMetrics(),
  );
  expect(sink.ready()).toBe(false); // starts connecting
  await new Promise((resolve) => setImmediate(resolve));
  expect(sink.ready()).toBe(true);
  log.length = 0;
  return { sink, log };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('BrokerSink', () => {
  it('matches each response to the batches of its own request, whatever the order of answers', async () => {
    const connection = new ScriptedConnection(12);
    const { sink, log } = await connectedSink(connection, { a: ZERO, b: ZERO });
    const first = batches(['a', 0], ['b', 1]);
    const second = batches(['a', 0], ['a', 1]);
    sink.send(first, false, 13);
    sink.send(second, false, 13);
    expect(sink.requests.size).toBe(2);
    const [one, two] = connection.requests;
    expect(one!.version).toBe(12); // no topic ids: Produce v12 at most
    expect(one!.request.topicData.map((t) => t.name)).toEqual(['a', 'b']);
    // The second request answers first; each answer names partitions of its own request only.
    two!.answer({
      throttleTimeMs: 0,
      nodeEndpoints: [],
      responses: [
        { name: 'a', topicId: ZERO, partitionResponses: [result(1), result(0, ErrorCodes.NOT_LEADER_OR_FOLLOWER)] },
      ],
    });
    await settle();
    expect(log).toEqual(['result a-1 code 0', 'result a-0 code 6', 'done']);
    one!.answer({
      throttleTimeMs: 0,
      nodeEndpoints: [],
      responses: [
        { name: 'b', topicId: ZERO, partitionResponses: [result(1)] },
        { name: 'a', topicId: ZERO, partitionResponses: [result(0)] },
      ],
    });
    await settle();
    expect(log.slice(3)).toEqual(['result b-1 code 0', 'result a-0 code 0', 'done']);
    expect(sink.requests.size).toBe(0);
  });

  it('matches by topic id on Produce v13 and reports batches a response leaves out as unanswered', async () => {
    const connection = new ScriptedConnection(13);
    const { sink, log } = await connectedSink(connection, { a: 'AAAAAAAAAAAAAAAAAAAAAQ', b: 'AAAAAAAAAAAAAAAAAAAAAg' });
    sink.send(batches(['a', 0], ['b', 0], ['b', 2]), false, 13);
    const [sent] = connection.requests;
    expect(sent!.version).toBe(13);
    expect(sent!.request.topicData.map((t) => t.topicId)).toEqual(['AAAAAAAAAAAAAAAAAAAAAQ', 'AAAAAAAAAAAAAAAAAAAAAg']);
    sent!.answer({
      throttleTimeMs: 0,
      nodeEndpoints: [],
      responses: [
        // v13 responses carry no names: topics are told apart by id only.
        { name: '', topicId: 'AAAAAAAAAAAAAAAAAAAAAg', partitionResponses: [result(2), result(7)] },
        { name: '', topicId: 'AAAAAAAAAAAAAAAAAAAAAw', partitionResponses: [result(0)] },
      ],
    });
    await settle();
    expect(log).toEqual([
      'result b-2 code 0',
      'unanswered a-0 NETWORK_EXCEPTION',
      'unanswered b-0 NETWORK_EXCEPTION',
      'done',
    ]);
  });

  it('keeps at most maxInFlight requests awaiting a response', async () => {
    const connection = new ScriptedConnection(12);
    const { sink } = await connectedSink(connection, { a: ZERO }, { maxInFlight: 2 });
    sink.send(batches(['a', 0]), false, 13);
    expect(sink.hasRoom).toBe(true);
    sink.send(batches(['a', 1]), false, 13);
    expect(sink.hasRoom).toBe(false);
    connection.requests[0]!.fail(new ConnectionError('broken'));
    await settle();
    expect(sink.hasRoom).toBe(true);
    expect(sink.requests.size).toBe(1);
  });

  it('reports a failed request once, with all its batches', async () => {
    const connection = new ScriptedConnection(12);
    const { sink, log } = await connectedSink(connection, { a: ZERO });
    sink.send(batches(['a', 0], ['a', 1]), false, 13);
    connection.requests[0]!.fail(new ConnectionError('broken'));
    await settle();
    expect(log).toEqual(['failed a-0,a-1 ERR_CONNECTION', 'done']);
    expect(sink.requests.size).toBe(0);
  });

  it('with acks 0 has no window and reports batches written', async () => {
    const connection = new ScriptedConnection(12);
    const { sink, log } = await connectedSink(connection, { a: ZERO }, { acks: 0, maxInFlight: 1 });
    sink.send(batches(['a', 0]), false, 13);
    sink.send(batches(['a', 1]), false, 13);
    expect(sink.hasRoom).toBe(true);
    connection.requests[1]!.answer(undefined as unknown as ProduceResponse);
    await settle();
    expect(log).toEqual(['written a-1', 'done']);
    expect(sink.requests.size).toBe(1);
  });

  it('drops a closed connection and connects again when asked', async () => {
    const connection = new ScriptedConnection(12);
    const { sink, log } = await connectedSink(connection, { a: ZERO });
    connection.close();
    expect(log).toEqual(['closed']);
    connection.ready = true;
    expect(sink.ready()).toBe(false);
    await settle();
    expect(log).toEqual(['closed', 'connected']);
    expect(sink.ready()).toBe(true);
  });
});
