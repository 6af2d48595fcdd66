import type { ElementType, FieldSpec, MessageSpec, PrimitiveType, StructSpec } from '../spec/model.js';
import {
  contains,
  formatVersions,
  intersect,
  isEmpty,
  subtractHull,
  type Versions,
  versionCondition,
} from '../spec/versions.js';
import {
  canBeNull,
  defaultExpression,
  defaultValue,
  elementOf,
  fieldTsType,
  fixedSize,
  nonDefaultCondition,
  type Role,
} from './field-types.js';

const READ_FIXED: Partial<Record<PrimitiveType, string>> = {
  bool: 'readBoolean',
  int8: 'readInt8',
  int16: 'readInt16',
  uint16: 'readUInt16',
  int32: 'readInt32',
  uint32: 'readUInt32',
  int64: 'readInt64',
  float64: 'readFloat64',
  uuid: 'readUuid',
};

const WRITE_FIXED: Partial<Record<PrimitiveType, string>> = {
  bool: 'writeBoolean',
  int8: 'writeInt8',
  int16: 'writeInt16',
  uint16: 'writeUInt16',
  int32: 'writeInt32',
  uint32: 'writeUInt32',
  int64: 'writeInt64',
  float64: 'writeFloat64',
  uuid: 'writeUuid',
};

/** Which direction of a message's codecs to emit: both, or only its encoder or decoder (and what they call). */
export type CodecSide = 'both' | 'encode' | 'decode';

/** Escapes text for a `/** … *\/` comment. */
export function docText(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim();
}

/** `[]` for a condition that needs brackets when negated or combined. */
function paren(c: string): string {
  return /^[\w.]+$/.test(c) ? c : `(${c})`;
}

/**
 * Emits the TypeScript of one message: an interface per struct, and straight-line `read…`/`write…` functions
 * with version conditionals, as Kafka's Java generator does (no schema interpreted at run time).
 */
export class MessageEmitter {
  /** Names imported from `codec-support.ts`. */
  readonly supportImports = new Set<string>();
  /** Whether the file needs the `TaggedField` type. */
  usesTaggedField = false;
  /** Whether the emitted code reads (needs the `Reader` type). */
  usesReader = false;
  /** Whether the emitted code writes (needs the `Writer` type). */
  usesWriter = false;

  private readonly builders = new Set<StructSpec>();
  private readonly defaultTests = new Set<StructSpec>();
  private readonly paths = new Map<StructSpec, string>();
  private readonly byName = new Map<string, StructSpec>();

  constructor(
    readonly message: MessageSpec,
    readonly role: Role,
  ) {
    for (const struct of message.structs) this.byName.set(struct.tsName, struct);
    const walk = (struct: StructSpec, prefix: string) => {
      if (this.paths.has(struct)) return;
      this.paths.set(struct, prefix);
      for (const field of struct.fields) {
        const element = elementOf(field);
        if (element.kind === 'struct') {
          walk(element.struct, `${prefix}${field.name}${field.type.kind === 'array' ? '[]' : ''}.`);
        }
      }
    };
    walk(message.root, '');
    for (const struct of message.structs) if (!this.paths.has(struct)) this.paths.set(struct, `${struct.jsonName}.`);
  }

  private get name(): string {
    return this.message.name;
  }

  private flexibleOf(field: FieldSpec): Versions {
    return field.flexibleVersions ?? this.message.flexibleVersions;
  }

  private what(struct: StructSpec, field: FieldSpec): string {
    return JSON.stringify(`${this.paths.get(struct)}${field.name}`);
  }

  private structUsed(struct: StructSpec): boolean {
    return !isEmpty(struct.possible);
  }

  // --------------------------------------------------------------------------------------------------------------
  // Types

  /** Interfaces for every struct of the message. */
  emitTypes(): string {
    const out: string[] = [];
    for (const struct of this.message.structs) {
      if (!this.structUsed(struct) && struct !== this.message.root) continue;
      const doc =
        struct === this.message.root
          ? `${this.name} (${this.message.type}), versions ${formatVersions(this.message.validVersions)}.`
          : `${struct.jsonName}: an element of ${this.name}, versions ${formatVersions(struct.possible)}.`;
      out.push(`/** ${doc} */`);
      out.push(`export interface ${struct.tsName} {`);
      for (const field of struct.fields) {
        const optional = this.isOptional(struct, field) ? '?' : '';
        out.push(`/** ${this.fieldDoc(struct, field)} */`);
        out.push(`${field.name}${optional}: ${fieldTsType(field, this.role)};`);
      }
      if (!isEmpty(intersect(struct.possible, this.message.flexibleVersions))) {
        this.usesTaggedField = true;
        out.push('/** Tagged fields this codec does not know, kept so that a round trip writes them back. */');
        out.push('unknownTaggedFields?: TaggedField[];');
      }
      out.push('}', '');
    }
    return out.join('\n');
  }

  /** Input types make a field optional when it has a default or is missing from some versions of its struct. */
  private isOptional(struct: StructSpec, field: FieldSpec): boolean {
    if (this.role === 'output') return false;
    if (field.defaultText !== undefined) return true;
    return !contains(field.versions, struct.possible);
  }

  private fieldDoc(struct: StructSpec, field: FieldSpec): string {
    const notes: string[] = [];
    if (!contains(field.versions, struct.possible)) notes.push(`versions ${formatVersions(field.versions)}`);
    if (!isEmpty(field.nullableVersions)) {
      notes.push(
        contains(field.nullableVersions, intersect(struct.possible, field.versions))
          ? 'nullable'
          : `nullable in ${formatVersions(field.nullableVersions)}`,
      );
    }
    if (field.tag !== undefined) notes.push(`tagged field ${field.tag}`);
    if (field.defaultText !== undefined) notes.push(`default ${field.defaultText}`);
    if (field.ignorable) notes.push('ignorable');
    const about = docText(field.about) || field.jsonName;
    return notes.length === 0 ? about : `${about} (${notes.join('; ')})`;
  }

  // --------------------------------------------------------------------------------------------------------------
  // Codecs

  /**
   * `read…` and/or `write…` functions for every struct, plus the default builders and tests they need. `side`
   * picks the direction: a client encodes requests and decodes responses, a server the reverse.
   */
  emitCodecs(side: CodecSide = 'both'): string {
    const out: string[] = [];
    for (const struct of this.message.structs) {
      if (!this.structUsed(struct)) continue;
      if (side !== 'encode') out.push(this.emitReader(struct), '');
      if (side !== 'decode') out.push(this.emitWriter(struct), '');
    }
    out.push(this.emitDefaults());
    return out.join('\n');
  }

  /** Exported `encode…` and/or `decode…` of the root struct. */
  emitEntryPoints(side: CodecSide = 'both'): string {
    const { lo, hi } = this.message.validVersions;
    const t = this.name;
    this.supportImports.add('checkVersion');
    const encoder = [
      `/** Encodes a ${t} in \`version\` (${formatVersions(this.message.validVersions)}). */`,
      `export function encode${t}(w: Writer, version: number, message: ${t}): void {`,
      `checkVersion(${JSON.stringify(t)}, version, ${lo}, ${hi});`,
      `w.context = \`${t} v\${version}\`;`,
      `write${t}(w, version, message);`,
      '}',
      '',
    ];
    const decoder = [
      `/** Decodes a ${t} of \`version\` (${formatVersions(this.message.validVersions)}). */`,
      `export function decode${t}(r: Reader, version: number): ${t} {`,
      `checkVersion(${JSON.stringify(t)}, version, ${lo}, ${hi});`,
      `r.context = \`${t} v\${version}\`;`,
      `return read${t}(r, version);`,
      '}',
      '',
    ];
    return [...(side !== 'decode' ? encoder : []), ...(side !== 'encode' ? decoder : [])].join('\n');
  }

  /** The interfaces the codecs name: those of every struct that can appear on the wire, the root first. */
  codecTypeNames(): string[] {
    return this.message.structs.filter((s) => this.structUsed(s)).map((s) => s.tsName);
  }

  // --------------------------------------------------------------------------------------------------------------
  // Decoding

  private emitReader(struct: StructSpec): string {
    const P = struct.possible;
    const out: string[] = [];
    this.usesReader = true;
    out.push(`function read${struct.tsName}(r: Reader, v: number): ${struct.tsName} {`);
    const tagged: FieldSpec[] = [];
    for (const field of struct.fields) {
      const type = fieldTsType(field, 'output');
      if (field.tag !== undefined) {
        tagged.push(field);
        out.push(`let ${field.name}: ${type} = ${this.defaultOf(field)};`);
        continue;
      }
      const present = intersect(P, field.versions);
      const c = versionCondition(field.versions, P);
      if (c === false) {
        out.push(`const ${field.name}: ${type} = ${this.defaultOf(field)};`);
      } else if (field.type.kind === 'array') {
        out.push(...this.readArrayStatements(struct, field, present, c, false));
      } else {
        const expr = this.readScalar(struct, field, present);
        out.push(
          c === true
            ? `const ${field.name}: ${type} = ${expr};`
            : `const ${field.name}: ${type} = ${c} ? ${expr} : ${this.defaultOf(field)};`,
        );
      }
    }
    const flex = versionCondition(this.message.flexibleVersions, P);
    let hasUnknown = false;
    if (flex !== false) {
      hasUnknown = true;
      const tagsWhat = JSON.stringify(`${this.paths.get(struct)}<tagged fields>`);
      const flexP = intersect(P, this.message.flexibleVersions);
      const live = tagged.filter((f) => versionCondition(f.taggedVersions, flexP) !== false);
      if (live.length === 0) {
        // No known tagged field: every tagged field is kept raw.
        const read = `r.readTaggedFields(${tagsWhat})`;
        out.push(`const _unknown = ${flex === true ? read : `${flex} ? ${read} : undefined`};`);
      } else {
        this.usesTaggedField = true;
        out.push('let _unknown: TaggedField[] | undefined;');
        if (flex !== true) out.push(`if (${flex}) {`);
        out.push(`const _count = r.readTaggedFieldCount(${tagsWhat});`);
        out.push('for (let _i = 0; _i < _count; _i++) {');
        out.push(`const _tag = r.readUnsignedVarint(${tagsWhat});`);
        out.push(`const _size = r.readUnsignedVarint(${tagsWhat});`);
        out.push('switch (_tag) {');
        for (const field of [...live].sort((a, b) => a.tag! - b.tag!)) {
          const tc = versionCondition(intersect(field.taggedVersions, field.versions), flexP);
          out.push(`case ${field.tag}: {`);
          if (tc !== true) out.push(`if (${tc}) {`);
          out.push('const _start = r.offset;');
          out.push(...this.readTaggedValue(struct, field));
          out.push(`r.expectTaggedFieldEnd(_start, _size, ${this.what(struct, field)});`);
          out.push('continue;');
          if (tc !== true) out.push('}', 'break;');
          out.push('}');
        }
        out.push('}');
        out.push(`(_unknown ??= []).push({ tag: _tag, data: r.readRawBytes(_size, ${tagsWhat}) });`);
        out.push('}');
        if (flex !== true) out.push('}');
      }
    }
    const names = struct.fields.map((f) => f.name);
    out.push(`const _s: ${struct.tsName} = { ${names.join(', ')} };`);
    if (hasUnknown) out.push('if (_unknown !== undefined) _s.unknownTaggedFields = _unknown;');
    out.push('return _s;', '}');
    return out.join('\n');
  }

  /** Expression reading a non-array field in versions `present` (non-tagged encoding). */
  private readScalar(struct: StructSpec, field: FieldSpec, present: Versions): string {
    const what = this.what(struct, field);
    const element = elementOf(field);
    if (element.kind === 'struct') {
      const read = `read${element.struct.tsName}(r, v)`;
      const n = versionCondition(field.nullableVersions, present);
      if (n === false) return read;
      const nullable = `r.readInt8(${what}) < 0 ? null : ${read}`;
      return n === true ? `(${nullable})` : `(${n} ? (${nullable}) : ${read})`;
    }
    return this.readPrimitive(element.name, what, present, this.flexibleOf(field), field.nullableVersions);
  }

  /** Expression reading a primitive, choosing compact and nullable forms by version. */
  private readPrimitive(
    type: PrimitiveType,
    what: string,
    present: Versions,
    flexible: Versions,
    nullable: Versions,
  ): string {
    const fixed = READ_FIXED[type];
    if (fixed !== undefined) return `r.${fixed}(${what})`;
    const kind = type === 'string' ? 'String' : 'Bytes';
    const variant = (compact: boolean, range: Versions): string => {
      const prefix = compact ? 'readCompact' : 'read';
      const n = versionCondition(nullable, range);
      if (n === false) return `r.${prefix}${kind}(${what})`;
      if (n === true) return `r.${prefix}Nullable${kind}(${what})`;
      return `(${n} ? r.${prefix}Nullable${kind}(${what}) : r.${prefix}${kind}(${what}))`;
    };
    const f = versionCondition(flexible, present);
    if (f === true) return variant(true, present);
    if (f === false) return variant(false, present);
    return `(${f} ? ${variant(true, intersect(present, flexible))} : ${variant(false, subtractHull(present, flexible))})`;
  }

  /** Minimum encoded size of an element in versions `present`, to bound array counts. */
  private minElementSize(element: ElementType, present: Versions, flexible: Versions): number {
    if (element.kind === 'primitive') {
      const fixed = fixedSize(element.name);
      if (fixed !== undefined) return fixed;
      // The smallest form over the versions: compact (1-byte length) wherever some version is flexible.
      if (!isEmpty(intersect(flexible, present))) return 1;
      return element.name === 'string' ? 2 : 4;
    }
    return Math.max(1, this.minStructSize(element.struct, present, 0));
  }

  private minStructSize(struct: StructSpec, present: Versions, depth: number): number {
    if (depth > 8) return 0;
    const range = intersect(present, struct.possible);
    if (isEmpty(range)) return 0;
    let size = contains(this.message.flexibleVersions, range) ? 1 : 0;
    for (const field of struct.fields) {
      if (field.tag !== undefined || !contains(field.versions, range)) continue;
      const flexible = this.flexibleOf(field);
      const compact = !isEmpty(intersect(flexible, range));
      if (field.type.kind === 'array') {
        size += compact ? 1 : 4;
        continue;
      }
      const element = field.type;
      if (element.kind === 'struct') {
        size += isEmpty(intersect(field.nullableVersions, range))
          ? this.minStructSize(element.struct, range, depth + 1)
          : 1;
        continue;
      }
      const fixed = fixedSize(element.name);
      if (fixed !== undefined) size += fixed;
      else if (compact) size += 1;
      else size += element.name === 'string' ? 2 : 4;
    }
    return size;
  }

  /** Statements reading an array field into a local named after it. */
  private readArrayStatements(
    struct: StructSpec,
    field: FieldSpec,
    present: Versions,
    c: boolean | string,
    tagged: boolean,
  ): string[] {
    const what = this.what(struct, field);
    const element = elementOf(field);
    const flexible = tagged ? present : this.flexibleOf(field);
    const min = this.minElementSize(element, present, flexible);
    const nullable = field.nullableVersions;
    const lengthVariant = (compact: boolean, range: Versions): string => {
      const prefix = compact ? 'readCompact' : 'read';
      const n = versionCondition(nullable, range);
      if (n === false) return `r.${prefix}ArrayLength(${what}, ${min})`;
      if (n === true) return `r.${prefix}NullableArrayLength(${what}, ${min})`;
      return `(${n} ? r.${prefix}NullableArrayLength(${what}, ${min}) : r.${prefix}ArrayLength(${what}, ${min}))`;
    };
    const f = versionCondition(flexible, present);
    const length =
      f === true
        ? lengthVariant(true, present)
        : f === false
          ? lengthVariant(false, present)
          : `(${f} ? ${lengthVariant(true, intersect(present, flexible))} : ${lengthVariant(false, subtractHull(present, flexible))})`;
    const elementRead =
      element.kind === 'struct'
        ? `read${element.struct.tsName}(r, v)`
        : this.readPrimitive(
            element.name,
            JSON.stringify(`${this.paths.get(struct)}${field.name}[]`),
            present,
            flexible,
            {
              lo: 1,
              hi: 0,
            },
          );
    const elementType = fieldTsType({ ...field, nullableVersions: { lo: 1, hi: 0 } }, 'output');
    const out: string[] = [];
    const assign = tagged ? '' : 'let ';
    if (canBeNull(field)) {
      if (!tagged) out.push(`${assign}${field.name}: ${fieldTsType(field, 'output')} = ${this.defaultOf(field)};`);
      if (c !== true) out.push(`if (${c}) {`);
      out.push('{', `const _n = ${length};`);
      out.push(`if (_n < 0) ${field.name} = null;`);
      out.push(
        `else { const _a: ${elementType} = []; for (let _i = 0; _i < _n; _i++) _a.push(${elementRead}); ${field.name} = _a; }`,
      );
      out.push('}');
      if (c !== true) out.push('}');
    } else {
      if (!tagged) out.push(`const ${field.name}: ${elementType} = [];`);
      else out.push(`${field.name} = [];`);
      if (c !== true) out.push(`if (${c}) {`);
      out.push('{', `const _n = ${length};`);
      out.push(`for (let _i = 0; _i < _n; _i++) ${field.name}.push(${elementRead});`);
      out.push('}');
      if (c !== true) out.push('}');
    }
    return out;
  }

  /** Statements reading a tagged field's value (always in the compact, flexible form). */
  private readTaggedValue(struct: StructSpec, field: FieldSpec): string[] {
    const tagged = field.taggedVersions;
    if (field.type.kind === 'array') return this.readArrayStatements(struct, field, tagged, true, true);
    const element = field.type;
    const what = this.what(struct, field);
    if (element.kind === 'struct') {
      const read = `read${element.struct.tsName}(r, v)`;
      const n = versionCondition(field.nullableVersions, tagged);
      return [`${field.name} = ${n === false ? read : `r.readUnsignedVarint(${what}) === 0 ? null : ${read}`};`];
    }
    return [`${field.name} = ${this.readPrimitive(element.name, what, tagged, tagged, field.nullableVersions)};`];
  }

  // --------------------------------------------------------------------------------------------------------------
  // Encoding

  private emitWriter(struct: StructSpec): string {
    const P = struct.possible;
    const out: string[] = [];
    this.usesWriter = true;
    out.push(`function write${struct.tsName}(w: Writer, v: number, s: ${struct.tsName}): void {`);
    const tagged: FieldSpec[] = [];
    for (const field of struct.fields) {
      if (field.tag !== undefined) {
        tagged.push(field);
        continue;
      }
      const c = versionCondition(field.versions, P);
      const present = intersect(P, field.versions);
      const absent = this.absentCheck(struct, field);
      if (c === true) {
        out.push(...this.writeField(struct, field, present));
      } else if (c === false) {
        out.push(...absent);
      } else {
        out.push(`if (${c}) {`, ...this.writeField(struct, field, present), '}');
        if (absent.length > 0) out.push('else {', ...absent, '}');
      }
    }
    const flex = versionCondition(this.message.flexibleVersions, P);
    const flexP = intersect(P, this.message.flexibleVersions);
    // Tagged fields in versions where they do not exist.
    for (const field of tagged) {
      const tc = versionCondition(intersect(field.taggedVersions, field.versions), P);
      if (tc === true) continue;
      const absent = this.absentCheck(struct, field);
      if (absent.length === 0) continue;
      if (tc === false) out.push(...absent);
      else out.push(`if (!${paren(tc)}) {`, ...absent, '}');
    }
    if (flex !== false) {
      out.push('const _unknown = s.unknownTaggedFields;');
      if (flex !== true) out.push(`if (${flex}) {`);
      const live = tagged
        .filter((f) => versionCondition(f.taggedVersions, flexP) !== false)
        .sort((a, b) => a.tag! - b.tag!);
      if (live.length === 0) {
        // No known tagged field: the section holds only the raw ones.
        out.push('w.writeTaggedFields(_unknown);');
      } else {
        out.push(`let _count = _unknown === undefined ? 0 : _unknown.length;`);
        for (const field of live) {
          const tc = versionCondition(intersect(field.taggedVersions, field.versions), flexP);
          const x = `s.${field.name}`;
          const optional = this.isOptional(struct, field);
          const checks = [
            ...(tc === true ? [] : [paren(tc as string)]),
            ...(optional ? [`${x} !== undefined`] : []),
            paren(nonDefaultCondition(field, x)),
          ];
          out.push(`const _has${field.tag} = ${checks.join(' && ')};`);
          out.push(`if (_has${field.tag}) _count++;`);
        }
        out.push('w.writeUnsignedVarint(_count);');
        out.push('let _u = 0;');
        for (const field of live) {
          out.push(`if (_has${field.tag}) {`);
          out.push(`if (_unknown !== undefined) _u = w.writeRawTaggedFieldsBelow(_unknown, _u, ${field.tag});`);
          out.push(`w.writeUnsignedVarint(${field.tag});`);
          out.push(
            ...this.writeTaggedValue(struct, field, `s.${field.name}${this.isOptional(struct, field) ? '!' : ''}`),
          );
          out.push('}');
        }
        out.push(`if (_unknown !== undefined) w.writeRawTaggedFieldsBelow(_unknown, _u, Number.POSITIVE_INFINITY);`);
      }
      if (flex !== true) {
        this.supportImports.add('unsupportedTaggedFields');
        out.push(
          '} else if (_unknown !== undefined && _unknown.length > 0) {',
          `throw unsupportedTaggedFields(${JSON.stringify(this.name)}, ${JSON.stringify(this.paths.get(struct))}, v);`,
          '}',
        );
      }
    }
    out.push('}');
    return out.join('\n');
  }

  /** Statements that throw when a field missing from version `v` holds a non-default value (unless ignorable). */
  private absentCheck(struct: StructSpec, field: FieldSpec): string[] {
    if (field.ignorable) return [];
    const x = `s.${field.name}`;
    const nonDefault = nonDefaultCondition(field, x);
    const test = this.isOptional(struct, field) ? `${x} !== undefined && ${paren(nonDefault)}` : nonDefault;
    this.supportImports.add('unsupportedField');
    this.noteDefaultTest(field);
    return [
      `if (${test}) throw unsupportedField(${JSON.stringify(this.name)}, ${JSON.stringify(`${this.paths.get(struct)}${field.name}`)}, v);`,
    ];
  }

  /** The field's value, with its default filled in when an input field is optional and undefined. */
  private valueOf(struct: StructSpec, field: FieldSpec): string {
    const x = `s.${field.name}`;
    if (!this.isOptional(struct, field)) return x;
    const d = this.defaultOf(field);
    return canBeNull(field) ? `(${x} === undefined ? ${d} : ${x})` : `(${x} ?? ${d})`;
  }

  /** Statements writing a non-tagged field present in versions `present`. */
  private writeField(struct: StructSpec, field: FieldSpec, present: Versions): string[] {
    const value = this.valueOf(struct, field);
    const element = elementOf(field);
    const flexible = this.flexibleOf(field);
    const path = JSON.stringify(`${this.paths.get(struct)}${field.name}`);
    const out: string[] = [];
    const nullGuard = (x: string): string[] => {
      if (!canBeNull(field)) return [];
      const n = versionCondition(field.nullableVersions, present);
      if (n === true) return [];
      this.supportImports.add('unsupportedNull');
      const test = n === false ? `${x} === null` : `${x} === null && !${paren(n)}`;
      return [`if (${test}) throw unsupportedNull(${JSON.stringify(this.name)}, ${path}, v);`];
    };
    if (field.type.kind === 'array') {
      const f = versionCondition(flexible, present);
      const flexTest = (compact: string, legacy: string): string =>
        f === true ? compact : f === false ? legacy : `if (${f}) ${compact} else ${legacy}`;
      out.push('{', `const _a = ${value};`);
      const elementWrite = this.writeElement(element, '_e', f);
      if (canBeNull(field)) {
        out.push(...nullGuard('_a'));
        out.push(`if (_a === null) { ${flexTest('w.writeUnsignedVarint(0);', 'w.writeInt32(-1);')} } else {`);
      }
      out.push(flexTest('w.writeUnsignedVarint(_a.length + 1);', 'w.writeInt32(_a.length);'));
      out.push(`for (const _e of _a) ${elementWrite};`);
      if (canBeNull(field)) out.push('}');
      out.push('}');
      return out;
    }
    if (element.kind === 'struct') {
      const write = `write${element.struct.tsName}(w, v, _x)`;
      const n = versionCondition(field.nullableVersions, present);
      if (!canBeNull(field)) return [`{ const _x = ${value}; ${write}; }`];
      out.push('{', `const _x = ${value};`, ...nullGuard('_x'));
      out.push('if (_x === null) w.writeInt8(-1);');
      out.push('else {');
      if (n === true) out.push('w.writeInt8(1);');
      else if (n !== false) out.push(`if (${n}) w.writeInt8(1);`);
      out.push(`${write};`, '}', '}');
      return out;
    }
    const fixed = WRITE_FIXED[element.name];
    if (fixed !== undefined) return [`w.${fixed}(${value});`];
    const kind = element.name === 'string' ? 'String' : 'Bytes';
    const nullable = canBeNull(field) ? 'Nullable' : '';
    const f = versionCondition(flexible, present);
    const compact = `w.writeCompact${nullable}${kind}(_x);`;
    const legacy = `w.write${nullable}${kind}(_x);`;
    out.push('{', `const _x = ${value};`, ...nullGuard('_x'));
    out.push(f === true ? compact : f === false ? legacy : `if (${f}) ${compact} else ${legacy}`);
    out.push('}');
    return out;
  }

  /** Expression writing one array element `x` (elements are never null). */
  private writeElement(element: ElementType, x: string, flexible: boolean | string): string {
    if (element.kind === 'struct') return `write${element.struct.tsName}(w, v, ${x})`;
    const fixed = WRITE_FIXED[element.name];
    if (fixed !== undefined) return `w.${fixed}(${x})`;
    const kind = element.name === 'string' ? 'String' : 'Bytes';
    if (flexible === true) return `w.writeCompact${kind}(${x})`;
    if (flexible === false) return `w.write${kind}(${x})`;
    return `(${flexible} ? w.writeCompact${kind}(${x}) : w.write${kind}(${x}))`;
  }

  /** Statements writing a tagged field's size and value (compact forms). */
  private writeTaggedValue(struct: StructSpec, field: FieldSpec, x: string): string[] {
    const element = elementOf(field);
    if (field.type.kind !== 'array' && element.kind === 'primitive') {
      const size = fixedSize(element.name);
      const fixed = WRITE_FIXED[element.name];
      if (size !== undefined && fixed !== undefined) return [`w.writeUnsignedVarint(${size});`, `w.${fixed}(${x});`];
    }
    void struct;
    const out = ['const _b = w.beginSizedBlock();'];
    if (field.type.kind === 'array') {
      if (canBeNull(field)) {
        out.push(`if (${x} === null) w.writeUnsignedVarint(0);`, 'else {');
      }
      out.push(`w.writeUnsignedVarint(${x}.length + 1);`);
      out.push(`for (const _e of ${x}) ${this.writeElement(element, '_e', true)};`);
      if (canBeNull(field)) out.push('}');
    } else if (element.kind === 'struct') {
      if (canBeNull(field)) {
        out.push(`if (${x} === null) w.writeUnsignedVarint(0);`);
        out.push(`else { w.writeUnsignedVarint(1); write${element.struct.tsName}(w, v, ${x}); }`);
      } else {
        out.push(`write${element.struct.tsName}(w, v, ${x});`);
      }
    } else {
      const kind = element.name === 'string' ? 'String' : 'Bytes';
      out.push(`w.writeCompact${canBeNull(field) ? 'Nullable' : ''}${kind}(${x});`);
    }
    out.push('w.endSizedBlock(_b);');
    this.noteDefaultTest(field);
    return out;
  }

  // --------------------------------------------------------------------------------------------------------------
  // Defaults

  /** The field's default expression, recording the struct builders it needs. */
  private defaultOf(field: FieldSpec): string {
    const element = elementOf(field);
    const value = defaultValue(field);
    if (element.kind === 'struct' && field.type.kind !== 'array' && value !== null) this.builders.add(element.struct);
    const expr = defaultExpression(field);
    if (expr.includes('EMPTY_BYTES')) this.supportImports.add('EMPTY_BYTES');
    if (expr.includes('ZERO_UUID')) this.supportImports.add('ZERO_UUID');
    return expr;
  }

  private noteDefaultTest(field: FieldSpec): void {
    const element = elementOf(field);
    const value = defaultValue(field);
    if (element.kind === 'struct' && field.type.kind !== 'array' && value !== null)
      this.defaultTests.add(element.struct);
    const expr = defaultExpression(field);
    if (expr.includes('ZERO_UUID')) this.supportImports.add('ZERO_UUID');
  }

  /** `default…()` builders and `isDefault…()` tests, with those of nested structs. */
  private emitDefaults(): string {
    const out: string[] = [];
    const builtDone = new Set<StructSpec>();
    const testsDone = new Set<StructSpec>();
    let progress = true;
    while (progress) {
      progress = false;
      for (const struct of [...this.builders]) {
        if (builtDone.has(struct)) continue;
        builtDone.add(struct);
        progress = true;
        const parts = struct.fields.map((f) => `${f.name}: ${this.defaultOf(f)}`);
        out.push(`function default${struct.tsName}(): ${struct.tsName} {`, `return { ${parts.join(', ')} };`, '}', '');
      }
      for (const struct of [...this.defaultTests]) {
        if (testsDone.has(struct)) continue;
        testsDone.add(struct);
        progress = true;
        const optionalAware = (f: FieldSpec): string => {
          const x = `s.${f.name}`;
          this.noteDefaultTest(f);
          const nd = nonDefaultCondition(f, x);
          return this.isOptional(struct, f) ? `(${x} === undefined || !(${nd}))` : `!(${nd})`;
        };
        const parts = struct.fields.map(optionalAware);
        if (!isEmpty(intersect(struct.possible, this.message.flexibleVersions))) {
          parts.unshift('(s.unknownTaggedFields === undefined || s.unknownTaggedFields.length === 0)');
        }
        if (parts.length === 0) parts.push('true');
        out.push(
          `function isDefault${struct.tsName}(s: ${struct.tsName}): boolean {`,
          `return ${parts.join(' && ')};`,
          '}',
          '',
        );
      }
    }
    return out.join('\n');
  }

  /** The struct with this TypeScript name. */
  structNamed(name: string): StructSpec | undefined {
    return this.byName.get(name);
  }
}
