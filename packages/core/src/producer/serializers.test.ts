import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/client-errors.js';
import {
  bufferSerializer,
  jsonSerializer,
  serializedSize,
  stringOrBytesSerializer,
  stringSerializer,
} from './serializers.js';

describe('serializers', () => {
  it('string serializer keeps the string for a direct UTF-8 write and rejects other types', () => {
    expect(stringSerializer('héllo', 't')).toBe('héllo');
    expect(() => stringSerializer(42 as unknown as string, 't')).toThrow(InvalidArgumentError);
  });

  it('buffer serializer passes bytes by reference', () => {
    const bytes = Buffer.from([1, 2, 3]);
    expect(bufferSerializer(bytes, 't')).toBe(bytes);
    expect(() => bufferSerializer('x' as unknown as Buffer, 't')).toThrow(/bufferSerializer expected/);
  });

  it('default serializer takes strings and bytes, and names the option to change otherwise', () => {
    const bytes = new Uint8Array([9]);
    expect(stringOrBytesSerializer('k', 't')).toBe('k');
    expect(stringOrBytesSerializer(bytes, 't')).toBe(bytes);
    expect(() => stringOrBytesSerializer({ a: 1 } as unknown as string, 'orders')).toThrow(
      /got an object \(Object\).*valueSerializer.*topic orders/,
    );
  });

  it('json serializer writes JSON text and fails on values without a JSON form', () => {
    const serialize = jsonSerializer<{ id: number; tags: string[] }>();
    expect(serialize({ id: 1, tags: ['a'] }, 't')).toBe('{"id":1,"tags":["a"]}');
    const bad = jsonSerializer<unknown>();
    expect(() => bad({ n: 1n }, 't')).toThrow(/not JSON-serializable/);
    expect(() => bad(() => 1, 't')).toThrow(/has no JSON form/);
  });

  it('serializedSize counts UTF-8 bytes and reports -1 for absent data', () => {
    expect(serializedSize('é')).toBe(2);
    expect(serializedSize(Buffer.alloc(5))).toBe(5);
    expect(serializedSize(null)).toBe(-1);
  });
});
