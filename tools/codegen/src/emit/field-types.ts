import type { ElementType, FieldSpec, PrimitiveType } from '../spec/model.js';
import { isEmpty } from '../spec/versions.js';

/**
 * Who fills a message type: `input` types (requests, the request header, consumer protocol data) are written by
 * users, so fields with a default or missing from some versions are optional; `output` types (responses) are
 * filled by the decoder, so every field is required.
 */
export type Role = 'input' | 'output';

const FIXED_SIZES: Partial<Record<PrimitiveType, number>> = {
  bool: 1,
  int8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  float64: 8,
  uuid: 16,
};

/** Byte size of a fixed-size primitive, or `undefined` for strings, bytes and records. */
export function fixedSize(type: PrimitiveType): number | undefined {
  return FIXED_SIZES[type];
}

/** The element of an array field, or the field's own type. */
export function elementOf(field: FieldSpec): ElementType {
  return field.type.kind === 'array' ? field.type.element : field.type;
}

/** True for fields whose TypeScript type includes `null`. */
export function canBeNull(field: FieldSpec): boolean {
  if (field.type.kind === 'primitive' && field.type.name === 'records') return true;
  return !isEmpty(field.nullableVersions);
}

/** The TypeScript type of an element. */
export function elementTsType(element: ElementType): string {
  if (element.kind === 'struct') return element.struct.tsName;
  switch (element.name) {
    case 'bool':
      return 'boolean';
    case 'int64':
      return 'bigint';
    case 'string':
    case 'uuid':
      return 'string';
    case 'bytes':
    case 'records':
      return 'Buffer';
    default:
      return 'number';
  }
}

/** The TypeScript type of a field. */
export function fieldTsType(field: FieldSpec, role: Role): string {
  const element = elementTsType(elementOf(field));
  const base = field.type.kind === 'array' ? (role === 'input' ? `readonly ${element}[]` : `${element}[]`) : element;
  return canBeNull(field) ? `${base} | null` : base;
}

/** Parses an integer default the way Kafka does (decimal, or hex with `0x`). */
function parseInteger(text: string): bigint {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const value = body.startsWith('0x') || body.startsWith('0X') ? BigInt(body) : BigInt(body);
  return negative ? -value : value;
}

/** A field's default, as a JS value (structs: `'struct'`; non-null arrays: `'array'`; empty bytes: `'bytes'`). */
export type DefaultValue = number | bigint | boolean | string | null | { readonly kind: 'struct' | 'array' | 'bytes' };

/** The default of a field: its `default`, or Kafka's implicit default for its type. */
export function defaultValue(field: FieldSpec): DefaultValue {
  const text = field.defaultText;
  if (field.type.kind === 'array') {
    if (text === 'null') return null;
    if (text !== undefined && text !== '') throw new Error(`array field ${field.jsonName} has default ${text}`);
    return { kind: 'array' };
  }
  if (field.type.kind === 'struct') {
    if (text === 'null') return null;
    return { kind: 'struct' };
  }
  switch (field.type.name) {
    case 'bool':
      if (text === undefined || text === '') return false;
      if (text.toLowerCase() === 'true') return true;
      if (text.toLowerCase() === 'false') return false;
      throw new Error(`invalid bool default ${text} of ${field.jsonName}`);
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
      return text === undefined || text === '' ? 0 : Number(parseInteger(text));
    case 'int64':
      return text === undefined || text === '' ? 0n : parseInteger(text);
    case 'float64':
      return text === undefined || text === '' ? 0 : Number(text);
    case 'string':
      if (text === 'null') return null;
      return text ?? '';
    case 'uuid':
      return text === undefined || text === '' ? 'AAAAAAAAAAAAAAAAAAAAAA' : text;
    case 'bytes':
      if (text === 'null') return null;
      return { kind: 'bytes' };
    case 'records':
      return null;
  }
}

/** A field's default as a TypeScript expression (a fresh object for arrays and structs). */
export function defaultExpression(field: FieldSpec): string {
  const value = defaultValue(field);
  return valueExpression(value, field);
}

function valueExpression(value: DefaultValue, field: FieldSpec): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    if (field.type.kind === 'primitive' && field.type.name === 'uuid' && value === 'AAAAAAAAAAAAAAAAAAAAAA') {
      return 'ZERO_UUID';
    }
    return JSON.stringify(value);
  }
  switch (value.kind) {
    case 'array':
      return '[]';
    case 'bytes':
      return 'EMPTY_BYTES';
    case 'struct':
      return `default${(elementOf(field) as { struct: { tsName: string } }).struct.tsName}()`;
  }
}

/**
 * A TypeScript condition that is true when `x` (of the field's type, never `undefined`) differs from the field's
 * default, as Kafka's Java generator compares them.
 */
export function nonDefaultCondition(field: FieldSpec, x: string): string {
  const value = defaultValue(field);
  const nullable = canBeNull(field);
  if (value === null) return `${x} !== null`;
  if (typeof value !== 'object') return `${x} !== ${valueExpression(value, field)}`;
  const orNull = nullable ? `${x} === null || ` : '';
  switch (value.kind) {
    case 'array':
    case 'bytes':
      return `${orNull}${x}.length !== 0`;
    case 'struct':
      return `${orNull}!isDefault${(elementOf(field) as { struct: { tsName: string } }).struct.tsName}(${x})`;
  }
}

/** Struct names whose `default…()` builder or `isDefault…()` test a field's default handling uses. */
export function structsUsedByDefault(field: FieldSpec): { builder?: string; test?: string } {
  const value = defaultValue(field);
  if (value === null || typeof value !== 'object' || value.kind !== 'struct') return {};
  const name = (elementOf(field) as { struct: { tsName: string } }).struct.tsName;
  return { builder: name, test: name };
}
