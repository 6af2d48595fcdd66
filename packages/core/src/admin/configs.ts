import { InvalidArgumentError } from '../errors/client-errors.js';
import type { Connection } from '../network/connection.js';
import { AlterConfigs } from '../protocol/messages/generated/alter-configs.js';
import { DescribeConfigs } from '../protocol/messages/generated/describe-configs.js';
import { IncrementalAlterConfigs } from '../protocol/messages/generated/incremental-alter-configs.js';
import type { AdminCall } from './admin-call.js';
import { exchange } from './admin-exchange.js';
import type { AdminCallOptions } from './admin-options.js';
import { type AdminRouter, type Outcomes, settle } from './admin-request.js';
import type { ItemResult } from './admin-types.js';
import { type ConfigEntry, configEntry, configPairs } from './config-entry.js';
import { type ItemEntry, itemOutcomes } from './item-outcomes.js';

/**
 * A kind of resource with configs. Java: `ConfigResource.Type` (`BROKER_LOGGER` is `'brokerLogger'`,
 * `CLIENT_METRICS` is `'clientMetrics'`).
 */
export type ConfigResourceType = 'topic' | 'broker' | 'brokerLogger' | 'group' | 'clientMetrics';

/**
 * A resource with configs. Java: `ConfigResource`. Names: the topic or group name; for `'broker'` and
 * `'brokerLogger'` the broker's node id as a string (`'1'`), or `''` for the cluster-wide broker defaults.
 */
export interface ConfigResource {
  /** The kind of resource. */
  readonly type: ConfigResourceType;
  /** Its name (see above). */
  readonly name: string;
}

/** A resource to describe, optionally only some of its keys. Java: `ConfigResource`. */
export interface DescribeConfigsResource extends ConfigResource {
  /** Only these keys (kafka-python's `ConfigResource(configs=...)`). Default: every key. */
  readonly configNames?: readonly string[];
}

/** Options of `describeConfigs`. Java: `DescribeConfigsOptions`. */
export interface DescribeConfigsOptions extends AdminCallOptions {
  /** Include each key's values from every source (`synonyms`). Java: `includeSynonyms`. Default false. */
  readonly includeSynonyms?: boolean;
  /** Include each key's documentation (DescribeConfigs v3+). Java: `includeDocumentation`. Default false. */
  readonly includeDocumentation?: boolean;
}

/** The result of `describeConfigs` for one resource. Java: `Config` per `ConfigResource`. */
export type DescribeConfigsResult = ItemResult<
  { readonly resource: ConfigResource },
  { readonly entries: readonly ConfigEntry[] }
>;

/**
 * New configs of a resource for `alterConfigs`, which replaces every dynamic config of the resource. Java:
 * `Map<ConfigResource, Config>` entry.
 */
export interface AlterConfigsResource {
  /** The resource. */
  readonly resource: ConfigResource;
  /** Its dynamic configs after the call; keys left out return to their defaults. */
  readonly configs: Readonly<Record<string, string | null>>;
}

/** How `incrementalAlterConfigs` changes a key. Java: `AlterConfigOp.OpType`. */
export type AlterConfigOpType = 'set' | 'delete' | 'append' | 'subtract';

/** One change of `incrementalAlterConfigs`. Java: `AlterConfigOp`. */
export interface AlterConfigOp {
  /** The key. */
  readonly name: string;
  /** `'set'` a value, `'delete'` it (back to the default), `'append'` to or `'subtract'` from a list. */
  readonly op: AlterConfigOpType;
  /** The value (not needed for `'delete'`). */
  readonly value?: string | null;
}

/**
 * Changes to one resource's configs for `incrementalAlterConfigs`. Java: `Map<ConfigResource,
 * Collection<AlterConfigOp>>` entry.
 */
export interface IncrementalAlterConfigsResource {
  /** The resource. */
  readonly resource: ConfigResource;
  /** The changes. */
  readonly ops: readonly AlterConfigOp[];
}

/** Options of `alterConfigs` and `incrementalAlterConfigs`. Java: `AlterConfigsOptions`. */
export interface AlterConfigsOptions extends AdminCallOptions {
  /** Check the changes without applying them. Java: `validateOnly`. Default false. */
  readonly validateOnly?: boolean;
}

/** The result of `alterConfigs` or `incrementalAlterConfigs` for one resource. Java: `AlterConfigsResult.values()`. */
export type AlterConfigsResult = ItemResult<{ readonly resource: ConfigResource }>;

const RESOURCE_TYPE_CODES: Readonly<Record<ConfigResourceType, number>> = {
  topic: 2,
  broker: 4,
  brokerLogger: 8,
  clientMetrics: 16,
  group: 32,
};
const OP_CODES: Readonly<Record<AlterConfigOpType, number>> = { set: 0, delete: 1, append: 2, subtract: 3 };

/** `describeConfigs`: values, sources, synonyms and types of the keys of topics, brokers, groups, ... */
export async function describeConfigs(
  router: AdminRouter,
  resources: readonly DescribeConfigsResource[],
  options: DescribeConfigsOptions = {},
): Promise<DescribeConfigsResult[]> {
  const call = router.call('describeConfigs', options);
  for (const r of resources) checkResource(r, 'describeConfigs');
  if (resources.length === 0) return [];
  await router.ready(call);
  const outcomes = await perTarget(
    router,
    call,
    resources,
    (r) => r,
    async (connection, pending) => {
      const response = await exchange(router, call, connection, {
        api: DescribeConfigs,
        needs: options.includeDocumentation === true ? { minVersion: 3, feature: 'includeDocumentation' } : {},
        request: () => ({
          resources: pending.map((r) => ({
            ...resourceFields(r),
            configurationKeys: r.configNames === undefined ? null : r.configNames,
          })),
          includeSynonyms: options.includeSynonyms ?? false,
          includeDocumentation: options.includeDocumentation ?? false,
        }),
      });
      return resourceOutcomes(response.results, connection, 'DescribeConfigs', (result) => ({
        entries: result.configs.map((c) => configEntry(c)),
      }));
    },
  );
  return resources.map((r) => settle(outcomes.get(resourceKey(r)), { resource: { type: r.type, name: r.name } }));
}

/**
 * `alterConfigs` (deprecated in Java in favour of `incrementalAlterConfigs`): replaces the dynamic configs of each
 * resource with the given set.
 */
export async function alterConfigs(
  router: AdminRouter,
  resources: readonly AlterConfigsResource[],
  options: AlterConfigsOptions = {},
): Promise<AlterConfigsResult[]> {
  const call = router.call('alterConfigs', options);
  const configs = resources.map((r) => {
    checkResource(r.resource, 'alterConfigs');
    return configPairs(r.configs, `alterConfigs ${r.resource.type} ${r.resource.name}`);
  });
  if (resources.length === 0) return [];
  const byKey = new Map(resources.map((r, i) => [resourceKey(r.resource), configs[i]!]));
  await router.ready(call);
  return alterPerTarget(router, call, resources, 'AlterConfigs', (connection, pending) =>
    exchange(router, call, connection, {
      api: AlterConfigs,
      request: () => ({
        resources: pending.map((r) => ({
          ...resourceFields(r.resource),
          configs: byKey.get(resourceKey(r.resource)) ?? [],
        })),
        validateOnly: options.validateOnly ?? false,
      }),
    }),
  );
}

/** `incrementalAlterConfigs`: sets, deletes, appends to or subtracts from single keys (KIP-339). */
export async function incrementalAlterConfigs(
  router: AdminRouter,
  resources: readonly IncrementalAlterConfigsResource[],
  options: AlterConfigsOptions = {},
): Promise<AlterConfigsResult[]> {
  const call = router.call('incrementalAlterConfigs', options);
  for (const r of resources) {
    checkResource(r.resource, 'incrementalAlterConfigs');
    for (const op of r.ops) {
      if (OP_CODES[op.op] === undefined) {
        throw new InvalidArgumentError(
          `incrementalAlterConfigs: unknown op '${String(op.op)}' for ${op.name}: expected set, delete, append or subtract`,
        );
      }
      if (op.op !== 'delete' && (op.value === undefined || op.value === null)) {
        throw new InvalidArgumentError(`incrementalAlterConfigs: ${op.op} of ${op.name} needs a value`);
      }
    }
  }
  if (resources.length === 0) return [];
  await router.ready(call);
  return alterPerTarget(router, call, resources, 'IncrementalAlterConfigs', (connection, pending) =>
    exchange(router, call, connection, {
      api: IncrementalAlterConfigs,
      request: () => ({
        resources: pending.map((r) => ({
          ...resourceFields(r.resource),
          configs: r.ops.map((op) => ({ name: op.name, configOperation: OP_CODES[op.op], value: op.value ?? null })),
        })),
        validateOnly: options.validateOnly ?? false,
      }),
    }),
  );
}

/** A resource's entry in an AlterConfigs or IncrementalAlterConfigs response. */
type AlterResponseEntry = ItemEntry & { readonly resourceType: number; readonly resourceName: string };

/**
 * The recipe of `alterConfigs` and `incrementalAlterConfigs`, which differ only in their request: `send` sends the
 * resources of one target (see {@link perTarget}); each resource succeeds or fails alone, and a failure is retried
 * only for NOT_CONTROLLER (as Java does). One result per resource, in order.
 */
async function alterPerTarget<I extends { readonly resource: ConfigResource }>(
  router: AdminRouter,
  call: AdminCall,
  resources: readonly I[],
  api: string,
  send: (connection: Connection, pending: I[]) => Promise<{ readonly responses: readonly AlterResponseEntry[] }>,
): Promise<AlterConfigsResult[]> {
  const outcomes = await perTarget(
    router,
    call,
    resources,
    (r) => r.resource,
    async (connection, pending) => {
      const response = await send(connection, pending);
      return resourceOutcomes(response.responses, connection, api, () => null);
    },
  );
  return resources.map((r) => settle(outcomes.get(resourceKey(r.resource)), { resource: r.resource }));
}

/**
 * Sends config requests where they must go: a broker's (or broker logger's) own configs to that broker, everything
 * else (topics, groups, client metrics, cluster-wide broker defaults) together to any broker. Java does the same
 * (`KafkaAdminClient.describeConfigs` / `incrementalAlterConfigs`).
 */
function perTarget<I, R>(
  router: AdminRouter,
  call: AdminCall,
  items: readonly I[],
  resourceOf: (item: I) => ConfigResource,
  send: (connection: Connection, items: I[]) => Promise<Outcomes<R>>,
): Promise<Outcomes<R>> {
  return router.retryItems(
    call,
    items,
    (item) => resourceKey(resourceOf(item)),
    async (pending) => {
      const byTarget = new Map<number | 'any', I[]>();
      for (const item of pending) {
        const target = brokerOf(resourceOf(item)) ?? 'any';
        const list = byTarget.get(target) ?? [];
        list.push(item);
        byTarget.set(target, list);
      }
      const outcomes: Outcomes<R> = new Map();
      await Promise.all(
        [...byTarget].map(async ([target, group]) => {
          const connection = target === 'any' ? await router.anyBroker(call) : await router.broker(call, target);
          for (const [key, outcome] of await send(connection, group)) outcomes.set(key, outcome);
        }),
      );
      return outcomes;
    },
  );
}

/** Per-resource outcomes of a config response, keyed as {@link resourceKey} keys the resources. */
function resourceOutcomes<E extends ItemEntry & { resourceType: number; resourceName: string }, R>(
  results: readonly E[],
  connection: Connection,
  api: string,
  value: (result: E) => R,
): Outcomes<R> {
  return itemOutcomes(results, connection, {
    key: (r) => `${r.resourceType}:${r.resourceName}`,
    context: (r) => contextOf(r.resourceType, r.resourceName, api),
    value,
  });
}

/** A resource's type code and name, as the config requests carry them. */
function resourceFields(resource: ConfigResource): { resourceType: number; resourceName: string } {
  return { resourceType: RESOURCE_TYPE_CODES[resource.type], resourceName: resource.name };
}

function resourceKey(resource: ConfigResource): string {
  return `${RESOURCE_TYPE_CODES[resource.type]}:${resource.name}`;
}

/** The node id a broker resource names, or undefined (any broker answers). */
function brokerOf(resource: ConfigResource): number | undefined {
  if (resource.type !== 'broker' && resource.type !== 'brokerLogger') return undefined;
  if (resource.name === '') return undefined;
  return Number(resource.name);
}

function contextOf(type: number, name: string, api: string) {
  return type === RESOURCE_TYPE_CODES.topic
    ? { topic: name, api }
    : type === RESOURCE_TYPE_CODES.group
      ? { groupId: name, api }
      : type === RESOURCE_TYPE_CODES.broker || type === RESOURCE_TYPE_CODES.brokerLogger
        ? { broker: name, api }
        : { api };
}

function checkResource(resource: ConfigResource, method: string): void {
  if (resource === null || typeof resource !== 'object' || RESOURCE_TYPE_CODES[resource.type] === undefined) {
    throw new InvalidArgumentError(
      `${method}: a resource is { type, name } with type one of ${Object.keys(RESOURCE_TYPE_CODES).join(', ')}`,
    );
  }
  if (typeof resource.name !== 'string') throw new InvalidArgumentError(`${method}: resource names are strings`);
  if ((resource.type === 'broker' || resource.type === 'brokerLogger') && resource.name !== '') {
    if (!/^\d+$/.test(resource.name)) {
      throw new InvalidArgumentError(
        `${method}: a ${resource.type} resource is named by the broker's node id ('1'), or '' for the cluster defaults`,
      );
    }
  }
}
