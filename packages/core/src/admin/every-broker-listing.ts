import type { Connection } from '../network/connection.js';
import type { AdminCall } from './admin-call.js';
import type { AdminRouter } from './admin-request.js';

/**
 * Lists what every broker holds a part of (groups, transactions: each broker coordinates some) and merges the
 * parts: `list` runs on each broker of fresh metadata, each with its own retries (see
 * {@link AdminRouter.eachBroker}); items are merged by `keyOf` and sorted by it. Rejects with a broker's error
 * when that broker cannot be asked within the call's timeout, since the listing would be incomplete.
 */
export async function listOnEveryBroker<T>(
  router: Pick<AdminRouter, 'brokerIds' | 'eachBroker'>,
  call: AdminCall,
  keyOf: (item: T) => string,
  list: (connection: Connection) => Promise<T[]>,
): Promise<T[]> {
  const brokers = await router.brokerIds(call);
  const outcomes = await router.eachBroker(call, brokers, list);
  const merged = new Map<string, T>();
  for (const outcome of outcomes.values()) {
    if ('error' in outcome) throw outcome.error;
    for (const item of outcome.value) merged.set(keyOf(item), item);
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}
