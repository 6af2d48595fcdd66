import { describe, expect, it } from 'vitest';
import { FetchSession, type SessionPartition } from './fetch-session.js';

const p = (partition: number, fetchOffset: bigint, extra: Partial<SessionPartition> = {}): SessionPartition => ({
  topic: 't',
  topicId: 'AAAAAAAAAAAAAAAAAAAAAQ',
  partition,
  fetchOffset,
  currentLeaderEpoch: 0,
  lastFetchedEpoch: -1,
  maxBytes: 1024,
  ...extra,
});

describe('FetchSession (KIP-227)', () => {
  it('starts with a full request asking for a session, then sends only new or changed partitions', () => {
    const session = new FetchSession();
    const first = session.build([p(0, 0n), p(1, 0n)], true);
    expect(first).toMatchObject({ sessionId: 0, sessionEpoch: 0, full: true });
    expect(first.toSend).toHaveLength(2);
    expect(session.onResponse(0, 42)).toBe(true);

    const second = session.build([p(0, 10n), p(1, 0n)], true);
    expect(second).toMatchObject({ sessionId: 42, sessionEpoch: 1, full: false });
    expect(second.toSend.map((x) => x.partition)).toEqual([0]);
    expect(second.toForget).toEqual([]);
    expect(second.partitions.size).toBe(2);
    session.onResponse(0, 42);

    const third = session.build([p(0, 10n)], true);
    expect(third.sessionEpoch).toBe(2);
    expect(third.toSend).toEqual([]);
    expect(third.toForget.map((x) => x.partition)).toEqual([1]);
    session.onResponse(0, 42);

    // A forgotten partition that comes back is sent again in full.
    const fourth = session.build([p(0, 10n), p(1, 5n)], true);
    expect(fourth.toSend.map((x) => x.partition)).toEqual([1]);
  });

  it('resends a partition whose leader epoch or last fetched epoch changed', () => {
    const session = new FetchSession();
    session.build([p(0, 0n)], true);
    session.onResponse(0, 7);
    expect(session.build([p(0, 0n, { currentLeaderEpoch: 1 })], true).toSend).toHaveLength(1);
    session.onResponse(0, 7);
    expect(session.build([p(0, 0n, { currentLeaderEpoch: 1, lastFetchedEpoch: 1 })], true).toSend).toHaveLength(1);
  });

  it('resets on session errors and on failed requests', () => {
    const session = new FetchSession();
    session.build([p(0, 0n)], true);
    session.onResponse(0, 7);
    session.build([p(0, 1n)], true);
    expect(session.onResponse(71, 0)).toBe(false); // INVALID_FETCH_SESSION_EPOCH
    expect(session.build([p(0, 1n)], true)).toMatchObject({ sessionId: 0, sessionEpoch: 0, full: true });
    session.onResponse(0, 8);
    session.build([p(0, 2n)], true);
    session.onFailure();
    expect(session.build([p(0, 2n)], true).full).toBe(true);
  });

  it('stays sessionless when the broker grants no session', () => {
    const session = new FetchSession();
    session.build([p(0, 0n)], true);
    session.onResponse(0, 0);
    expect(session.build([p(0, 1n)], true)).toMatchObject({ sessionId: 0, sessionEpoch: 0, full: true });
  });

  it('starts a new session when switching between topic names and ids', () => {
    const session = new FetchSession();
    session.build([p(0, 0n)], true);
    session.onResponse(0, 9);
    expect(session.build([p(0, 0n)], false).full).toBe(true);
  });

  it('close() hands back the id to close, once, and ignores a response still in flight', () => {
    const session = new FetchSession();
    expect(session.close()).toBeUndefined(); // no session granted yet
    const open = new FetchSession();
    open.build([p(0, 0n)], true);
    open.onResponse(0, 42);
    open.build([p(0, 1n)], true); // a fetch in flight when the consumer closes
    expect(open.close()).toBe(42);
    expect(open.onResponse(0, 42)).toBe(false);
    expect(open.id).toBe(0);
    expect(open.close()).toBeUndefined();
  });
});
