import { describe, expect, it } from 'vitest';
import { brokerProperties, formatProperties, LINE_DEPENDENT_PROPERTIES, type NodePorts } from './broker-properties.js';

const ports = (
  base: number,
  extra: Partial<Record<'SASL_PLAINTEXT' | 'SSL' | 'SASL_SSL', number>> = {},
): NodePorts => ({
  controller: base,
  listeners: { PLAINTEXT: base + 1, ...extra },
});

function asMap(entries: [string, string][]): Map<string, string> {
  return new Map(entries);
}

describe('brokerProperties', () => {
  it('makes a single node broker and controller with replication 1 and loopback listeners', () => {
    const p = asMap(brokerProperties({ nodeId: 1, nodes: [{ nodeId: 1, ports: ports(9000) }], logDir: '/d' }));
    expect(p.get('process.roles')).toBe('broker,controller');
    expect(p.get('controller.quorum.voters')).toBe('1@127.0.0.1:9000');
    expect(p.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9001,CONTROLLER://127.0.0.1:9000');
    expect(p.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9001');
    expect(p.get('default.replication.factor')).toBe('1');
    expect(p.get('min.insync.replicas')).toBe('1');
    expect(p.get('offsets.topic.replication.factor')).toBe('1');
    expect(p.get('transaction.state.log.min.isr')).toBe('1');
    expect(p.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(p.has('authorizer.class.name')).toBe(false);
    expect(p.has('sasl.enabled.mechanisms')).toBe(false);
  });

  it('makes three voters with replication 3 and min.insync.replicas 2', () => {
    const nodes = [1, 2, 3].map((nodeId) => ({ nodeId, ports: ports(9000 + nodeId * 10) }));
    const p = asMap(brokerProperties({ nodeId: 2, nodes, logDir: '/d' }));
    expect(p.get('node.id')).toBe('2');
    expect(p.get('controller.quorum.voters')).toBe('1@127.0.0.1:9010,2@127.0.0.1:9020,3@127.0.0.1:9030');
    expect(p.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9021,CONTROLLER://127.0.0.1:9020');
    for (const key of [
      'default.replication.factor',
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
      'share.coordinator.state.topic.replication.factor',
    ]) {
      expect(p.get(key), key).toBe('3');
    }
    expect(p.get('min.insync.replicas')).toBe('2');
    expect(p.get('transaction.state.log.min.isr')).toBe('2');
  });

  it('adds SASL, SSL and SASL_SSL listeners, the authorizer and re-authentication', () => {
    const nodePorts = ports(9000, { SASL_PLAINTEXT: 9002, SSL: 9003, SASL_SSL: 9004 });
    const p = asMap(
      brokerProperties({
        nodeId: 1,
        nodes: [{ nodeId: 1, ports: nodePorts }],
        logDir: '/d',
        sasl: { connectionsMaxReauthMs: 3000 },
        ssl: { keystoreFile: '/k.pem', truststoreFile: '/ca.pem', clientAuth: 'requested' },
        authorizer: true,
      }),
    );
    expect(p.get('listener.security.protocol.map')).toBe(
      'PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
    );
    expect(p.get('inter.broker.listener.name')).toBe('PLAINTEXT');
    expect(p.get('listener.name.sasl_plaintext.sasl.enabled.mechanisms')).toBe(
      'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
    );
    expect(p.get('listener.name.sasl_plaintext.plain.sasl.jaas.config')).toContain('user_alice="alice-secret"');
    expect(p.get('listener.name.sasl_plaintext.connections.max.reauth.ms')).toBe('3000');
    expect(p.get('listener.name.sasl_ssl.connections.max.reauth.ms')).toBe('3000');
    expect(p.get('listener.name.ssl.ssl.keystore.type')).toBe('PEM');
    expect(p.get('listener.name.sasl_ssl.ssl.truststore.location')).toBe('/ca.pem');
    expect(p.get('listener.name.ssl.ssl.client.auth')).toBe('requested');
    expect(p.get('authorizer.class.name')).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(p.get('super.users')).toBe('User:ANONYMOUS;User:admin');
    expect(p.get('allow.everyone.if.no.acl.found')).toBe('true');
  });

  it('lets overrides replace defaults and add new keys', () => {
    const entries = brokerProperties({
      nodeId: 1,
      nodes: [{ nodeId: 1, ports: ports(9000) }],
      logDir: '/d',
      overrides: { 'num.partitions': 6, 'log.cleaner.enable': false },
    });
    expect(entries.filter(([key]) => key === 'num.partitions')).toEqual([['num.partitions', '6']]);
    expect(asMap(entries).get('log.cleaner.enable')).toBe('false');
  });
});

describe('formatProperties', () => {
  it('escapes what Java properties would misread', () => {
    expect(
      formatProperties([
        ['a.b', 'C:\\dir\nnext'],
        ['key with=sign', ' lead'],
      ]),
    ).toBe('a.b=C:\\\\dir\\nnext\nkey\\ with\\=sign=\\ lead\n');
  });

  it('leaves out the settings an older line does not know, and adds the early-access ones', () => {
    const node = { nodeId: 1, nodes: [{ nodeId: 1, ports: ports(9000) }], logDir: '/d' };
    const newest = asMap(brokerProperties(node));
    const oldest = asMap(brokerProperties({ ...node, line: '3.7' }));
    for (const [key, since] of Object.entries(LINE_DEPENDENT_PROPERTIES)) {
      expect(newest.has(key), key).toBe(true);
      expect(oldest.has(key), `${key} (from ${since})`).toBe(false);
    }
    expect(oldest.get('group.consumer.min.session.timeout.ms')).toBe('1000');
    expect(asMap(brokerProperties({ ...node, line: '4.1' })).has('group.streams.session.timeout.ms')).toBe(true);
    expect(asMap(brokerProperties({ ...node, line: '4.1' })).has('group.streams.initial.rebalance.delay.ms')).toBe(
      false,
    );
    const early = asMap(
      brokerProperties({
        ...node,
        line: '3.7',
        earlyAccess: { 'group.coordinator.rebalance.protocols': 'classic,consumer' },
        overrides: { 'num.partitions': 3 },
      }),
    );
    expect(early.get('group.coordinator.rebalance.protocols')).toBe('classic,consumer');
    expect(early.get('num.partitions')).toBe('3');
  });
});
