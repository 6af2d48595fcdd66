/**
 * KafkaJS's numbered admin enums (Kafka's own protocol codes), as constant objects so that both these and KafkaJS's
 * TypeScript enums type-check against them, with the translations to and from the engine's names.
 *
 * @module
 */
import type {
  AclOperation,
  AclPatternType,
  AclPermissionType,
  AclResourceType,
  ConfigResourceType,
  CoreConfigSource,
} from '../core.js';

/** ACL resource types. */
export const AclResourceTypes = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
} as const;
/** One of {@link AclResourceTypes}. */
export type AclResourceTypes = (typeof AclResourceTypes)[keyof typeof AclResourceTypes];

/** Configuration resource types. */
export const ConfigResourceTypes = { UNKNOWN: 0, TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;
/** One of {@link ConfigResourceTypes}. */
export type ConfigResourceTypes = (typeof ConfigResourceTypes)[keyof typeof ConfigResourceTypes];

/** Where a configuration value comes from. */
export const ConfigSource = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const;
/** One of {@link ConfigSource}. */
export type ConfigSource = (typeof ConfigSource)[keyof typeof ConfigSource];

/** ACL permission types. */
export const AclPermissionTypes = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const;
/** One of {@link AclPermissionTypes}. */
export type AclPermissionTypes = (typeof AclPermissionTypes)[keyof typeof AclPermissionTypes];

/** ACL operations. */
export const AclOperationTypes = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
} as const;
/** One of {@link AclOperationTypes}. */
export type AclOperationTypes = (typeof AclOperationTypes)[keyof typeof AclOperationTypes];

/** How an ACL's resource name matches. */
export const ResourcePatternTypes = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;
/** One of {@link ResourcePatternTypes}. */
export type ResourcePatternTypes = (typeof ResourcePatternTypes)[keyof typeof ResourcePatternTypes];

/** Kafka's ACL operation codes, in order, by the engine's names. */
const OPERATIONS: readonly AclOperation[] = [
  'unknown',
  'any',
  'all',
  'read',
  'write',
  'create',
  'delete',
  'alter',
  'describe',
  'clusterAction',
  'describeConfigs',
  'alterConfigs',
  'idempotentWrite',
  'createTokens',
  'describeTokens',
  'twoPhaseCommit',
];
const RESOURCES: readonly AclResourceType[] = [
  'unknown',
  'any',
  'topic',
  'group',
  'cluster',
  'transactionalId',
  'delegationToken',
  'user',
];
const PATTERNS: readonly AclPatternType[] = ['unknown', 'any', 'match', 'literal', 'prefixed'];
const PERMISSIONS: readonly AclPermissionType[] = ['unknown', 'any', 'deny', 'allow'];
const SOURCES: readonly CoreConfigSource[] = [
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

function byCode<T>(list: readonly T[], code: number, what: string): T {
  const name = list[code];
  if (name === undefined) throw new RangeError(`Unknown ${what} ${code}`);
  return name;
}

/** The engine's name of an ACL operation code. */
export const aclOperation = (code: number): AclOperation => byCode(OPERATIONS, code, 'ACL operation');
/** The engine's name of an ACL resource type code. */
export const aclResourceType = (code: number): AclResourceType => byCode(RESOURCES, code, 'ACL resource type');
/** The engine's name of a resource pattern type code. */
export const aclPatternType = (code: number): AclPatternType => byCode(PATTERNS, code, 'resource pattern type');
/** The engine's name of an ACL permission code. */
export const aclPermission = (code: number): AclPermissionType => byCode(PERMISSIONS, code, 'ACL permission type');

/** The code of an engine ACL operation name. */
export const aclOperationCode = (name: AclOperation): number => Math.max(0, OPERATIONS.indexOf(name));
/** The code of an engine ACL resource type name. */
export const aclResourceTypeCode = (name: AclResourceType): number => Math.max(0, RESOURCES.indexOf(name));
/** The code of an engine resource pattern type name. */
export const aclPatternTypeCode = (name: AclPatternType): number => Math.max(0, PATTERNS.indexOf(name));
/** The code of an engine ACL permission name. */
export const aclPermissionCode = (name: AclPermissionType): number => Math.max(0, PERMISSIONS.indexOf(name));
/** The code of an engine configuration source name. */
export const configSourceCode = (name: CoreConfigSource): number => Math.max(0, SOURCES.indexOf(name));

/** The engine's name of a configuration resource type code. */
export function configResourceType(code: number): ConfigResourceType {
  switch (code) {
    case ConfigResourceTypes.TOPIC:
      return 'topic';
    case ConfigResourceTypes.BROKER:
      return 'broker';
    case ConfigResourceTypes.BROKER_LOGGER:
      return 'brokerLogger';
    default:
      throw new RangeError(`Unknown config resource type ${code}`);
  }
}
