import { type ClientOptions, positive } from '../cluster/client-options.js';

/**
 * Settings of the admin client: the shared client settings (`brokers`, `clientId`, `ssl`, `sasl`,
 * `requestTimeoutMs`, `retryBackoffMs`, ...) plus the admin's own. Java: `AdminClientConfig`.
 */
export interface AdminOptions extends ClientOptions {
  /**
   * Time an admin method may take in all, retries included, unless the call passes its own `timeoutMs`.
   * Java: default.api.timeout.ms. Default 60000.
   */
  readonly defaultApiTimeoutMs?: number;
}

/** Options every admin method accepts. Java: the `timeoutMs` of `AbstractOptions`. */
export interface AdminCallOptions {
  /**
   * Time this call may take in all, retries and backoffs included. Each request sent for it also stays within
   * `requestTimeoutMs`. Java: `XxxOptions.timeoutMs(...)`. Default: the client's `defaultApiTimeoutMs` (60000).
   */
  readonly timeoutMs?: number;
  /** Cancels the call: it rejects with `AbortedError` at once. A request already sent may still take effect. */
  readonly signal?: AbortSignal;
}

/** Defaults of the admin client's own settings (Java's). */
export const ADMIN_DEFAULTS = {
  /** Java: default.api.timeout.ms. */
  defaultApiTimeoutMs: 60_000,
} as const;

/** Checks and defaults the admin's own settings. Throws `ConfigError` naming a bad value. */
export function resolveAdminTimeout(options: AdminOptions): number {
  return positive('defaultApiTimeoutMs', options.defaultApiTimeoutMs, ADMIN_DEFAULTS.defaultApiTimeoutMs);
}
