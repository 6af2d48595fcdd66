import type { ShareMemberState } from './share-group-member.js';

/**
 * A snapshot of a share consumer's figures. Java: the share consumer's `records-consumed-total`,
 * `bytes-fetched-total`, `fetch-latency-avg/max`, `acknowledgements-send-total`, `acknowledgements-error-total`
 * metrics, and a few of its own.
 */
export interface ShareConsumerMetrics {
  /** Records handed to the application. */
  readonly recordsConsumed: number;
  /** Records the broker acquired for this consumer (delivered, buffered or gaps). */
  readonly recordsAcquired: number;
  /** Bytes of record data fetched (before decompression). */
  readonly bytesFetched: number;
  /** ShareFetch requests sent. */
  readonly shareFetchRequests: number;
  /** ShareAcknowledge requests sent. */
  readonly shareAcknowledgeRequests: number;
  /** Requests or partitions that failed. */
  readonly fetchErrors: number;
  /** Average ShareFetch round trip (including the broker's long poll), in ms. */
  readonly fetchLatencyAvgMs: number;
  /** Longest ShareFetch round trip, in ms. */
  readonly fetchLatencyMaxMs: number;
  /** Acknowledgements sent (gaps included), answered or not. */
  readonly acknowledgementsSent: number;
  /** Acknowledgements the broker did not apply (or that could not be sent). */
  readonly acknowledgementsFailed: number;
  /** Acknowledgements made by the application or the consumer, by type. */
  readonly acknowledged: {
    readonly accept: number;
    readonly release: number;
    readonly reject: number;
    readonly renew: number;
  };
  /** Records fetched ahead and not handed out. */
  readonly bufferedRecords: number;
  /** Bytes fetched ahead and not handed out. */
  readonly bufferedBytes: number;
  /** Records held under a lock and not settled (buffered or in the application's hands). */
  readonly acquiredRecords: number;
  /** The acquisition lock duration the broker last reported, or undefined. */
  readonly acquisitionLockTimeoutMs: number | undefined;
  /** State of the group membership. */
  readonly memberState: ShareMemberState;
  /** The member epoch (0 before joining). */
  readonly memberEpoch: number;
  /** Assignments received from the coordinator. */
  readonly assignmentsReceived: number;
}
