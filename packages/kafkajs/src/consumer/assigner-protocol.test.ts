import upstream from 'kafkajs-upstream';
import { describe, expect, it } from 'vitest';
import { AssignerProtocol } from './assigner-protocol.js';

describe('AssignerProtocol', () => {
  const metadata = { version: 1, topics: ['orders', 'ünïcødé'], userData: Buffer.from('{"x":1}') };
  const assignment = { version: 3, assignment: { orders: [0, 2, 4], invoices: [1] }, userData: Buffer.from([7, 8]) };

  it('encodes member metadata byte for byte as kafkajs 2.2.4 does, and reads what it encodes', () => {
    const ours = AssignerProtocol.MemberMetadata.encode(metadata);
    expect(ours).toEqual(upstream.AssignerProtocol.MemberMetadata.encode(metadata));
    expect(AssignerProtocol.MemberMetadata.decode(ours)).toEqual(metadata);
    expect(upstream.AssignerProtocol.MemberMetadata.decode(ours)).toEqual(metadata);
  });

  it('encodes member assignments byte for byte as kafkajs 2.2.4 does, and reads what it encodes', () => {
    const ours = AssignerProtocol.MemberAssignment.encode(assignment);
    expect(ours).toEqual(upstream.AssignerProtocol.MemberAssignment.encode(assignment));
    expect(AssignerProtocol.MemberAssignment.decode(ours)).toEqual(assignment);
  });

  it('reads a later subscription version, leaving its extra fields (owned partitions, rack) unread', () => {
    const v0 = AssignerProtocol.MemberMetadata.encode({ version: 3, topics: ['t'], userData: Buffer.alloc(0) });
    const withExtras = Buffer.concat([v0, Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff])]);
    expect(AssignerProtocol.MemberMetadata.decode(withExtras)).toEqual({
      version: 3,
      topics: ['t'],
      userData: Buffer.alloc(0),
    });
  });

  it('decodes an empty assignment buffer to null, as KafkaJS does', () => {
    expect(AssignerProtocol.MemberAssignment.decode(Buffer.alloc(0))).toBeNull();
  });
});
