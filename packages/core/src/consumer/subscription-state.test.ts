import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/client-errors.js';
import { SubscriptionState } from './subscription-state.js';

describe('SubscriptionState', () => {
  it('keeps application pauses apart from the assignment: they survive revocation and reassignment', () => {
    const s = new SubscriptionState();
    s.subscribe(['t']);
    const [a] = s.add([{ topic: 't', partition: 0 }]);
    a!.seek(0n, undefined);
    s.pause([{ topic: 't', partition: 0 }]);
    expect(s.isFetchable(a!)).toBe(false);
    s.remove([a!]);
    expect(s.paused()).toEqual([]);
    const [again] = s.add([{ topic: 't', partition: 0 }]);
    again!.seek(5n, undefined);
    expect(s.paused()).toEqual([{ topic: 't', partition: 0 }]);
    expect(s.isFetchable(again!)).toBe(false);
    s.resume([{ topic: 't', partition: 0 }]);
    expect(s.isFetchable(again!)).toBe(true);
  });

  it('only fetches partitions with a valid position that are not being revoked', () => {
    const s = new SubscriptionState();
    s.assignManually([{ topic: 't', partition: 0 }]);
    const state = s.get('t', 0)!;
    expect(s.isFetchable(state)).toBe(false); // initializing
    state.seek(0n, 3, 'await-validation');
    expect(s.isFetchable(state)).toBe(false);
    state.markValidated(3);
    expect(s.isFetchable(state)).toBe(true);
    state.beginRevoke();
    expect(s.isFetchable(state)).toBe(false);
  });

  it('keeps positions of partitions that stay in a new manual assignment and discards the others', () => {
    const discarded: string[] = [];
    const s = new SubscriptionState();
    s.assignManually([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    s.get('t', 0)!.seek(42n, undefined);
    s.events.invalidated.on((state) => discarded.push(state.key));
    const { added, removed } = s.assignManually([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 2 },
    ]);
    expect(added.map((a) => a.partition)).toEqual([2]);
    expect(removed.map((r) => r.partition)).toEqual([1]);
    expect(s.get('t', 0)!.position).toBe(42n);
    expect(discarded).toEqual(['t:1']);
  });

  it('matches a pattern against the cluster topics, leaving internal topics out', () => {
    const s = new SubscriptionState();
    s.subscribePattern(/^orders-/g);
    expect(
      s.matchTopics([
        { name: 'orders-eu', isInternal: false },
        { name: 'payments', isInternal: false },
      ]),
    ).toBe(true);
    expect([...s.subscribedTopics()]).toEqual(['orders-eu']);
    expect(s.matchTopics([{ name: 'orders-eu', isInternal: false }])).toBe(false);
    expect(
      s.matchTopics([
        { name: 'orders-eu', isInternal: false },
        { name: 'orders-us', isInternal: false },
      ]),
    ).toBe(true);
    s.subscribePattern(/.*/);
    s.matchTopics([{ name: '__consumer_offsets', isInternal: true }]);
    expect([...s.subscribedTopics()]).toEqual([]);
  });

  it('refuses to mix subscribe and assign, and checks partitions', () => {
    const s = new SubscriptionState();
    s.subscribe(['t']);
    expect(() => s.assignManually([{ topic: 't', partition: 0 }])).toThrow(InvalidArgumentError);
    const m = new SubscriptionState();
    m.assignManually([{ topic: 't', partition: 0 }]);
    expect(() => m.subscribe(['t'])).toThrow(InvalidArgumentError);
    expect(() => m.assignManually([{ topic: '', partition: 0 }])).toThrow(InvalidArgumentError);
    expect(() => m.assignManually([{ topic: 't', partition: -1 }])).toThrow(InvalidArgumentError);
    expect(() => m.pause([{ topic: 't', partition: 9 }])).toThrow(/not assigned/);
  });
});

describe('PartitionState', () => {
  it('tracks fetch offset, position and acknowledged offset separately', () => {
    const s = new SubscriptionState();
    s.assignManually([{ topic: 't', partition: 0 }]);
    const p = s.get('t', 0)!;
    p.seek(10n, 2);
    expect([p.fetchOffset, p.position, p.ackedOffset]).toEqual([10n, 10n, 10n]);
    p.markFetched(50n, 2);
    p.delivered({ offset: 10n, leaderEpoch: 2 });
    p.delivered({ offset: 11n, leaderEpoch: 2 });
    expect(p.position).toBe(12n);
    expect(p.ackedOffset).toBe(10n);
    p.acknowledgeDelivered();
    expect(p.ackedOffset).toBe(12n);
    expect(p.ackedEpoch).toBe(2);
    p.advancePosition(15n, 3); // past a control record
    expect(p.position).toBe(15n);
    expect(p.positionEpoch).toBe(3);
    p.acknowledgeOffset(13n, 2); // explicit, within what was delivered
    expect(p.ackedOffset).toBe(13n);
    p.acknowledgeOffset(40n, 2); // never past the position
    expect(p.ackedOffset).toBe(13n);
    const version = p.version;
    p.requestValidation();
    expect(p.state).toBe('await-validation');
    expect(p.fetchOffset).toBe(15n);
    expect(p.version).toBe(version + 1);
  });
});
