/**
 * Reads Kafka's names of an enumeration's values (any case) back into ours, from the table of our names to Kafka's
 * (`{ preparingRebalance: 'PreparingRebalance', ... }`); a name the table lacks reads as `'unknown'`.
 *
 * @example
 * ```ts
 * const stateOf = fromKafkaNames({ unknown: 'Unknown', stable: 'Stable' });
 * stateOf('STABLE'); // 'stable'
 * ```
 */
export function fromKafkaNames<T extends string>(table: Readonly<Record<T, string>>): (name: string) => T | 'unknown' {
  const byName = new Map<string, T>();
  for (const ours of Object.keys(table) as T[]) byName.set(table[ours].toLowerCase(), ours);
  return (name) => byName.get(name.toLowerCase()) ?? 'unknown';
}
