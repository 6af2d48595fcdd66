import { beforeAll, describe, expect, it } from 'vitest';
import { FakeCluster } from '../../test/consumer/support/fake-cluster.js';
import { fetchPartitionData } from '../../test/consumer/support/fetch-responses.js';
import { ConnectionError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { Fetch, type FetchRequest, type FetchResponse } from '../protocol/messages/generated/fetch.js';
import { loadRecordCodecs } from '../protocol/records/load-record-codecs.js';
import { RecordBatchBuilder } from '../protocol/records/record-batch-builder.js';
import { silentLogger } from '../utils/logger.js';
import { FetchOffsetOutOfRangeError, LogTruncationError } from './consumer-errors.js';
import type { AutoOffsetReset } from './consumer-options.js';
import { FetchBuffer } from './fetch-buffer.js';
import { Fetcher } from './fetcher.js';
import { OffsetResetPolicy } from './offset-reset-policy.js';
import { SubscriptionState } from './subscription-state.js';

const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

beforeAll(async () => {
  await loadRecordCodecs();
});

/** A record batch of `count` records from `baseOffset`, written in leader epoch `epoch`. */
function records(baseOffset: bigint, count: number, epoch = 0): Buffer {
  const builder = new RecordBatchBuilder({ baseOffset, partitionLeaderEpoch: epoch });
  for (let i = 0; i < count; i++) builder.append(1000 + i, null, `v${baseOffset + BigInt(i)}`);
  const built = builder.build();
  if (built instanceof Promise) throw new Error('an uncompressed batch is built synchronously');
  return built;
}

function response(
  partitions: ReturnType<typeof fetchPartitionData>[],
  fields: Partial<FetchResponse> = {},
): FetchResponse {
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 0,
    responses: partitions.length === 0 ? [] : [{ topic: 't', topicId: TOPIC_ID, partitions }],
    nodeEndpoints: [],
    ...fields,
  };
}

/** The partitions a Fetch request names, as `partition@fetchOffset`. */
function named(request: FetchRequest): string[] {
  return request.topics.flatMap((t) => t.partitions.map((p) => `${p.partition}@${p.fetchOffset}`));
}

interface PendingFetch {
  readonly node: number;
  readonly request: FetchRequest;
  reply(answer: FetchResponse | Error): void;
}

/**
 * A fetcher over a fake cluster of three brokers where node 1 leads both partitions of `t`. Every Fetch waits for
 * the test to answer it (`next()` gives the next one sent), so the test sees each request and decides each response.
 */
function setup(options: { autoOffsetReset?: AutoOffsetReset; retryDelayMs?: number; epoch?: number } = {}) {
  const cluster = new FakeCluster([{ name: 't', topicId: TOPIC_ID, partitions: 2 }]);
  const pending: PendingFetch[] = [];
  let arrived: (() => void) | undefined;
  cluster.answer(
    Fetch,
    (request, node) =>
      new Promise<FetchResponse>((resolve, reject) => {
        pending.push({ node, request, reply: (a) => (a instanceof Error ? reject(a) : resolve(a)) });
        arrived?.();
      }),
  );
  const next = async (): Promise<PendingFetch> => {
    while (pending.length === 0) await new Promise<void>((resolve) => (arrived = resolve));
    return pending.shift()!;
  };
  const subscriptions = new SubscriptionState();
  subscriptions.assignManually([
    { topic: 't', partition: 0 },
    { topic: 't', partition: 1 },
  ]);
  for (const state of subscriptions.states()) state.seek(0n, options.epoch);
  const buffer = new FetchBuffer({ maxBytes: 1e6, maxRecords: 1e6, partitionBytes: 1e6 }, subscriptions);
  const fetcher = new Fetcher(
    {
      cluster,
      subscriptions,
      buffer,
      policy: new OffsetResetPolicy(options.autoOffsetReset ?? 'earliest', silentLogger),
      logger: silentLogger,
    },
    {
      fetchMinBytes: 1,
      fetchMaxWaitMs: 500,
      fetchMaxBytes: 1_000_000,
      maxPartitionFetchBytes: 100_000,
      readCommitted: false,
      checkCrcs: true,
      maxDecompressedBytes: 100_000_000,
      clientRack: undefined,
      requestTimeoutMs: 1000,
      preferredReplicaTtlMs: 60_000,
      retryDelay: () => options.retryDelayMs ?? 5,
    },
  );
  const p0 = subscriptions.get('t', 0)!;
  const p1 = subscriptions.get('t', 1)!;
  const taken = () => buffer.take(1000, (r) => r.offset).flatMap((t) => t.records);
  return { cluster, fetcher, subscriptions, buffer, next, p0, p1, taken };
}

describe('Fetcher', () => {
  it('opens a fetch session with a full request, then names only the partitions that changed (KIP-227)', async () => {
    const t = setup();
    t.fetcher.setEnabled(true);
    const first = await t.next();
    expect(first.node).toBe(1);
    expect([first.request.sessionId, first.request.sessionEpoch]).toEqual([0, 0]);
    expect(named(first.request)).toEqual(['0@0', '1@0']);
    first.reply(response([fetchPartitionData(0, { records: records(0n, 3), highWatermark: 10n })], { sessionId: 42 }));
    const second = await t.next();
    expect([second.request.sessionId, second.request.sessionEpoch]).toEqual([42, 1]);
    expect(named(second.request)).toEqual(['0@3']); // partition 1 is unchanged: the broker remembers it
    expect(t.taken()).toEqual([0n, 1n, 2n]);
    expect([t.p0.fetchOffset, t.p0.highWatermark]).toEqual([3n, 10n]);
    t.fetcher.close();
  });

  it('starts a new session after the broker lost the old one', async () => {
    const t = setup();
    t.fetcher.setEnabled(true);
    (await t.next()).reply(response([], { sessionId: 42 }));
    (await t.next()).reply(response([], { errorCode: ErrorCodes.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0 }));
    const third = await t.next();
    expect([third.request.sessionId, third.request.sessionEpoch]).toEqual([0, 0]);
    expect(named(third.request)).toEqual(['0@0', '1@0']);
    t.fetcher.close();
  });

  it('drops what a fetch returns for a partition sought while it was in flight, and fetches from the seek', async () => {
    const t = setup();
    t.fetcher.setEnabled(true);
    const first = await t.next();
    t.p0.seek(50n, undefined);
    first.reply(
      response([
        fetchPartitionData(0, { records: records(0n, 3) }),
        fetchPartitionData(1, { records: records(0n, 2) }),
      ]),
    );
    const second = await t.next();
    expect(named(second.request)).toEqual(['0@50', '1@2']);
    expect(t.taken()).toEqual([0n, 1n]); // partition 1's records only
    t.fetcher.close();
  });

  it('does not fetch a paused partition, and fetches it again as soon as it is resumed', async () => {
    const t = setup();
    t.subscriptions.pause([{ topic: 't', partition: 1 }]);
    t.fetcher.setEnabled(true);
    const first = await t.next();
    expect(named(first.request)).toEqual(['0@0']);
    first.reply(response([], { sessionId: 7 }));
    const second = await t.next(); // a long poll of partition 0 alone (nothing changed, nothing named)
    expect(named(second.request)).toEqual([]);
    t.subscriptions.resume([{ topic: 't', partition: 1 }]); // announced: the fetcher's next pass adds it
    second.reply(response([], { sessionId: 7 }));
    const third = await t.next();
    expect(named(third.request)).toEqual(['1@0']);
    t.fetcher.close();
  });

  it('resets an out-of-range offset by autoOffsetReset, or fails the partition with none', async () => {
    const reset = setup({ autoOffsetReset: 'latest' });
    reset.fetcher.setEnabled(true);
    (await reset.next()).reply(response([fetchPartitionData(0, { errorCode: ErrorCodes.OFFSET_OUT_OF_RANGE })]));
    await reset.next();
    expect([reset.p0.state, reset.p0.resetStrategy]).toEqual(['await-reset', 'latest']);
    expect(reset.p1.state).toBe('fetching');
    reset.fetcher.close();

    const none = setup({ autoOffsetReset: 'none' });
    none.fetcher.setEnabled(true);
    (await none.next()).reply(response([fetchPartitionData(0, { errorCode: ErrorCodes.OFFSET_OUT_OF_RANGE })]));
    await none.next();
    expect(none.p0.state).toBe('failed');
    expect(none.p0.error).toBeInstanceOf(FetchOffsetOutOfRangeError);
    none.fetcher.close();
  });

  it('follows the leader hint of a NOT_LEADER_OR_FOLLOWER at once (KIP-951) and refreshes metadata', async () => {
    const t = setup();
    t.fetcher.setEnabled(true);
    (await t.next()).reply(
      response([
        fetchPartitionData(0, {
          errorCode: ErrorCodes.NOT_LEADER_OR_FOLLOWER,
          currentLeader: { leaderId: 2, leaderEpoch: 5 },
        }),
      ]),
    );
    const [a, b] = [await t.next(), await t.next()];
    const byNode = new Map([a, b].map((f) => [f.node, named(f.request)]));
    expect(byNode).toEqual(
      new Map([
        [2, ['0@0']],
        [1, ['1@0']], // no session was granted: every request is full
      ]),
    );
    expect(t.cluster.leaderHints).toEqual([{ topic: 't', partition: 0, leaderId: 2, leaderEpoch: 5 }]);
    expect(t.cluster.refreshes).toBeGreaterThan(0);
    t.fetcher.close();
  });

  it('asks for validation when the leader says the position epoch is fenced', async () => {
    const t = setup({ epoch: 3 });
    t.fetcher.setEnabled(true);
    (await t.next()).reply(response([fetchPartitionData(0, { errorCode: ErrorCodes.FENCED_LEADER_EPOCH })]));
    await t.next();
    expect(t.p0.state).toBe('await-validation');
    expect(t.p1.state).toBe('fetching');
    t.fetcher.close();
  });

  it('on a divergence below the position resumes where the logs agree, or fails with LogTruncationError', async () => {
    for (const policy of ['earliest', 'none'] as const) {
      const t = setup({ autoOffsetReset: policy, epoch: 2 });
      t.p0.seek(20n, 2);
      t.fetcher.setEnabled(true);
      (await t.next()).reply(response([fetchPartitionData(0, { divergingEpoch: { epoch: 2, endOffset: 15n } })]));
      await t.next();
      if (policy === 'earliest') expect([t.p0.state, t.p0.position, t.p0.fetchOffset]).toEqual(['fetching', 15n, 15n]);
      else expect(t.p0.error).toBeInstanceOf(LogTruncationError);
      t.fetcher.close();
    }
  });

  it('fails a partition on an error retrying cannot fix, and retries a retriable one after a backoff', async () => {
    const t = setup({ retryDelayMs: 60 });
    t.fetcher.setEnabled(true);
    (await t.next()).reply(
      response([
        fetchPartitionData(0, { errorCode: ErrorCodes.TOPIC_AUTHORIZATION_FAILED }),
        fetchPartitionData(1, { errorCode: ErrorCodes.REQUEST_TIMED_OUT }),
      ]),
    );
    const answeredAt = Date.now();
    const second = await t.next();
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(50);
    expect(t.p0.state).toBe('failed');
    expect(t.p0.error?.kafkaErrorName).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(t.p1.state).toBe('fetching');
    expect(named(second.request)).toEqual(['1@0']);
    t.fetcher.close();
  });

  it('backs off a broker that failed, refreshes metadata, and starts its session again', async () => {
    const t = setup({ retryDelayMs: 60 });
    t.fetcher.setEnabled(true);
    (await t.next()).reply(response([], { sessionId: 9 }));
    (await t.next()).reply(new ConnectionError('broken pipe'));
    const failedAt = Date.now();
    const third = await t.next();
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(50);
    expect(t.cluster.refreshes).toBeGreaterThan(0);
    expect([third.request.sessionId, third.request.sessionEpoch]).toEqual([0, 0]);
    expect(t.fetcher.metrics.fetchErrors).toBe(1);
    t.fetcher.close();
  });

  it('reads from the preferred read replica the leader names (KIP-392), and from the leader again when it fails', async () => {
    const t = setup({ retryDelayMs: 5 });
    t.fetcher.setEnabled(true);
    (await t.next()).reply(response([fetchPartitionData(0, { preferredReadReplica: 3 })]));
    const [a, b] = [await t.next(), await t.next()];
    const [fromReplica, fromLeader] = a.node === 3 ? [a, b] : [b, a];
    expect(named(fromReplica.request)).toEqual(['0@0']);
    expect(named(fromLeader.request)).toEqual(['1@0']);
    expect(t.p0.preferredReadReplica).toBe(3);
    fromReplica.reply(new ConnectionError('replica down'));
    fromLeader.reply(response([]));
    const next = await t.next();
    expect([next.node, named(next.request)]).toEqual([1, ['0@0', '1@0']]);
    expect(t.p0.preferredReadReplica).toBeUndefined();
    t.fetcher.close();
  });

  it('closes its sessions with the final epoch', async () => {
    const t = setup();
    t.fetcher.setEnabled(true);
    (await t.next()).reply(response([], { sessionId: 42 }));
    const inFlight = await t.next();
    t.fetcher.setEnabled(false);
    const closing = t.fetcher.closeSessions();
    const close = await t.next();
    expect([close.request.sessionId, close.request.sessionEpoch, close.request.topics]).toEqual([42, -1, []]);
    close.reply(response([], { sessionId: 42 }));
    await closing;
    inFlight.reply(response([]));
    t.fetcher.close();
  });
});
