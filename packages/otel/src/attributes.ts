/**
 * The attribute names this package sets: OpenTelemetry's messaging semantic conventions (the `messaging.*`,
 * `server.*` and `error.type` names, as of semantic conventions 1.27+), and Vltava's own for what the conventions do
 * not name (`vltava.*`). Written out here rather than imported: the messaging names live in the conventions'
 * incubating entry point, which its authors advise copying.
 */
export const ATTR = {
  MESSAGING_SYSTEM: 'messaging.system',
  MESSAGING_OPERATION_NAME: 'messaging.operation.name',
  MESSAGING_OPERATION_TYPE: 'messaging.operation.type',
  MESSAGING_DESTINATION_NAME: 'messaging.destination.name',
  MESSAGING_DESTINATION_PARTITION_ID: 'messaging.destination.partition.id',
  MESSAGING_CONSUMER_GROUP_NAME: 'messaging.consumer.group.name',
  MESSAGING_BATCH_MESSAGE_COUNT: 'messaging.batch.message_count',
  MESSAGING_CLIENT_ID: 'messaging.client.id',
  MESSAGING_MESSAGE_BODY_SIZE: 'messaging.message.body.size',
  MESSAGING_KAFKA_OFFSET: 'messaging.kafka.offset',
  MESSAGING_KAFKA_MESSAGE_KEY: 'messaging.kafka.message.key',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
  ERROR_TYPE: 'error.type',
  /** Kafka's name of the API of a request (`Produce`, `Fetch`, `Metadata`). */
  VLTAVA_API_NAME: 'vltava.api.name',
  /** The version of the API a request used. */
  VLTAVA_API_VERSION: 'vltava.api.version',
  /** Bytes of a request frame. */
  VLTAVA_REQUEST_SIZE: 'vltava.request.size',
  /** Bytes of a response frame. */
  VLTAVA_RESPONSE_SIZE: 'vltava.response.size',
  /** The quota throttle time a response carried, in milliseconds (KIP-219). */
  VLTAVA_THROTTLE_TIME_MS: 'vltava.throttle_time_ms',
  /** The broker's node id. */
  VLTAVA_NODE_ID: 'vltava.node.id',
  /** The admin method of a `vltava:admin` span. */
  VLTAVA_ADMIN_METHOD: 'vltava.admin.method',
  /** The SASL mechanism of a connection. */
  VLTAVA_SASL_MECHANISM: 'vltava.sasl.mechanism',
  /** The transactional id of a transaction span. */
  VLTAVA_TRANSACTIONAL_ID: 'vltava.transactional_id',
  /** Why a process span ended without the library seeing processing end (see `ConsumerProcessPayload.abandoned`). */
  VLTAVA_PROCESS_ABANDONED: 'vltava.process.abandoned',
} as const;

/** `messaging.system` for Kafka. */
export const KAFKA = 'kafka';

/** `error.type` of an error: its stable `code` (`ERR_CONNECTION`, ...), else its name. */
export function errorType(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return '_OTHER';
}
