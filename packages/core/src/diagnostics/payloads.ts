/**
 * The payloads of Vltava's `node:diagnostics_channel` channels, one interface per channel.
 *
 * Tracing channels follow Node's `TracingChannel` model: one payload object travels through `start`, `end`,
 * `asyncStart`, `asyncEnd` and `error`. Fields marked "filled in" are written by the client between `start` and
 * `asyncStart`; `result` and `error` are set as Node's `tracePromise` sets them. Subscribers read payloads and must
 * not change them, except where a field says a subscriber may (`addedHeaders`, `runInContext`).
 *
 * The types are structural and depend on no layer above `diagnostics/`: a `ConsumerRecord` is a
 * {@link TracedRecord}, a `RecordMetadata` a {@link TracedRecordMetadata}.
 */

/** Where a connection goes: the fields every connection and request payload carries. */
export interface BrokerEndpoint {
  /** `client.id` of the client that owns the connection. */
  readonly clientId: string;
  /**
   * The client object that owns the connection, unique in the process (`producer-1`, `consumer-2`; the client's
   * `instance`): clients may share a `clientId`.
   */
  readonly clientInstance: string;
  /** A number that tells this connection from every other of the process (a reconnection gets a new one). */
  readonly connectionId: number;
  /** Broker host, as connected to. */
  readonly host: string;
  /** Broker port. */
  readonly port: number;
  /** Broker node id; `undefined` for a bootstrap connection (the broker's id is not known yet). */
  readonly nodeId: number | undefined;
  /** `1@127.0.0.1:9092`, or `127.0.0.1:9092` without a node id: the label error messages use. */
  readonly broker: string;
}

/** The fields Node's tracing channels set: the outcome of the operation. */
export interface TracedOutcome<R> {
  /** Set before `asyncStart` when the operation succeeded. */
  result?: R;
  /** Set before `error` when the operation failed (a `KafkaError`). */
  error?: unknown;
}

/** `vltava:connection:connect`: TCP (and TLS) setup, ApiVersions and SASL of one connection. */
export interface ConnectPayload extends BrokerEndpoint, TracedOutcome<void> {
  /** True for a TLS connection. */
  readonly tls: boolean;
  /** The SASL mechanism (`SCRAM-SHA-512`, ...), or `undefined` without SASL. */
  readonly saslMechanism: string | undefined;
}

/** `vltava:connection:authenticate`: one SASL exchange (at connect, or a KIP-368 re-authentication). */
export interface AuthenticatePayload extends BrokerEndpoint, TracedOutcome<void> {
  /** The SASL mechanism. */
  readonly saslMechanism: string;
  /** False for the first authentication of the connection, true for a re-authentication (KIP-368). */
  readonly reauthentication: boolean;
  /** Filled in: the session lifetime the broker granted (KIP-368), 0 for none. */
  sessionLifetimeMs: number;
}

/**
 * `vltava:request`: one request of one connection, from `send()` to its response (or, for `acks: 0` Produce, to
 * the bytes being handed to the socket). Every API, handshake requests (ApiVersions, SASL) included.
 * `result` is the decoded response.
 */
export interface RequestPayload extends BrokerEndpoint, TracedOutcome<unknown> {
  /** API key (`0` for Produce). */
  readonly apiKey: number;
  /** API name as Kafka spells it (`Produce`, `Fetch`, `Metadata`). */
  readonly apiName: string;
  /** API version sent. */
  readonly apiVersion: number;
  /** Correlation id of the request on its connection. */
  readonly correlationId: number;
  /** Bytes of the request frame (size prefix and header included). */
  readonly requestBytes: number;
  /** False for a request with no response (`acks: 0` Produce). */
  readonly expectResponse: boolean;
  /** `performance.now()` when the request was queued (`send()` called). */
  readonly queuedAt: number;
  /** Filled in: `performance.now()` when the request was written to the socket; `undefined` if it never was. */
  writtenAt: number | undefined;
  /**
   * Filled in: milliseconds from the write to the response (to the write for no-response requests); `undefined`
   * when the request failed before it was written.
   */
  durationMs: number | undefined;
  /** Filled in: bytes of the response frame (size prefix included), 0 without a response. */
  responseBytes: number;
  /**
   * Filled in: the throttle time the broker reported in the response (quotas, KIP-219), 0 when not throttled.
   * When {@link clientThrottled} is true, the connection sent nothing more to this broker for that long.
   */
  throttleTimeMs: number;
  /**
   * Filled in: true when the response's version makes the client responsible for the throttle (KIP-219; Produce
   * v6+, Fetch v8+, ...): the connection held its next requests. False when the broker delayed the response itself.
   */
  clientThrottled: boolean;
}

/** `vltava:connection:throttle` (an event, not a tracing channel): a response put the connection under a quota. */
export interface ThrottlePayload extends BrokerEndpoint {
  /** The API whose response carried the throttle time. */
  readonly apiName: string;
  /** Its version. */
  readonly apiVersion: number;
  /** Throttle time the broker reported, in milliseconds. */
  readonly throttleTimeMs: number;
  /** True when the connection holds its requests until {@link until} (KIP-219); false when the broker delayed. */
  readonly clientThrottled: boolean;
  /** `Date.now()` until which nothing more is sent to the broker on this connection. */
  readonly until: number;
}

/** `vltava:connection:close` (an event): a connection closed, by the client or because it broke. */
export interface ClosePayload extends BrokerEndpoint {
  /** Why it broke, or `undefined` when the client closed it. */
  readonly error: unknown;
  /** True when the connection was ready (connected and authenticated) before it closed. */
  readonly wasReady: boolean;
}

/** `vltava:admin`: one admin client method call, retries and routing included. `result` is what it resolves with. */
export interface AdminPayload extends TracedOutcome<unknown> {
  /** `client.id` of the admin client. */
  readonly clientId: string;
  /** The method (`createTopics`, `alterClientQuotas`, ...). Its arguments are not carried (they may hold secrets). */
  readonly method: string;
}

/** A record header as it is written: values as strings or bytes. */
export interface TracedHeader {
  /** Header key. */
  readonly key: string;
  /** Header value; strings are written as UTF-8. */
  readonly value: string | Uint8Array | null;
}

/** What `send` resolves with, as the producer channels carry it. */
export interface TracedRecordMetadata {
  /** Topic of the record. */
  readonly topic: string;
  /** Partition it was written to. */
  readonly partition: number;
  /** Its offset (`-1n` when unknown, as with `acks: 0`). */
  readonly offset: bigint;
  /** Its timestamp. */
  readonly timestamp: number;
}

/**
 * `vltava:producer:send`: one record, from `send()` to its acknowledgement or failure. `result` is its
 * {@link TracedRecordMetadata}.
 *
 * **The header hook.** `start` is published synchronously inside `send()`, in the caller's async context, before
 * the record is serialized: a subscriber may push headers onto {@link addedHeaders} (a trace context, say), and the
 * producer writes them after the record's own headers. This is how `@vltava/otel` injects W3C trace context.
 */
export interface ProducerSendPayload extends TracedOutcome<TracedRecordMetadata> {
  /** `client.id` of the producer. */
  readonly clientId: string;
  /** `transactional.id`, or `undefined`. */
  readonly transactionalId: string | undefined;
  /** Topic. */
  readonly topic: string;
  /** The partition asked for, or `undefined` when the partitioner picks it (then see `result.partition`). */
  readonly partition: number | undefined;
  /** The key as given to `send` (before serialization), or `null`. */
  readonly key: unknown;
  /** The record's own headers as given to `send`, or `undefined`. */
  readonly headers: unknown;
  /** Headers subscribers add at `start`; written after the record's own. Empty unless a subscriber adds one. */
  readonly addedHeaders: TracedHeader[];
}

/**
 * `vltava:producer:batch`: one batch of one partition, from the Produce request that carries it to its outcome
 * (each attempt is a separate trace; `attempt` counts them). `result` is the base offset.
 */
export interface ProducerBatchPayload extends TracedOutcome<bigint> {
  /** `client.id` of the producer. */
  readonly clientId: string;
  /** `transactional.id`, or `undefined`. */
  readonly transactionalId: string | undefined;
  /** Node id of the partition leader the batch goes to. */
  readonly nodeId: number;
  /** Topic. */
  readonly topic: string;
  /** Partition. */
  readonly partition: number;
  /** Records in the batch. */
  readonly recordCount: number;
  /** Bytes of the batch as written (compressed). */
  readonly sizeBytes: number;
  /** 1 for the first attempt, 2 for the first retry, ... */
  readonly attempt: number;
}

/** A partition and the offset a fetch asked for. */
export interface TracedFetchPosition {
  /** Topic. */
  readonly topic: string;
  /** Partition. */
  readonly partition: number;
  /** Offset fetched from. */
  readonly offset: bigint;
}

/** What a consumer fetch brought back. */
export interface FetchOutcome {
  /** Records decoded (control records excluded). */
  readonly records: number;
  /** Bytes of record batches received (before decompression). */
  readonly bytes: number;
}

/**
 * `vltava:consumer:fetch`: one Fetch (or ShareFetch) round to one broker by a consumer, from the request to the
 * records buffered. (The request itself also shows on `vltava:request`.)
 */
export interface ConsumerFetchPayload extends TracedOutcome<FetchOutcome> {
  /** `client.id` of the consumer. */
  readonly clientId: string;
  /** `group.id`, or `undefined` without a group. */
  readonly groupId: string | undefined;
  /** Consumer group (Fetch) or share group (ShareFetch). */
  readonly groupKind: GroupKind;
  /** Node id fetched from. */
  readonly nodeId: number;
  /**
   * The partitions asked for, with their fetch offsets. A ShareFetch has no offsets (the broker picks the records
   * to acquire): its partitions carry `-1n`.
   */
  readonly partitions: readonly TracedFetchPosition[];
  /**
   * A ShareFetch only: acknowledgements it carried (piggy-backed), one entry per partition and acknowledged offset
   * range; empty for a Fetch.
   */
  readonly acknowledgements: readonly TracedAcknowledgement[];
}

/** Acknowledgements of one partition sent to a share group (on a ShareFetch or a ShareAcknowledge). */
export interface TracedAcknowledgement {
  /** Topic. */
  readonly topic: string;
  /** Partition. */
  readonly partition: number;
  /** How many offsets were acknowledged (gaps left out). */
  readonly records: number;
}

/** A consumed record as the consumer channels carry it: a `ConsumerRecord` (or a share consumer's record) is one. */
export interface TracedRecord {
  /** Topic. */
  readonly topic: string;
  /** Partition. */
  readonly partition: number;
  /** Offset. */
  readonly offset: bigint;
  /** Timestamp, ms since the epoch. */
  readonly timestamp: number;
  /** The deserialized key. */
  readonly key: unknown;
  /** Headers as read: where the producer's trace context travels. */
  readonly headers: ReadonlyArray<{ readonly key: string; readonly value: Buffer | null }>;
  /** Bytes of the serialized value, -1 for none. */
  readonly serializedValueSize: number;
}

/** How a consumer hands records over. */
export type HandOver =
  /** One record per `for await` step (`consumer` iterated). */
  | 'record'
  /** One batch per step (`consumer.batches()`). */
  | 'batch'
  /** `poll()`. */
  | 'poll'
  /** Pushed to a callback (Rx, streams). */
  | 'push';

/** Which kind of group a consumer payload is about. */
export type GroupKind = 'consumer' | 'share';

/**
 * `vltava:consumer:deliver` ("receive" in OpenTelemetry's terms): the application asks for records (a `for await`
 * step, `poll()`) and gets them. `start` when it asks, `asyncStart` when the records are handed over; `result` is
 * the records (possibly none).
 */
export interface ConsumerDeliverPayload extends TracedOutcome<readonly TracedRecord[]> {
  /** `client.id` of the consumer. */
  readonly clientId: string;
  /** `group.id` (or the share group), or `undefined` without a group. */
  readonly groupId: string | undefined;
  /** Consumer group or share group. */
  readonly groupKind: GroupKind;
  /** How the records are handed over. */
  readonly handOver: HandOver;
}

/**
 * `vltava:consumer:process`: the application processes records, where the library knows the boundary: a
 * `for await` step (from the record handed over to the next step), an Rx emission (from `next` to its
 * acknowledgement), a stream chunk (from the push to the write callback). `start`/`end` enclose the synchronous
 * hand-over; `asyncStart`/`asyncEnd` (with `error` if processing failed) mark the end of processing.
 *
 * **The context hook.** Where the library calls the application (Rx `next`, a stream push), it runs that call
 * through {@link runInContext} when a subscriber set it at `start`, and through `start.runStores` (Node's
 * `bindStore`). A subscriber that wants its context active during processing (OpenTelemetry's `context.with`)
 * sets `runInContext`; several subscribers chain (each wraps the previous one). A `for await` body runs in the
 * caller's own context, which no library can change: see `@vltava/otel`'s `recordContext`.
 */
export interface ConsumerProcessPayload extends TracedOutcome<void> {
  /** `client.id` of the consumer. */
  readonly clientId: string;
  /** `group.id` (or the share group), or `undefined` without a group. */
  readonly groupId: string | undefined;
  /** Consumer group or share group. */
  readonly groupKind: GroupKind;
  /** The records processed: one for a record step, all of them for a batch. */
  readonly records: readonly TracedRecord[];
  /** Set by a subscriber at `start` to run the application's code in its context; see above. */
  runInContext: (<T>(fn: () => T) => T) | undefined;
  /**
   * Filled in when the trace ends without the library having seen processing end, with no `error`: why (an Rx
   * message never acknowledged when its subscription ended or its partition was revoked, stream records in flight
   * when the stream was destroyed or the consumer closed). `undefined` when processing ended (or failed: `error`).
   */
  abandoned: string | undefined;
}

/** A committed offset. */
export interface TracedOffset {
  /** Topic. */
  readonly topic: string;
  /** Partition. */
  readonly partition: number;
  /** The offset committed (the next record to read). */
  readonly offset: bigint;
}

/** `vltava:commit`: one offset commit of a consumer (or inside a transaction: `sendOffsetsToTransaction`). */
export interface CommitPayload extends TracedOutcome<void> {
  /** `client.id` of the client. */
  readonly clientId: string;
  /** `group.id`. */
  readonly groupId: string;
  /**
   * What made the commit: `commitSync`, `commitAsync`, auto-commit, a transaction, or a share consumer's
   * ShareAcknowledge (`share`: its acknowledgements, from `commitSync`, `commitAsync` or `close`).
   */
  readonly kind: 'sync' | 'async' | 'auto' | 'transaction' | 'share';
  /** The offsets (empty for `share`: a share group tracks acknowledgements, not offsets). */
  readonly offsets: readonly TracedOffset[];
  /** For `share` only: the acknowledgements the ShareAcknowledge carries, per partition. */
  readonly acknowledgements?: readonly TracedAcknowledgement[];
}

/** A partition of a topic. */
export interface TracedPartition {
  /** Topic. */
  readonly topic: string;
  /** Partition. */
  readonly partition: number;
}

/** What a rebalance did to a member's assignment. */
export interface RebalanceOutcome {
  /** Partitions newly assigned. */
  readonly assigned: readonly TracedPartition[];
  /** Partitions revoked (given up cleanly). */
  readonly revoked: readonly TracedPartition[];
  /** Partitions lost (taken away without a chance to commit). */
  readonly lost: readonly TracedPartition[];
  /** The member's generation (classic) or epoch (KIP-848, share) after the rebalance. */
  readonly generation: number;
}

/** `vltava:rebalance`: one rebalance of a group member, from the join (or heartbeat) that starts it to the new assignment. */
export interface RebalancePayload extends TracedOutcome<RebalanceOutcome> {
  /** `client.id` of the consumer. */
  readonly clientId: string;
  /** `group.id`. */
  readonly groupId: string;
  /** The group protocol. */
  readonly protocol: 'classic' | 'consumer' | 'share';
  /** The member id (empty before the first join of a classic member). */
  readonly memberId: string;
}

/** `vltava:transaction`: one transaction operation of a transactional producer. */
export interface TransactionPayload extends TracedOutcome<void> {
  /** `client.id` of the producer. */
  readonly clientId: string;
  /** `transactional.id`. */
  readonly transactionalId: string;
  /** The operation. */
  readonly operation: 'init' | 'begin' | 'commit' | 'abort' | 'sendOffsets';
  /** Producer id, -1 before `init` completes. */
  readonly producerId: bigint;
  /** Producer epoch, -1 before `init` completes. */
  readonly producerEpoch: number;
}
