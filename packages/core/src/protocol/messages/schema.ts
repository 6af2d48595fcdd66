/**
 * The message declarations as data: what the generated codecs were generated from, in a compact form. Tests derive
 * property-test arbitraries from it; tools can use it to describe messages.
 */

/** An inclusive version range `[lo, hi]`; `hi` is 32767 for open-ended ranges (`"3+"`). */
export type VersionRange = readonly [number, number];

/** Kafka's primitive field types. */
export type PrimitiveTypeName =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'uuid'
  | 'bytes'
  | 'records';

/** One field of a struct. */
export interface FieldSchema {
  /** camelCase name, as in the generated types. */
  readonly name: string;
  /** The element type: a primitive, or `struct` (see {@link struct}). */
  readonly type: PrimitiveTypeName | 'struct';
  /** Present and true for arrays of {@link type}. */
  readonly array?: true;
  /** Name of the struct type, for `struct` fields. */
  readonly struct?: string;
  /** Versions the field exists in. */
  readonly versions: VersionRange;
  /** Versions in which the field may be null. */
  readonly nullableVersions?: VersionRange;
  /** The tag of a tagged field. */
  readonly tag?: number;
  /** Field-level override of the message's flexible versions (`null`: never flexible). */
  readonly flexibleVersions?: VersionRange | null;
  /**
   * Default of scalar fields (numbers, bigint, booleans, strings, UUIDs), or `null` for fields whose default is
   * null. Absent for the empty defaults of arrays (`[]`), bytes (empty), and structs (every field at its default).
   */
  readonly default?: number | bigint | boolean | string | null;
  /** Kafka may drop the field silently when a version lacks it. */
  readonly ignorable?: true;
}

/** A struct: the fields of a message or of a nested or common struct. */
export interface StructSchema {
  /** TypeScript name of the struct. */
  readonly name: string;
  /** Versions in which the struct can appear. */
  readonly versions: VersionRange;
  readonly fields: readonly FieldSchema[];
}

/** One message definition. */
export interface MessageSchema {
  /** Kafka's message name (`MetadataRequest`). */
  readonly name: string;
  /** The API key, for requests and responses. */
  readonly apiKey: number | null;
  /** The kind of message. */
  readonly type: 'request' | 'response' | 'header' | 'data';
  readonly validVersions: VersionRange;
  /** Flexible versions, or `null` when none is. */
  readonly flexibleVersions: VersionRange | null;
  /** The top-level fields. */
  readonly fields: readonly FieldSchema[];
  /** Nested and common structs by name. */
  readonly structs: Readonly<Record<string, StructSchema>>;
}
