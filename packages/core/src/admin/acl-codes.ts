import { InvalidArgumentError } from '../errors/client-errors.js';

/**
 * An operation an ACL allows or denies. Java: `AclOperation` (`READ` is `'read'`, `CLUSTER_ACTION` is
 * `'clusterAction'`, ...). `'any'` only appears in filters; `'unknown'` is a code this client does not know.
 */
export type AclOperation =
  | 'unknown'
  | 'any'
  | 'all'
  | 'read'
  | 'write'
  | 'create'
  | 'delete'
  | 'alter'
  | 'describe'
  | 'clusterAction'
  | 'describeConfigs'
  | 'alterConfigs'
  | 'idempotentWrite'
  | 'createTokens'
  | 'describeTokens'
  | 'twoPhaseCommit';

/** A kind of resource an ACL protects. Java: `ResourceType` (`TRANSACTIONAL_ID` is `'transactionalId'`). */
export type AclResourceType =
  | 'unknown'
  | 'any'
  | 'topic'
  | 'group'
  | 'cluster'
  | 'transactionalId'
  | 'delegationToken'
  | 'user';

/**
 * How an ACL's resource name matches. Java: `PatternType`. `'literal'` (the name, or `*` for all), `'prefixed'`
 * (names starting with it); in filters also `'any'` (either) and `'match'` (the ACLs that would apply to the name).
 */
export type AclPatternType = 'unknown' | 'any' | 'match' | 'literal' | 'prefixed';

/** Whether an ACL allows or denies. Java: `AclPermissionType`; `'any'` only appears in filters. */
export type AclPermissionType = 'unknown' | 'any' | 'deny' | 'allow';

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
const RESOURCE_TYPES: readonly AclResourceType[] = [
  'unknown',
  'any',
  'topic',
  'group',
  'cluster',
  'transactionalId',
  'delegationToken',
  'user',
];
const PATTERN_TYPES: readonly AclPatternType[] = ['unknown', 'any', 'match', 'literal', 'prefixed'];
const PERMISSION_TYPES: readonly AclPermissionType[] = ['unknown', 'any', 'deny', 'allow'];

function codeOf<T extends string>(table: readonly T[], value: T, what: string): number {
  const code = table.indexOf(value);
  if (code < 0) {
    throw new InvalidArgumentError(`Unknown ${what} '${String(value)}': expected one of ${table.join(', ')}`);
  }
  return code;
}

/** Protocol code of an ACL operation (Java `AclOperation.code()`). Throws `InvalidArgumentError` for a bad name. */
export function aclOperationCode(operation: AclOperation): number {
  return codeOf(OPERATIONS, operation, 'ACL operation');
}

/** ACL operation of a protocol code (`'unknown'` for codes this client does not know). */
export function aclOperationName(code: number): AclOperation {
  return OPERATIONS[code] ?? 'unknown';
}

/** Protocol code of an ACL resource type (Java `ResourceType.code()`). */
export function aclResourceTypeCode(type: AclResourceType): number {
  return codeOf(RESOURCE_TYPES, type, 'ACL resource type');
}

/** ACL resource type of a protocol code. */
export function aclResourceTypeName(code: number): AclResourceType {
  return RESOURCE_TYPES[code] ?? 'unknown';
}

/** Protocol code of a pattern type (Java `PatternType.code()`). */
export function aclPatternTypeCode(type: AclPatternType): number {
  return codeOf(PATTERN_TYPES, type, 'ACL pattern type');
}

/** Pattern type of a protocol code. */
export function aclPatternTypeName(code: number): AclPatternType {
  return PATTERN_TYPES[code] ?? 'unknown';
}

/** Protocol code of a permission type (Java `AclPermissionType.code()`). */
export function aclPermissionTypeCode(type: AclPermissionType): number {
  return codeOf(PERMISSION_TYPES, type, 'ACL permission type');
}

/** Permission type of a protocol code. */
export function aclPermissionTypeName(code: number): AclPermissionType {
  return PERMISSION_TYPES[code] ?? 'unknown';
}

/** The bitfield value brokers send when authorized operations were not asked for (`Integer.MIN_VALUE`). */
const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

/**
 * The operations an `authorizedOperations` bitfield grants (bit n = the operation of code n), or `undefined` when
 * the broker left the field out. Java: `Utils.from32BitField` in `KafkaAdminClient.validAclOperations`.
 */
export function authorizedOperations(bits: number): AclOperation[] | undefined {
  if (bits === AUTHORIZED_OPERATIONS_OMITTED) return undefined;
  const operations: AclOperation[] = [];
  for (let code = 0; code < 32; code++) {
    if ((bits & (1 << code)) === 0) continue;
    const operation = OPERATIONS[code];
    if (operation !== undefined && operation !== 'unknown' && operation !== 'any' && operation !== 'all') {
      operations.push(operation);
    }
  }
  return operations;
}
