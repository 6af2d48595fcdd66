/**
 * How long closing a client may take: the one close-option shape of `Producer`, `Consumer`, `ShareConsumer` and
 * `Admin`.
 *
 * @module
 */

/** Options of `close()`. Java: `close(Duration)`. */
export interface CloseOptions {
  /**
   * Longest time close may take, in milliseconds; whatever is left then is abandoned. Default: each client's (the
   * consumers' 30000, the producer's until every record has its outcome).
   */
  readonly timeoutMs?: number;
}
