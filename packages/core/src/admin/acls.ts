import { createBrokerError } from '../errors/broker-error-factory.js';
import { InvalidArgumentError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import type { KafkaError } from '../errors/kafka-error.js';
import { CreateAcls } from '../protocol/messages/generated/create-acls.js';
import { DeleteAcls } from '../protocol/messages/generated/delete-acls.js';
import { DescribeAcls } from '../protocol/messages/generated/describe-acls.js';
import {
  type AclOperation,
  type AclPatternType,
  type AclPermissionType,
  type AclResourceType,
  aclOperationCode,
  aclOperationName,
  aclPatternTypeCode,
  aclPatternTypeName,
  aclPermissionTypeCode,
  aclPermissionTypeName,
  aclResourceTypeCode,
  aclResourceTypeName,
} from './acl-codes.js';
import { exchange, exchangeWithAnyBroker } from './admin-exchange.js';
import type { AdminCallOptions } from './admin-options.js';
import { type AdminRouter, brokerError, throwIfError } from './admin-request.js';
import type { ItemResult } from './admin-types.js';

/**
 * An ACL: who (`principal`, from `host`) may or may not (`permission`) do what (`operation`) to which resources.
 * Java: `AclBinding` (`ResourcePattern` + `AccessControlEntry`).
 */
export interface AclBinding {
  /** The kind of resource. */
  readonly resourceType: AclResourceType;
  /** The resource name (`orders`; `*` for all; `kafka-cluster` for the cluster). */
  readonly resourceName: string;
  /** How `resourceName` matches: `'literal'` or `'prefixed'`. */
  readonly patternType: AclPatternType;
  /** The principal, `User:alice` (or `User:*`). */
  readonly principal: string;
  /** The client host the ACL applies to, `*` for any. */
  readonly host: string;
  /** The operation. */
  readonly operation: AclOperation;
  /** `'allow'` or `'deny'`. */
  readonly permission: AclPermissionType;
}

/**
 * An ACL to create: an {@link AclBinding} whose `patternType` defaults to `'literal'` and `host` to `'*'`. Java:
 * `AclBinding`.
 */
export type NewAcl = Omit<AclBinding, 'patternType' | 'host'> & {
  readonly patternType?: AclPatternType;
  readonly host?: string;
};

/**
 * Which ACLs to describe or delete. Java: `AclBindingFilter`. Every field left out (or null) matches anything:
 * types and operations default to `'any'`, names, principals and hosts to any. `patternType: 'match'` finds the
 * ACLs that apply to `resourceName` (literal, wildcard and prefixed ones).
 */
export interface AclFilter {
  /** Default `'any'`. */
  readonly resourceType?: AclResourceType;
  /** Default: any name. */
  readonly resourceName?: string | null;
  /** Default `'any'`. */
  readonly patternType?: AclPatternType;
  /** Default: any principal. */
  readonly principal?: string | null;
  /** Default: any host. */
  readonly host?: string | null;
  /** Default `'any'`. */
  readonly operation?: AclOperation;
  /** Default `'any'`. */
  readonly permission?: AclPermissionType;
}

/** The result of `createAcls` for one ACL. Java: `CreateAclsResult.values()`. */
export type CreateAclResult = ItemResult<{ readonly acl: AclBinding }>;

/** An ACL a filter matched in `deleteAcls`, deleted or not. Java: `DeleteAclsResult.FilterResult`. */
export type DeletedAclResult = ItemResult<{ readonly acl: AclBinding }>;

/**
 * The result of `deleteAcls` for one filter: the ACLs it matched, each deleted or failed. Java:
 * `DeleteAclsResult.values()` (`FilterResults`).
 */
export type DeleteAclsResult = ItemResult<
  { readonly filter: AclFilter },
  { readonly deleted: readonly DeletedAclResult[] }
>;

/**
 * `describeAcls`: the ACLs matching a filter (DescribeAcls to any broker). Rejects when the broker has no
 * authorizer (`SecurityDisabledError`) or the client may not describe ACLs (`ClusterAuthorizationFailedError`).
 */
export async function describeAcls(
  router: AdminRouter,
  filter: AclFilter = {},
  options: AdminCallOptions = {},
): Promise<AclBinding[]> {
  const call = router.call('describeAcls', options);
  const request = filterFields(filter);
  await router.ready(call);
  return router.retryOnAnyBroker(call, async (connection) => {
    const response = await exchange(router, call, connection, {
      api: DescribeAcls,
      request: () => ({
        resourceTypeFilter: request.resourceTypeFilter,
        resourceNameFilter: request.resourceNameFilter,
        patternTypeFilter: request.patternTypeFilter,
        principalFilter: request.principalFilter,
        hostFilter: request.hostFilter,
        operation: request.operation,
        permissionType: request.permissionType,
      }),
    });
    throwIfError(response.errorCode, response.errorMessage, { api: 'DescribeAcls' }, connection);
    const bindings: AclBinding[] = [];
    for (const resource of response.resources) {
      for (const acl of resource.acls) {
        bindings.push({
          resourceType: aclResourceTypeName(resource.resourceType),
          resourceName: resource.resourceName,
          patternType: aclPatternTypeName(resource.patternType),
          principal: acl.principal,
          host: acl.host,
          operation: aclOperationName(acl.operation),
          permission: aclPermissionTypeName(acl.permissionType),
        });
      }
    }
    return bindings;
  });
}

/**
 * `createAcls`: CreateAcls to any broker (which forwards to the controller). One result per ACL: an invalid ACL
 * (checked before sending: `'any'`, `'match'`, `'unknown'` values) fails alone with `InvalidRequestError`.
 */
export async function createAcls(
  router: AdminRouter,
  acls: readonly NewAcl[],
  options: AdminCallOptions = {},
): Promise<CreateAclResult[]> {
  const call = router.call('createAcls', options);
  const bindings = acls.map(bindingOf);
  const local = bindings.map(checkNewAcl);
  const valid = bindings.filter((_, i) => local[i] === undefined);
  const creations = valid.map((b) => ({
    resourceType: aclResourceTypeCode(b.resourceType),
    resourceName: b.resourceName,
    resourcePatternType: aclPatternTypeCode(b.patternType),
    principal: b.principal,
    host: b.host,
    operation: aclOperationCode(b.operation),
    permissionType: aclPermissionTypeCode(b.permission),
  }));
  const sent: CreateAclResult[] = [];
  if (creations.length > 0) {
    await router.ready(call);
    const { response, connection } = await exchangeWithAnyBroker(router, call, {
      api: CreateAcls,
      request: () => ({ creations }),
    });
    valid.forEach((acl, i) => {
      const result = response.results[i];
      sent.push(
        result === undefined || result.errorCode === ErrorCodes.NONE
          ? { acl }
          : {
              acl,
              error: brokerError(result.errorCode, result.errorMessage, { api: 'CreateAcls' }, connection),
            },
      );
    });
  }
  let next = 0;
  return bindings.map((acl, i): CreateAclResult => {
    const error = local[i];
    return error === undefined ? sent[next++]! : { acl, error };
  });
}

/**
 * An ACL that cannot exist fails before it is sent (as Java's `ResourcePattern` and `AccessControlEntry` refuse
 * to hold it): a filter-only value (`'any'`, `'match'`) or `'unknown'`. Kafka's controller would fail the whole
 * request on one of these (UNKNOWN_SERVER_ERROR), taking the valid ACLs down with it.
 */
function checkNewAcl(acl: AclBinding): KafkaError | undefined {
  const bad =
    acl.resourceType === 'any' || acl.resourceType === 'unknown'
      ? `resource type '${acl.resourceType}'`
      : acl.patternType === 'any' || acl.patternType === 'match' || acl.patternType === 'unknown'
        ? `pattern type '${acl.patternType}'`
        : acl.operation === 'any' || acl.operation === 'unknown'
          ? `operation '${acl.operation}'`
          : acl.permission === 'any' || acl.permission === 'unknown'
            ? `permission '${acl.permission}'`
            : undefined;
  if (bad === undefined) return undefined;
  return createBrokerError(ErrorCodes.INVALID_REQUEST, {
    api: 'CreateAcls',
    serverMessage: `An ACL cannot have ${bad}: that value only appears in filters`,
  });
}

/**
 * `deleteAcls`: DeleteAcls to any broker. One result per filter, listing the ACLs it matched, each deleted or
 * failed.
 */
export async function deleteAcls(
  router: AdminRouter,
  filters: readonly AclFilter[],
  options: AdminCallOptions = {},
): Promise<DeleteAclsResult[]> {
  const call = router.call('deleteAcls', options);
  const requests = filters.map(filterFields);
  if (filters.length === 0) return [];
  await router.ready(call);
  const { response, connection } = await exchangeWithAnyBroker(router, call, {
    api: DeleteAcls,
    request: () => ({ filters: requests }),
  });
  const context = { api: 'DeleteAcls' };
  return filters.map((filter, i): DeleteAclsResult => {
    const result = response.filterResults[i];
    if (result === undefined) return { filter, deleted: [] };
    if (result.errorCode !== ErrorCodes.NONE) {
      return { filter, error: brokerError(result.errorCode, result.errorMessage, context, connection) };
    }
    const deleted = result.matchingAcls.map((m): DeletedAclResult => {
      const acl: AclBinding = {
        resourceType: aclResourceTypeName(m.resourceType),
        resourceName: m.resourceName,
        patternType: aclPatternTypeName(m.patternType),
        principal: m.principal,
        host: m.host,
        operation: aclOperationName(m.operation),
        permission: aclPermissionTypeName(m.permissionType),
      };
      return m.errorCode === ErrorCodes.NONE
        ? { acl }
        : { acl, error: brokerError(m.errorCode, m.errorMessage, context, connection) };
    });
    return { filter, deleted };
  });
}

function bindingOf(acl: NewAcl): AclBinding {
  if (
    acl === null ||
    typeof acl !== 'object' ||
    typeof acl.resourceName !== 'string' ||
    typeof acl.principal !== 'string'
  ) {
    throw new InvalidArgumentError(
      'createAcls: each ACL needs resourceType, resourceName, principal, operation, permission',
    );
  }
  return { ...acl, patternType: acl.patternType ?? 'literal', host: acl.host ?? '*' };
}

function filterFields(filter: AclFilter) {
  if (filter === null || typeof filter !== 'object') throw new InvalidArgumentError('An ACL filter is an object');
  return {
    resourceTypeFilter: aclResourceTypeCode(filter.resourceType ?? 'any'),
    resourceNameFilter: filter.resourceName ?? null,
    patternTypeFilter: aclPatternTypeCode(filter.patternType ?? 'any'),
    principalFilter: filter.principal ?? null,
    hostFilter: filter.host ?? null,
    operation: aclOperationCode(filter.operation ?? 'any'),
    permissionType: aclPermissionTypeCode(filter.permission ?? 'any'),
  };
}
