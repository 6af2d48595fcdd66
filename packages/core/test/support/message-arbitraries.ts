import fc from 'fast-check';
import type { FieldSchema, MessageSchema, StructSchema, VersionRange } from '../../src/protocol/messages/schema.js';

/** A decoded message or struct, as plain data. */
export type MessageValue = Record<string, unknown>;

/** Options of {@link messageArbitrary}. */
export interface ArbitraryOptions {
  /** Longest generated array (default 3; nested arrays get at most 2). */
  readonly maxArrayLength?: number;
  /** Whether to add unknown tagged fields in flexible versions (default true). */
  readonly unknownTaggedFields?: boolean;
}

const inRange = (range: VersionRange | null | undefined, version: number): boolean =>
  range !== undefined && range !== null && range[0] <= version && version <= range[1];

const uuid = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64url'));
const bytes = fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b));

function primitive(type: FieldSchema['type']): fc.Arbitrary<unknown> {
  switch (type) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -128, max: 127 });
    case 'int16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'uint16':
      return fc.integer({ min: 0, max: 65535 });
    case 'int32':
      return fc.integer();
    case 'uint32':
      return fc.integer({ min: 0, max: 0xffffffff });
    case 'int64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'float64':
      return fc.double();
    case 'string':
      return fc.string({ unit: 'grapheme', maxLength: 6 });
    case 'uuid':
      return uuid;
    case 'bytes':
    case 'records':
      return bytes;
    case 'struct':
      throw new Error('structs are not primitives');
  }
}

/**
 * The value a decoder gives a field that is absent from a version: the field's default, or the empty default of
 * its type (`[]`, an empty buffer, a struct with every field at its default).
 */
export function absentValue(schema: MessageSchema, field: FieldSchema): unknown {
  if ('default' in field) return field.default;
  if (field.array) return [];
  if (field.type === 'bytes') return Buffer.alloc(0);
  if (field.type === 'records') return null;
  if (field.type === 'struct') return defaultStruct(schema, structOf(schema, field));
  throw new Error(`${schema.name}.${field.name} has no default`);
}

function structOf(schema: MessageSchema, field: FieldSchema): StructSchema {
  const struct = schema.structs[field.struct ?? ''];
  if (struct === undefined) throw new Error(`${schema.name}.${field.name}: unknown struct ${field.struct}`);
  return struct;
}

function defaultStruct(schema: MessageSchema, struct: StructSchema): MessageValue {
  const value: MessageValue = {};
  for (const field of struct.fields) value[field.name] = absentValue(schema, field);
  return value;
}

/**
 * An arbitrary of `schema`'s message at `version`, shaped exactly as the decoder returns it: fields missing from the
 * version hold their defaults, and flexible versions may carry unknown tagged fields (with tags that no field uses
 * in that version, in ascending order) which must survive a round trip.
 */
export function messageArbitrary(
  schema: MessageSchema,
  version: number,
  options: ArbitraryOptions = {},
): fc.Arbitrary<MessageValue> {
  const maxArray = options.maxArrayLength ?? 3;
  const withUnknown = options.unknownTaggedFields ?? true;
  const flexible = inRange(schema.flexibleVersions, version);

  const structArbitrary = (fields: readonly FieldSchema[], depth: number): fc.Arbitrary<MessageValue> => {
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const field of fields) record[field.name] = fieldArbitrary(field, depth);
    // Plain objects, as the decoder builds them (fc.record makes null-prototype objects).
    let arbitrary: fc.Arbitrary<MessageValue> = fc.record(record).map((value) => ({ ...value }));
    if (flexible && withUnknown) {
      const used = new Set(
        fields.filter((f) => f.tag !== undefined && inRange(f.versions, version)).map((f) => f.tag!),
      );
      const maxTag = Math.max(-1, ...fields.map((f) => f.tag ?? -1));
      const free: number[] = [];
      for (let tag = 0; tag <= maxTag + 3; tag++) if (!used.has(tag)) free.push(tag);
      const unknown = fc
        .uniqueArray(fc.record({ tag: fc.constantFrom(...free), data: bytes }), {
          maxLength: 2,
          selector: (t) => t.tag,
        })
        .map((list) => list.map((t) => ({ tag: t.tag, data: t.data })).sort((a, b) => a.tag - b.tag));
      arbitrary = fc
        .tuple(arbitrary, fc.option(unknown, { nil: undefined, freq: 3 }))
        .map(([value, extra]) =>
          extra === undefined || extra.length === 0 ? value : { ...value, unknownTaggedFields: extra },
        );
    }
    return arbitrary;
  };

  const elementArbitrary = (field: FieldSchema, depth: number): fc.Arbitrary<unknown> =>
    field.type === 'struct' ? structArbitrary(structOf(schema, field).fields, depth + 1) : primitive(field.type);

  const fieldArbitrary = (field: FieldSchema, depth: number): fc.Arbitrary<unknown> => {
    if (!inRange(field.versions, version)) return fc.constant(absentValue(schema, field));
    let value: fc.Arbitrary<unknown>;
    if (field.array) {
      const element = elementArbitrary(field, depth);
      value = fc.array(element, { maxLength: depth > 1 ? Math.min(2, maxArray) : maxArray });
    } else {
      value = elementArbitrary(field, depth);
    }
    if (inRange(field.nullableVersions, version)) value = fc.option(value, { nil: null, freq: 4 });
    // Defaults matter: tagged fields are omitted when they hold them, absent checks compare with them.
    if (field.tag !== undefined) value = fc.oneof(fc.constant(absentValue(schema, field)), value);
    return value;
  };

  return structArbitrary(schema.fields, 0);
}
