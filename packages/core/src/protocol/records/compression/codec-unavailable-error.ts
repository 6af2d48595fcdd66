import { describeContext, KafkaError, type KafkaErrorOptions } from '../../../errors/kafka-error.js';

/**
 * A compression codec is needed (to produce with `compressionType`, or to read a batch compressed with it) but
 * this runtime has no implementation of it: zstd needs Node.js 22.15+ or the optional package `zstd-napi`.
 * Not retriable: install the package (or upgrade Node.js) and restart.
 */
export class CodecUnavailableError extends KafkaError {
  constructor(message: string, options: KafkaErrorOptions = {}) {
    super(`${message}${describeContext(options)}`, 'ERR_CODEC_UNAVAILABLE', false, options);
  }
}
