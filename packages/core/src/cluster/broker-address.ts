import { ConfigError } from '../errors/client-errors.js';

/** A broker's network address. */
export interface BrokerAddress {
  /** Host name or IP address (IPv6 without brackets). */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
}

/**
 * Parses `host:port`, `[ipv6]:port`, or `host` (port 9092). Throws `ConfigError` naming the bad entry.
 */
export function parseBrokerAddress(text: string): BrokerAddress {
  const value = text.trim();
  let host: string;
  let portText: string | undefined;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) throw new ConfigError(`Invalid broker address '${text}': missing ']' after the IPv6 address`);
    host = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) throw new ConfigError(`Invalid broker address '${text}'`);
    portText = rest === '' ? undefined : rest.slice(1);
  } else {
    const colon = value.lastIndexOf(':');
    if (colon >= 0 && value.indexOf(':') !== colon) {
      throw new ConfigError(`Invalid broker address '${text}': write IPv6 addresses as [address]:port`);
    }
    host = colon < 0 ? value : value.slice(0, colon);
    portText = colon < 0 ? undefined : value.slice(colon + 1);
  }
  const port = portText === undefined ? 9092 : Number(portText);
  if (host === '' || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new ConfigError(`Invalid broker address '${text}': expected host:port, for example 127.0.0.1:9092`);
  }
  return { host, port };
}

/** Formats an address as `host:port` (IPv6 in brackets). */
export function formatBrokerAddress(address: BrokerAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
