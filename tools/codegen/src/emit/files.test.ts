import { describe, expect, it } from 'vitest';
import { loadMessageSpec } from '../spec/model.js';
import { emitApiFiles, emitMessageFiles, type Provenance } from './files.js';

const PROVENANCE: Provenance = { kafkaVersion: '9.9.9', kafkaCommit: undefined, origin: 'test', prefix: '' };

const REQUEST = `{
  "apiKey": 99, "type": "request", "listeners": ["broker"], "name": "ExampleRequest",
  "validVersions": "0-1", "flexibleVersions": "1+",
  "fields": [
    { "name": "Topics", "type": "[]Topic", "versions": "0+", "fields": [
      { "name": "Name", "type": "string", "versions": "0+" }
    ]}
  ]
}`;

const RESPONSE = `{
  "apiKey": 99, "type": "response", "name": "ExampleResponse",
  "validVersions": "0-1", "flexibleVersions": "1+",
  "fields": [
    { "name": "Results", "type": "[]Result", "versions": "0+", "fields": [
      { "name": "ErrorCode", "type": "int16", "versions": "0+" }
    ]}
  ]
}`;

const HEADER = `{
  "type": "header", "name": "ResponseHeader", "validVersions": "0-1", "flexibleVersions": "1+",
  "fields": [{ "name": "CorrelationId", "type": "int32", "versions": "0+" }]
}`;

const DATA = `{
  "type": "data", "name": "ExampleData", "validVersions": "0", "flexibleVersions": "none",
  "fields": [{ "name": "Value", "type": "int32", "versions": "0+" }]
}`;

/** Names of the functions (exported or not) and exported constants a generated file declares. */
function declared(contents: string): string[] {
  return [...contents.matchAll(/^(?:export function|function|export const) (\w+)/gm)].map((m) => m[1]!);
}

describe('client and server sides of the generated codecs', () => {
  it('puts the request encoder and response decoder in the API file, the other two in server/', () => {
    const api = {
      name: 'Example',
      request: loadMessageSpec(REQUEST, 'ExampleRequest.json'),
      response: loadMessageSpec(RESPONSE, 'ExampleResponse.json'),
    };
    const [client, server] = emitApiFiles(api, PROVENANCE);
    expect(client!.path).toBe('example.ts');
    expect(declared(client!.contents).sort()).toStrictEqual([
      'Example',
      'decodeExampleResponse',
      'encodeExampleRequest',
      'readExampleResponse',
      'readExampleResponseResult',
      'writeExampleRequest',
      'writeExampleRequestTopic',
    ]);
    expect(client!.contents).toMatch(/export interface ExampleRequestTopic \{/);
    expect(client!.contents).not.toMatch(/decodeRequest|encodeResponse|server/);

    expect(server!.path).toBe('server/example.ts');
    expect(declared(server!.contents).sort()).toStrictEqual([
      'ExampleServer',
      'decodeExampleRequest',
      'encodeExampleResponse',
      'readExampleRequest',
      'readExampleRequestTopic',
      'writeExampleResponse',
      'writeExampleResponseResult',
    ]);
    expect(server!.contents).not.toMatch(/interface/);
    expect(server!.contents).toContain(
      "import { Example, type ExampleRequest, type ExampleRequestTopic, type ExampleResponse, type ExampleResponseResult } from '../example.js';",
    );
    expect(server!.contents).toContain('...Example,');
  });

  it('splits headers the same way and keeps data messages whole', () => {
    const [client, server, ...rest] = emitMessageFiles(loadMessageSpec(HEADER, 'ResponseHeader.json'), PROVENANCE);
    expect(rest).toHaveLength(0);
    expect(declared(client!.contents)).toStrictEqual(['decodeResponseHeader', 'readResponseHeader']);
    expect(server!.path).toBe('server/response-header.ts');
    expect(declared(server!.contents)).toStrictEqual(['encodeResponseHeader', 'writeResponseHeader']);

    const data = emitMessageFiles(loadMessageSpec(DATA, 'ExampleData.json'), PROVENANCE);
    expect(data.map((f) => f.path)).toStrictEqual(['example-data.ts']);
    expect(declared(data[0]!.contents)).toStrictEqual([
      'encodeExampleData',
      'decodeExampleData',
      'readExampleData',
      'writeExampleData',
    ]);
  });
});
