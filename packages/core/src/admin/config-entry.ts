import { InvalidArgumentError } from '../errors/client-errors.js';

/**
 * Where a configuration value comes from. Java: `ConfigEntry.ConfigSource` (`DYNAMIC_TOPIC_CONFIG` is `'topic'`,
 * `DYNAMIC_BROKER_CONFIG` is `'dynamicBroker'`, `DEFAULT_CONFIG` is `'default'`, ...).
 */
export type ConfigSource =
  | 'unknown'
  | 'topic'
  | 'dynamicBroker'
  | 'dynamicDefaultBroker'
  | 'staticBroker'
  | 'default'
  | 'dynamicBrokerLogger'
  | 'clientMetrics'
  | 'group';

/** The type of a configuration value. Java: `ConfigEntry.ConfigType`. */
export type ConfigType =
  | 'unknown'
  | 'boolean'
  | 'string'
  | 'int'
  | 'short'
  | 'long'
  | 'double'
  | 'list'
  | 'class'
  | 'password';

/** A value a configuration key takes from another source, in order of precedence. Java: `ConfigEntry.ConfigSynonym`. */
export interface ConfigSynonym {
  /** The key at that source (a broker key may stand for a topic key: `log.retention.ms` for `retention.ms`). */
  readonly name: string;
  /** The value there; null when sensitive. */
  readonly value: string | null;
  /** The source. */
  readonly source: ConfigSource;
}

/** One configuration key of a resource. Java: `ConfigEntry`. */
export interface ConfigEntry {
  /** The key (`retention.ms`). */
  readonly name: string;
  /** The value; null when sensitive (passwords) or unset. */
  readonly value: string | null;
  /** Where the value comes from. */
  readonly source: ConfigSource;
  /** True when the value is the default (`source === 'default'`). Java: `isDefault()`. */
  readonly isDefault: boolean;
  /** True when it cannot be changed at runtime. */
  readonly isReadOnly: boolean;
  /** True when the value is secret (then `value` is null). */
  readonly isSensitive: boolean;
  /** The values from every source, highest precedence first (with `includeSynonyms`). */
  readonly synonyms: readonly ConfigSynonym[];
  /** The value's type (DescribeConfigs v3+; `'unknown'` before). */
  readonly type: ConfigType;
  /** The key's documentation (with `includeDocumentation`), or null. */
  readonly documentation: string | null;
}

const SOURCES: readonly ConfigSource[] = [
  'unknown',
  'topic',
  'dynamicBroker',
  'dynamicDefaultBroker',
  'staticBroker',
  'default',
  'dynamicBrokerLogger',
  'clientMetrics',
  'group',
];
const TYPES: readonly ConfigType[] = [
  'unknown',
  'boolean',
  'string',
  'int',
  'short',
  'long',
  'double',
  'list',
  'class',
  'password',
];

/**
 * The source of a protocol code (Java `DescribeConfigsResponse.ConfigSource.id()`); -1 and unknown codes are
 * `'unknown'`.
 */
export function configSourceName(code: number): ConfigSource {
  return SOURCES[code] ?? 'unknown';
}

/** The type of a protocol code (Java `DescribeConfigsResponse.ConfigType.id()`). */
export function configTypeName(code: number): ConfigType {
  return TYPES[code] ?? 'unknown';
}

/** A config entry from its protocol fields. */
export function configEntry(entry: {
  readonly name: string;
  readonly value: string | null;
  readonly readOnly: boolean;
  readonly configSource: number;
  readonly isSensitive: boolean;
  readonly synonyms?: readonly { readonly name: string; readonly value: string | null; readonly source: number }[];
  readonly configType?: number;
  readonly documentation?: string | null;
}): ConfigEntry {
  const source = configSourceName(entry.configSource);
  return {
    name: entry.name,
    value: entry.value,
    source,
    isDefault: source === 'default',
    isReadOnly: entry.readOnly,
    isSensitive: entry.isSensitive,
    synonyms: (entry.synonyms ?? []).map((s) => ({ name: s.name, value: s.value, source: configSourceName(s.source) })),
    type: configTypeName(entry.configType ?? 0),
    documentation: entry.documentation ?? null,
  };
}

/** `{ key: value }` as protocol config pairs; checks that every value is a string or null. */
export function configPairs(
  configs: Readonly<Record<string, string | null>> | undefined,
  where: string,
): Array<{ name: string; value: string | null }> {
  if (configs === undefined) return [];
  return Object.entries(configs).map(([name, value]) => {
    if (value !== null && typeof value !== 'string') {
      throw new InvalidArgumentError(
        `${where}: config ${name} must be a string or null, got ${typeof value} (write numbers as strings: '86400000')`,
      );
    }
    return { name, value };
  });
}
