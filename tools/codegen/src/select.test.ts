import { describe, expect, it } from 'vitest';
import { BROKER_INTERNAL_APIS, selectMessages } from './select.js';
import { loadMessageSpec } from './spec/model.js';

function message(name: string, type: string, apiKey: number | undefined, listeners?: string[]) {
  const json = {
    name,
    type,
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(listeners === undefined ? {} : { listeners }),
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [],
  };
  return loadMessageSpec(JSON.stringify(json), `${name}.json`);
}

describe('selecting client-facing APIs', () => {
  const specs = [
    message('MetadataRequest', 'request', 3, ['broker']),
    message('MetadataResponse', 'response', 3),
    message('VoteRequest', 'request', 52, ['controller']),
    message('VoteResponse', 'response', 52),
    message('WriteTxnMarkersRequest', 'request', 27, ['broker']),
    message('WriteTxnMarkersResponse', 'response', 27),
    message('ReadShareGroupStateRequest', 'request', 84, ['broker']),
    message('ReadShareGroupStateResponse', 'response', 84),
    message('RequestHeader', 'header', undefined),
    message('ResponseHeader', 'header', undefined),
    message('ConsumerProtocolSubscription', 'data', undefined),
    message('ConsumerProtocolAssignment', 'data', undefined),
  ];

  it('keeps requests a broker serves, minus broker-internal ones, with their responses', () => {
    const selection = selectMessages(specs);
    expect(selection.apis.map((a) => a.name)).toStrictEqual(['Metadata', 'WriteTxnMarkers']);
    expect(selection.apis[0]!.response.name).toBe('MetadataResponse');
    expect(selection.excluded.map((e) => e.name)).toStrictEqual(['Vote', 'ReadShareGroupState']);
    expect(selection.excluded[0]!.reason).toMatch(/listeners: controller/);
    expect(selection.excluded[1]!.reason).toMatch(/broker-internal/);
    expect(selection.singles.map((s) => s.name)).toContain('RequestHeader');
    // The admin client aborts hanging transactions with WriteTxnMarkers (KIP-664), so it is generated.
    expect(BROKER_INTERNAL_APIS.has('WriteTxnMarkers')).toBe(false);
  });

  it('fails when a request has no response definition', () => {
    expect(() => selectMessages(specs.filter((s) => s.name !== 'MetadataResponse'))).toThrow(/no MetadataResponse/);
  });
});
