/**
 * Diagnostics: Vltava's `node:diagnostics_channel` channels, declared once in {@link diagnosticChannels}, and the
 * types of their payloads. See docs/DIAGNOSTICS.md.
 *
 * @packageDocumentation
 */

export { type DiagnosticChannelKey, diagnosticChannels } from './channels.js';
export type {
  AdminPayload,
  AuthenticatePayload,
  BrokerEndpoint,
  ClosePayload,
  CommitPayload,
  ConnectPayload,
  ConsumerDeliverPayload,
  ConsumerFetchPayload,
  ConsumerProcessPayload,
  FetchOutcome,
  GroupKind,
  HandOver,
  ProducerBatchPayload,
  ProducerSendPayload,
  RebalanceOutcome,
  RebalancePayload,
  RequestPayload,
  ThrottlePayload,
  TracedAcknowledgement,
  TracedFetchPosition,
  TracedHeader,
  TracedOffset,
  TracedOutcome,
  TracedPartition,
  TracedRecord,
  TracedRecordMetadata,
  TransactionPayload,
} from './payloads.js';
export { EventChannel, TracedChannel, type TracedChannelHandlers } from './traced-channel.js';
