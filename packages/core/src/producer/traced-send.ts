import { diagnosticChannels } from '../diagnostics/channels.js';
import type { ProducerSendPayload, TracedHeader } from '../diagnostics/payloads.js';
import type { KafkaError } from '../errors/kafka-error.js';
import type { ProducerRecord, ProducerRecordHeaders } from './producer-record.js';
import {
  type CompletionGroup,
  type CompletionTag,
  type CompletionTarget,
  settleRecord,
  type WrittenRecords,
} from './record-completion.js';

/**
 * One record's `vltava:producer:send` trace: a completion that settles the trace, then the record's own completion.
 * Made only when the channel has a subscriber (the producer checks `hasSubscribers` first), so an untraced send
 * allocates nothing for it.
 */
export class TracedSend implements CompletionGroup {
  constructor(
    private readonly payload: ProducerSendPayload,
    private readonly target: CompletionTarget,
    private readonly tag: CompletionTag,
  ) {}

  settle(_index: number, batch: WrittenRecords | undefined, indexInBatch: number, error: KafkaError | undefined): void {
    const channel = diagnosticChannels.producerSend;
    const metadata = error === undefined && batch !== undefined ? batch.metadata(indexInBatch) : undefined;
    channel.settle(this.payload, error, metadata);
    settleRecord(this.target, this.tag, error, batch, indexInBatch, metadata?.offset ?? -1n);
  }
}

/**
 * Opens the `vltava:producer:send` trace of `record` (publishes `start` in the caller's context, before
 * serialization) and returns the payload; `record` with the headers subscribers added, written after its own.
 */
export function beginSend<K, V>(
  record: ProducerRecord<K, V>,
  clientId: string,
  transactionalId: string | undefined,
): { payload: ProducerSendPayload; record: ProducerRecord<K, V> } {
  const payload: ProducerSendPayload = {
    clientId,
    transactionalId,
    topic: record?.topic,
    partition: record?.partition,
    key: record?.key ?? null,
    headers: record?.headers,
    addedHeaders: [],
  };
  diagnosticChannels.producerSend.begin(payload);
  if (payload.addedHeaders.length === 0 || record === null || typeof record !== 'object') return { payload, record };
  return { payload, record: { ...record, headers: withHeaders(record.headers, payload.addedHeaders) } };
}

/** `own` headers (object or list form) followed by `added`, as a list. */
function withHeaders(own: ProducerRecordHeaders | undefined, added: readonly TracedHeader[]): ProducerRecordHeaders {
  if (own === undefined || own === null) return added;
  if (Array.isArray(own)) return [...(own as ReadonlyArray<TracedHeader>), ...added];
  const list: TracedHeader[] = [];
  for (const key of Object.keys(own)) {
    const value = (own as Record<string, string | Uint8Array | null | undefined>)[key];
    list.push({ key, value: value ?? null });
  }
  return [...list, ...added];
}
