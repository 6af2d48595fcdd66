import { describeValue } from '../config/check-options.js';
import { ConfigError } from '../errors/client-errors.js';

/** A broker's network address. */
export interface BrokerAddress {
  /** Host name or IP address (IPv6 without brackets). */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
}

const EXAMPLE = 'for example 127.0.0.1:9092, or [::1]:9092 for IPv6';

/**
 * Parses `host:port` or `[ipv6]:port`, as Java's bootstrap.servers requires: the port is required and within
 * 1-65535. Throws `ConfigError` naming the bad entry and what to write instead.
 */
export function parseBrokerAddress(text: string): BrokerAddress {
  const value = text.trim();
  const bad = (why: string) => new ConfigError(`Invalid broker address '${text}' in brokers: ${why}`);
  let host: string;
  let portText: string | undefined;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) throw bad(`missing ']' after the IPv6 address; write [address]:port, ${EXAMPLE}`);
    host = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (!host.includes(':')) throw bad(`brackets hold IPv6 addresses only; write host:port, ${EXAMPLE}`);
    if (rest !== '' && !rest.startsWith(':')) throw bad(`expected ':port' after ']', ${EXAMPLE}`);
    portText = rest === '' ? undefined : rest.slice(1);
  } else {
    const colon = value.lastIndexOf(':');
    if (colon >= 0 && value.indexOf(':') !== colon) throw bad(`write IPv6 addresses as [address]:port, ${EXAMPLE}`);
    host = colon < 0 ? value : value.slice(0, colon);
    portText = colon < 0 ? undefined : value.slice(colon + 1);
  }
  if (host === '' || /\s/.test(host)) throw bad(`expected host:port, ${EXAMPLE}`);
  if (portText === undefined) {
    const example = host.includes(':') ? `[${host}]:9092` : `${host}:9092`;
    throw bad(`the port is missing; write host:port, for example ${example}`);
  }
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) throw bad(`the port must be a number from 1 to 65535, got '${portText}'`);
  return { host, port };
}

/**
 * Parses the `brokers` option: a list of `host:port` strings or one comma-separated string (blank entries are
 * skipped), as given or as the `brokers` function returned it (`fromFunction`). Throws `ConfigError` for a value of
 * another type, an empty list or a malformed address.
 */
export function parseBrokerList(value: unknown, fromFunction = false): BrokerAddress[] {
  const list: unknown = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string')) {
    const what = fromFunction ? 'The brokers function must return' : 'brokers must be';
    throw new ConfigError(
      `${what} 'host:port' strings (an array, or one comma-separated string), got ${describeValue(value)}; ` +
        "for example ['127.0.0.1:9092']",
    );
  }
  const addresses = (list as string[]).filter((entry) => entry.trim() !== '').map(parseBrokerAddress);
  if (addresses.length === 0) {
    const what = fromFunction ? 'The brokers function returned no address' : 'brokers is empty';
    throw new ConfigError(`${what}: give at least one host:port, for example ['127.0.0.1:9092']`);
  }
  return addresses;
}

/** Formats an address as `host:port` (IPv6 in brackets). */
export function formatBrokerAddress(address: BrokerAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
