import { describeContext, KafkaError, type KafkaErrorOptions } from '../errors/kafka-error.js';

/**
 * The current transaction cannot commit: a send, an offset commit or a partition registration in it failed
 * (`cause` says which error). Call `abortTransaction()`, then begin a new transaction and send again. Until the
 * abort, sends and commits in this transaction fail with this error. Java: `TransactionAbortableException` and
 * the abortable state of `TransactionManager`.
 */
export class AbortableTransactionError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions & { kafkaErrorName?: string; kafkaErrorCode?: number } = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_TRANSACTION_ABORTABLE', false, options);
  }
}

/**
 * The producer cannot continue: it was fenced by a newer instance with the same `transactionalId`, its producer
 * epoch is exhausted, it is not authorized, or the broker cannot support what it needs (`cause` says which). Every
 * later operation fails with this error; close the producer (and create a new one if this instance should go on).
 */
export class ProducerFatalError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions & { kafkaErrorName?: string; kafkaErrorCode?: number } = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_PRODUCER_FATAL', false, options);
  }
}

/**
 * A record's transaction was aborted before the record was sent; it was not written. Java:
 * `TransactionAbortedException`.
 */
export class TransactionAbortedError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_TRANSACTION_ABORTED', false, options);
  }
}

/**
 * A transactional method was called in a state that does not allow it (`commitTransaction` without
 * `beginTransaction`, `send` before `initTransactions`, a transactional method on a producer without
 * `transactionalId`, ...). The message names the state and what to call first. Java: `IllegalStateException`.
 */
export class TransactionStateError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_TRANSACTION_STATE', false, options);
  }
}

/**
 * A key or value serializer threw for one record. That record's send fails with this error (`cause` holds the
 * serializer's error); the records around it are unaffected. Java: `SerializationException`.
 */
export class RecordSerializationError extends KafkaError {
  /** Which part failed. */
  readonly part: 'key' | 'value';

  constructor(message: string, options: KafkaErrorOptions & { part: 'key' | 'value' }) {
    super(`${message}${describeContext(options)}`, 'ERR_RECORD_SERIALIZATION', false, options);
    this.part = options.part;
  }
}
