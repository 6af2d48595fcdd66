import { stripJsonComments } from './json-comments.js';
import { ALL, contains, hull, intersect, isEmpty, NONE, parseVersions, type Versions } from './versions.js';

/** Kafka's primitive field types. */
export type PrimitiveType =
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

const PRIMITIVES = new Set<string>([
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'uuid',
  'bytes',
  'records',
]);

/** An element of an array, or a non-array field's type. */
export type ElementType = { readonly kind: 'primitive'; readonly name: PrimitiveType } | StructType;

/** A struct-typed field. */
export interface StructType {
  readonly kind: 'struct';
  readonly struct: StructSpec;
}

/** A field's type. */
export type FieldType = ElementType | { readonly kind: 'array'; readonly element: ElementType };

/** One field of a struct, as declared in the JSON. */
export interface FieldSpec {
  /** Name as declared (`PartitionIndex`). */
  readonly jsonName: string;
  /** camelCase name used in TypeScript (`partitionIndex`). */
  readonly name: string;
  readonly type: FieldType;
  readonly versions: Versions;
  readonly nullableVersions: Versions;
  readonly taggedVersions: Versions;
  readonly tag: number | undefined;
  /** Field-level override of the message's flexible versions (only strings and bytes use it). */
  readonly flexibleVersions: Versions | undefined;
  /** The `default` as written in the JSON, or `undefined`. */
  readonly defaultText: string | undefined;
  readonly ignorable: boolean;
  readonly about: string;
}

/** A struct: the message itself, an inline struct of an array or struct field, or a common struct. */
export interface StructSpec {
  /** Name as declared (`MetadataRequestTopic`), or the message name for the root. */
  readonly jsonName: string;
  /** TypeScript interface name, unique in its file. */
  tsName: string;
  /** Versions of the struct (common structs declare them; inline structs take their field's). */
  readonly versions: Versions;
  readonly fields: FieldSpec[];
  /** Declared in `commonStructs`. */
  readonly common: boolean;
  /** Versions in which the struct can appear in its message (filled by {@link loadMessageSpec}). */
  possible: Versions;
}

/** The kind of a message definition. */
export type MessageType =
  | 'request'
  | 'response'
  | 'header'
  | 'data'
  | 'metadata'
  | 'coordinator-key'
  | 'coordinator-value';

/** A message definition file. */
export interface MessageSpec {
  /** `MetadataRequest`. */
  readonly name: string;
  readonly apiKey: number | undefined;
  readonly type: MessageType;
  readonly listeners: readonly string[];
  readonly validVersions: Versions;
  readonly flexibleVersions: Versions;
  readonly latestVersionUnstable: boolean;
  /** The top-level struct. */
  readonly root: StructSpec;
  /** Every struct of the message: the root, then nested and common structs in declaration order. */
  readonly structs: readonly StructSpec[];
  /** Where the definition came from (`common/message/MetadataRequest.json`). */
  readonly source: string;
}

interface RawField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  flexibleVersions?: string;
  default?: string | number | boolean;
  ignorable?: boolean;
  about?: string;
  fields?: RawField[];
}

interface RawStruct {
  name: string;
  versions?: string;
  fields: RawField[];
}

interface RawMessage {
  name: string;
  type: MessageType;
  apiKey?: number;
  listeners?: string[];
  validVersions: string;
  flexibleVersions?: string;
  latestVersionUnstable?: boolean;
  fields?: RawField[];
  commonStructs?: RawStruct[];
}

/** camelCase of a Kafka field name, as Kafka's Java generator derives it (first letter lowered). */
export function camelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Parses one JSON message definition (with `//` comments) into the model, resolving structs and versions. */
export function loadMessageSpec(text: string, source: string): MessageSpec {
  let raw: RawMessage;
  try {
    raw = JSON.parse(stripJsonComments(text)) as RawMessage;
  } catch (error) {
    throw new Error(`${source}: invalid JSON: ${(error as Error).message}`);
  }
  const fail = (message: string): never => {
    throw new Error(`${source} (${raw.name}): ${message}`);
  };
  const validVersions = parseVersions(raw.validVersions);
  const flexibleVersions = parseVersions(raw.flexibleVersions, NONE);
  const structs: StructSpec[] = [];
  const commonRaw = new Map<string, RawStruct>();
  for (const cs of raw.commonStructs ?? []) commonRaw.set(cs.name, cs);
  const commonBuilt = new Map<string, StructSpec>();
  const names = new Set<string>();

  const buildStruct = (jsonName: string, versions: Versions, rawFields: RawField[], common: boolean): StructSpec => {
    if (names.has(jsonName)) fail(`struct ${jsonName} is declared twice`);
    names.add(jsonName);
    const struct: StructSpec = { jsonName, tsName: jsonName, versions, fields: [], common, possible: NONE };
    structs.push(struct);
    for (const f of rawFields) struct.fields.push(buildField(f));
    const tags = new Set<number>();
    for (const f of struct.fields) {
      if (f.tag === undefined) continue;
      if (tags.has(f.tag)) fail(`tag ${f.tag} is used twice in ${jsonName}`);
      tags.add(f.tag);
    }
    return struct;
  };

  const commonStruct = (name: string): StructSpec => {
    const built = commonBuilt.get(name);
    if (built !== undefined) return built;
    const cs = commonRaw.get(name);
    if (cs === undefined) return fail(`unknown struct type ${name}`);
    const struct = buildStruct(cs.name, parseVersions(cs.versions, ALL), cs.fields, true);
    commonBuilt.set(name, struct);
    return struct;
  };

  const buildField = (f: RawField): FieldSpec => {
    const taggedVersions = parseVersions(f.taggedVersions, NONE);
    const versions = parseVersions(f.versions, isEmpty(taggedVersions) ? undefined : taggedVersions);
    const isArray = f.type.startsWith('[]');
    const typeName = isArray ? f.type.slice(2) : f.type;
    let element: ElementType;
    if (PRIMITIVES.has(typeName)) {
      if (f.fields !== undefined && f.fields.length > 0) fail(`primitive field ${f.name} has fields`);
      element = { kind: 'primitive', name: typeName as PrimitiveType };
    } else if (f.fields !== undefined) {
      element = { kind: 'struct', struct: buildStruct(typeName, versions, f.fields, false) };
    } else {
      element = { kind: 'struct', struct: commonStruct(typeName) };
    }
    if (isArray && element.kind === 'primitive' && element.name === 'records') fail(`array of records ${f.name}`);
    const nullableVersions = parseVersions(f.nullableVersions, NONE);
    if (!isEmpty(nullableVersions) && !isArray && element.kind === 'primitive') {
      if (!['string', 'bytes', 'records'].includes(element.name))
        fail(`field ${f.name} of type ${f.type} cannot be nullable`);
    }
    const tag = f.tag;
    if (tag !== undefined) {
      if (isEmpty(taggedVersions)) fail(`field ${f.name} has a tag but no taggedVersions`);
      if (taggedVersions.lo !== versions.lo || taggedVersions.hi !== versions.hi) {
        // Kafka allows a field to be tagged in only some of its versions; no definition does it, so neither do we.
        fail(`field ${f.name}: taggedVersions must equal versions`);
      }
      if (!contains(flexibleVersions, taggedVersions)) {
        fail(`field ${f.name} is tagged in versions that are not flexible`);
      }
    }
    return {
      jsonName: f.name,
      name: camelCase(f.name),
      type: isArray ? { kind: 'array', element } : element,
      versions,
      nullableVersions,
      taggedVersions,
      tag,
      flexibleVersions: f.flexibleVersions === undefined ? undefined : parseVersions(f.flexibleVersions),
      defaultText: f.default === undefined ? undefined : String(f.default),
      ignorable: f.ignorable === true,
      about: f.about ?? '',
    };
  };

  const root = buildStruct(raw.name, validVersions, raw.fields ?? [], false);
  // Common structs nobody references are still part of the message.
  for (const name of commonRaw.keys()) commonStruct(name);

  // The versions each struct can appear in: its parents' possible versions narrowed by the field's versions.
  const visit = (struct: StructSpec, possible: Versions): void => {
    const narrowed = intersect(possible, struct.versions);
    const before = struct.possible;
    struct.possible = hull(struct.possible, narrowed);
    if (before.lo === struct.possible.lo && before.hi === struct.possible.hi) return;
    for (const field of struct.fields) {
      const element = field.type.kind === 'array' ? field.type.element : field.type;
      if (element.kind === 'struct') visit(element.struct, intersect(struct.possible, field.versions));
    }
  };
  visit(root, validVersions);
  return {
    name: raw.name,
    apiKey: raw.apiKey,
    type: raw.type,
    listeners: raw.listeners ?? [],
    validVersions,
    flexibleVersions,
    latestVersionUnstable: raw.latestVersionUnstable === true,
    root,
    structs,
    source,
  };
}
