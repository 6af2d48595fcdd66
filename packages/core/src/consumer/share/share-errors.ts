import { describeContext, KafkaError, type KafkaErrorOptions } from '../../errors/kafka-error.js';

/**
 * The cluster cannot serve share groups (KIP-932): the broker is older than Apache Kafka 4.1 (it lacks the
 * ShareGroupHeartbeat, ShareFetch and ShareAcknowledge APIs), or share groups are turned off (the `share.version`
 * feature is 0). Upgrade the brokers, or enable the feature with
 * `kafka-features --bootstrap-server ... upgrade --feature share.version=1`. Not retriable.
 */
export class ShareGroupsUnavailableError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions & { kafkaErrorName?: string; kafkaErrorCode?: number } = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_SHARE_GROUPS_UNAVAILABLE', false, options);
  }
}

/**
 * An acknowledgement the consumer cannot take: the record is not held by this consumer under an acquisition lock
 * (it was acknowledged already, it came from another consumer, the consumer was closed or the partition's records
 * were released), or the type is not one of `accept`, `release`, `reject`, `renew`. Java: the
 * `IllegalStateException` of `acknowledge`.
 */
export class AcknowledgementStateError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_ACKNOWLEDGEMENT_STATE', false, options);
  }
}
