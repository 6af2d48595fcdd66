import { CLIENT_OPTIONS_SCHEMA, MILLISECONDS, POSITIVE_MILLISECONDS } from '../cluster/client-options-schema.js';
import { INT32_MAX, type OptionRule, type OptionsSchema, optionRules as r } from '../config/option-rules.js';
import type { CloseOptions } from '../vocabulary/close-options.js';
import type { Admin } from './admin.js';
import type { AdminCallOptions, AdminOptions } from './admin-options.js';

/** The keys of {@link AdminOptions}: the client's and the admin's own. */
export const ADMIN_OPTIONS_SCHEMA = {
  ...CLIENT_OPTIONS_SCHEMA,
  defaultApiTimeoutMs: POSITIVE_MILLISECONDS,
} satisfies OptionsSchema<AdminOptions>;

/** The admin methods that take call options: every public method but `close` and `metrics`. */
export type AdminMethod = Exclude<keyof Admin, 'close' | 'metrics' | 'instance' | typeof Symbol.asyncDispose>;

/** The type of the options a method takes: its last parameter. */
type OptionsOf<F> = F extends (...args: infer A) => unknown ? NonNullable<Last<Required<A>>> : never;
type Last<A extends readonly unknown[]> = A extends readonly [...unknown[], infer L] ? L : never;

const ISOLATION_LEVEL = r.oneOf('read_uncommitted', 'read_committed');
const STRINGS = r.arrayOf(r.string());

/** The keys every admin method takes. */
const CALL = {
  timeoutMs: r.describedAs(`a number of milliseconds > 0 up to ${INT32_MAX}`, r.number(0, INT32_MAX, true)),
  signal: r.signal,
} satisfies OptionsSchema<AdminCallOptions>;

function call<T extends AdminCallOptions>(
  own: { readonly [K in Exclude<keyof T, keyof AdminCallOptions>]-?: OptionRule },
) {
  return { ...CALL, ...own } as OptionsSchema<T>;
}

/**
 * The schema of each admin method's options, by method name. A method added to `Admin` without an entry here, or
 * an entry whose keys differ from the options type the method takes, is a type error.
 */
export const ADMIN_CALL_OPTIONS: { readonly [M in AdminMethod]: OptionsSchema<OptionsOf<Admin[M]>> } = {
  connect: CALL,
  listTopics: call({ includeInternal: r.boolean }),
  describeTopics: call({
    includeAuthorizedOperations: r.boolean,
    partitionSizeLimitPerResponse: r.integer(1, INT32_MAX),
  }),
  createTopics: call({ validateOnly: r.boolean, waitForMetadata: r.boolean }),
  deleteTopics: call({ waitForMetadata: r.boolean }),
  createPartitions: call({ validateOnly: r.boolean, waitForMetadata: r.boolean }),
  describeConfigs: call({ includeSynonyms: r.boolean, includeDocumentation: r.boolean }),
  alterConfigs: call({ validateOnly: r.boolean }),
  incrementalAlterConfigs: call({ validateOnly: r.boolean }),
  listGroups: call({ states: STRINGS, types: STRINGS }),
  describeGroups: call({ includeAuthorizedOperations: r.boolean }),
  deleteGroups: CALL,
  describeShareGroups: call({ includeAuthorizedOperations: r.boolean }),
  listShareGroupOffsets: CALL,
  alterShareGroupOffsets: CALL,
  deleteShareGroupOffsets: CALL,
  deleteShareGroups: CALL,
  listGroupOffsets: call({ requireStable: r.boolean, includeLag: r.boolean, isolationLevel: ISOLATION_LEVEL }),
  alterGroupOffsets: CALL,
  resetGroupOffsets: call({
    to: r.required(
      r.describedAs(
        "'earliest', 'latest', { timestamp }, { shiftBy } or { offset }",
        r.anyOf(r.oneOf('earliest', 'latest'), r.object('an object')),
      ),
    ),
    partitions: r.arrayOf(r.object('a { topic, partition }'), 'an array of { topic, partition }'),
    topics: STRINGS,
    dryRun: r.boolean,
    isolationLevel: ISOLATION_LEVEL,
  }),
  deleteGroupOffsets: CALL,
  removeGroupMembers: call({ reason: r.string() }),
  deleteRecords: CALL,
  listOffsets: call({ isolationLevel: ISOLATION_LEVEL }),
  describeAcls: CALL,
  createAcls: CALL,
  deleteAcls: CALL,
  describeClientQuotas: call({
    components: r.arrayOf(r.object('a { entityType, match }'), 'an array of { entityType, match }'),
    strict: r.boolean,
  }),
  alterClientQuotas: call({ validateOnly: r.boolean }),
  describeUserScramCredentials: CALL,
  alterUserScramCredentials: CALL,
  describeCluster: call({ includeAuthorizedOperations: r.boolean, includeFencedBrokers: r.boolean }),
  describeLogDirs: call({ topics: STRINGS }),
  describeFeatures: CALL,
  describeQuorum: CALL,
  electLeaders: CALL,
  alterPartitionReassignments: call({ allowReplicationFactorChange: r.boolean }),
  listPartitionReassignments: CALL,
  listTransactions: call({
    states: STRINGS,
    producerIds: r.arrayOf(r.bigint),
    durationMs: r.integer(0),
    transactionalIdPattern: r.string(),
  }),
  describeTransactions: CALL,
  describeProducers: call({ brokerId: r.integer(0, INT32_MAX) }),
  abortTransaction: CALL,
};

/** The keys of `admin.close()`'s {@link CloseOptions}. */
export const ADMIN_CLOSE_OPTIONS_SCHEMA = {
  timeoutMs: MILLISECONDS,
} satisfies OptionsSchema<CloseOptions>;
