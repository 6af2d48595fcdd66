import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../errors/error-codes.generated.js';
import { type SharePartitionRef, ShareSession } from './share-session.js';

const ref = (topic: string, partition: number, topicId = `${topic}-id`): SharePartitionRef => ({
  key: `${topic}:${partition}`,
  topic,
  topicId,
  partition,
});
const set = (...refs: SharePartitionRef[]) => new Map(refs.map((r) => [r.key, r]));

describe('ShareSession', () => {
  it('opens with epoch 0 listing every partition, then sends only changes with the next epochs', () => {
    const session = new ShareSession();
    expect(session.isNew).toBe(true);
    const first = session.buildFetch(set(ref('a', 0), ref('a', 1)));
    expect(first).toMatchObject({ epoch: 0, forgotten: [] });
    expect(first.added.map((p) => p.key)).toEqual(['a:0', 'a:1']);
    expect(session.onResponse(ErrorCodes.NONE)).toBe(true);
    expect(session.epoch).toBe(1);
    const second = session.buildFetch(set(ref('a', 1), ref('b', 0)));
    expect(second.epoch).toBe(1);
    expect(second.added.map((p) => p.key)).toEqual(['b:0']);
    expect(second.forgotten.map((p) => p.key)).toEqual(['a:0']);
    session.onResponse(ErrorCodes.NONE);
    expect(session.epoch).toBe(2);
    expect(session.buildAcknowledge()).toBe(2);
    session.onResponse(ErrorCodes.NONE);
    expect(session.epoch).toBe(3);
  });

  it('replaces a partition whose topic was re-created (new topic id)', () => {
    const session = new ShareSession();
    session.buildFetch(set(ref('a', 0, 'old')));
    session.onResponse(ErrorCodes.NONE);
    const next = session.buildFetch(set(ref('a', 0, 'new')));
    expect(next.forgotten.map((p) => p.topicId)).toEqual(['old']);
    expect(next.added.map((p) => p.topicId)).toEqual(['new']);
  });

  it.each([
    ErrorCodes.SHARE_SESSION_NOT_FOUND,
    ErrorCodes.INVALID_SHARE_SESSION_EPOCH,
    ErrorCodes.SHARE_SESSION_LIMIT_REACHED,
  ])('starts a new session after session error %i', (code) => {
    const session = new ShareSession();
    session.buildFetch(set(ref('a', 0)));
    session.onResponse(ErrorCodes.NONE);
    session.buildFetch(set(ref('a', 0)));
    expect(session.onResponse(code)).toBe(false);
    expect(session.isNew).toBe(true);
    expect(session.size).toBe(0);
  });

  it('moves to the next epoch after another top-level error, keeping its partitions', () => {
    const session = new ShareSession();
    session.buildFetch(set(ref('a', 0)));
    session.onResponse(ErrorCodes.NONE);
    session.buildFetch(set(ref('a', 0), ref('a', 1)));
    expect(session.onResponse(ErrorCodes.GROUP_AUTHORIZATION_FAILED)).toBe(false);
    expect(session.epoch).toBe(2);
    expect(session.has('a:1')).toBe(false);
  });

  it('starts anew after a request failed without an answer', () => {
    const session = new ShareSession();
    session.buildFetch(set(ref('a', 0)));
    session.onResponse(ErrorCodes.NONE);
    session.onFailure();
    expect(session.isNew).toBe(true);
  });
});
