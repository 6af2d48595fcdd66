import { fakeRecord } from '@vltava/client-fakes';
import { CommitFailedError, KafkaTimeoutError, type TopicPartition, type TopicPartitionOffset } from '@vltava/core';
import { lastValueFrom, type ObservableInput, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { AckTracker, type AckTrackerHost, type BackpressureEvent } from './ack-tracker.js';
import { resolveWaterMarks } from './water-marks.js';

interface Host extends AckTrackerHost {
  acknowledged: string[];
  commits: TopicPartitionOffset[][];
  paused: string[];
  resumed: string[];
  events: BackpressureEvent[];
  commitResult: (offsets: readonly TopicPartitionOffset[]) => ObservableInput<unknown>;
}

function host(): Host {
  const h: Host = {
    acknowledged: [],
    commits: [],
    paused: [],
    resumed: [],
    events: [],
    commitResult: () => Promise.resolve(),
    acknowledge: (record) => h.acknowledged.push(`${record.topic}:${record.partition}@${record.offset}`),
    commit: (offsets) => {
      h.commits.push([...offsets]);
      return h.commitResult(offsets);
    },
    pause: (partitions) => h.paused.push(...partitions.map(name)),
    resume: (partitions) => h.resumed.push(...partitions.map(name)),
    onBackpressure: (event) => h.events.push(event),
  };
  return h;
}

const name = (tp: TopicPartition) => `${tp.topic}:${tp.partition}`;
const microtask = () => new Promise<void>((resolve) => queueMicrotask(resolve));
const offsets = (list: readonly TopicPartitionOffset[]) => list.map((o) => `${name(o)}@${o.offset}`);

function tracker(h: Host, marks: Parameters<typeof resolveWaterMarks>[0] = { highWaterMark: 100 }) {
  return new AckTracker<string, string>(resolveWaterMarks(marks), h);
}

describe('AckTracker: gap tracking', () => {
  it('commits only up to the first unacknowledged record of each partition, whatever the order of acks', async () => {
    const h = host();
    const t = tracker(h);
    const m = [0, 1, 2, 3, 4].map((o) => t.track(fakeRecord('a', 0, o)));
    m[1]!.ack();
    m[3]!.ack();
    expect(t.committable()).toEqual([]);
    await microtask();
    expect(h.acknowledged).toEqual([]);
    m[0]!.ack();
    expect(offsets(t.committable())).toEqual(['a:0@2']);
    expect(h.acknowledged).toEqual([]); // the consumer is told once per turn of the microtask queue
    await microtask();
    expect(h.acknowledged).toEqual(['a:0@1']);
    m[2]!.ack();
    expect(offsets(t.committable())).toEqual(['a:0@4']);
    await microtask();
    expect(h.acknowledged).toEqual(['a:0@1', 'a:0@3']);
    m[4]!.ack();
    expect(offsets(t.committable())).toEqual(['a:0@5']);
    expect(t.records).toBe(0);
  });

  it('keeps partitions apart and carries the leader epoch of the last record of the prefix', () => {
    const h = host();
    const t = tracker(h);
    const a = t.track({ ...fakeRecord('a', 0, 10), leaderEpoch: 7 });
    const b0 = t.track(fakeRecord('a', 1, 20));
    const b1 = t.track(fakeRecord('a', 1, 21));
    a.ack();
    b1.ack();
    expect(t.committable()).toEqual([{ topic: 'a', partition: 0, offset: 11n, leaderEpoch: 7 }]);
    b0.ack();
    expect(offsets(t.committable())).toEqual(['a:0@11', 'a:1@22']);
    expect(offsets(t.committable([{ topic: 'a', partition: 1 }]))).toEqual(['a:1@22']);
  });

  it('acknowledging twice counts once', () => {
    const t = tracker(host());
    const m = t.track(fakeRecord('a', 0, 0));
    t.track(fakeRecord('a', 0, 1));
    m.ack();
    m.ack();
    expect(m.acknowledged).toBe(true);
    expect(t.records).toBe(1);
  });

  it('handles long out-of-order runs (queue compaction keeps the order)', () => {
    const t = tracker(host(), { highWaterMark: 100_000 });
    const m = Array.from({ length: 5000 }, (_, i) => t.track(fakeRecord('a', 0, i)));
    for (let i = 4999; i >= 1; i--) m[i]!.ack();
    expect(t.committable()).toEqual([]);
    m[0]!.ack();
    expect(offsets(t.committable())).toEqual(['a:0@5000']);
    // In order from here on, across many compactions.
    const more = Array.from({ length: 3000 }, (_, i) => t.track(fakeRecord('a', 0, 5000 + i)));
    for (let i = 0; i < 3000; i += 2) {
      more[i + 1]!.ack();
      more[i]!.ack();
      expect(t.committable()[0]!.offset).toBe(BigInt(5002 + i));
    }
  });
});

describe('AckTracker: commits', () => {
  it('commits the acknowledged prefix once, then only when it moves', async () => {
    const h = host();
    const t = tracker(h);
    const m = [0, 1, 2].map((o) => t.track(fakeRecord('a', 0, o)));
    m[0]!.ack();
    m[1]!.ack();
    expect(await lastValueFrom(t.commit().pipe(toArray()))).toEqual([
      { offsets: [{ topic: 'a', partition: 0, offset: 2n, leaderEpoch: 0 }] },
    ]);
    expect(await lastValueFrom(t.commit().pipe(toArray()))).toEqual([]);
    expect(h.commits).toHaveLength(1);
    m[2]!.ack();
    await lastValueFrom(t.commit());
    expect(h.commits.map(offsets)).toEqual([['a:0@2'], ['a:0@3']]);
  });

  it('emits a commit refused as stale as dropped, and offers the offsets again next time', async () => {
    const h = host();
    const stale = new CommitFailedError('stale generation');
    h.commitResult = () => Promise.reject(stale);
    const t = tracker(h);
    t.track(fakeRecord('a', 0, 0)).ack();
    expect(await lastValueFrom(t.commit())).toEqual({
      offsets: [expect.objectContaining({ offset: 1n })],
      dropped: stale,
    });
    h.commitResult = () => Promise.resolve();
    expect(await lastValueFrom(t.commit())).toEqual({ offsets: [expect.objectContaining({ offset: 1n })] });
  });

  it('raises other commit failures', async () => {
    const h = host();
    h.commitResult = () => Promise.reject(new KafkaTimeoutError('commit timed out'));
    const t = tracker(h);
    t.track(fakeRecord('a', 0, 0)).ack();
    await expect(lastValueFrom(t.commit())).rejects.toBeInstanceOf(KafkaTimeoutError);
  });
});

describe('AckTracker: rebalances', () => {
  it('retired partitions: uncounted, acknowledgements ignored, never committed, pauses lifted', () => {
    const h = host();
    const t = tracker(h, { highWaterMark: 3 });
    const a = t.track(fakeRecord('a', 0, 0));
    t.track(fakeRecord('a', 1, 0)).ack();
    const a1 = t.track(fakeRecord('a', 0, 1));
    t.track(fakeRecord('a', 1, 1));
    expect(t.holding).toBe(true);
    expect(h.paused).toEqual(['a:0', 'a:1']);
    a.ack();
    t.retire([{ topic: 'a', partition: 0 }]);
    // a:0 is resumed as retired; the count falls to the low-water mark (1), which resumes a:1.
    expect(h.resumed).toEqual(['a:0', 'a:1']);
    expect(t.holding).toBe(false);
    expect(t.records).toBe(1);
    a1.ack();
    expect(t.records).toBe(1);
    expect(offsets(t.committable())).toEqual(['a:1@1']);
    expect(h.acknowledged).toEqual(['a:1@0', 'a:0@0']); // records told to the consumer; a:0@1 was retired
    // The partition comes back in a later assignment: a fresh state.
    const again = t.track(fakeRecord('a', 0, 1));
    again.ack();
    expect(offsets(t.committable())).toEqual(['a:1@1', 'a:0@2']);
  });

  it('drain resolves once the partition is acknowledged, or after the timeout', async () => {
    const t = tracker(host());
    const m = t.track(fakeRecord('a', 0, 0));
    let drained = false;
    const drain = t.drain([{ topic: 'a', partition: 0 }], 10_000).then(() => {
      drained = true;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    m.ack();
    await drain;
    expect(drained).toBe(true);
    t.track(fakeRecord('a', 0, 1));
    const started = Date.now();
    await t.drain([{ topic: 'a', partition: 0 }], 50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});

describe('AckTracker: water marks', () => {
  it('holds at the high-water mark, pauses the partitions concerned, releases at the low-water mark', async () => {
    const h = host();
    const t = tracker(h, { highWaterMark: 5, lowWaterMark: 1 });
    const m = [t.track(fakeRecord('a', 0, 0)), t.track(fakeRecord('a', 1, 0)), t.track(fakeRecord('a', 0, 1))];
    t.track(fakeRecord('b', 0, 0)).ack();
    expect(t.holding).toBe(false);
    m.push(t.track(fakeRecord('a', 0, 2)));
    expect(t.holding).toBe(false);
    m.push(t.track(fakeRecord('a', 2, 0)));
    expect(t.holding).toBe(true);
    expect(h.paused).toEqual(['a:0', 'a:1', 'a:2']); // b:0 holds nothing: not concerned
    let released = false;
    const waiting = t.whenReleased().then(() => {
      released = true;
    });
    m[0]!.ack();
    m[1]!.ack();
    m[2]!.ack();
    await Promise.resolve();
    expect(released).toBe(false);
    expect(t.holding).toBe(true);
    m[3]!.ack();
    expect(t.holding).toBe(false);
    m[4]!.ack();
    await waiting;
    expect(t.holding).toBe(false);
    expect(h.resumed).toEqual(['a:0', 'a:1', 'a:2']);
    expect(h.events.map((e) => `${e.type}:${e.records}`)).toEqual(['pause:5', 'resume:1']);
  });

  it('holds on bytes too', () => {
    const h = host();
    const t = tracker(h, { highWaterMark: 1000, highWaterMarkBytes: 14, lowWaterMarkBytes: 6 });
    const big = t.track(fakeRecord('a', 0, 0, '12345678')); // key k0 and value: 10 bytes
    expect(t.holding).toBe(false);
    t.track(fakeRecord('a', 0, 1, '123'));
    expect(t.holding).toBe(true);
    expect(t.bytes).toBe(15);
    big.ack();
    expect(t.holding).toBe(false);
  });

  it('stop lifts every pause and wakes the waiters', async () => {
    const h = host();
    const t = tracker(h, { highWaterMark: 1 });
    t.track(fakeRecord('a', 0, 0));
    expect(t.holding).toBe(true);
    const waiting = t.whenReleased();
    t.stop();
    await waiting;
    expect(h.resumed).toEqual(['a:0']);
    expect(t.committable()).toEqual([]);
  });
});
