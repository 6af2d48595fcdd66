import { InvalidArgumentError } from '../errors/client-errors.js';
import { ErrorCodes } from '../errors/error-codes.generated.js';
import { AlterClientQuotas } from '../protocol/messages/generated/alter-client-quotas.js';
import { DescribeClientQuotas } from '../protocol/messages/generated/describe-client-quotas.js';
import { exchange, exchangeWithAnyBroker } from './admin-exchange.js';
import type { AdminCallOptions } from './admin-options.js';
import { type AdminRouter, brokerError, throwIfError } from './admin-request.js';
import type { ItemResult } from './admin-types.js';

/** A kind of quota entity. Java: `ClientQuotaEntity.USER`, `CLIENT_ID`, `IP`. */
export type QuotaEntityType = 'user' | 'client-id' | 'ip';

/**
 * Who a quota applies to: one or more entity types, each with a name, or null for that type's default
 * (`{ user: 'alice' }`, `{ user: null }` for the default user, `{ user: 'alice', 'client-id': 'app' }`).
 * Java: `ClientQuotaEntity`.
 */
export type QuotaEntity = { readonly [T in QuotaEntityType]?: string | null };

/**
 * One part of a quota filter. Java: `ClientQuotaFilterComponent`: `ofEntity` (`{ name }`), `ofDefaultEntity`
 * (`'default'`), `ofEntityType` (`'any'`: any entity of the type that has a name).
 */
export interface QuotaFilterComponent {
  /** The entity type. */
  readonly entityType: QuotaEntityType;
  /** What to match: one name, the type's default entity, or any named entity of the type. */
  readonly match: { readonly name: string } | 'default' | 'any';
}

/** Options of `describeClientQuotas`. Java: `ClientQuotaFilter` and `DescribeClientQuotasOptions`. */
export interface DescribeClientQuotasOptions extends AdminCallOptions {
  /** The filter; default: every quota entity. */
  readonly components?: readonly QuotaFilterComponent[];
  /**
   * Only entities with exactly the components' types (`ClientQuotaFilter.containsOnly`); otherwise entities that
   * also have other types match too (`ClientQuotaFilter.contains`). Default false.
   */
  readonly strict?: boolean;
}

/** An entity and its quotas. Java: `Map<ClientQuotaEntity, Map<String, Double>>` entry. */
export interface ClientQuotaEntry {
  /** Who. */
  readonly entity: QuotaEntity;
  /** Quota values by key (`producer_byte_rate`, `consumer_byte_rate`, `request_percentage`, ...). */
  readonly quotas: Readonly<Record<string, number>>;
}

/** Changes to one entity's quotas. Java: `ClientQuotaAlteration`. */
export interface ClientQuotaAlteration {
  /** Who. */
  readonly entity: QuotaEntity;
  /** Quotas to set (a number) or remove (null), by key. */
  readonly ops: Readonly<Record<string, number | null>>;
}

/** The result of `alterClientQuotas` for one entity. Java: `AlterClientQuotasResult.values()`. */
export type AlterClientQuotasResult = ItemResult<{ readonly entity: QuotaEntity }>;

/** Options of `alterClientQuotas`. Java: `AlterClientQuotasOptions`. */
export interface AlterClientQuotasOptions extends AdminCallOptions {
  /** Check without changing anything. Java: `validateOnly`. Default false. */
  readonly validateOnly?: boolean;
}

const ENTITY_TYPES: ReadonlySet<string> = new Set<QuotaEntityType>(['user', 'client-id', 'ip']);

/** `describeClientQuotas`: the quotas of the entities matching a filter (DescribeClientQuotas to any broker). */
export async function describeClientQuotas(
  router: AdminRouter,
  options: DescribeClientQuotasOptions = {},
): Promise<ClientQuotaEntry[]> {
  const call = router.call('describeClientQuotas', options);
  const components = (options.components ?? []).map((c) => {
    checkType(c?.entityType, 'describeClientQuotas');
    if (c.match === 'default') return { entityType: c.entityType, matchType: 1, match: null };
    if (c.match === 'any') return { entityType: c.entityType, matchType: 2, match: null };
    if (c.match !== null && typeof c.match === 'object' && typeof c.match.name === 'string') {
      return { entityType: c.entityType, matchType: 0, match: c.match.name };
    }
    throw new InvalidArgumentError("describeClientQuotas: match is { name }, 'default' or 'any'");
  });
  await router.ready(call);
  return router.retryOnAnyBroker(call, async (connection) => {
    const response = await exchange(router, call, connection, {
      api: DescribeClientQuotas,
      request: () => ({ components, strict: options.strict ?? false }),
    });
    throwIfError(response.errorCode, response.errorMessage, { api: 'DescribeClientQuotas' }, connection);
    return (response.entries ?? []).map((entry) => ({
      entity: Object.fromEntries(entry.entity.map((e) => [e.entityType, e.entityName])) as QuotaEntity,
      quotas: Object.fromEntries(entry.values.map((v) => [v.key, v.value])),
    }));
  });
}

/** `alterClientQuotas`: sets and removes quotas (AlterClientQuotas to any broker); each entity fails alone. */
export async function alterClientQuotas(
  router: AdminRouter,
  alterations: readonly ClientQuotaAlteration[],
  options: AlterClientQuotasOptions = {},
): Promise<AlterClientQuotasResult[]> {
  const call = router.call('alterClientQuotas', options);
  const entries = alterations.map((a) => {
    const entity = entityFields(a?.entity, 'alterClientQuotas');
    if (a.ops === null || typeof a.ops !== 'object') {
      throw new InvalidArgumentError('alterClientQuotas: ops maps quota keys to a number, or null to remove');
    }
    const ops = Object.entries(a.ops).map(([key, value]) => {
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw new InvalidArgumentError(`alterClientQuotas: the value of ${key} must be a number or null`);
      }
      return value === null ? { key, value: 0, remove: true } : { key, value, remove: false };
    });
    return { entity, ops };
  });
  if (entries.length === 0) return [];
  await router.ready(call);
  const { response, connection } = await exchangeWithAnyBroker(router, call, {
    api: AlterClientQuotas,
    request: () => ({ entries, validateOnly: options.validateOnly ?? false }),
  });
  const byEntity = new Map(response.entries.map((e) => [entityKey(e.entity), e]));
  return alterations.map((a, i): AlterClientQuotasResult => {
    const answer = byEntity.get(entityKey(entries[i]!.entity));
    if (answer === undefined || answer.errorCode === ErrorCodes.NONE) return { entity: a.entity };
    return {
      entity: a.entity,
      error: brokerError(answer.errorCode, answer.errorMessage, { api: 'AlterClientQuotas' }, connection),
    };
  });
}

function entityFields(entity: QuotaEntity | undefined, method: string) {
  if (entity === null || typeof entity !== 'object' || Object.keys(entity).length === 0) {
    throw new InvalidArgumentError(`${method}: an entity names at least one of user, client-id, ip`);
  }
  return Object.entries(entity).map(([entityType, entityName]) => {
    checkType(entityType, method);
    if (entityName !== null && typeof entityName !== 'string') {
      throw new InvalidArgumentError(`${method}: entity names are strings, or null for the default entity`);
    }
    return { entityType, entityName: entityName ?? null };
  });
}

function entityKey(entity: ReadonlyArray<{ entityType: string; entityName: string | null }>): string {
  return entity
    .map((e) => `${e.entityType}=${e.entityName === null ? '\u0000' : e.entityName}`)
    .sort()
    .join('\u0001');
}

function checkType(type: string | undefined, method: string): void {
  if (type === undefined || !ENTITY_TYPES.has(type)) {
    throw new InvalidArgumentError(`${method}: entity types are user, client-id and ip, got ${String(type)}`);
  }
}
