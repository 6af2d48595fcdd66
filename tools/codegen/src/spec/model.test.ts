import { describe, expect, it } from 'vitest';
import { stripJsonComments } from './json-comments.js';
import { loadMessageSpec } from './model.js';

const SPEC = `
// Licensed to the Apache Software Foundation (ASF)...
{
  "apiKey": 99,
  "type": "response",
  "name": "ExampleResponse",
  // Version 2 adds Extra. See https://example.org/not-a-comment inside strings below.
  "validVersions": "0-3",
  "flexibleVersions": "2+",
  "fields": [
    { "name": "ThrottleTimeMs", "type": "int32", "versions": "0+", "about": "see http://x//y" },
    { "name": "Topics", "type": "[]TopicResult", "versions": "0+", "fields": [
      { "name": "Name", "type": "string", "versions": "0+", "nullableVersions": "3+" },
      { "name": "Leader", "type": "Leader", "versions": "1+" }
    ]},
    { "name": "Extra", "type": "int64", "versions": "2+", "taggedVersions": "2+", "tag": 0, "default": "-1" }
  ],
  "commonStructs": [
    { "name": "Leader", "versions": "0+", "fields": [
      { "name": "LeaderId", "type": "int32", "versions": "0+", "default": "0x7fffffff" }
    ]}
  ]
}`;

describe('loading message definitions', () => {
  it('strips // comments but not // inside strings', () => {
    expect(JSON.parse(stripJsonComments('{ "a": "http://x//y" // note\n}'))).toStrictEqual({ a: 'http://x//y' });
    expect(JSON.parse(stripJsonComments('{ "a": "q\\"//x" }'))).toStrictEqual({ a: 'q"//x' });
  });

  it('resolves nested and common structs, tags, defaults and the versions each struct appears in', () => {
    const spec = loadMessageSpec(SPEC, 'ExampleResponse.json');
    expect(spec.name).toBe('ExampleResponse');
    expect(spec.apiKey).toBe(99);
    expect(spec.flexibleVersions).toStrictEqual({ lo: 2, hi: 0x7fff });
    expect(spec.structs.map((s) => s.jsonName)).toStrictEqual(['ExampleResponse', 'TopicResult', 'Leader']);
    const topics = spec.root.fields[1]!;
    expect(topics.name).toBe('topics');
    expect(topics.type.kind).toBe('array');
    const leader = spec.structs[2]!;
    expect(leader.common).toBe(true);
    // Leader appears only where its field exists: versions 1-3.
    expect(leader.possible).toStrictEqual({ lo: 1, hi: 3 });
    expect(leader.fields[0]!.defaultText).toBe('0x7fffffff');
    const extra = spec.root.fields[2]!;
    expect(extra.tag).toBe(0);
    expect(extra.about).toBe('');
    expect(spec.root.fields[0]!.about).toBe('see http://x//y');
  });

  it('rejects definitions it cannot generate faithfully', () => {
    const taggedButNotFlexible = SPEC.replace('"flexibleVersions": "2+"', '"flexibleVersions": "3+"');
    expect(() => loadMessageSpec(taggedButNotFlexible, 'x.json')).toThrow(/tagged in versions that are not flexible/);
    const unknownStruct = SPEC.replace('"type": "Leader"', '"type": "Missing"');
    expect(() => loadMessageSpec(unknownStruct, 'x.json')).toThrow(/unknown struct type Missing/);
    const nullableInt = SPEC.replace('"about": "see http://x//y"', '"nullableVersions": "0+"');
    expect(() => loadMessageSpec(nullableInt, 'x.json')).toThrow(/cannot be nullable/);
    expect(() => loadMessageSpec('{ nope', 'x.json')).toThrow(/x.json: invalid JSON/);
  });
});
