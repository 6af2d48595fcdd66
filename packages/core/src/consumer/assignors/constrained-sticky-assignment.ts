import { AssignmentError } from './assignment-error.js';
import type { StickyGroup } from './sticky-group.js';

/**
 * Sticky assignment for the common case where every member subscribes to the same topics (Java:
 * `ConstrainedAssignmentBuilder`). With `P` partitions and `N` members every member ends with `floor(P/N)` or
 * `ceil(P/N)` partitions, exactly `P % N` of them with the larger count.
 *
 * 1. Each member keeps its previously owned partitions up to its quota: `ceil(P/N)` for the first `P % N` members
 *    (by member id) that own that many, `floor(P/N)` for the others. A member over its quota keeps rack-local
 *    partitions first, then the lowest partition numbers (spreading what it keeps over topics).
 * 2. When rack-aware, every other partition, those with the fewest rack-local members first, goes to a rack-local
 *    member with room, the least loaded first.
 * 3. The rest is dealt round-robin to the members with room.
 *
 * Owned partitions are kept even when not rack-local: locality is improved with the partitions that move anyway,
 * never by moving one that could stay, so an unchanged group gets an unchanged assignment.
 *
 * @returns The member index each partition goes to.
 */
export function assignConstrained(group: StickyGroup): Int32Array {
  const memberCount = group.memberCount;
  const partitionCount = group.partitionCount;
  const owner = new Int32Array(partitionCount).fill(-1);
  if (memberCount === 0 || partitionCount === 0) return owner;

  const minQuota = Math.floor(partitionCount / memberCount);
  const maxQuota = Math.ceil(partitionCount / memberCount);
  // Members that may still grow from minQuota to maxQuota.
  let extraSlots = partitionCount % memberCount;
  const load = new Int32Array(memberCount);
  const give = (p: number, m: number): void => {
    if (load[m] === minQuota && minQuota < maxQuota) extraSlots--;
    owner[p] = m;
    load[m]!++;
  };
  const hasRoom = (m: number): boolean =>
    load[m]! < minQuota || (load[m] === minQuota && extraSlots > 0 && minQuota < maxQuota);

  // 1. Keep previously owned partitions within quota.
  const claims: number[][] = Array.from({ length: memberCount }, () => []);
  for (let p = 0; p < partitionCount; p++) {
    const previous = group.previousOwner[p]!;
    if (previous >= 0) claims[previous]!.push(p);
  }
  for (let m = 0; m < memberCount; m++) {
    const own = claims[m]!;
    if (own.length > minQuota) {
      own.sort(
        (a, b) =>
          Number(group.rackFit(m, b) > 0) - Number(group.rackFit(m, a) > 0) ||
          group.partitionNumber[a]! - group.partitionNumber[b]! ||
          a - b,
      );
    }
    const quota = own.length >= maxQuota && extraSlots > 0 ? maxQuota : minQuota;
    const keep = Math.min(own.length, quota);
    for (let i = 0; i < keep; i++) give(own[i]!, m);
  }

  const free: number[] = [];
  for (let p = 0; p < partitionCount; p++) if (owner[p]! < 0) free.push(p);

  // 2. Rack-local placement of what is left.
  let rest = free;
  if (group.rackAware) {
    const membersByRack = new Map<string, number[]>();
    group.memberRacks.forEach((rack, m) => {
      if (rack === null) return;
      let list = membersByRack.get(rack);
      if (list === undefined) {
        list = [];
        membersByRack.set(rack, list);
      }
      list.push(m);
    });
    const racksOf = (p: number) => new Set(group.partitionRacks[p]);
    const localMembers = new Map<number, number>();
    for (const p of free) {
      let count = 0;
      for (const rack of racksOf(p)) count += membersByRack.get(rack)?.length ?? 0;
      localMembers.set(p, count);
    }
    free.sort((a, b) => localMembers.get(a)! - localMembers.get(b)! || a - b);
    rest = [];
    for (const p of free) {
      let best = -1;
      for (const rack of racksOf(p)) {
        for (const m of membersByRack.get(rack) ?? []) {
          if (!hasRoom(m)) continue;
          if (best < 0 || load[m]! < load[best]! || (load[m] === load[best] && m < best)) best = m;
        }
      }
      if (best >= 0) give(p, best);
      else rest.push(p);
    }
    rest.sort((a, b) => a - b);
  }

  // 3. Round-robin over members with room.
  let next = 0;
  for (const p of rest) {
    let chosen = -1;
    for (let i = 0; i < memberCount && chosen < 0; i++) {
      const m = (next + i) % memberCount;
      if (load[m]! < minQuota) chosen = m;
    }
    for (let i = 0; i < memberCount && chosen < 0; i++) {
      const m = (next + i) % memberCount;
      if (hasRoom(m)) chosen = m;
    }
    if (chosen < 0) {
      const { topic, partition } = group.topicPartition(p);
      throw new AssignmentError('The sticky assignor found no member with room for a partition; this is a bug', {
        topic,
        partition,
      });
    }
    give(p, chosen);
    next = (chosen + 1) % memberCount;
  }
  return owner;
}
