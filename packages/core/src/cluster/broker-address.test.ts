import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/client-errors.js';
import { formatBrokerAddress, parseBrokerAddress } from './broker-address.js';

describe('parseBrokerAddress', () => {
  it('parses host:port and [IPv6]:port', () => {
    expect(parseBrokerAddress('127.0.0.1:19092')).toEqual({ host: '127.0.0.1', port: 19092 });
    expect(parseBrokerAddress(' kafka-1.example.com:9093 ')).toEqual({ host: 'kafka-1.example.com', port: 9093 });
    expect(parseBrokerAddress('[::1]:9093')).toEqual({ host: '::1', port: 9093 });
    expect(parseBrokerAddress('[fe80::1%eth0]:1')).toEqual({ host: 'fe80::1%eth0', port: 1 });
    expect(parseBrokerAddress('localhost:65535')).toEqual({ host: 'localhost', port: 65535 });
    expect(formatBrokerAddress({ host: '::1', port: 9093 })).toBe('[::1]:9093');
  });

  it.each([
    ['', /expected host:port/],
    [':9092', /expected host:port/],
    ['nohostport', /'nohostport' in brokers: the port is missing; write host:port, for example nohostport:9092/],
    ['[::1]', /the port is missing.*\[::1\]:9092/],
    ['host:', /port must be a number from 1 to 65535, got ''/],
    ['host:0', /from 1 to 65535, got '0'/],
    ['host:70000', /from 1 to 65535/],
    ['host:abc', /'host:abc'/],
    ['host:0x10', /got '0x10'/],
    ['host:1e3', /got '1e3'/],
    ['my host:9092', /expected host:port/],
    ['::1:9092', /write IPv6 addresses as \[address\]:port/],
    ['[::1', /missing '\]'/],
    ['[kafka]:9092', /brackets hold IPv6 addresses only/],
    ['[::1]9092', /expected ':port' after '\]'/],
  ])('rejects %j with a ConfigError saying what to write', (bad, message) => {
    expect(() => parseBrokerAddress(bad)).toThrow(ConfigError);
    expect(() => parseBrokerAddress(bad)).toThrow(message);
  });
});
