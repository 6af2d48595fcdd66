import type {
  AdminPayload,
  AuthenticatePayload,
  ClosePayload,
  CommitPayload,
  ConnectPayload,
  ConsumerDeliverPayload,
  ConsumerFetchPayload,
  ConsumerProcessPayload,
  ProducerBatchPayload,
  ProducerSendPayload,
  RebalancePayload,
  RequestPayload,
  ThrottlePayload,
  TransactionPayload,
} from './payloads.js';
import { EventChannel, TracedChannel } from './traced-channel.js';

/**
 * Every `node:diagnostics_channel` channel Vltava publishes, declared once: its name, what it reports, and its
 * payload type. Names are `vltava:<area>[:<operation>]`, lower case, colon-separated, as undici and
 * `@platformatic/kafka` name theirs; tracing channels get Node's `tracing:<name>:<event>` channels.
 *
 * The table in `docs/DIAGNOSTICS.md` is checked against this object by a unit test.
 *
 * ```ts
 * import diagnostics from 'node:diagnostics_channel';
 * diagnostics.tracingChannel('vltava:request').subscribe({
 *   asyncEnd(request) { console.log(request.apiName, request.durationMs, request.throttleTimeMs); },
 *   start() {}, end() {}, asyncStart() {}, error() {},
 * });
 * ```
 */
export const diagnosticChannels = {
  /** TCP/TLS setup, ApiVersions and SASL of one connection. */
  connect: new TracedChannel<ConnectPayload>(
    'vltava:connection:connect',
    'One connection set up: TCP (and TLS), ApiVersions, SASL.',
  ),
  /** One SASL exchange, at connect or a KIP-368 re-authentication. */
  authenticate: new TracedChannel<AuthenticatePayload>(
    'vltava:connection:authenticate',
    'One SASL exchange: at connect, or a re-authentication (KIP-368).',
  ),
  /** One request of one connection, every API. */
  request: new TracedChannel<RequestPayload>(
    'vltava:request',
    'One request, every API: version, broker, sizes, duration, throttle time, error.',
  ),
  /** A response put a connection under a quota (KIP-219). */
  throttle: new EventChannel<ThrottlePayload>(
    'vltava:connection:throttle',
    'A response carried a throttle time: the connection holds its requests until it passes (KIP-219).',
  ),
  /** A connection closed. */
  close: new EventChannel<ClosePayload>(
    'vltava:connection:close',
    'A connection closed, with the error that broke it.',
  ),
  /** One admin client method call. */
  admin: new TracedChannel<AdminPayload>('vltava:admin', 'One admin method call, retries included.'),
  /** One record sent, from `send()` to its acknowledgement; subscribers may add headers at `start`. */
  producerSend: new TracedChannel<ProducerSendPayload>(
    'vltava:producer:send',
    'One record from send() to its acknowledgement; subscribers may add headers at start.',
  ),
  /** One batch of one partition in a Produce request, to its outcome. */
  producerBatch: new TracedChannel<ProducerBatchPayload>(
    'vltava:producer:batch',
    'One partition batch in a Produce request, to its outcome (each attempt).',
  ),
  /** One Fetch (or ShareFetch) round of a consumer to one broker. */
  consumerFetch: new TracedChannel<ConsumerFetchPayload>(
    'vltava:consumer:fetch',
    'One Fetch or ShareFetch round of a consumer to one broker, to the records buffered.',
  ),
  /** Records handed to the application (OpenTelemetry's "receive"). */
  consumerDeliver: new TracedChannel<ConsumerDeliverPayload>(
    'vltava:consumer:deliver',
    'The application asks for records (iterator step, poll) and gets them: "receive".',
  ),
  /** Records processed by the application, where the library knows the boundary. */
  consumerProcess: new TracedChannel<ConsumerProcessPayload>(
    'vltava:consumer:process',
    'The application processes records: iterator step, Rx emission to acknowledgement, stream chunk to callback.',
  ),
  /** One offset commit. */
  commit: new TracedChannel<CommitPayload>('vltava:commit', 'One offset commit (sync, async, auto, transactional).'),
  /** One rebalance of a group member. */
  rebalance: new TracedChannel<RebalancePayload>(
    'vltava:rebalance',
    'One rebalance of a member: partitions assigned, revoked, lost.',
  ),
  /** One transaction operation. */
  transaction: new TracedChannel<TransactionPayload>(
    'vltava:transaction',
    'One transaction operation: init, begin, commit, abort, sendOffsets.',
  ),
} as const;

/** The keys of {@link diagnosticChannels}. */
export type DiagnosticChannelKey = keyof typeof diagnosticChannels;
