import { describe, expect, it } from 'vitest';
import { FakeCluster } from '../../../test/consumer/support/fake-cluster.js';
import { ErrorCodes } from '../../errors/error-codes.generated.js';
import {
  ShareAcknowledge,
  type ShareAcknowledgeRequest,
  type ShareAcknowledgeResponse,
} from '../../protocol/messages/generated/share-acknowledge.js';
import {
  ShareFetch,
  type ShareFetchRequest,
  type ShareFetchResponse,
  type ShareFetchResponsePartitionData,
} from '../../protocol/messages/generated/share-fetch.js';
import { silentLogger } from '../../utils/logger.js';
import { Signal } from '../signal.js';
import { AcknowledgeTypeCode as T } from './acknowledge-type.js';
import { type AcknowledgementResult, ShareFetcher } from './share-fetcher.js';
import type { SharePartitionRef } from './share-session.js';

const REF: SharePartitionRef = { key: 'orders:0', topic: 'orders', topicId: 'TOPICID', partition: 0 };

type Sent =
  | { api: 'ShareFetch'; request: ShareFetchRequest }
  | { api: 'ShareAcknowledge'; request: ShareAcknowledgeRequest };

/** A fake cluster of one broker (node 1) leading orders-0, answering from a script. */
function fakeCluster(answer: (sent: Sent) => unknown, options: { shareVersion?: number } = {}) {
  const sent: Sent[] = [];
  const cluster = new FakeCluster([{ name: 'orders', topicId: 'TOPICID', partitions: 1 }], [1]);
  for (const api of [ShareFetch, ShareAcknowledge]) cluster.versions.set(api.name, options.shareVersion ?? 2);
  if (options.shareVersion === 0) for (const api of [ShareFetch, ShareAcknowledge]) cluster.versions.set(api.name, -1);
  cluster.answer(ShareFetch, (request) => {
    const entry: Sent = { api: 'ShareFetch', request };
    sent.push(entry);
    return answer(entry) as ShareFetchResponse;
  });
  cluster.answer(ShareAcknowledge, (request) => {
    const entry: Sent = { api: 'ShareAcknowledge', request };
    sent.push(entry);
    return answer(entry) as ShareAcknowledgeResponse;
  });
  return { cluster, sent };
}

/** The top-level fields ShareFetch and ShareAcknowledge responses share, with request-level error `errorCode`. */
function responseHeader(errorCode: number) {
  return { throttleTimeMs: 0, errorCode, errorMessage: null, acquisitionLockTimeoutMs: 30_000, nodeEndpoints: [] };
}

function fetchResponse(partitions: Partial<ShareFetchResponsePartitionData>[], errorCode = 0): ShareFetchResponse {
  return {
    ...responseHeader(errorCode),
    responses: [
      {
        topicId: 'TOPICID',
        partitions: partitions.map((p) => ({
          partitionIndex: 0,
          errorCode: 0,
          errorMessage: null,
          acknowledgeErrorCode: 0,
          acknowledgeErrorMessage: null,
          currentLeader: { leaderId: 1, leaderEpoch: 0 },
          records: null,
          acquiredRecords: [],
          ...p,
        })),
      },
    ],
  };
}

function ackResponse(errorCode = 0, partitionCode = 0): ShareAcknowledgeResponse {
  return {
    ...responseHeader(errorCode),
    responses: [
      {
        topicId: 'TOPICID',
        partitions: [
          {
            partitionIndex: 0,
            errorCode: partitionCode,
            errorMessage: null,
            currentLeader: { leaderId: 1, leaderEpoch: 0 },
          },
        ],
      },
    ],
  };
}

function fetcher(cluster: FakeCluster, wantsRecords: () => boolean) {
  const received: ShareFetchResponsePartitionData[] = [];
  const acknowledged: AcknowledgementResult[] = [];
  const raised: unknown[] = [];
  const f = new ShareFetcher(
    {
      cluster,
      logger: silentLogger,
      memberId: 'MEMBER',
      assignment: { refs: () => [REF], changed: new Signal<ReadonlySet<string>>() },
      buffer: { roomBytes: () => 1 << 20, room: new Signal() },
      wantsRecords,
      settlementsExpected: () => false,
      received: (_node, _ref, data) => received.push(data),
      acknowledged: (results) => acknowledged.push(...results),
      raise: (error) => raised.push(error),
    },
    {
      groupId: 'g',
      fetchMinBytes: 1,
      fetchMaxWaitMs: 500,
      fetchMaxBytes: 1 << 20,
      maxPollRecords: 500,
      shareAcquireMode: 0,
      requestTimeoutMs: 1000,
    },
  );
  return { f, received, acknowledged, raised };
}

async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !predicate(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  if (!predicate()) throw new Error('condition not reached');
}

describe('ShareFetcher', () => {
  it('opens the session with epoch 0 naming the partition, then piggybacks acknowledgements on the next fetch', async () => {
    let fetching = true;
    const { cluster, sent } = fakeCluster((s) =>
      s.api === 'ShareFetch'
        ? fetchResponse([
            {
              acquiredRecords:
                s.request.shareSessionEpoch === 0 ? [{ firstOffset: 0n, lastOffset: 1n, deliveryCount: 1 }] : [],
            },
          ])
        : ackResponse(),
    );
    const { f, received, acknowledged } = fetcher(cluster, () => fetching);
    f.wake();
    await until(() => received.length === 1);
    const first = sent[0]!;
    expect(first.api).toBe('ShareFetch');
    expect(first.request).toMatchObject({ groupId: 'g', memberId: 'MEMBER', shareSessionEpoch: 0, maxRecords: 500 });
    expect(first.request.topics).toEqual([
      { topicId: 'TOPICID', partitions: [{ partitionIndex: 0, acknowledgementBatches: [] }] },
    ]);
    f.acknowledge(1, REF, 0n, T.accept);
    f.acknowledge(1, REF, 1n, T.accept);
    await until(() => acknowledged.length === 1);
    const withAcks = sent.find(
      (s) => s.api === 'ShareFetch' && s.request.topics.length > 0 && s.request.shareSessionEpoch > 0,
    );
    expect(withAcks?.request.topics[0]?.partitions[0]?.acknowledgementBatches).toEqual([
      { firstOffset: 0n, lastOffset: 1n, acknowledgeTypes: [T.accept] },
    ]);
    expect(acknowledged).toEqual([{ topic: 'orders', partition: 0, offsets: [0n, 1n], error: undefined }]);
    fetching = false;
    await f.idle();
    f.close();
  });

  it('sends acknowledgements alone (ShareAcknowledge) when someone waits for them, and reports per-partition errors', async () => {
    const { cluster, sent } = fakeCluster((s) =>
      s.api === 'ShareFetch'
        ? fetchResponse([{ acquiredRecords: [{ firstOffset: 5n, lastOffset: 5n, deliveryCount: 1 }] }])
        : ackResponse(0, ErrorCodes.INVALID_RECORD_STATE),
    );
    let fetching = true;
    const { f, received } = fetcher(cluster, () => fetching);
    f.wake();
    await until(() => received.length >= 1);
    fetching = false;
    await f.idle();
    f.acknowledge(1, REF, 5n, T.release);
    const results = await f.flush();
    const ack = sent.find((s) => s.api === 'ShareAcknowledge');
    expect(ack?.request.shareSessionEpoch).toBeGreaterThan(0);
    expect(results).toHaveLength(1);
    expect(results[0]!.offsets).toEqual([5n]);
    expect(results[0]!.error?.kafkaErrorCode).toBe(ErrorCodes.INVALID_RECORD_STATE);
    f.close();
  });

  it('fails the acknowledgements of a lost session instead of sending them on a new one', async () => {
    let fail = false;
    let lost = 0;
    const { cluster } = fakeCluster((s) => {
      if (s.api === 'ShareFetch' && fail) {
        lost++;
        return fetchResponse([], ErrorCodes.SHARE_SESSION_NOT_FOUND);
      }
      return s.api === 'ShareFetch'
        ? fetchResponse([{ acquiredRecords: [{ firstOffset: 0n, lastOffset: 0n, deliveryCount: 1 }] }])
        : ackResponse();
    });
    let fetching = true;
    const { f, received } = fetcher(cluster, () => fetching);
    f.wake();
    await until(() => received.length >= 1);
    fail = true;
    // The next fetch reports the session lost: the session starts anew.
    await until(() => lost >= 1);
    fetching = false;
    await f.idle();
    f.acknowledge(1, REF, 0n, T.accept);
    const results = await f.flush();
    expect(results[0]?.error?.kafkaErrorCode).toBe(ErrorCodes.SHARE_SESSION_NOT_FOUND);
    f.close();
  });

  it('raises ShareGroupsUnavailableError when the broker has no share APIs', async () => {
    const { cluster } = fakeCluster(() => fetchResponse([]), { shareVersion: 0 });
    const { f, raised } = fetcher(cluster, () => true);
    f.wake();
    await until(() => raised.length > 0);
    expect((raised[0] as Error).name).toBe('ShareGroupsUnavailableError');
    f.close();
  });

  it('closes the session with the final epoch, carrying the last acknowledgements', async () => {
    const { cluster, sent } = fakeCluster((s) =>
      s.api === 'ShareFetch'
        ? fetchResponse([{ acquiredRecords: [{ firstOffset: 0n, lastOffset: 0n, deliveryCount: 1 }] }])
        : ackResponse(),
    );
    let fetching = true;
    const { f, received } = fetcher(cluster, () => fetching);
    f.wake();
    await until(() => received.length >= 1);
    fetching = false;
    f.setEnabled(false);
    await f.idle();
    f.acknowledge(1, REF, 0n, T.release);
    const results = await f.closeSessions();
    const last = sent.at(-1)!;
    expect(last.api).toBe('ShareAcknowledge');
    expect(last.request.shareSessionEpoch).toBe(-1);
    expect(results).toEqual([{ topic: 'orders', partition: 0, offsets: [0n], error: undefined }]);
  });
});
