/**
 * `@vltava/core/internal`: what the other Vltava packages (`@vltava/rx`, `@vltava/streams`, `@vltava/kafkajs`,
 * `@vltava/otel`) take from core beyond its public surface. Not for applications: no compatibility promise, names
 * change with the packages that use them.
 *
 * @packageDocumentation
 */

// Options checking: the declarative schema rx and streams check their options against, as core does its own.
export { checkOptions, type OptionsKind } from './config/check-options.js';
export { INT32_MAX, type OptionRule, type OptionsSchema, optionRules } from './config/option-rules.js';
// The contracts' helpers: the size of a record, a batch's result as one SendResult per input.
export { recordBytes } from './contracts/record-bytes.js';
export { sendResultOf } from './contracts/send-result.js';
// Processing traces opened by an adapter (rx: from an emission to its ack), on the vltava:consumer:process channel.
export {
  abandonProcess,
  beginProcess,
  endProcess,
  processPayload,
  processWith,
  type TraceIdentity,
} from './diagnostics/process-trace.js';
// The broker error of a Kafka error code (the KafkaJS facade's tests).
export { createBrokerError } from './errors/broker-error-factory.js';
