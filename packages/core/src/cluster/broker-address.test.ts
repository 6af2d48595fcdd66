import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/client-errors.js';
import { formatBrokerAddress, parseBrokerAddress } from './broker-address.js';

describe('parseBrokerAddress', () => {
  it('parses host:port, bare hosts and IPv6', () => {
    expect(parseBrokerAddress('127.0.0.1:19092')).toEqual({ host: '127.0.0.1', port: 19092 });
    expect(parseBrokerAddress(' kafka ')).toEqual({ host: 'kafka', port: 9092 });
    expect(parseBrokerAddress('[::1]:9093')).toEqual({ host: '::1', port: 9093 });
    expect(formatBrokerAddress({ host: '::1', port: 9093 })).toBe('[::1]:9093');
  });

  it('rejects malformed entries with a ConfigError naming them', () => {
    for (const bad of ['', ':9092', 'host:0', 'host:70000', 'host:abc', '::1:9092', '[::1']) {
      expect(() => parseBrokerAddress(bad)).toThrow(ConfigError);
    }
    expect(() => parseBrokerAddress('host:abc')).toThrow(/'host:abc'/);
  });
});
