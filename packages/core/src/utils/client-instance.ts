/** The kinds of client a process makes; each counts its instances from 1. */
export type ClientKind = 'producer' | 'consumer' | 'share-consumer' | 'admin';

const counts: Record<ClientKind, number> = { producer: 0, consumer: 0, 'share-consumer': 0, admin: 0 };

/**
 * A name for a new client object, unique in the process: its kind and a count (`producer-1`, `consumer-3`), as
 * librdkafka names its handles. Two clients may share a `clientId` (it is what the broker sees, for quotas and
 * logs); this tells them apart in the diagnostics channels' payloads, where a subscriber (the KafkaJS facade's
 * network events, a tracer) wants one client's connections and requests.
 */
export function nextClientInstance(kind: ClientKind): string {
  counts[kind] += 1;
  return `${kind}-${counts[kind]}`;
}
