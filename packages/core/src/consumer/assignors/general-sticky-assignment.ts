import type { StickyGroup } from './sticky-group.js';

/**
 * Sticky assignment when members subscribe to different topics (Java: `GeneralAssignmentBuilder`), built to reach
 * the most balanced assignment there is, not just one where no single partition can move to a less loaded member.
 *
 * Balance is that of an optimal semi-matching: no chain of moves `o → m1 → … → c` (each step moving one partition
 * to a member subscribed to its topic) exists from a member `o` to a member `c` with at least two partitions fewer.
 * Such an assignment minimises the largest load, maximises the smallest, and has the same sorted loads as any other
 * optimal one. With identical subscriptions it means loads differ by at most one.
 *
 * 1. Every member keeps the partitions it validly owned (see {@link StickyGroup.previousOwner}).
 * 2. Other partitions go, one at a time, to their least loaded subscriber (among equals: rack-local first when
 *    rack-aware, then the member with fewer topics, which has fewer chances later). Topics are interleaved
 *    (partition 0 of every topic, then partition 1, …; topics with fewer subscribers first among equal numbers)
 *    so that no topic is left to the end, where its subscribers alone would have to absorb it.
 * 3. Chains of moves that improve balance are applied moving only partitions placed in step 2, then
 *    4. moving any partition. When the previous owners can be kept in an optimal assignment, step 3 finds it and
 *    step 4 moves nothing, so a cooperative group settles in one follow-up rebalance. On each step of a chain the
 *    partition moved is chosen to return a partition to its previous owner, else a newly placed one, else one that
 *    is not rack-local where it is.
 *
 * @returns The member index each partition goes to.
 */
export function assignGeneral(group: StickyGroup): Int32Array {
  return new GeneralAssignment(group).run();
}

class GeneralAssignment {
  private readonly owner: Int32Array;
  private readonly load: Int32Array;
  /** Partitions held per (member, topic), keyed `member * topicCount + topic`. */
  private readonly held = new Map<number, number[]>();
  /** Position of each partition in its held list. */
  private readonly position: Int32Array;
  /** Number of held partitions per (member, topic) that the member did not own before. */
  private readonly newlyPlaced = new Map<number, number>();
  private readonly visited: Int32Array;
  private readonly parentMember: Int32Array;
  private readonly parentTopic: Int32Array;
  private readonly topicExpanded: Int32Array;
  private readonly queue: Int32Array;
  private stamp = 0;

  constructor(private readonly group: StickyGroup) {
    this.owner = new Int32Array(group.partitionCount).fill(-1);
    this.position = new Int32Array(group.partitionCount);
    this.load = new Int32Array(group.memberCount);
    this.visited = new Int32Array(group.memberCount);
    this.parentMember = new Int32Array(group.memberCount);
    this.parentTopic = new Int32Array(group.memberCount);
    this.queue = new Int32Array(group.memberCount);
    this.topicExpanded = new Int32Array(group.topicCount);
  }

  run(): Int32Array {
    const { group } = this;
    if (group.memberCount === 0 || group.partitionCount === 0) return this.owner;

    const free: number[] = [];
    for (let p = 0; p < group.partitionCount; p++) {
      const previous = group.previousOwner[p]!;
      if (previous >= 0) this.place(p, previous);
      else free.push(p);
    }

    free.sort((a, b) => {
      const ta = group.partitionTopic[a]!;
      const tb = group.partitionTopic[b]!;
      return (
        group.partitionNumber[a]! - group.partitionNumber[b]! ||
        group.subscribers[ta]!.length - group.subscribers[tb]!.length ||
        a - b
      );
    });
    for (const p of free) {
      let best = -1;
      let bestLocal = false;
      for (const m of group.subscribers[group.partitionTopic[p]!]!) {
        const local = group.rackFit(m, p) > 0;
        if (best < 0 || this.load[m]! < this.load[best]!) {
          best = m;
          bestLocal = local;
        } else if (this.load[m] === this.load[best]) {
          // Among equals: rack-local first, then the member with fewer topics (fewer chances to get partitions later).
          const fewer = group.subscriptions[m]!.length < group.subscriptions[best]!.length;
          if ((local && !bestLocal) || (local === bestLocal && fewer)) {
            best = m;
            bestLocal = local;
          }
        }
      }
      this.place(p, best);
    }

    this.balance(true);
    this.balance(false);
    return this.owner;
  }

  private key(m: number, t: number): number {
    return m * this.group.topicCount + t;
  }

  private isNew(p: number, m: number): boolean {
    return this.group.previousOwner[p] !== m;
  }

  private place(p: number, m: number): void {
    const key = this.key(m, this.group.partitionTopic[p]!);
    let list = this.held.get(key);
    if (list === undefined) {
      list = [];
      this.held.set(key, list);
    }
    this.position[p] = list.length;
    list.push(p);
    this.owner[p] = m;
    this.load[m]!++;
    if (this.isNew(p, m)) this.newlyPlaced.set(key, (this.newlyPlaced.get(key) ?? 0) + 1);
  }

  private unplace(p: number): void {
    const m = this.owner[p]!;
    const key = this.key(m, this.group.partitionTopic[p]!);
    const list = this.held.get(key)!;
    const last = list.pop()!;
    if (last !== p) {
      const at = this.position[p]!;
      list[at] = last;
      this.position[last] = at;
    }
    this.owner[p] = -1;
    this.load[m]!--;
    if (this.isNew(p, m)) this.newlyPlaced.set(key, this.newlyPlaced.get(key)! - 1);
  }

  /** Partitions of topic `t` that member `m` may give away in this phase. */
  private movable(m: number, t: number, onlyNew: boolean): number {
    const key = this.key(m, t);
    return onlyNew ? (this.newlyPlaced.get(key) ?? 0) : (this.held.get(key)?.length ?? 0);
  }

  /** Applies balance-improving chains of moves until there are none left. */
  private balance(onlyNew: boolean): void {
    // Members subscribed to nothing assignable take no part (their load stays 0 and would hide the real minimum).
    const order = Array.from({ length: this.group.memberCount }, (_, m) => m).filter(
      (m) => this.group.subscriptions[m]!.length > 0,
    );
    if (order.length === 0) return;
    const quotaHint = Math.ceil(this.group.partitionCount / order.length);
    for (;;) {
      order.sort((a, b) => this.load[b]! - this.load[a]! || a - b);
      const minLoad = this.load[order[order.length - 1]!]!;
      let improved = false;
      for (const source of order) {
        if (this.load[source]! - minLoad < 2) break;
        const target = this.search(source, onlyNew, minLoad);
        if (target >= 0) {
          this.shift(source, target, onlyNew, quotaHint);
          improved = true;
          break;
        }
      }
      if (!improved) return;
    }
  }

  /**
   * Breadth-first search from `source` over "member holds a movable partition of a topic the next member
   * subscribes to". Returns the least loaded member reached with at least two partitions fewer than `source`
   * (stopping at the first one with the group's smallest load, `minLoad`), or -1.
   */
  private search(source: number, onlyNew: boolean, minLoad: number): number {
    const { group, load, visited, parentMember, parentTopic, topicExpanded, queue } = this;
    const stamp = ++this.stamp;
    const limit = load[source]! - 2;
    visited[source] = stamp;
    queue[0] = source;
    let head = 0;
    let tail = 1;
    let best = -1;
    while (head < tail) {
      const m = queue[head++]!;
      for (const t of group.subscriptions[m]!) {
        if (topicExpanded[t] === stamp || this.movable(m, t, onlyNew) === 0) continue;
        topicExpanded[t] = stamp;
        for (const next of group.subscribers[t]!) {
          if (visited[next] === stamp) continue;
          visited[next] = stamp;
          parentMember[next] = m;
          parentTopic[next] = t;
          queue[tail++] = next;
          if (load[next]! <= limit && (best < 0 || load[next]! < load[best]!)) {
            best = next;
            if (load[next] === minLoad) return best;
          }
        }
      }
    }
    return best;
  }

  /** Moves partitions along the chain found by {@link search}, as many times as still improves balance. */
  private shift(source: number, target: number, onlyNew: boolean, quotaHint: number): void {
    const steps: number[] = [];
    let count = Math.floor((this.load[source]! - this.load[target]!) / 2);
    count = Math.min(count, Math.max(1, quotaHint - this.load[target]!));
    for (let m = target; m !== source; m = this.parentMember[m]!) {
      steps.push(m);
      count = Math.min(count, this.movable(this.parentMember[m]!, this.parentTopic[m]!, onlyNew));
    }
    for (let i = 0; i < count; i++) {
      // Move from the source end first so that no member is ever asked for a partition it has just received.
      for (let s = steps.length - 1; s >= 0; s--) {
        const to = steps[s]!;
        this.move(this.parentMember[to]!, this.parentTopic[to]!, to, onlyNew);
      }
    }
  }

  private move(from: number, t: number, to: number, onlyNew: boolean): void {
    const { group } = this;
    const list = this.held.get(this.key(from, t))!;
    let best = -1;
    let bestScore = -1;
    for (const p of list) {
      const isNew = this.isNew(p, from);
      if (onlyNew && !isNew) continue;
      const score =
        (group.previousOwner[p] === to ? 8 : 0) +
        (isNew ? 4 : 0) +
        (group.rackFit(from, p) < 0 ? 2 : 0) +
        (group.rackFit(to, p) > 0 ? 1 : 0);
      if (score > bestScore || (score === bestScore && p > best)) {
        best = p;
        bestScore = score;
      }
    }
    this.unplace(best);
    this.place(best, to);
  }
}
