import { describe, expect, it } from 'vitest';
import { UnsupportedVersionError } from '../../errors/client-errors.js';
import { Reader } from '../primitives/reader.js';
import { Writer } from '../primitives/writer.js';
import { decodeFetchResponse, type FetchResponse } from './generated/fetch.js';
import { encodeFindCoordinatorRequest } from './generated/find-coordinator.js';
import { encodeMetadataRequest, type MetadataRequest } from './generated/metadata.js';
import { encodeRequestHeader } from './generated/request-header.js';
import { encodeFetchResponse } from './generated/server/fetch.js';
import { decodeFindCoordinatorRequest } from './generated/server/find-coordinator.js';
import { decodeMetadataRequest } from './generated/server/metadata.js';
import { decodeRequestHeader } from './generated/server/request-header.js';

function hex(write: (w: Writer) => void): string {
  const w = new Writer();
  write(w);
  return w.toBuffer().toString('hex');
}

const topic = (name: string) => ({ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' });

describe('fields missing from a version', () => {
  it('throws UnsupportedVersionError for a non-default, non-ignorable field, naming field and version', () => {
    const request: MetadataRequest = { topics: [], allowAutoTopicCreation: false };
    expect(() => hex((w) => encodeMetadataRequest(w, 3, request))).toThrow(UnsupportedVersionError);
    expect(() => hex((w) => encodeMetadataRequest(w, 3, request))).toThrow(
      /MetadataRequest v3 cannot carry allowAutoTopicCreation/,
    );
    // From v4 the field exists, and v3 accepts it at its default (true).
    expect(() => hex((w) => encodeMetadataRequest(w, 4, request))).not.toThrow();
    expect(() => hex((w) => encodeMetadataRequest(w, 3, { topics: [], allowAutoTopicCreation: true }))).not.toThrow();
  });

  it('drops an ignorable field silently', () => {
    // topics[].topicId exists from v10 and is ignorable.
    const withId = { topics: [{ name: 't', topicId: 'AQIDBAUGBwgJCgsMDQ4PEA' }] };
    const withoutId = { topics: [{ name: 't' }] };
    expect(hex((w) => encodeMetadataRequest(w, 9, withId))).toBe(hex((w) => encodeMetadataRequest(w, 9, withoutId)));
  });

  it('fills missing fields with their defaults when decoding', () => {
    const bytes = Buffer.from(
      hex((w) => encodeMetadataRequest(w, 3, { topics: [topic('a')] })),
      'hex',
    );
    expect(decodeMetadataRequest(new Reader(bytes), 3)).toStrictEqual({
      topics: [topic('a')],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
  });

  it('encodes an omitted optional field as its default', () => {
    const explicit: MetadataRequest = {
      topics: [topic('a')],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    };
    for (const version of [4, 9, 10, 12, 13]) {
      expect(hex((w) => encodeMetadataRequest(w, version, { topics: [{ name: 'a' }] }))).toBe(
        hex((w) => encodeMetadataRequest(w, version, explicit)),
      );
    }
  });

  it('uses each version of a field that moved (FindCoordinator key vs coordinatorKeys)', () => {
    const v3 = Buffer.from(
      hex((w) => encodeFindCoordinatorRequest(w, 3, { key: 'g', keyType: 0 })),
      'hex',
    );
    expect(decodeFindCoordinatorRequest(new Reader(v3), 3)).toMatchObject({
      key: 'g',
      keyType: 0,
      coordinatorKeys: [],
    });
    const v4 = Buffer.from(
      hex((w) => encodeFindCoordinatorRequest(w, 4, { coordinatorKeys: ['g', 'h'] })),
      'hex',
    );
    expect(decodeFindCoordinatorRequest(new Reader(v4), 4)).toMatchObject({ key: '', coordinatorKeys: ['g', 'h'] });
    expect(() => hex((w) => encodeFindCoordinatorRequest(w, 4, { key: 'g' }))).toThrow(/cannot carry key/);
    expect(() => hex((w) => encodeFindCoordinatorRequest(w, 3, { coordinatorKeys: ['g'] }))).toThrow(
      /cannot carry coordinatorKeys/,
    );
  });
});

describe('nullability', () => {
  it('refuses null where the version cannot encode it, and encodes it where it can', () => {
    expect(() => hex((w) => encodeMetadataRequest(w, 0, { topics: null }))).toThrow(
      /MetadataRequest v0 cannot carry a null topics/,
    );
    expect(hex((w) => encodeMetadataRequest(w, 1, { topics: null }))).toBe('ffffffff');
    expect(hex((w) => encodeMetadataRequest(w, 9, { topics: null, allowAutoTopicCreation: true }))).toBe(
      '00' + '01' + '00' + '00' + '00',
    );
    expect(() => hex((w) => encodeMetadataRequest(w, 9, { topics: [{ name: null }] }))).toThrow(
      /cannot carry a null topics\[\]\.name/,
    );
  });
});

describe('tagged fields', () => {
  const partition = {
    partitionIndex: 0,
    errorCode: 0,
    highWatermark: 10n,
    lastStableOffset: 10n,
    logStartOffset: 0n,
    divergingEpoch: { epoch: -1, endOffset: -1n },
    currentLeader: { leaderId: -1, leaderEpoch: -1 },
    snapshotId: { endOffset: -1n, epoch: -1 },
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: null,
  };
  const response = (p: typeof partition): FetchResponse => ({
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 0,
    responses: [{ topic: '', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [p] }],
    nodeEndpoints: [],
  });

  it('omits tagged fields that hold their default and writes the others', () => {
    const plain = hex((w) => encodeFetchResponse(w, 16, response(partition)));
    const led = hex((w) =>
      encodeFetchResponse(w, 16, response({ ...partition, currentLeader: { leaderId: 3, leaderEpoch: 7 } })),
    );
    // tag 1, size 9 (int32 + int32 + empty tagged section), leaderId 3, leaderEpoch 7, no tagged fields.
    expect(led.length - plain.length).toBe(2 * 11);
    expect(led).toContain('0109000000030000000700');
    const decoded = decodeFetchResponse(new Reader(Buffer.from(led, 'hex')), 16);
    expect(decoded.responses[0]!.partitions[0]!.currentLeader).toStrictEqual({ leaderId: 3, leaderEpoch: 7 });
  });

  it('refuses a non-default tagged field in a version before it exists', () => {
    expect(() =>
      hex((w) =>
        encodeFetchResponse(w, 11, response({ ...partition, currentLeader: { leaderId: 3, leaderEpoch: 7 } })),
      ),
    ).toThrow(/FetchResponse v11 cannot carry responses\[\]\.partitions\[\]\.currentLeader/);
  });

  it('keeps unknown tagged fields in tag order, merged with known ones', () => {
    // Partition-level tags 0-2 are known in v16; 3 and 7 are not.
    const unknown = [
      { tag: 3, data: Buffer.from('aa', 'hex') },
      { tag: 7, data: Buffer.from('bbcc', 'hex') },
    ];
    const p = { ...partition, currentLeader: { leaderId: 1, leaderEpoch: 2 }, unknownTaggedFields: unknown };
    const bytes = hex((w) => encodeFetchResponse(w, 16, response(p)));
    // count 3: tag 1 (currentLeader, 9 bytes), then tag 3 and tag 7 as they were.
    expect(bytes).toContain('03' + '0109000000010000000200' + '0301aa' + '0702bbcc');
    const decoded = decodeFetchResponse(new Reader(Buffer.from(bytes, 'hex')), 16);
    expect(decoded.responses[0]!.partitions[0]!.unknownTaggedFields).toStrictEqual(unknown);
    expect(hex((w) => encodeFetchResponse(w, 16, decoded))).toBe(bytes);
  });

  it('refuses unknown tagged fields in a version that is not flexible', () => {
    const value = { topics: [], unknownTaggedFields: [{ tag: 1, data: Buffer.alloc(1) }] };
    expect(() => hex((w) => encodeMetadataRequest(w, 8, value))).toThrow(
      /MetadataRequest v8 is not a flexible version/,
    );
  });
});

describe('version checks and headers', () => {
  it('refuses versions outside the valid range', () => {
    expect(() => hex((w) => encodeMetadataRequest(w, 14, { topics: [] }))).toThrow(
      /MetadataRequest has no version 14: this client handles versions 0 to 13/,
    );
    expect(() => decodeMetadataRequest(new Reader(Buffer.alloc(4)), -1)).toThrow(UnsupportedVersionError);
  });

  it('writes the request header with a legacy client id string even in flexible header v2', () => {
    const header = { requestApiKey: 3, requestApiVersion: 12, correlationId: 7, clientId: 'ab' };
    const v2 = hex((w) => encodeRequestHeader(w, 2, header));
    expect(v2).toBe('0003' + '000c' + '00000007' + '00026162' + '00');
    expect(decodeRequestHeader(new Reader(Buffer.from(v2, 'hex')), 2)).toStrictEqual(header);
    expect(hex((w) => encodeRequestHeader(w, 1, { ...header, clientId: null }))).toBe('0003000c00000007ffff');
  });
});
