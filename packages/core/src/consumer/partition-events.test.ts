import { describe, expect, it } from 'vitest';
import { CorruptRecordError } from '../errors/client-errors.js';
import { Signal } from './signal.js';
import { SubscriptionState } from './subscription-state.js';

/** A subscription state with t-0 assigned, recording every announcement as `signal:partition:state`. */
function setup() {
  const subscriptions = new SubscriptionState();
  const heard: string[] = [];
  const { events } = subscriptions;
  events.changed.on((s) => heard.push(`changed:${s.partition}:${s.revoked ? 'revoked' : s.state}`));
  events.invalidated.on((s) => heard.push(`invalidated:${s.partition}`));
  events.resumed.on((s) => heard.push(`resumed:${s.partition}`));
  const [state] = subscriptions.assignManually([{ topic: 't', partition: 0 }]).added;
  return { subscriptions, state: state!, heard };
}

describe('PartitionEvents', () => {
  it('announces each change of a partition once, from the intent method that made it', () => {
    const { state, heard } = setup();
    expect(heard).toEqual(['changed:0:initializing']);
    heard.length = 0;
    state.seek(10n, 3, 'await-validation');
    state.markValidated(3);
    state.markFetched(20n, 3);
    state.requestReset('earliest');
    state.fail(new CorruptRecordError('bad batch'));
    expect(heard).toEqual([
      'invalidated:0',
      'changed:0:await-validation',
      'changed:0:fetching', // validated: nothing prefetched to drop
      'invalidated:0',
      'changed:0:await-reset',
      'invalidated:0',
      'changed:0:failed',
    ]);
  });

  it('says nothing on the per-record path: delivery, position moves, acknowledgements', () => {
    const { state, heard } = setup();
    state.seek(0n, undefined);
    heard.length = 0;
    state.delivered({ offset: 0n, leaderEpoch: 0 });
    state.advancePosition(5n, 0);
    state.acknowledgeDelivered();
    state.acknowledgeOffset(3n, 0);
    state.recordLogBounds(100n, -1n, 0n);
    expect(heard).toEqual([]);
  });

  it('announces a newer leader epoch under a position with an epoch as a validation request', () => {
    const { state, heard } = setup();
    state.seek(10n, 3, 'await-validation');
    state.markValidated(3);
    heard.length = 0;
    state.observeLeaderEpoch(3); // not newer
    expect(heard).toEqual([]);
    state.observeLeaderEpoch(4);
    expect(heard).toEqual(['invalidated:0', 'changed:0:await-validation']);
  });

  it('announces removal, release after onPartitionsAssigned, and resumes of assigned partitions only', () => {
    const { subscriptions, state, heard } = setup();
    heard.length = 0;
    subscriptions.pause([{ topic: 't', partition: 0 }]);
    subscriptions.resume([{ topic: 't', partition: 0 }]);
    subscriptions.pauseFetching([
      { topic: 't', partition: 0 },
      { topic: 'u', partition: 0 },
    ]);
    subscriptions.resumeFetching([
      { topic: 't', partition: 0 },
      { topic: 'u', partition: 0 },
    ]);
    subscriptions.resume([{ topic: 't', partition: 0 }]); // not paused: nothing to announce
    expect(heard).toEqual(['resumed:0', 'resumed:0']);
    heard.length = 0;
    subscriptions.assignManually([]);
    expect(heard).toEqual(['invalidated:0', 'changed:0:revoked']);
    expect(state.revoked).toBe(true);
  });

  it('a held partition is announced again when released', () => {
    const subscriptions = new SubscriptionState();
    subscriptions.subscribe(['t']);
    const heard: boolean[] = [];
    subscriptions.events.changed.on((s) => heard.push(s.held));
    const [state] = subscriptions.add([{ topic: 't', partition: 0 }], true);
    state!.release();
    state!.release(); // once only
    expect(heard).toEqual([true, false]);
  });
});

describe('Signal', () => {
  it('calls listeners in order; one that unsubscribes during an emission does not disturb it', () => {
    const signal = new Signal<number>();
    const heard: string[] = [];
    const offA = signal.on((n) => {
      heard.push(`a${n}`);
      offA();
    });
    signal.on((n) => heard.push(`b${n}`));
    expect(signal.observed).toBe(true);
    signal.emit(1);
    signal.emit(2);
    expect(heard).toEqual(['a1', 'b1', 'b2']);
  });
});
