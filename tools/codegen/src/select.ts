import type { ApiPair } from './emit/files.js';
import { apiName } from './emit/names.js';
import type { MessageSpec } from './spec/model.js';

/**
 * APIs whose request lists the `broker` listener but that only brokers send (to other brokers or to
 * coordinators); a client never sends them, so they are not generated.
 */
export const BROKER_INTERNAL_APIS: ReadonlyMap<string, string> = new Map([
  ['InitializeShareGroupState', 'sent by the group coordinator to the share coordinator (KIP-932)'],
  ['ReadShareGroupState', 'sent by share-partition leaders to the share coordinator (KIP-932)'],
  ['WriteShareGroupState', 'sent by share-partition leaders to the share coordinator (KIP-932)'],
  ['DeleteShareGroupState', 'sent by the group coordinator to the share coordinator (KIP-932)'],
  ['ReadShareGroupStateSummary', 'sent by the group coordinator to the share coordinator (KIP-932)'],
]);

/** Non-API messages a client encodes or decodes: the headers and the classic consumer protocol's data. */
export const SINGLE_MESSAGES: readonly string[] = [
  'RequestHeader',
  'ResponseHeader',
  'ConsumerProtocolSubscription',
  'ConsumerProtocolAssignment',
];

/** What {@link selectMessages} keeps and leaves out. */
export interface Selection {
  readonly apis: ApiPair[];
  readonly singles: MessageSpec[];
  /** APIs left out, with the reason. */
  readonly excluded: Array<{ readonly name: string; readonly apiKey: number; readonly reason: string }>;
}

/**
 * Picks the client-facing APIs: every request whose `listeners` include `broker` (what a client can send to a
 * broker), minus {@link BROKER_INTERNAL_APIS}, paired with its response; plus {@link SINGLE_MESSAGES}.
 */
export function selectMessages(specs: readonly MessageSpec[]): Selection {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const apis: ApiPair[] = [];
  const excluded: Selection['excluded'] = [];
  for (const spec of specs) {
    if (spec.type !== 'request') continue;
    const name = apiName(spec.name);
    const apiKey = spec.apiKey ?? -1;
    const internal = BROKER_INTERNAL_APIS.get(name);
    if (!spec.listeners.includes('broker')) {
      const where = spec.listeners.length === 0 ? 'no listener (removed)' : `listeners: ${spec.listeners.join(', ')}`;
      excluded.push({ name, apiKey, reason: `not served by brokers to clients (${where})` });
      continue;
    }
    if (internal !== undefined) {
      excluded.push({ name, apiKey, reason: `broker-internal: ${internal}` });
      continue;
    }
    const response = byName.get(`${name}Response`);
    if (response === undefined) throw new Error(`${spec.name} has no ${name}Response definition`);
    apis.push({ name, request: spec, response });
  }
  const singles = SINGLE_MESSAGES.map((n) => {
    const spec = byName.get(n);
    if (spec === undefined) throw new Error(`no ${n} definition`);
    return spec;
  });
  apis.sort((a, b) => a.request.apiKey! - b.request.apiKey!);
  excluded.sort((a, b) => a.apiKey - b.apiKey);
  return { apis, singles, excluded };
}
