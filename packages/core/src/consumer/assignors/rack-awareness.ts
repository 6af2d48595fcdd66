/**
 * Whether a rack-aware assignment (KIP-881) is worth doing, by the Java client's rule: some consumers have a rack,
 * some of those racks hold replicas, and not every partition has replicas on the same set of racks (when every
 * partition is on every rack, any consumer is local to any partition and racks change nothing).
 *
 * @param consumerRacks Racks of the consumers concerned (non-empty `client.rack` values).
 * @param replicaRacksPerPartition Replica racks of every partition concerned.
 */
export function useRackAwareAssignment(
  consumerRacks: ReadonlySet<string>,
  replicaRacksPerPartition: Iterable<readonly string[]>,
): boolean {
  if (consumerRacks.size === 0) return false;
  const allRacks = new Set<string>();
  const perPartition: Set<string>[] = [];
  for (const racks of replicaRacksPerPartition) {
    const set = new Set(racks);
    perPartition.push(set);
    for (const rack of set) allRacks.add(rack);
  }
  let shared = false;
  for (const rack of consumerRacks) {
    if (allRacks.has(rack)) {
      shared = true;
      break;
    }
  }
  if (!shared) return false;
  return perPartition.some((racks) => racks.size !== allRacks.size);
}

/** A member's rack as the assignors use it: `null` when unset or empty (Java ignores empty racks). */
export function memberRack(rackId: string | null): string | null {
  return rackId === null || rackId === '' ? null : rackId;
}
